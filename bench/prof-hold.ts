// Holds the whole system up on the simulator at a given rate for profiling (perf / --cpu-prof), then tears down.
//   bun bench/prof-hold.ts <seconds> <rate> <groups: "a,b;c,d" | per-source>
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { unlinkAll } from "@spread/shm";
import { setSimRate, Stack, startSim, type FeedMode } from "./system/stack.ts";
const ROOT = resolve(import.meta.dir, "..");
const [secs = "60", rate = "10000", groups = "binance_spot,binance_futures,bybit_spot,bybit_futures,mexc_spot,mexc_futures,okx_spot,okx_futures"] = process.argv.slice(2);
const dir = mkdtempSync(join(tmpdir(), "prof-"));
const prefix = `t-prof${process.pid}`;
const sim = await startSim(ROOT, dir);
const mode: FeedMode = groups === "per-source" ? { name: "per-source" } : { name: "grouped", groups: groups.split(";").map((g) => g.split(",")) };
const binDir = process.env.BIN_DIR || null;
const { stack, upMs } = await Stack.up({ root: ROOT, dir, prefix, exchangesFile: sim.exchangesFile, mode }, binDir, false, 120_000);
await setSimRate(sim.control, Number(rate));
console.log(JSON.stringify({ upMs, dir, processes: [...stack.processes()] }));
await Bun.sleep(Number(secs) * 1000);
await stack.down();
sim.proc.kill();
await sim.proc.exited;
unlinkAll(prefix);
rmSync(dir, { recursive: true, force: true });
console.log("done");
