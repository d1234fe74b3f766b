#!/usr/bin/env bun
// Feed process for okx_spot (A.7): WebSocket → Price Store region 6.
import { feedMain } from "@spread/feed";

await feedMain("okx_spot");
