#!/usr/bin/env bun
// Feed process for bybit_futures (A.7): WebSocket → Price Store region 3.
import { feedMain } from "@spread/feed";

await feedMain("bybit_futures");
