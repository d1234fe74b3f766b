#!/usr/bin/env bun
// pair-discovery: one full Pair Discovery run (systemd oneshot). Logic lives in @spread/discovery.
//   bun bins/pair-discovery.ts --config config/config.toml --exchanges config/exchanges.toml --output generated/
import { runBin } from "@spread/common";
import { pairDiscoveryCommand } from "@spread/discovery";
import { ADAPTERS } from "@spread/exchanges";

await runBin(pairDiscoveryCommand(ADAPTERS));
process.exit(0);
