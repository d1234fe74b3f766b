#!/usr/bin/env bun
// spread-tracker: follows every signalled spread at 200 ms for up to 3 h into CSV files (packages/tracker).
import { trackerMain } from "@spread/tracker";

await trackerMain();
