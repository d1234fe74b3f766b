#!/usr/bin/env bun
// Feed process for mexc_spot (A.7): WebSocket → Price Store region 4.
import { feedMain } from "@spread/feed";

await feedMain("mexc_spot");
