#!/usr/bin/env bun
// Feed process for binance_spot (A.7): WebSocket → Price Store region 0.
import { feedMain } from "@spread/feed";

await feedMain("binance_spot");
