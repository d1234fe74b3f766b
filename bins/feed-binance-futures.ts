#!/usr/bin/env bun
// Feed process for binance_futures (A.7): WebSocket → Price Store region 1.
import { feedMain } from "@spread/feed";

await feedMain("binance_futures");
