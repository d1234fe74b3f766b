// The 8 feeds at a realistic load, one process per source (A.7's default) against feed groups (issue 17): the
// exchange simulator in its own process at ~10k updates/s over the whole universe (~3,400 subscriptions), and the
// feeds in each mode in turn (rounds interleave the modes, so a busy neighbour on the VM hits every mode alike).
// The engine's side is the bench's engine stand-in (a Worker that
// waits on the engine wake channel and takes every source's Bitmap block, bench/feed-engine-worker.ts), so the feeds
// pay their real wake cost and binance_futures frames yield a receive latency sample (store updated_at − the
// frame's exchange time T; the sim stamps T 2 ms before it sends, so subtract ~2 ms for the feed's own share).
// Per mode: the feed processes' CPU (all threads) as %
// of one core (utime+stime), frames handled (Health `messages`), main-thread wake-ups (voluntary context switches), PSS total.
//
//   bun run bench feed-groups
//   FEED_GROUPS_MODES="8;4,4;8x1" FEED_GROUPS_RATE=10000 FEED_GROUPS_WINDOW_S=12 FEED_GROUPS_WARM_S=6 FEED_GROUPS_ROUNDS=2 \
//   FEED_GROUPS_BIN=dist bun bench/feed-groups.bench.ts
//
// Modes: "8x1" = 8 processes of one source; "4,4" = two groups of 4 (sources in SOURCE_NAMES order); "8" = one
// process for all 8; a suffix "@5" sets [feed] read_coalesce_ms = 5 for that mode ("8@5"). FEED_GROUPS_BIN=DIR runs the compiled `feed` of DIR (bun run build).
// FEED_GROUPS_FEED_ENV='{"BUN_JSC_...":"..."}' adds environment variables to the feed processes only (A/B of
// runtime settings); FEED_GROUPS_BUN_ARGS="--smol" adds bun flags to the feeds run from source. Everything it starts is killed and the shm prefix and temp dir removed on exit.
import { mkdtempSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { SOURCE_NAMES } from "@spread/common";
import { createAll, HealthRecord, HealthState, unlinkAll } from "@spread/shm";
import {
  benchScratch, cpuSample, histSnapshotReset, histStats, machineBusyNs, memSample, newHistogram, simRate, spawnLogged, stopChild, tail, waitReadyLine, type CpuSample, type LatencyStats,
} from "./feed-procs.ts";
import type { Subprocess } from "bun";

const ROOT = resolve(import.meta.dir, "..");
const BUN = process.execPath;
const env = process.env;
const MODES = (env.FEED_GROUPS_MODES ?? "8x1;4,4;8;8@5").split(";").filter(Boolean);
const RATE = Number(env.FEED_GROUPS_RATE ?? 10_000);
const WINDOW_S = Number(env.FEED_GROUPS_WINDOW_S ?? 12);
const WARM_S = Number(env.FEED_GROUPS_WARM_S ?? 6);
const ROUNDS = Number(env.FEED_GROUPS_ROUNDS ?? 2);
const BIN = env.FEED_GROUPS_BIN ? resolve(env.FEED_GROUPS_BIN) : null;
const FEED_ENV: Record<string, string> = env.FEED_GROUPS_FEED_ENV ? JSON.parse(env.FEED_GROUPS_FEED_ENV) : {};
/** Extra `bun` flags for the feeds run from source (e.g. --smol). */
const BUN_ARGS = (env.FEED_GROUPS_BUN_ARGS ?? "").split(" ").filter(Boolean);

const dir = mkdtempSync(join(tmpdir(), "feed-groups-bench-"));
const prefix = `bench-fg-${process.pid}`;
benchScratch("feed-groups.bench", dir, prefix, 15 * 60, unlinkAll);

const program = (name: "feed" | "pair-discovery" | "exchange-sim") =>
  BIN && name === "feed" ? [join(BIN, name)] : [BUN, ...(name === "feed" ? BUN_ARGS : []), join(ROOT, "bins", `${name}.ts`)];

/** "8x1" → 8 lists of one source; "4,4" → [[0..3], [4..7]]; "8" → one list of 8 (an "@ms" suffix is ignored here). */
function groupsOf(spec: string): string[][] {
  const mode = spec.split("@")[0]!;
  const m = /^(\d+)x1$/.exec(mode);
  if (m) return SOURCE_NAMES.slice(0, Number(m[1])).map((s) => [s]);
  const sizes = mode.split(",").map(Number);
  if (sizes.reduce((a, b) => a + b, 0) !== SOURCE_NAMES.length) throw new Error(`mode "${mode}": group sizes must add up to ${SOURCE_NAMES.length}`);
  let at = 0;
  return sizes.map((n) => SOURCE_NAMES.slice(at, (at += n)));
}

const coalesceOf = (spec: string) => Number(spec.split("@")[1] ?? 0);
function label(spec: string): string {
  const mode = spec.split("@")[0]!;
  const base = /^\d+x1$/.test(mode) ? "8 processes, one source each" : mode === "8" ? "1 process, all 8 sources" : `${mode.split(",").length} groups (${mode.replace(/,/g, " + ")})`;
  return coalesceOf(spec) ? `${base}, read_coalesce_ms = ${coalesceOf(spec)}` : base;
}

interface Run {
  readonly mode: string;
  readonly procs: number;
  /** Sum over the feed processes, % of one core. */
  readonly cpuPct: number;
  readonly sysShare: number;
  readonly framesPerS: number;
  readonly updatesPerS: number;
  readonly wakesPerS: number;
  readonly pssMB: number;
  readonly rssMB: number;
  /** PSS of anonymous memory (JS heap, malloc) and of file pages (the binary), summed over the feed processes. */
  readonly anonMB: number;
  readonly fileMB: number;
  readonly simCpuPct: number;
  /** binance_futures: store updated_at − exchange time T, µs (includes the sim's 2 ms T offset). */
  readonly latency: LatencyStats;
  readonly machineBusyPct: number;
  readonly usPerFrame: number;
}

const h = new HealthRecord();

async function main(): Promise<Run[]> {
  const scenario = join(dir, "scenario.toml");
  const exchangesFile = join(dir, "exchanges.toml");
  const configFile = join(dir, "config.toml");
  const generated = join(dir, "generated");
  writeFileSync(scenario, `name = "feed-groups-bench"\ndescription = "bench/feed-groups.bench.ts"\n[sim]\nseed = 7\n[rate]\ntotal = 2000\n`);
  const simLog = join(dir, "sim.log");
  const sim = spawnLogged([...program("exchange-sim"), "--ephemeral", "--control-port", "0", "--scenario", scenario, "--exchanges-out", exchangesFile], simLog);
  const ready = await waitReadyLine(simLog, sim, 30_000);
  const control: string = ready.control;
  await Bun.sleep(100);
  const writeConfig = (file: string, coalesceMs: number) => writeFileSync(file, [
    "[paths]", `exchanges = ${JSON.stringify(exchangesFile)}`, `directions = ${JSON.stringify(join(ROOT, "config/directions.toml"))}`,
    `generated = ${JSON.stringify(generated)}`, `data = ${JSON.stringify(join(dir, "data"))}`,
    "[shm]", `prefix = "${prefix}"`, "[log]", 'level = "warn"', "[discovery]", "min_sources = 8", "fetch_timeout_ms = 10000",
    "[feed]", "funding_poll_ms = 0", `read_coalesce_ms = ${coalesceMs}`,
    "",
  ].join("\n"));
  writeConfig(configFile, 0);
  const shm = createAll(prefix).shm;
  const envs = { SPREAD_SCANNER_SHM_PREFIX: prefix };
  const discLog = join(dir, "discovery.log");
  const disc = spawnLogged([...program("pair-discovery"), "--config", configFile, "--skip-validation"], discLog, envs);
  if ((await Promise.race([disc.exited, Bun.sleep(120_000).then(() => -1)])) !== 0) throw new Error(`pair-discovery failed:\n${tail(discLog)}`);
  const recvToStore = newHistogram();
  const storeToEngine = newHistogram();
  const engineCtl = new Int32Array(new SharedArrayBuffer(32));
  const engine = new Worker(new URL("./feed-engine-worker.ts", import.meta.url).href);
  const started = new Promise<void>((res, rej) => {
    engine.onmessage = (e) => e.data === "started" && res();
    engine.onerror = (e) => rej(new Error(`engine stand-in: ${e.message}`));
  });
  const LAT_SOURCE = SOURCE_NAMES.indexOf("binance_futures");
  engine.postMessage({ prefix, source: LAT_SOURCE, lagUs: 0, recvToStore, storeToEngine, ctl: engineCtl, others: SOURCE_NAMES.map((_, i) => i).filter((i) => i !== LAT_SOURCE) });
  await started;
  process.on("exit", () => Atomics.store(engineCtl, 0, 1));
  await simRate(control, RATE, {});
  const subs = (await (await fetch(`${control}/state?conns=0`)).json()) as { sources: Record<string, { instruments: number }> };
  console.log(`# sim: ${Object.values(subs.sources).reduce((a, s) => a + s.instruments, 0)} instruments listed; ${RATE} updates/s; window ${WINDOW_S} s after ${WARM_S} s warm-up; ${ROUNDS} round(s); ${cpus().length} CPUs ${cpus()[0]?.model ?? ""}; ${BIN ? `compiled binaries from ${BIN}` : `bun ${Bun.version} from source`}${Object.keys(FEED_ENV).length ? `; feed env ${JSON.stringify(FEED_ENV)}` : ""}`);

  const runs: Run[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const mode of MODES) {
      const groups = groupsOf(mode);
      const modeConfig = join(dir, `config-${coalesceOf(mode)}.toml`);
      writeConfig(modeConfig, coalesceOf(mode));
      const procs: Subprocess[] = groups.map((g, i) => spawnLogged([...program("feed"), "--source", g.join(","), "--config", modeConfig], join(dir, `feed-${mode}-${i}.log`), { ...envs, ...FEED_ENV }));
      const pidOf = new Map<string, number>(groups.flatMap((g, i) => g.map((s) => [s, procs[i]!.pid] as [string, number])));
      const t0 = performance.now();
      for (;;) {
        const up = SOURCE_NAMES.every((s, slot) => shm.health.read(slot, h) && h.pid === pidOf.get(s) && (h.state === HealthState.running || h.state === HealthState.degraded) && h.updates > 0);
        if (up) break;
        const dead = procs.find((p) => p.exitCode !== null);
        if (dead) throw new Error(`a feed exited (${dead.exitCode}):\n${tail(join(dir, `feed-${mode}-${procs.indexOf(dead)}.log`))}`);
        if (performance.now() - t0 > 60_000) throw new Error(`feeds of mode ${mode} not running after 60 s:\n${tail(join(dir, `feed-${mode}-0.log`))}`);
        await Bun.sleep(100);
      }
      await Bun.sleep(WARM_S * 1000);
      const counters = () => {
        let messages = 0;
        let updates = 0;
        for (let s = 0; s < SOURCE_NAMES.length; s++) if (shm.health.read(s, h)) (messages += h.messages), (updates += h.updates);
        return { messages, updates };
      };
      const a = { c: counters(), cpu: procs.map((p) => cpuSample(p.pid)), sim: cpuSample(sim.pid), m: machineBusyNs(), t: performance.now() };
      histSnapshotReset(recvToStore);
      await Bun.sleep(WINDOW_S * 1000);
      const b = { c: counters(), cpu: procs.map((p) => cpuSample(p.pid)), sim: cpuSample(sim.pid), m: machineBusyNs(), t: performance.now() };
      const latency = histStats(histSnapshotReset(recvToStore));
      const mem = procs.map((p) => memSample(p.pid));
      const secs = (b.t - a.t) / 1000;
      const sum = (f: (x: CpuSample, y: CpuSample) => number) => procs.reduce((acc, _, i) => acc + f(a.cpu[i]!, b.cpu[i]!), 0);
      // utime+stime (CLK_TCK resolution) counts threads that exited inside the window too; schedstat only live ones.
      const cpuNs = sum((x, y) => y.statNs - x.statNs);
      const frames = b.c.messages - a.c.messages;
      const r: Run = {
        mode,
        procs: procs.length,
        cpuPct: (cpuNs / 1e9 / secs) * 100,
        sysShare: sum((x, y) => y.sysNs - x.sysNs) / Math.max(1, sum((x, y) => y.statNs - x.statNs)),
        framesPerS: frames / secs,
        updatesPerS: (b.c.updates - a.c.updates) / secs,
        wakesPerS: sum((x, y) => y.vcsw - x.vcsw) / secs,
        pssMB: mem.reduce((acc, m) => acc + m.pss, 0) / 2 ** 20,
        rssMB: mem.reduce((acc, m) => acc + m.rss, 0) / 2 ** 20,
        anonMB: mem.reduce((acc, m) => acc + m.pssAnon, 0) / 2 ** 20,
        fileMB: mem.reduce((acc, m) => acc + m.pssFile, 0) / 2 ** 20,
        latency,
        simCpuPct: ((b.sim.statNs - a.sim.statNs) / 1e9 / secs) * 100,
        machineBusyPct: ((b.m.busy - a.m.busy) / (b.m.total - a.m.total)) * 100 * cpus().length,
        usPerFrame: cpuNs / 1000 / Math.max(1, frames),
      };
      runs.push(r);
      console.log(`# round ${round + 1} ${label(mode)}: feeds ${r.cpuPct.toFixed(1)}% of a core (${(r.sysShare * 100).toFixed(0)}% kernel), ${r.framesPerS.toFixed(0)} frames/s, ${r.updatesPerS.toFixed(0)} updates/s, ${r.usPerFrame.toFixed(1)} µs/frame, ${r.wakesPerS.toFixed(0)} wake-ups/s, PSS ${r.pssMB.toFixed(0)} MB (anon ${r.anonMB.toFixed(0)}, file ${r.fileMB.toFixed(0)}; RSS ${r.rssMB.toFixed(0)} MB); binance_futures T→store p50 ${(r.latency.p50 / 1000).toFixed(2)} p99 ${(r.latency.p99 / 1000).toFixed(2)} ms; sim ${r.simCpuPct.toFixed(1)}%, machine ${r.machineBusyPct.toFixed(0)}% of a core`);
      await Promise.all(procs.map((p) => stopChild(p, 3000)));
    }
  }
  Atomics.store(engineCtl, 0, 1);
  await Bun.sleep(100);
  engine.terminate();
  await stopChild(sim);
  return runs;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

try {
  const runs = await main();
  console.log("\n| feed processes | runs | CPU, % of one core (median; range) | of it kernel | frames/s | µs CPU per frame | wake-ups/s | PSS total (RSS) | binance_futures T→store p50 / p99 ms | sim / whole VM, % of a core |");
  console.log("|---|---|---|---|---|---|---|---|---|---|");
  for (const mode of MODES) {
    const rs = runs.filter((r) => r.mode === mode);
    const m = (f: (r: Run) => number) => median(rs.map(f));
    const cpu = rs.map((r) => r.cpuPct);
    console.log(
      `| ${label(mode)} | ${rs.length} | **${m((r) => r.cpuPct).toFixed(1)}** (${Math.min(...cpu).toFixed(1)}–${Math.max(...cpu).toFixed(1)}) | ${(m((r) => r.sysShare) * 100).toFixed(0)}% | ${m((r) => r.framesPerS).toFixed(0)} | ${m((r) => r.usPerFrame).toFixed(1)} | ${m((r) => r.wakesPerS).toFixed(0)} | **${m((r) => r.pssMB).toFixed(0)} MB** (${m((r) => r.rssMB).toFixed(0)} MB) | ${(m((r) => r.latency.p50) / 1000).toFixed(2)} / ${(m((r) => r.latency.p99) / 1000).toFixed(2)} | ${m((r) => r.simCpuPct).toFixed(1)} / ${m((r) => r.machineBusyPct).toFixed(0)} |`,
    );
  }
  process.exit(0);
} catch (err) {
  console.error(`feed-groups.bench failed: ${(err as Error).stack ?? err}`);
  process.exit(1);
}
