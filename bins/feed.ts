#!/usr/bin/env bun
// Feed for any source: `feed --source okx_spot` (the compiled deployment runs this one binary, see docs/operations.md).
import { feedMain } from "@spread/feed";

await feedMain();
