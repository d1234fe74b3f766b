// `bun run bench compiled`: size and start-up time of every dist/ binary (`bun run build` first), compiled vs
// from source. Start-up = spawn → exit of `--help` (runtime + bundle load + CLI parse), and of a real
// `shm-init` on a fresh prefix (creates 6 regions, maps them, exits). Median of 9 runs.
//
//   [COMPILED_BENCH_DIST=dist] [COMPILED_BENCH_RUNS=9] bun bench/compiled.bench.ts [--json FILE]
// --json writes sizes and times as one document (bench/system.bench.ts builds into a temp dir and points DIST there).
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { unlinkAll } from "@spread/shm";
import { writeJsonResult } from "./harness.ts";

const ROOT = join(import.meta.dir, "..");
const DIST = process.env.COMPILED_BENCH_DIST ?? join(ROOT, "dist");
const PROGRAMS = ["shm-init", "pair-discovery", "feed", "spread-engine", "spread-tracker", "spread-alerts", "spread-web", "spread-ctl", "exchange-sim"];
const RUNS = Math.max(1, Number(process.env.COMPILED_BENCH_RUNS ?? 9));

function median(argv: string[], env: Record<string, string> = {}): number {
  const xs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const p = Bun.spawnSync(argv, { stdout: "ignore", stderr: "ignore", env: { ...process.env, ...env } });
    xs.push(performance.now() - t0);
    if (p.exitCode !== 0) throw new Error(`${argv.join(" ")} exited ${p.exitCode}`);
  }
  return xs.sort((a, b) => a - b)[RUNS >> 1]!;
}

if (!existsSync(join(DIST, "feed"))) throw new Error("dist/ is empty: run `bun run build` first");
const binaries: { name: string; bytes: number; helpCompiledMs: number; helpSourceMs: number }[] = [];
console.log("| binary | size MB | --help compiled ms | --help from source ms |");
console.log("|---|---:|---:|---:|");
for (const p of PROGRAMS) {
  if (!existsSync(join(DIST, p))) continue;
  const bytes = statSync(join(DIST, p)).size;
  const size = bytes / 1e6;
  const compiledMs = median([join(DIST, p), "--help"]);
  const sourceMs = median([process.execPath, join(ROOT, "bins", `${p}.ts`), "--help"]);
  binaries.push({ name: p, bytes, helpCompiledMs: compiledMs, helpSourceMs: sourceMs });
  console.log(`| ${p} | ${size.toFixed(1)} | ${compiledMs.toFixed(0)} | ${sourceMs.toFixed(0)} |`);
}
const prefix = `bench-compiled-${process.pid}`;
try {
  const run = (argv: string[]) => median([...argv, "--prefix", prefix, "--force"], { SPREAD_SCANNER_CONFIG: join(ROOT, "config", "config.toml") });
  const shmInit = { compiledMs: run([join(DIST, "shm-init")]), sourceMs: run([process.execPath, join(ROOT, "bins/shm-init.ts")]) };
  console.log(`\nshm-init --force on a fresh prefix: compiled ${shmInit.compiledMs.toFixed(0)} ms, from source ${shmInit.sourceMs.toFixed(0)} ms`);
  writeJsonResult({ runs: RUNS, binaries, shmInit });
} finally {
  unlinkAll(prefix);
}
