// spread-engine benchmarks (`bun run bench engine`; numbers in docs/PERFORMANCE.md):
//  1. Throughput on one core, in this process: price updates evaluated per second (each update = its own SeqLock
//     read + every direction it is in: counterpart read, staleness, gross/net, rules), Price Store at the size of
//     table A.4 (700 symbols, 3,570 direction pairs). Target ≥ 2 M updates/s.
//  2. Tick-to-signal across processes: exchange simulator (own process) → 8 feed processes → spread-engine →
//     Event Bus at 20k updates/s. Latency = Event.timestamp (engine wall clock right before the push, i.e. when
//     the Event becomes readable) − the newer leg's Price Store updated_at (the feed's wall clock when it received
//     the frame). This process plays the tracker: it pops every Event and releases the pair at once, so every
//     new tick of an open episode signals again. Targets p50 ≤ 30 µs, p99 ≤ 200 µs.
//  3. Engine CPU at 10k updates/s: utime+stime of the spread-engine process from /proc over a window. ≤ 3 %.
//  4. (part "engine") The engine's own share of tick-to-signal: this process plays the 8 feeds (SeqLock write,
//     Bitmap bit, one wake per 1 ms burst, Health slots) at 20k updates/s against a spread-engine process; same
//     latency definition, without the WebSocket receive path.
//
//   ENGINE_BENCH_WINDOW_S=10 ENGINE_BENCH_PARTS=throughput,latency,cpu ENGINE_BENCH_LATENCY_RATES=20000 \
//   bun bench/engine.bench.ts [--json FILE]
// ENGINE_BENCH_LATENCY_RATES: the simulator's update rates part 2 runs at, one window each (bench/system.bench.ts
// asks for the realistic load and 5× it); ENGINE_BENCH_WARM_S (default 3): seconds at the first rate before its window
// (the processes start cold); ENGINE_BENCH_FEED_GROUPS="binance_spot,binance_futures;..." runs one feed
// process per group (`feed --source a,b`, the grouped mode) instead of one per source; --json writes every part's figures (bench/harness.ts writeJsonResult).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DIRECTIONS, EngineSchema, MAX_SYMBOLS, SOURCE_NAMES, monoMicros, wallMicros, type DirectionsFile } from "@spread/common";
import { SourceSymbolIndex, SpreadEngine, engineSettings } from "@spread/engine";
import { EventRecord, HealthRecord, HealthState, WakeChannel, createAll, unlinkAll, type Shm } from "@spread/shm";
import { startSimProcess, type SimProcess } from "@spread/sim";
import { report, writeJsonResult } from "./harness.ts";
import type { LatencyJson } from "./system/report.ts";
import { HdrHistogram } from "./hdr-histogram.ts";
import { cpuSample, killChildren, killChildrenSync, spawnLogged, stopChild, tail } from "./feed-procs.ts";
import { fakeFeeds, writeGenerated } from "../tests/engine/helpers.ts";

const ROOT = resolve(import.meta.dir, "..");
const BUN = process.execPath;
const WINDOW_S = Number(process.env.ENGINE_BENCH_WINDOW_S ?? 10);
const PARTS = (process.env.ENGINE_BENCH_PARTS ?? "throughput,engine,latency,cpu").split(",");
const LATENCY_RATES = (process.env.ENGINE_BENCH_LATENCY_RATES ?? "20000").split(",").map(Number).filter((n) => n > 0);
// Part 2 runs the first rate this long before its first window: the feeds and the engine start cold (JIT compiling).
const WARM_S = Number(process.env.ENGINE_BENCH_WARM_S ?? 3);
const json: { parts: string[]; throughput: Record<string, number>; engineOnly?: LatencyJson; latency: LatencyJson[]; cpu?: Record<string, number> } = { parts: PARTS, throughput: {}, latency: [] };
const latencyJson = (rate: number, hist: HdrHistogram, seconds: number, extra: Partial<LatencyJson> = {}): LatencyJson => ({
  rate, signals: hist.count, seconds, p50: hist.percentile(50), p90: hist.percentile(90), p99: hist.percentile(99), p999: hist.percentile(99.9), max: hist.max, ...extra,
});
const dir = mkdtempSync(join(tmpdir(), "engine-bench-"));
const prefix = `bench-engine-${process.pid}`;
let sim: SimProcess | null = null;

function cleanupSync(): void {
  killChildrenSync();
  void sim?.stop(500);
  try {
    unlinkAll(prefix);
  } catch {
    // never created
  }
  rmSync(dir, { recursive: true, force: true });
}
process.on("exit", cleanupSync);
for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => process.exit(130));
setTimeout(() => {
  console.error("engine.bench: deadline passed");
  process.exit(1);
}, 8 * 60_000).unref();

// ---- 1. throughput ---------------------------------------------------------------------------------------

/** Table A.4 overlaps per direction (700 symbols). */
const A4 = [272, 174, 243, 243, 363, 500, 190, 385, 306, 199, 447, 268];

function a4Directions(numSymbols: number, seed = 7): DirectionsFile {
  let s = seed;
  const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const directions = DIRECTIONS.map((d, i) => {
    const pick = new Set<number>();
    while (pick.size < A4[i]!) pick.add(Math.floor(rnd() * numSymbols));
    return { ...d, symbols: Uint16Array.from([...pick].sort((a, b) => a - b)) };
  });
  return { generation: "bench", numSymbols, directions };
}

function throughput(): void {
  const shm = createAll(prefix).shm;
  const file = a4Directions(700);
  const index = new SourceSymbolIndex(file);
  const engine = new SpreadEngine(
    { prices: shm.prices, bitmap: shm.bitmap, events: shm.events, tracked: shm.tracked, tracker: shm.waker(WakeChannel.tracker) },
    engineSettings(EngineSchema.parse({})),
    index,
  );
  // Every indexed (source, symbol) gets a fresh, flat quote (no spread above the threshold: the common case).
  const keys: number[] = [];
  const now = wallMicros();
  for (let src = 0; src < 8; src++) {
    for (let sym = 0; sym < 700; sym++) {
      if (index.entries(src, sym) === 0) continue;
      keys.push(src * MAX_SYMBOLS + sym);
      const mid = 1 + sym / 7;
      shm.prices.write(src, sym, mid * 0.9999, mid * 1.0001, 1, 1, 0, now, monoMicros());
    }
  }
  const n = keys.length;
  const order = Uint32Array.from({ length: 1 << 20 }, (_, i) => keys[Math.imul(i, 2654435761) % n]!);
  let dirsPerUpdate = 0;
  for (const k of keys) dirsPerUpdate += index.entries((k / MAX_SYMBOLS) | 0, k % MAX_SYMBOLS);
  dirsPerUpdate /= n;
  engine.beginPass(wallMicros(), monoMicros());
  const run = (count: number) => {
    for (let i = 0; i < count; i++) {
      const k = order[i & 0xfffff]!;
      engine.onUpdate((k / MAX_SYMBOLS) | 0, k % MAX_SYMBOLS);
    }
  };
  run(2_000_000); // warm-up (JIT)
  const times: number[] = [];
  const BATCH = 2_000_000;
  for (let r = 0; r < 7; r++) {
    const t0 = Bun.nanoseconds();
    run(BATCH);
    times.push((Bun.nanoseconds() - t0) / BATCH);
  }
  times.sort((a, b) => a - b);
  const ns = times[3]!;
  json.throughput.onUpdateNs = ns;
  report({ name: "engine onUpdate: read + every direction + rules", nsPerOp: ns, opsPerSec: 1e9 / ns, target: "≥ 2,000,000 updates/s", note: `${n} (source, symbol) entries, ${dirsPerUpdate.toFixed(2)} directions per update, ${index.pairs} pairs` });

  // Same through the Bitmap: the feed-side set (not timed) then processChanged (timed): the loop's real path.
  const words = 256;
  const times2: number[] = [];
  let taken = 0;
  for (let r = 0; r < 9; r++) {
    let ns2 = 0;
    let upd = 0;
    for (let b = 0; b < 2000; b++) {
      for (let j = 0; j < words; j++) {
        const k = order[(b * words + j + r * 7919) & 0xfffff]!;
        shm.bitmap.set((k / MAX_SYMBOLS) | 0, k % MAX_SYMBOLS);
      }
      const t0 = Bun.nanoseconds();
      upd += engine.processChanged();
      ns2 += Bun.nanoseconds() - t0;
    }
    taken = upd;
    if (r >= 2) times2.push(ns2 / upd);
  }
  times2.sort((a, b) => a - b);
  const ns2 = times2[Math.floor(times2.length / 2)]!;
  json.throughput.processChangedNs = ns2;
  report({ name: "engine processChanged (Bitmap take + onUpdate)", nsPerOp: ns2, opsPerSec: 1e9 / ns2, target: "≥ 2,000,000 updates/s", note: `bursts of ${words} bits, ${taken} updates per sample` });
  report({ name: `engine full scan (${index.pairs} pairs)`, ...timeIt(() => engine.scanAll(), 200, index.pairs) });
  unlinkAll(prefix);
}

function timeIt(fn: () => void, reps: number, perRep: number): { nsPerOp: number; opsPerSec: number; note: string } {
  for (let i = 0; i < 20; i++) fn();
  const t0 = Bun.nanoseconds();
  for (let i = 0; i < reps; i++) fn();
  const ns = (Bun.nanoseconds() - t0) / reps;
  return { nsPerOp: ns / perRep, opsPerSec: (1e9 / ns) * perRep, note: `${(ns / 1000).toFixed(0)} µs per scan` };
}

// ---- 2 + 3. across processes ----------------------------------------------------------------------------

type Toml = Record<string, unknown>;
const tomlValue = (v: unknown): string => (typeof v === "string" ? JSON.stringify(v) : Array.isArray(v) ? `[${v.map(tomlValue).join(", ")}]` : String(v));
const toToml = (doc: Record<string, Toml>) =>
  Object.entries(doc).map(([t, kv]) => `[${t}]\n${Object.entries(kv).map(([k, v]) => `${k} = ${tomlValue(v)}`).join("\n")}\n`).join("\n");

async function post(url: string, body: unknown): Promise<any> {
  const r = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const j = await r.json();
  if (!r.ok) throw new Error(`POST ${url}: ${JSON.stringify(j)}`);
  return j;
}

function engineHealth(shm: Shm): HealthRecord {
  const h = new HealthRecord();
  shm.health.read(8, h);
  return h;
}

async function waitUntil(what: string, cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(50);
  }
}

async function acrossProcesses(): Promise<void> {
  const scenarioFile = join(dir, "scenario.toml");
  const exchangesFile = join(dir, "exchanges.toml");
  const configFile = join(dir, "config.toml");
  const generatedDir = join(dir, "generated");
  writeFileSync(scenarioFile, `name = "engine-bench"\n[sim]\nseed = 3\n[universe]\nscale = 1\nsilent_per_source = 0\nanomalies_per_source = 0\n[rate]\ntotal = 2000\nepisode_min_rate = 10\n`);
  sim = await startSimProcess({ scenario: scenarioFile, args: ["--control-port", "0", "--exchanges-out", exchangesFile], readyTimeoutMs: 30_000 });
  const control = sim.controlUrl;
  await Bun.sleep(200);
  writeFileSync(configFile, toToml({
    paths: { exchanges: exchangesFile, directions: join(ROOT, "config/directions.toml"), generated: generatedDir, data: join(dir, "data") },
    shm: { prefix },
    log: { level: "warn" },
    discovery: { min_sources: 8, fetch_timeout_ms: 5000 },
    feed: { health_interval_ms: 500, rest_seed: false },
    engine: { persist_evals: 2, persist_ms: 250 },
  }));
  const shm = createAll(prefix).shm;
  const env = { SPREAD_SCANNER_SHM_PREFIX: prefix };
  const disc = spawnLogged([BUN, join(ROOT, "bins/pair-discovery.ts"), "--config", configFile, "--skip-validation"], join(dir, "discovery.log"), env);
  if ((await disc.exited) !== 0) throw new Error(`pair-discovery failed:\n${tail(join(dir, "discovery.log"))}`);
  const groups = process.env.ENGINE_BENCH_FEED_GROUPS?.split(";").filter(Boolean) ?? SOURCE_NAMES;
  for (const g of groups) spawnLogged([BUN, join(ROOT, "bins/feed.ts"), "--source", g, "--config", configFile], join(dir, `feed-${g.replaceAll(",", "+")}.log`), env);
  const engine = spawnLogged([BUN, join(ROOT, "bins/spread-engine.ts"), "--config", configFile], join(dir, "engine.log"), env);
  await waitUntil("engine running with 8 live feeds", () => {
    const h = engineHealth(shm);
    return h.state === HealthState.running && h.connectionsUp === 8;
  }, 90_000);

  if (PARTS.includes("latency")) await latency(shm, control);
  if (PARTS.includes("cpu")) await cpu(shm, control, engine.pid);
  await stopChild(engine, 2000);
  await killChildren();
  await sim.stop(2000);
  sim = null;
}

async function latency(shm: Shm, control: string): Promise<void> {
  await post(`${control}/rate`, { total: LATENCY_RATES[0] ?? 20_000 });
  // Open spreads on 30 assets listed on all 8 sources (every direction sees them): the majors are.
  const assets = ["BTC", "ETH", "SOL", "XRP", "DOGE", "ADA", "LINK", "LTC", "DOT", "AVAX", "TRX", "BCH", "UNI", "ATOM", "NEAR", "APT", "ARB", "OP", "SUI", "FIL"];
  const ids: number[] = [];
  for (const asset of assets) {
    try {
      const r = await post(`${control}/episode`, { asset, spot: "binance_spot", futures: "bybit_futures", leg: "spot", spread_pct: 2, ramp_s: 0.1, hold_s: 600, converge: false });
      ids.push(r.episode?.id);
    } catch {
      // not in this universe
    }
  }
  const ev = new EventRecord();
  const tracked = shm.tracked;
  shm.events.attachConsumer();
  const drainAndRelease = (hist: HdrHistogram | null, rec: boolean) => {
    while (shm.events.pop(ev)) {
      if (rec && hist && (ev.flags & 1) === 0) hist.record(Math.min(ev.spotAgeUs, ev.futuresAgeUs));
      tracked.release(ev.directionId, ev.symbolId);
    }
  };
  for (const simRate of LATENCY_RATES) {
    await post(`${control}/rate`, { total: simRate });
    const hist = new HdrHistogram();
    const warmEnd = Date.now() + (simRate === LATENCY_RATES[0] ? Math.max(3, WARM_S) : 3) * 1000;
    while (Date.now() < warmEnd) {
      drainAndRelease(hist, false);
      await Bun.sleep(1);
    }
    const h0 = engineHealth(shm);
    const t0 = Date.now();
    const end = t0 + WINDOW_S * 1000;
    while (Date.now() < end) {
      drainAndRelease(hist, true);
      await Bun.sleep(1);
    }
    const h1 = engineHealth(shm);
    const seconds = (Date.now() - t0) / 1000;
    const rate = (h1.messages - h0.messages) / seconds;
    const k = `${simRate / 1000}k`;
    console.log(`tick-to-signal at sim ${k} updates/s: ${hist.summary()}; engine examined ${Math.round(rate).toLocaleString("en-US")} (source, symbol) updates/s; ${episodesNote(ids)}`);
    report({ name: "tick-to-signal p50 (feed receive → Event on bus)", nsPerOp: hist.percentile(50) * 1000, opsPerSec: hist.count / WINDOW_S, target: "≤ 30 µs", note: `sim ${k} updates/s, ${hist.count} signals` });
    report({ name: "tick-to-signal p99", nsPerOp: hist.percentile(99) * 1000, opsPerSec: hist.count / WINDOW_S, target: "≤ 200 µs", note: `p99.9 ${hist.percentile(99.9)} µs, max ${hist.max} µs` });
    json.latency.push(latencyJson(simRate, hist, seconds, { updatesExaminedPerSec: rate }));
  }
  for (const id of ids) if (id !== undefined) await fetch(`${control}/episode/${id}`, { method: "DELETE" });
  drainAndRelease(null, false);
}

function episodesNote(ids: unknown[]): string {
  return `${ids.filter((x) => x !== undefined).length} episodes (binance_spot 2 % below model)`;
}

async function cpu(shm: Shm, control: string, pid: number): Promise<void> {
  await post(`${control}/rate`, { total: 10_000 });
  await Bun.sleep(3000);
  const h0 = engineHealth(shm);
  const s0 = shm.events.readStats().wakeups;
  const a = cpuSample(pid);
  await Bun.sleep(WINDOW_S * 1000);
  const b = cpuSample(pid);
  const h1 = engineHealth(shm);
  const s1 = shm.events.readStats().wakeups;
  const sec = (b.at - a.at) / 1e9;
  const cores = (b.statNs - a.statNs) / 1e9 / sec;
  const sched = (b.schedNs - a.schedNs) / 1e9 / sec;
  const updates = (h1.messages - h0.messages) / sec;
  console.log(`engine CPU at sim 10k updates/s: ${(cores * 100).toFixed(2)} % of one core (stat), ${(sched * 100).toFixed(2)} % (schedstat); ${Math.round(updates)} (source, symbol) updates examined/s, ${Math.round((s1 - s0) / sec)} loop passes with work/s`);
  json.cpu = { statPct: cores * 100, schedPct: sched * 100, updatesExaminedPerSec: updates };
  report({ name: "engine CPU at 10k updates/s (% of one core)", nsPerOp: (sched * 1e9) / Math.max(1, updates), opsPerSec: updates, target: "≤ 3 %", note: `${(sched * 100).toFixed(2)} % of one core; ns/op = CPU per update examined` });
}

// ---- 4. the engine's share: this process as the feeds ------------------------------------------------------

async function engineOnly(): Promise<void> {
  const shm = createAll(prefix).shm;
  const generatedDir = join(dir, "generated-engine");
  const bases = Array.from({ length: 700 }, (_, i) => `S${i.toString(36).toUpperCase().padStart(3, "0")}`);
  await writeGenerated(generatedDir, bases);
  const configFile = join(dir, "engine-only.toml");
  writeFileSync(configFile, toToml({ shm: { prefix }, log: { level: "warn" }, engine: { persist_evals: 2, persist_ms: 250 } }));
  const feeds = setInterval(() => fakeFeeds(shm, 0), 300);
  fakeFeeds(shm, 0);
  const now0 = wallMicros();
  for (let src = 0; src < 8; src++) for (let sym = 0; sym < 700; sym++) shm.prices.write(src, sym, 9.999, 10.001, 1, 1, 0, now0, monoMicros());
  const engine = spawnLogged([BUN, join(ROOT, "bins/spread-engine.ts"), "--config", configFile, "--generated", generatedDir], join(dir, "engine-only.log"), { SPREAD_SCANNER_SHM_PREFIX: prefix });
  await waitUntil("engine running", () => engineHealth(shm).state === HealthState.running, 60_000);
  const waker = shm.waker(WakeChannel.engine);
  const hist = new HdrHistogram();
  const ev = new EventRecord();
  shm.events.attachConsumer();
  // 20 symbols with binance_spot 2 % cheap (directions 9, 10, 11 open); every other update is flat noise.
  const OPEN = 20;
  let n = 0;
  const burst = 20; // per ms → 20k updates/s
  const endAt = Date.now() + (WINDOW_S + 3) * 1000;
  const recordFrom = Date.now() + 3000;
  while (Date.now() < endAt) {
    for (let i = 0; i < burst; i++, n++) {
      const open = n % 4 === 0;
      const sym = open ? n % OPEN : OPEN + (Math.imul(n, 2654435761) >>> 0) % (700 - OPEN);
      const src = open ? (n % 8 === 0 ? 0 : 3 + ((n >>> 3) % 3) * 2) : n % 8; // open: binance_spot or the futures leg of 9/10/11 (3, 5, 7)
      const price = open && src === 0 ? 9.8 : 10 + (n % 7) * 0.0001;
      shm.prices.write(src, sym, price - 0.001, price + 0.001, 1, 1, 0, wallMicros(), monoMicros());
      shm.bitmap.set(src, sym);
    }
    waker.wake();
    const rec = Date.now() >= recordFrom;
    while (shm.events.pop(ev)) {
      if (rec && (ev.flags & 1) === 0) hist.record(Math.min(ev.spotAgeUs, ev.futuresAgeUs));
      shm.tracked.release(ev.directionId, ev.symbolId);
    }
    await Bun.sleep(1);
  }
  clearInterval(feeds);
  console.log(`engine share of tick-to-signal (this process as the feeds, 20k updates/s): ${hist.summary()}`);
  json.engineOnly = latencyJson(20_000, hist, WINDOW_S);
  report({ name: "engine-only: bus Event − leg write, p50", nsPerOp: hist.percentile(50) * 1000, opsPerSec: hist.count / WINDOW_S, note: `p90 ${hist.percentile(90)} µs, p99 ${hist.percentile(99)} µs, p99.9 ${hist.percentile(99.9)} µs, ${hist.count} signals` });
  await stopChild(engine, 2000);
  unlinkAll(prefix);
}

// ---- main ------------------------------------------------------------------------------------------------

try {
  if (PARTS.includes("throughput")) throughput();
  if (PARTS.includes("engine")) await engineOnly();
  if (PARTS.includes("latency") || PARTS.includes("cpu")) await acrossProcesses();
  writeJsonResult(json);
} catch (err) {
  console.error(`engine.bench failed: ${(err as Error).message}`);
  process.exitCode = 1;
}
process.exit();
