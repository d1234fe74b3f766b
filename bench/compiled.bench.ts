// `bun run bench compiled`: size and start-up time of every dist/ binary (`bun run build` first), compiled vs
// from source. Start-up = spawn → exit of `--help` (runtime + bundle load + CLI parse), and of a real
// `shm-init` on a fresh prefix (creates 6 regions, maps them, exits). Median of 9 runs.
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { unlinkAll } from "@spread/shm";

const ROOT = join(import.meta.dir, "..");
const DIST = join(ROOT, "dist");
const PROGRAMS = ["shm-init", "pair-discovery", "feed", "spread-engine", "spread-tracker", "spread-alerts", "spread-ctl", "exchange-sim"];
const RUNS = 9;

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
console.log("| binary | size MB | --help compiled ms | --help from source ms |");
console.log("|---|---:|---:|---:|");
for (const p of PROGRAMS) {
  if (!existsSync(join(DIST, p))) continue;
  const size = statSync(join(DIST, p)).size / 1e6;
  console.log(`| ${p} | ${size.toFixed(1)} | ${median([join(DIST, p), "--help"]).toFixed(0)} | ${median([process.execPath, join(ROOT, "bins", `${p}.ts`), "--help"]).toFixed(0)} |`);
}
const prefix = `bench-compiled-${process.pid}`;
try {
  const run = (argv: string[]) => median([...argv, "--prefix", prefix, "--force"], { SPREAD_SCANNER_CONFIG: join(ROOT, "config", "config.toml") });
  console.log(`\nshm-init --force on a fresh prefix: compiled ${run([join(DIST, "shm-init")]).toFixed(0)} ms, from source ${run([process.execPath, join(ROOT, "bins/shm-init.ts")]).toFixed(0)} ms`);
} finally {
  unlinkAll(prefix);
}
