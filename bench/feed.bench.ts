// End-to-end feed cost: one real feed process (bins/feed.ts --source binance_futures) fed by the exchange
// simulator running in ANOTHER process, at ~50k and ~200k bookTicker msg/s. Measures the feed's CPU time
// per message from /proc (utime+stime of the whole process over a steady window ÷ the frames its Health slot
// counted), the achieved rate and whether it kept up (frames the sim sent vs received, sim-side backlog),
// and receive-to-store latency as seen by an engine stand-in (futex wake → Bitmap take → SeqLock read) in a
// Worker of this process. Then the same stream consumed by ccxt pro (ccxt.pro.binanceusdm.watchBidsAsks,
// bench/ccxt/worker.ts) measured the same way.
//
//   bun run bench feed
//   FEED_BENCH_RATES=50000,200000 FEED_BENCH_WINDOW_S=10 FEED_BENCH_CCXT=1 FEED_BENCH_PIN=0 bun bench/feed.bench.ts
//
// FEED_BENCH_PIN=1 pins the consumer (feed or ccxt) to CPU 1 and the simulator + this process to CPU 0.
// Everything it starts (sim, feed, ccxt, pair-discovery) is killed, the shm prefix unlinked and the temp
// directory removed on success, failure, SIGINT/SIGTERM and the overall deadline.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadSourceSymbols, SOURCE_NAMES, SourceId } from "@spread/common";
import { createAll, HealthRecord, HealthState, unlinkAll, WakeChannel, type Shm } from "@spread/shm";
import { report } from "./harness.ts";
import {
  CLK_TCK, cpuSample, histSnapshotReset, histStats, killChildren, killChildrenSync, machineBusyNs, newHistogram, simRate, simState,
  spawnLogged, spawnPiped, stopChild, tail, threadCpu, waitReadyLine, type CpuSample, type LatencyStats,
} from "./feed-procs.ts";

const ROOT = resolve(import.meta.dir, "..");
const BUN = process.execPath;
const SOURCE = SourceId.binance_futures;
const SOURCE_NAME = SOURCE_NAMES[SOURCE]!;
const RATES = (process.env.FEED_BENCH_RATES ?? "50000,200000").split(",").map(Number).filter((n) => n > 0);
const WINDOW_S = Number(process.env.FEED_BENCH_WINDOW_S ?? 10);
const WARM_S = Number(process.env.FEED_BENCH_WARM_S ?? 3);
const RUN_CCXT = process.env.FEED_BENCH_CCXT !== "0";
const PIN = process.env.FEED_BENCH_PIN === "1";
const DEADLINE_MS = 6 * 60_000;
/** The sim stamps binance_futures T = E − 2 ms (E = its tick's wall ms); the feed stores T. */
const T_LAG_US = 2000;
const WEIGHTS = Object.fromEntries(SOURCE_NAMES.map((n) => [n, n === SOURCE_NAME ? 1 : 0]));

const dir = mkdtempSync(join(tmpdir(), "feed-bench-"));
const prefix = `bench-feed-${process.pid}`;
let shm: Shm | null = null;
let engine: Worker | null = null;
let engineCtl: Int32Array | null = null;
let cleaned = false;

async function cleanup(): Promise<void> {
  if (cleaned) return;
  cleaned = true;
  if (engineCtl) Atomics.store(engineCtl, 0, 1);
  await Bun.sleep(80);
  engine?.terminate();
  await killChildren();
  try {
    unlinkAll(prefix);
  } catch {
    // never created
  }
  rmSync(dir, { recursive: true, force: true });
}
process.on("exit", () => {
  if (cleaned) return;
  killChildrenSync();
  try {
    unlinkAll(prefix);
  } catch {
    // nothing
  }
  rmSync(dir, { recursive: true, force: true });
});
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => {
    console.error(`\n${sig}: cleaning up`);
    void cleanup().then(() => process.exit(130));
  });
}
setTimeout(() => {
  console.error(`feed.bench: deadline of ${DEADLINE_MS / 1000} s passed; cleaning up`);
  void cleanup().then(() => process.exit(1));
}, DEADLINE_MS);

type Toml = Record<string, unknown>;
const tomlValue = (v: unknown): string => (typeof v === "string" ? JSON.stringify(v) : Array.isArray(v) ? `[${v.map(tomlValue).join(", ")}]` : String(v));
const toToml = (doc: Record<string, Toml>) =>
  Object.entries(doc).map(([t, kv]) => `[${t}]\n${Object.entries(kv).map(([k, v]) => `${k} = ${tomlValue(v)}`).join("\n")}\n`).join("\n");

const pinned = (cpu: number, cmd: string[]) => (PIN ? ["taskset", "-c", String(cpu), ...cmd] : cmd);

// ---- measurement ------------------------------------------------------------------------------------------

interface Mark {
  readonly msgs: number;
  readonly cpu: { statNs: number; schedNs: number };
  /** Wall µs of the counter reading. */
  readonly wallUs: number;
  readonly simSent: number;
  readonly simDropped: number;
  readonly simBuffered: number;
  readonly simCpu: CpuSample;
  readonly machine: { busy: number; total: number };
  readonly wakes: number;
}

interface PhaseResult {
  readonly consumer: "feed" | "ccxt";
  readonly target: number;
  readonly seconds: number;
  readonly msgs: number;
  readonly rate: number;
  readonly sentRate: number;
  readonly dropped: number;
  readonly backlogBytes: number;
  readonly usPerMsg: number;
  readonly usPerMsgSched: number;
  readonly cpuCores: number;
  readonly simCores: number;
  readonly machineBusy: number;
  readonly keptUp: boolean;
  readonly latency: LatencyStats;
  readonly engineLatency?: LatencyStats;
  readonly wakesPerSec?: number;
  readonly callbacks?: number;
}

function simSource(st: any): { sent: number; dropped: number; buffered: number } {
  const s = st.sources[SOURCE_NAME];
  const buffered = (s.conns ?? []).reduce((a: number, c: any) => a + (c.buffered_bytes ?? 0), 0);
  return { sent: s.data_out_open_conns, dropped: s.dropped_backlog, buffered };
}

async function simCounters(control: string): Promise<{ sent: number; dropped: number; buffered: number }> {
  const r = await fetch(`${control}/state?conns=1`);
  return simSource(await r.json());
}

/** Reads the feed's Health slot at the instant it changes (written every health_interval_ms), then its CPU. */
async function feedMark(pid: number, simPid: number, control: string): Promise<Mark> {
  const h = new HealthRecord();
  shm!.health.read(SOURCE, h);
  const hb0 = h.heartbeatAt;
  const t0 = performance.now();
  while (performance.now() - t0 < 1000) {
    shm!.health.read(SOURCE, h);
    if (h.heartbeatAt !== hb0) break;
    await Bun.sleep(1);
  }
  const cpu = cpuSample(pid);
  const simCpu = cpuSample(simPid);
  const machine = machineBusyNs();
  const wakes = shm!.control.wakeChannelStats(WakeChannel.engine).wakes;
  const sim = await simCounters(control);
  return { msgs: h.messages, cpu, wallUs: h.heartbeatAt, simSent: sim.sent, simDropped: sim.dropped, simBuffered: sim.buffered, simCpu, machine, wakes };
}

function phaseResult(consumer: "feed" | "ccxt", target: number, a: Mark, b: Mark, latency: LatencyStats, extra: Partial<PhaseResult> = {}): PhaseResult {
  const seconds = (b.wallUs - a.wallUs) / 1e6;
  const msgs = b.msgs - a.msgs;
  const simSec = (b.simCpu.at - a.simCpu.at) / 1e9;
  const dropped = b.simDropped - a.simDropped;
  const sentRate = (b.simSent - a.simSent) / simSec;
  const rate = msgs / seconds;
  return {
    consumer, target, seconds, msgs, rate, sentRate, dropped,
    backlogBytes: b.simBuffered,
    usPerMsg: (b.cpu.statNs - a.cpu.statNs) / msgs / 1000,
    usPerMsgSched: (b.cpu.schedNs - a.cpu.schedNs) / msgs / 1000,
    cpuCores: (b.cpu.statNs - a.cpu.statNs) / 1e9 / seconds,
    simCores: (b.simCpu.statNs - a.simCpu.statNs) / 1e9 / simSec,
    machineBusy: (b.machine.busy - a.machine.busy) / (b.machine.total - a.machine.total),
    // Kept up: nothing dropped by the sim's backlog guard, < 1 MB queued at the sim, received ≈ sent.
    keptUp: dropped === 0 && b.simBuffered < 1 << 20 && rate >= 0.97 * sentRate,
    latency,
    ...extra,
  };
}

// ---- main ------------------------------------------------------------------------------------------------

async function main(): Promise<PhaseResult[]> {
  const results: PhaseResult[] = [];
  const scenarioFile = join(dir, "scenario.toml");
  const exchangesFile = join(dir, "exchanges.toml");
  const configFile = join(dir, "config.toml");
  const generatedDir = join(dir, "generated");
  // Universe scale 1 (528 USD-M instruments); during discovery every source ticks slowly, then all updates
  // go to binance_futures. Binance server pings and the client-message limit are off; a 64 MB sim-side
  // backlog before frames are dropped, and never closed for being slow (so a slow consumer is measured, not cut).
  writeFileSync(scenarioFile, `name = "feed-bench"
description = "bench/feed.bench.ts: Binance USD-M bookTicker throughput to one consumer"
[sim]
seed = 5
[universe]
scale = 1
silent_per_source = 0
anomalies_per_source = 0
quiet_fraction = 0.0
weight_sigma = 0.5
[rate]
total = 2000
[venues.${SOURCE_NAME}]
ping_interval_ms = 0
max_client_msgs_per_sec = 0
backlog_limit_bytes = 67108864
backlog_close_ms = 0
`);
  const simLog = join(dir, "sim.log");
  const sim = spawnLogged(pinned(0, [BUN, join(ROOT, "bins/exchange-sim.ts"), "--ephemeral", "--control-port", "0", "--scenario", scenarioFile, "--exchanges-out", exchangesFile]), simLog, { LOG_LEVEL: "warn" });
  const ready = await waitReadyLine(simLog, sim, 20_000);
  const control: string = ready.control;
  const port = new URL(ready.sources[SOURCE_NAME].ws_url).port;
  await Bun.sleep(100); // --exchanges-out is written right before the ready line; let it land

  writeFileSync(configFile, toToml({
    paths: { exchanges: exchangesFile, generated: generatedDir, data: join(dir, "data") },
    shm: { prefix },
    log: { level: "warn" },
    discovery: { min_sources: 8, fetch_timeout_ms: 5000 },
    feed: { health_interval_ms: 200, reconnect_base_ms: 50, reconnect_max_ms: 1000, shutdown_grace_ms: 1000 },
  }));
  shm = createAll(prefix).shm;

  const disc = spawnLogged([BUN, join(ROOT, "bins/pair-discovery.ts"), "--config", configFile, "--skip-validation"], join(dir, "discovery.log"), { SPREAD_SCANNER_SHM_PREFIX: prefix });
  const dcode = await Promise.race([disc.exited, Bun.sleep(60_000).then(() => -1)]);
  if (dcode !== 0) throw new Error(`pair-discovery exited ${dcode}:\n${tail(join(dir, "discovery.log"))}`);
  const entries = loadSourceSymbols(generatedDir, SOURCE).entries;
  const symbolsFile = join(dir, "symbols.json");
  writeFileSync(symbolsFile, JSON.stringify(entries.map((e) => e.exchangeSymbol)));
  const st0 = await simState(control);
  console.log(`# ${SOURCE_NAME}: ${entries.length} symbols subscribed (of ${st0.sources[SOURCE_NAME].instruments} listed); window ${WINDOW_S} s after ${WARM_S} s warm-up; CLK_TCK ${CLK_TCK}; pinning ${PIN ? "consumer→CPU1, sim+bench→CPU0" : "off"}`);

  // Engine stand-in (Worker): consumes the wake channel and the Bitmap like the engine, records latencies.
  const recvToStore = newHistogram();
  const storeToEngine = newHistogram();
  engineCtl = new Int32Array(new SharedArrayBuffer(16));
  engine = new Worker(new URL("./feed-engine-worker.ts", import.meta.url).href);
  const started = new Promise<void>((res, rej) => {
    engine!.onmessage = (e) => e.data === "started" && res();
    engine!.onerror = (e) => rej(new Error(`engine stand-in: ${e.message}`));
  });
  engine.postMessage({ prefix, source: SOURCE, lagUs: T_LAG_US, recvToStore, storeToEngine, ctl: engineCtl });
  await started;

  // Calibration: the share of the sim's update rate that lands on subscribed symbols (frames to the consumer).
  const feedLog = join(dir, "feed.log");
  const feed = spawnLogged(pinned(1, [BUN, join(ROOT, "bins/feed.ts"), "--source", SOURCE_NAME, "--config", configFile]), feedLog, { SPREAD_SCANNER_SHM_PREFIX: prefix });
  const h = new HealthRecord();
  const t0 = performance.now();
  for (;;) {
    shm.health.read(SOURCE, h);
    if (h.pid === feed.pid && (h.state === HealthState.running || h.state === HealthState.degraded) && h.connectionsUp >= 1 && h.updates > 0) break;
    if (feed.exitCode !== null) throw new Error(`feed exited ${feed.exitCode}:\n${tail(feedLog)}`);
    if (performance.now() - t0 > 20_000) throw new Error(`feed not running after 20 s:\n${tail(feedLog)}`);
    await Bun.sleep(50);
  }
  await simRate(control, 20_000, WEIGHTS);
  await Bun.sleep(1000);
  const c0 = await simCounters(control);
  const w0 = performance.now();
  await Bun.sleep(2000);
  const c1 = await simCounters(control);
  const share = (c1.sent - c0.sent) / ((performance.now() - w0) / 1000) / 20_000;
  console.log(`# calibration: ${(share * 100).toFixed(1)}% of the sim's update rate reaches the subscribed symbols; connections up ${h.connectionsUp}`);

  const phases = async (consumer: "feed" | "ccxt", mark: (simPid: number) => Promise<{ m: Mark; lat?: LatencyStats; extra?: Partial<PhaseResult> }>) => {
    for (const target of RATES) {
      await simRate(control, Math.round(target / share), WEIGHTS);
      await Bun.sleep(WARM_S * 1000);
      const a = await mark(sim.pid);
      histSnapshotReset(recvToStore);
      histSnapshotReset(storeToEngine);
      await Bun.sleep(WINDOW_S * 1000);
      const b = await mark(sim.pid);
      const r = consumer === "feed"
        ? phaseResult("feed", target, a.m, b.m, histStats(histSnapshotReset(recvToStore)), {
          engineLatency: histStats(histSnapshotReset(storeToEngine)),
          wakesPerSec: (b.m.wakes - a.m.wakes) / ((b.m.wallUs - a.m.wallUs) / 1e6),
        })
        : phaseResult("ccxt", target, a.m, b.m, b.lat!, b.extra);
      results.push(r);
      printPhase(r);
      if (consumer === "feed" && target === RATES[RATES.length - 1]) {
        const th = threadCpu(feed.pid).sort((x, y) => y.ns - x.ns).slice(0, 4).map((t) => `${t.name} ${(t.ns / 1e9).toFixed(2)} s`).join(", ");
        console.log(`#   feed threads (cumulative): ${th}`);
      }
    }
    await simRate(control, 2000, WEIGHTS);
    await Bun.sleep(500);
  };

  await phases("feed", async (simPid) => ({ m: await feedMark(feed.pid, simPid, control) }));
  await stopChild(feed);
  Atomics.store(engineCtl, 0, 1);

  if (RUN_CCXT) {
    const ccxtLog = join(dir, "ccxt.log");
    const cx = spawnPiped(pinned(1, [BUN, join(ROOT, "bench/ccxt/worker.ts"), "--port", port, "--symbols", symbolsFile, "--conns", String(h.connectionsUp || 3)]), ccxtLog);
    const lines = cx.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let buf = "";
    const nextLine = async (timeoutMs: number): Promise<any> => {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const nl = buf.indexOf("\n");
        if (nl >= 0) {
          const l = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          return JSON.parse(l);
        }
        const left = deadline - performance.now();
        if (left <= 0) throw new Error(`ccxt worker: no answer within ${timeoutMs} ms:\n${tail(ccxtLog)}`);
        const r = await Promise.race([lines.read(), Bun.sleep(left).then(() => null)]);
        if (r === null) continue;
        if (r.done) throw new Error(`ccxt worker exited (${cx.exitCode}):\n${tail(ccxtLog)}`);
        buf += r.value;
      }
    };
    const ready = (await nextLine(30_000)).ready;
    console.log(`# ccxt ${(await import("ccxt")).default.version}: ${ready.symbols} symbols on ${ready.conns} connections (unknown to ccxt: ${ready.unknown.length}${ready.unknown.length ? ` e.g. ${ready.unknown.slice(0, 3).join(", ")}` : ""}); errors ${ready.errors} ${ready.lastError}`);
    await phases("ccxt", async (simPid) => {
      const simCpu = cpuSample(simPid);
      const machine = machineBusyNs();
      cx.stdin.write("mark\n");
      cx.stdin.flush();
      const m = (await nextLine(30_000)).mark;
      const sim = await simCounters(control);
      return {
        m: { msgs: m.msgs, cpu: { statNs: m.statNs, schedNs: m.schedNs }, wallUs: m.wallUs, simSent: sim.sent, simDropped: sim.dropped, simBuffered: sim.buffered, simCpu, machine, wakes: 0 },
        lat: m.latency,
        extra: { callbacks: m.callbacks },
      };
    });
    await stopChild(cx);
  }
  await stopChild(sim);
  return results;
}

const k = (n: number) => (n >= 1000 ? `${(n / 1000).toFixed(n >= 100_000 ? 0 : 1)}k` : n.toFixed(0));
const ms = (us: number) => (Number.isFinite(us) ? (us / 1000).toFixed(2) : "n/a");

function printPhase(r: PhaseResult): void {
  console.log(
    `# ${r.consumer} @ ${k(r.target)}/s: received ${k(r.rate)} msg/s (sim sent ${k(r.sentRate)}/s, dropped ${r.dropped}, sim backlog ${(r.backlogBytes / 1024).toFixed(0)} KiB) → ${r.keptUp ? "kept up" : "DID NOT keep up"}; ` +
    `${r.usPerMsg.toFixed(2)} µs CPU/msg (schedstat ${r.usPerMsgSched.toFixed(2)}), ${(r.cpuCores * 100).toFixed(0)}% of a core; sim ${(r.simCores * 100).toFixed(0)}%, machine ${(r.machineBusy * 200).toFixed(0)}/200%; ` +
    `latency p50 ${ms(r.latency.p50)} ms p99 ${ms(r.latency.p99)} ms (n=${r.latency.n})` +
    (r.engineLatency ? `; store→engine p50 ${ms(r.engineLatency.p50)} p99 ${ms(r.engineLatency.p99)} ms; ${k(r.wakesPerSec!)} futex wakes/s` : "") +
    (r.callbacks !== undefined ? `; ${r.callbacks} callbacks` : ""),
  );
}

let exitCode = 0;
try {
  const results = await main();
  console.log("");
  for (const r of results) {
    report({
      name: `${r.consumer} ${SOURCE_NAME} bookTicker e2e @${k(r.target)}/s`,
      nsPerOp: r.usPerMsg * 1000,
      opsPerSec: r.rate,
      target: r.consumer === "feed" ? "≤ 1500 ns CPU/msg" : "≥ 10× the feed",
      note: `${r.keptUp ? "kept up" : "fell behind"}, sim sent ${k(r.sentRate)}/s, latency p50 ${ms(r.latency.p50)} / p99 ${ms(r.latency.p99)} ms`,
    });
  }
  console.log("\n" + markdown(results));
} catch (err) {
  exitCode = 1;
  console.error(`feed.bench failed: ${(err as Error).stack ?? err}`);
} finally {
  await cleanup();
}
process.exit(exitCode);

function markdown(results: PhaseResult[]): string {
  const feed = results.filter((r) => r.consumer === "feed");
  const cx = results.filter((r) => r.consumer === "ccxt");
  const row = (r: PhaseResult) =>
    `| ${r.consumer === "feed" ? "feed (bins/feed.ts)" : "ccxt pro watchBidsAsks"} | ${k(r.target)} | ${k(r.sentRate)} | ${k(r.rate)} | ${r.keptUp ? "yes" : "**no**"} | **${r.usPerMsg.toFixed(2)}** | ${(r.cpuCores * 100).toFixed(0)}% | ${ms(r.latency.p50)} / ${ms(r.latency.p99)} | ${(r.simCores * 100).toFixed(0)}% / ${(r.machineBusy * 200).toFixed(0)}% |`;
  const ratios = feed.map((f) => {
    const c = cx.find((x) => x.target === f.target);
    return c ? `${k(f.target)}/s: ccxt ${c.usPerMsg.toFixed(2)} µs vs feed ${f.usPerMsg.toFixed(2)} µs = **${(c.usPerMsg / f.usPerMsg).toFixed(1)}×**` : "";
  }).filter(Boolean);
  return [
    "### Feed end to end: CPU per message and latency (bench/feed.bench.ts)",
    "",
    `Machine: 2-core AMD EPYC KVM, Bun 1.4.4. One \`feed --source ${SOURCE_NAME}\` process (3 connections, ${"≈"}500 symbols) against the`,
    "exchange simulator in a separate process, realtime `@bookTicker` frames (USD-M field set, ~200 B). CPU = utime+stime of",
    "the whole feed process (/proc/<pid>/stat; schedstat agrees) over a " + `${WINDOW_S} s` + " steady window ÷ frames counted in its Health slot:",
    "WebSocket receive, parse, validate, scale, SeqLock write, Bitmap, futex wake of an engine stand-in (a Worker in the bench that",
    "waits on the wake channel and takes/reads like the engine), health ticks, GC and JIT threads. Latency = store `updated_at` −",
    "the sim's tick wall time stamped in the frame (E, ms resolution: the truncation adds 0–1 ms; frames of one 10 ms tick are",
    "built then flushed in one burst, so the in-burst queueing is included); for ccxt, callback time − E.",
    "",
    "| consumer | target msg/s | sim sent/s | received/s | kept up | CPU µs/msg | CPU (1 core = 100%) | latency p50 / p99 ms | sim CPU / machine (of 200%) |",
    "|---|---|---|---|---|---|---|---|---|",
    ...results.map(row),
    "",
    `Target ≤ 1.5 µs/msg: ${feed.map((f) => `${k(f.target)}/s ${f.usPerMsg.toFixed(2)} µs ${f.usPerMsg <= 1.5 ? "✓" : "✗"}`).join(", ")}.` +
      (feed.length ? ` At the measured cost one feed core absorbs ≈ ${k(1e6 / Math.max(...feed.map((f) => f.usPerMsg)))} msg/s.` : ""),
    ratios.length ? `ccxt/feed CPU per message (target ≥ 10×): ${ratios.join("; ")}.` : "ccxt: not run.",
    "",
    "Contention: the simulator (one process, ~" + (feed.length ? `${(Math.max(...feed.map((f) => f.simCores)) * 100).toFixed(0)}%` : "?") +
      " of a core at the top rate) shares the 2 cores with the consumer and the bench; CPU-per-message is the consumer's own time, but",
    "cache/scheduler interference from the sim is included. ccxt counts every frame its handleMessage saw; it resolves one",
    "watchBidsAsks promise per await, so most frames are parsed but never reach the caller (callbacks ≪ frames).",
  ].join("\n");
}
