#!/usr/bin/env bun
// Feed process for okx_futures (A.7): WebSocket → Price Store region 7.
import { feedMain } from "@spread/feed";

await feedMain("okx_futures");
