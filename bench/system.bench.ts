// The whole system's performance report (`bun run bench system [--quick]`): rewrites the generated section of
// docs/PERFORMANCE.md between <!-- system-report:begin --> and <!-- system-report:end --> (bench/system/report.ts).
//  1. builds every binary into a temp dir (the system then runs compiled, as on the box) and times them
//     (bench/compiled.bench.ts);
//  2. starts the exchange simulator and `spread-ctl up` on it, per feed mode (one process per source; grouped
//     feeds when this checkout has `[feed] groups`), and measures every process's CPU (schedstat) and PSS at the
//     realistic load and at 5× it (bench/system/stack.ts);
//  3. tick-to-signal across processes (bench/engine.bench.ts), feed CPU per message at 1k/5k/50k msg/s and ccxt on
//     the same stream (bench/feed.bench.ts), tracker bytes per hour at 100 trackings (bench/tracker.bench.ts),
//     the discovery cycle (bench/discovery-cycle.bench.ts), each run with --json and read back.
// Everything runs under an isolated shm prefix and temp dir, removed on exit, failure, SIGINT/SIGTERM and the
// overall deadline. About 15 minutes on an idle 2-core box (`--quick`: about 6).
//
//   bun run bench system [--quick] [--modes per-source,grouped,single] [--groups "a,b;c,d"] [--out FILE] [--no-write]
//                        [--only build,stack,latency,feed,tracker,discovery] [--from-json FILE]
// --groups: the grouped mode's feed processes (default: Binance+Bybit and MEXC+OKX, two processes); single: all 8 sources in
// one feed process. Each mode is measured twice at the realistic load: right after start (the JIT still compiling, the
// first seconds of every restart) and again after --settle seconds (default 45; the steady state a 24/7 process
// spends its life in; the 5× window follows it). --only: a subset of the steps (the
// report then lacks the others: use with --no-write); without build the stack runs from source. Every run keeps its
// raw figures in .bench-results/system-<time>.json; --from-json renders such a file again without measuring.
import { execSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { SOURCE_NAMES } from "@spread/common";
import { spawnLogged, stopChild, tail } from "./feed-procs.ts";
import { renderReport, rewriteSection, type CompiledJson, type DiscoveryCycleJson, type EngineJson, type FeedJson, type ModeRun, type SystemReport, type TrackerJson } from "./system/report.ts";
import { heldStackTeardown, killLeftovers, measureLoad, modeLabel, modeSupport, setSimRate, Stack, startSim, subscriptions, type FeedMode, type LoadResult, type Sim } from "./system/stack.ts";
import { runSubBench, stopSubBench } from "./system/sub-bench.ts";

const ROOT = resolve(import.meta.dir, "..");
const { values: args } = parseArgs({
  args: process.argv.slice(2),
  options: {
    quick: { type: "boolean", default: false },
    modes: { type: "string", default: "per-source,grouped,single" },
    settle: { type: "string" },
    // docs/operations.md "Feed groups": one process per core on a 2-core box.
    groups: { type: "string", default: "binance_spot,binance_futures,bybit_spot,bybit_futures;mexc_spot,mexc_futures,okx_spot,okx_futures" },
    out: { type: "string", default: join(ROOT, "docs/PERFORMANCE.md") },
    "no-write": { type: "boolean", default: false },
    only: { type: "string", default: "build,stack,latency,feed,tracker,discovery" },
    "from-json": { type: "string" },
    help: { type: "boolean", default: false },
  },
  strict: true,
});
if (args.help) {
  console.log(readFileSync(import.meta.path, "utf8").split("\n").filter((l) => l.startsWith("//")).map((l) => l.slice(3)).join("\n"));
  process.exit(0);
}

/** The realistic load (issue 17: 8 sources, ~3,400 subscriptions, ~10k updates/s) and 5× it. */
const LOADS = { realistic: 10_000, burst: 50_000 };

function publish(report: SystemReport): void {
  const md = renderReport(report, LOADS);
  console.log(`\n${md}`);
  if (!args["no-write"]) {
    rewriteSection(args.out, md);
    console.log(`rewrote the system report section of ${args.out}`);
  }
}

if (args["from-json"]) {
  publish(JSON.parse(readFileSync(args["from-json"], "utf8")) as SystemReport);
  process.exit(0);
}

const QUICK = args.quick;
const SETTLE_S = args.settle !== undefined ? Number(args.settle) : null;
if (SETTLE_S !== null && !(SETTLE_S >= 0)) throw new Error(`--settle: expected seconds ≥ 0, got "${args.settle}"`);
const STEPS = new Set(args.only.split(","));
const P = QUICK
  ? { warmS: 4, windowS: 8, settleS: 15, latencyWindowS: 5, engineParts: "latency", feedWarmS: 2, feedWindowS: 4, ccxtRates: "5000", trackerWindowS: 15, compiledRuns: 3, discoveryCycle: false, deadlineS: 12 * 60 }
  : { warmS: 5, windowS: 12, settleS: 45, latencyWindowS: 8, engineParts: "engine,latency", feedWarmS: 3, feedWindowS: 6, ccxtRates: "5000,50000", trackerWindowS: 30, compiledRuns: 5, discoveryCycle: true, deadlineS: 30 * 60 };

const modes: FeedMode[] = args.modes.split(",").filter(Boolean).map((m) => {
  if (m === "per-source") return { name: "per-source" };
  if (m === "grouped") return { name: "grouped", groups: args.groups.split(";").map((g) => g.split(",").map((s) => s.trim()).filter(Boolean)) };
  if (m === "single") return { name: "grouped", groups: [[...SOURCE_NAMES]] };
  throw new Error(`--modes: unknown mode "${m}" (per-source, grouped, single)`);
});
for (const m of modes) {
  if (m.name !== "grouped") continue;
  for (const s of m.groups.flat()) if (!(SOURCE_NAMES as readonly string[]).includes(s)) throw new Error(`--groups: unknown source "${s}" (${SOURCE_NAMES.join(", ")})`);
  if (new Set(m.groups.flat()).size !== m.groups.flat().length) throw new Error("--groups: a source may appear once (sources in no group run alone)");
}

// ---- scratch: removed whatever happens ----------------------------------------------------------------------

const dir = mkdtempSync(join(tmpdir(), "system-bench-"));
const prefix = `bench-sys-${process.pid}-${Math.floor(Math.random() * 1e9).toString(36)}`;
let sim: Sim | null = null;
let stack: Stack | null = null;

const teardown = heldStackTeardown("system.bench", dir, prefix, () => ({ stack, sim }), stopSubBench);
teardown.deadline(P.deadlineS * 1000);

// ---- steps --------------------------------------------------------------------------------------------------

const loadAvg = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");

function machine(): SystemReport["machine"] {
  const model = /model name\s*:\s*(.+)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1]?.trim() ?? cpus()[0]?.model ?? "unknown CPU";
  const virt = (() => {
    try {
      return execSync("systemd-detect-virt 2>/dev/null", { encoding: "utf8" }).trim();
    } catch {
      return "";
    }
  })();
  const commit = (() => {
    try {
      const sha = execSync("git rev-parse --short HEAD", { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
      const dirty = execSync("git status --porcelain --untracked-files=no", { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
      return dirty ? `${sha} (+ uncommitted changes)` : sha;
    } catch {
      return "unknown (not a git checkout)";
    }
  })();
  return {
    cpu: virt && virt !== "none" ? `${model} (${virt} guest)` : model,
    cores: cpus().length,
    memGiB: Math.round(totalmem() / 2 ** 30),
    kernel: readFileSync("/proc/sys/kernel/osrelease", "utf8").trim(),
    bun: Bun.version,
    commit,
  };
}

async function build(): Promise<{ binDir: string | null; result: SystemReport["build"] }> {
  const binDir = join(dir, "dist");
  console.log(`\n### scripts/build.sh → ${binDir}`);
  const t0 = performance.now();
  const p = spawnLogged(["bash", join(ROOT, "scripts/build.sh")], join(dir, "build.log"), { OUT: binDir }, ROOT);
  const code = await Promise.race([p.exited, Bun.sleep(240_000).then(() => null)]);
  if (code === null) await stopChild(p);
  const seconds = (performance.now() - t0) / 1000;
  if (code === 0 && existsSync(join(binDir, "spread-ctl")) && existsSync(join(binDir, "feed"))) return { binDir, result: { ok: true, seconds } };
  const error = code === null ? "still running after 240 s" : `exit ${code}: ${tail(join(dir, "build.log"), 300).trim()}`;
  console.error(`system.bench: build failed (${error}); the stack runs from source`);
  return { binDir: null, result: { ok: false, seconds, error } };
}

async function runMode(mode: FeedMode, binDir: string | null, skipDiscovery: boolean): Promise<ModeRun> {
  const label = modeLabel(mode);
  const unsupported = modeSupport(mode, ROOT, dir);
  if (unsupported) {
    console.log(`\n### ${label}: not supported by this checkout (${unsupported})`);
    return { mode, label, skipped: `not available in this checkout: the config loader rejects \`[feed] groups\` (${unsupported})`, loads: [] };
  }
  console.log(`\n### whole system, ${label}: spread-ctl up${skipDiscovery ? " --skip-discovery" : ""}`);
  await setSimRate(sim!.control, 3000);
  try {
    const up = await Stack.up({ root: ROOT, dir, prefix, exchangesFile: sim!.exchangesFile, mode }, binDir, skipDiscovery, 150_000);
    stack = up.stack;
    console.log(`system running after ${(up.upMs / 1000).toFixed(1)} s; processes: ${[...stack.processes().values()].join(", ")}`);
    const say = (what: string, l: LoadResult) => console.log(`  ${what}: system CPU ${l.totalCpuPct.toFixed(2)} % of one core, PSS ${(l.totalPss / 1e6).toFixed(1)} MB; feeds received ${Math.round(l.framesPerSec)} frames/s; load ${l.loadAvg}`);
    // Right after start the JIT is still compiling every process's code: worth knowing (each restart pays it), but a
    // 24/7 process lives in the steady state, which the goals are about.
    const startup = await measureLoad(stack, sim!, LOADS.realistic, P.warmS, P.windowS);
    say(`${LOADS.realistic}/s, first ${P.warmS + P.windowS} s after start`, startup);
    const settleS = SETTLE_S ?? P.settleS;
    await Bun.sleep(settleS * 1000);
    const loads = [];
    for (const rate of [LOADS.realistic, LOADS.burst]) {
      const l = await measureLoad(stack, sim!, rate, P.warmS, P.windowS);
      say(`${rate}/s, steady`, l);
      loads.push(l);
    }
    await setSimRate(sim!.control, 3000);
    const code = await stack.down();
    stack = null;
    if (code !== 0) console.error(`system.bench: spread-ctl up exited ${code} on SIGTERM`);
    killLeftovers(dir);
    return { mode, label, upMs: up.upMs, skippedDiscovery: skipDiscovery, startup, startupS: P.warmS + startup.seconds, settleS, loads };
  } catch (err) {
    console.error(`system.bench: ${label}: ${(err as Error).message}`);
    await stack?.down();
    stack = null;
    killLeftovers(dir);
    return { mode, label, skipped: `failed: ${(err as Error).message.split("\n")[0]}`, loads: [] };
  }
}

/** Two names of one file (scripts/build.sh hard-links every program to one binary). */
function sameFile(a: string, b: string): boolean {
  try {
    const [x, y] = [statSync(a), statSync(b)];
    return x.ino === y.ino && x.dev === y.dev;
  } catch {
    return false;
  }
}

function stackDiscovery(): SystemReport["stackDiscovery"] {
  try {
    const meta = JSON.parse(readFileSync(join(dir, "generated", "metadata.json"), "utf8"));
    return { ms: meta.duration_ms, symbols: meta.num_symbols, validated: meta.validation?.enabled === true };
  } catch {
    return null;
  }
}

// ---- main ---------------------------------------------------------------------------------------------------

const started = new Date();
const t0 = performance.now();
const loadStart = loadAvg();
const mach = machine();
console.log(`# system.bench${QUICK ? " --quick" : ""}: ${mach.cpu}, ${mach.cores} cores, Bun ${mach.bun}, commit ${mach.commit}; load average ${loadStart}`);
let exitCode = 0;
try {
  const { binDir, result: buildResult } = STEPS.has("build") ? await build() : { binDir: null, result: { ok: false, seconds: 0, error: "not run (--only)" } };
  const compiled = binDir ? await runSubBench<CompiledJson>(ROOT, dir, "compiled.bench.ts", { COMPILED_BENCH_DIST: binDir, COMPILED_BENCH_RUNS: String(P.compiledRuns) }, 180) : null;

  const runs: ModeRun[] = [];
  if (STEPS.has("stack")) {
    sim = await startSim(ROOT, dir);
    // The first mode runs discovery; the others start on its generated/ set (same universe, same subscriptions).
    for (const mode of modes) runs.push(await runMode(mode, binDir, existsSync(join(dir, "generated", "directions.bin"))));
    await stopChild(sim.proc, 3000);
    sim = null;
  }
  const subs = existsSync(join(dir, "generated", "directions.bin")) ? subscriptions(join(dir, "generated")) : null;
  const discovered = stackDiscovery();

  const latency = [];
  const latencyRuns: ModeRun[] = runs.length ? runs : modes.map((mode) => {
    const unsupported = modeSupport(mode, ROOT, dir);
    return { mode, label: modeLabel(mode), loads: [], ...(unsupported ? { skipped: unsupported } : {}) };
  });
  for (const run of STEPS.has("latency") ? latencyRuns : []) {
    if (run.skipped) continue;
    const env: Record<string, string> = { ENGINE_BENCH_PARTS: latency.length ? "latency" : P.engineParts, ENGINE_BENCH_WINDOW_S: String(P.latencyWindowS), ENGINE_BENCH_LATENCY_RATES: `${LOADS.realistic},${LOADS.burst}`, ENGINE_BENCH_WARM_S: String(Math.min(30, SETTLE_S ?? P.settleS)) };
    if (run.mode.name === "grouped") env.ENGINE_BENCH_FEED_GROUPS = run.mode.groups.map((g) => g.join(",")).join(";");
    latency.push({ mode: run.label, result: await runSubBench<EngineJson>(ROOT, dir, "engine.bench.ts", env, 300) });
  }
  const feed = !STEPS.has("feed") ? null : await runSubBench<FeedJson>(ROOT, dir, "feed.bench.ts", {
    FEED_BENCH_LOW: "1000", FEED_BENCH_RATES: "5000,50000", FEED_BENCH_CCXT_RATES: P.ccxtRates, FEED_BENCH_NOWAKE: "0",
    FEED_BENCH_WARM_S: String(P.feedWarmS), FEED_BENCH_WINDOW_S: String(P.feedWindowS),
  }, 420);
  const tracker = !STEPS.has("tracker") ? null : await runSubBench<TrackerJson>(ROOT, dir, "tracker.bench.ts", { TRACKER_BENCH_WINDOW_S: String(P.trackerWindowS) }, P.trackerWindowS + 150);
  const discoveryCycle = P.discoveryCycle && STEPS.has("discovery") ? await runSubBench<DiscoveryCycleJson>(ROOT, dir, "discovery-cycle.bench.ts", { DISCOVERY_CYCLE_STUB: "0" }, 180) : null;

  const report: SystemReport = {
    startedAt: started.toISOString(), quick: QUICK, seconds: (performance.now() - t0) / 1000, machine: mach, loadStart, loadEnd: loadAvg(),
    binaries: binDir ? "compiled" : "source", oneBinary: binDir ? sameFile(join(binDir, "feed"), join(binDir, "spread-engine")) : false, build: buildResult, subscriptions: subs, stackDiscovery: discovered,
    modes: runs, latency, feed, tracker, compiled, discoveryCycle,
  };
  mkdirSync(join(ROOT, ".bench-results"), { recursive: true });
  const raw = join(ROOT, ".bench-results", `system-${started.toISOString().replace(/[:.]/g, "-")}.json`);
  writeFileSync(raw, JSON.stringify(report, null, 1));
  console.log(`raw figures: ${raw}`);
  publish(report);
  const failed = [...runs.filter((r) => r.skipped?.startsWith("failed")), ...[feed, tracker, compiled, discoveryCycle, ...latency.map((l) => l.result)].filter((x) => x && !x.ok)];
  if (failed.length) exitCode = 1;
} catch (err) {
  console.error(`system.bench failed: ${(err as Error).stack ?? err}`);
  exitCode = 1;
} finally {
  await teardown.stop();
}
process.exit(exitCode);
