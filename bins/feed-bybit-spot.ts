#!/usr/bin/env bun
// Feed process for bybit_spot (A.7): WebSocket → Price Store region 2.
import { feedMain } from "@spread/feed";

await feedMain("bybit_spot");
