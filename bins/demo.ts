#!/usr/bin/env bun
// `bun run demo`: `spread-ctl demo` = `spread-ctl up` on the built-in exchange simulator (config/config.sim.toml)
// with the live view; Ctrl-C stops everything and removes the demo's shared memory.
import { runBin } from "@spread/common";
import { demoCommand } from "@spread/ctl";

await runBin(demoCommand);
