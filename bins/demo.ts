#!/usr/bin/env bun
// `bun run demo`: the scanner on the built-in exchange simulator (config/config.sim.toml).
import { resolve } from "node:path";
import { defineCommand } from "citty";
import { runBin, UsageError } from "@spread/common";
import { runDemo } from "@spread/ctl";

const root = resolve(import.meta.dir, "..");
await runBin(
  defineCommand({
    meta: { name: "demo", description: "Run the whole scanner against the exchange simulator with a live view" },
    args: {
      config: { type: "string", description: "config (must point at the simulator)", default: resolve(root, "config/config.sim.toml"), valueHint: "FILE" },
      duration: { type: "string", description: "stop after N seconds (0 = until Ctrl-C)", default: "0" },
      refresh: { type: "string", description: "view refresh period, ms", default: "2000" },
      "keep-shm": { type: "boolean", description: "leave the demo's shared memory in place on exit", default: false },
    },
    async run({ args }) {
      const durationS = Number(args.duration);
      const refreshMs = Number(args.refresh);
      if (!(durationS >= 0)) throw new UsageError(`--duration must be a number of seconds, got "${args.duration}"`);
      if (!(refreshMs >= 100)) throw new UsageError(`--refresh must be at least 100 ms, got "${args.refresh}"`);
      process.exitCode = await runDemo({ root, config: args.config, durationS, refreshMs, keepShm: args["keep-shm"] });
    },
  }),
);
