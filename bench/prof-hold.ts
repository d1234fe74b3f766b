// Holds the whole system up on the simulator at a given update rate, so a profiler can be attached to a steady-state
// process (perf record -g -p <pid>, /proc/<pid>/task/*/schedstat), then tears everything down (also on SIGINT/SIGTERM).
// Not part of `bun run bench`: a tool for finding where CPU goes (docs/PERFORMANCE.md "Where the feed's CPU goes").
//
//   bun bench/prof-hold.ts [seconds=60] [updates/s=10000] [groups: "a,b;c,d" | per-source; default all 8 in one]
// BIN_DIR=<dist> runs the compiled binaries instead of the sources. Prints one JSON line with the pids once up.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { SOURCE_NAMES } from "@spread/common";
import { heldStackTeardown, setSimRate, Stack, startSim, type FeedMode, type Sim } from "./system/stack.ts";

const ROOT = resolve(import.meta.dir, "..");
const [secs = "60", rate = "10000", groups = SOURCE_NAMES.join(",")] = process.argv.slice(2);
const dir = mkdtempSync(join(tmpdir(), "prof-hold-"));
const prefix = `t-prof-${process.pid}`;
let sim: Sim | null = null;
let stack: Stack | null = null;
const teardown = heldStackTeardown("prof-hold", dir, prefix, () => ({ stack, sim }));

sim = await startSim(ROOT, dir);
const mode: FeedMode = groups === "per-source" ? { name: "per-source" } : { name: "grouped", groups: groups.split(";").map((g) => g.split(",")) };
const up = await Stack.up({ root: ROOT, dir, prefix, exchangesFile: sim.exchangesFile, mode }, process.env.BIN_DIR || null, false, 120_000);
stack = up.stack;
await setSimRate(sim.control, Number(rate));
console.log(JSON.stringify({ upMs: Math.round(up.upMs), dir, prefix, processes: [...stack.processes()] }));
await Bun.sleep(Number(secs) * 1000);
await teardown.stop();
console.log("done");
