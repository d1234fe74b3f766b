#!/usr/bin/env bun
// Feed process for mexc_futures (A.7): WebSocket → Price Store region 5.
import { feedMain } from "@spread/feed";

await feedMain("mexc_futures");
