#!/usr/bin/env bun
// One binary for every program (busybox style): scripts/build.sh compiles this once and links each program's name
// to it, so all processes of the system map the same file and share the runtime's ~38 MB of text pages (one copy
// per distinct binary otherwise: docs/PERFORMANCE.md). The program is the name it was started as (argv[0]), or the
// first argument: `spread-scanner feed --source okx_spot`.
import { basename } from "node:path";

const PROGRAMS: Record<string, () => Promise<unknown>> = {
  "shm-init": () => import("./shm-init.ts"),
  "pair-discovery": () => import("./pair-discovery.ts"),
  feed: () => import("./feed.ts"),
  "spread-engine": () => import("./spread-engine.ts"),
  "spread-tracker": () => import("./spread-tracker.ts"),
  "spread-alerts": () => import("./spread-alerts.ts"),
  "spread-web": () => import("./spread-web.ts"),
  "spread-ctl": () => import("./spread-ctl.ts"),
  "exchange-sim": () => import("./exchange-sim.ts"),
};

const USAGE = `USAGE spread-scanner <program> [ARGS] (or a link named <program>)\n\nprograms: ${Object.keys(PROGRAMS).join(", ")}\n`;

let name = basename(process.argv0);
if (!Object.hasOwn(PROGRAMS, name)) {
  const first = process.argv[2] ?? "";
  if (Object.hasOwn(PROGRAMS, first)) {
    name = first;
    process.argv.splice(2, 1);
  } else if (first === "--help" || first === "-h") {
    process.stdout.write(USAGE);
    process.exit(0);
  } else {
    process.stderr.write(`spread-scanner: ${first ? `unknown program "${first}"` : "which program?"}\n${USAGE}`);
    process.exit(2);
  }
}
await PROGRAMS[name]!();
