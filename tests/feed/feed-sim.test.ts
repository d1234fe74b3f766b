// The 8 feed processes against the exchange simulator: fill, faults, rejects, rollover, hot reload, SIGTERM.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { SOURCE_NAMES, SourceId, wallMicros, type Generation } from "@spread/common";
import { HealthState, PriceFlag } from "@spread/shm";
import { FeedBed, PIN_CPU, waitFor } from "./harness.ts";

const bed = new FeedBed();
let gen: Generation;
const fastPing = { ping_interval_ms: 400, pong_timeout_ms: 800 };
const LIFETIME_MS = 3500;
const timings = { data_timeout_ms: 2000, symbol_stale_ms: 5000, max_msgs_per_sec: 50 };

/** symbol_ids a source serves in the current generation. */
const served = (g: Generation, source: number) => g.sources[source]!.entries.map((e) => e.symbolId);

const nameOf = (g: Generation, id: number) => g.symbols.symbols[id]!.name;
const servedNames = (g: Generation, source: number) => served(g, source).map((id) => nameOf(g, id));
/** [added, removed] listings of `source` from generation a to b, by name (ids shift between generations). */
function listingDiff(a: Generation, b: Generation, source: number): [number, number] {
  const before = new Set(servedNames(a, source));
  const after = new Set(servedNames(b, source));
  return [[...after].filter((n) => !before.has(n)).length, [...before].filter((n) => !after.has(n)).length];
}
const idOf = (g: Generation, name: string) => g.symbols.symbols.findIndex((x) => x.name === name);

/** Updates per symbol of `source` over `ms`, from the store's sequence numbers; busiest first. */
async function busiest(source: number, ids: number[], ms = 1000): Promise<number[]> {
  const before = ids.map((id) => bed.shm.prices.readSeq(source, id));
  await Bun.sleep(ms); // a window, not a wait: updates are counted over it
  return ids.map((id, i) => [id, bed.shm.prices.readSeq(source, id) - before[i]!] as const).sort((a, b) => b[1] - a[1]).map((x) => x[0]);
}

/** Max gap (ms) between successive updates of one entry, sampled every 2 ms for `ms`. */
async function maxGap(source: number, id: number, ms: number): Promise<number> {
  let last = performance.now();
  let seq = bed.shm.prices.readSeq(source, id);
  let gap = 0;
  const end = last + ms;
  while (performance.now() < end) {
    await Bun.sleep(2); // a sampler's pace, through the window `ms`
    const s = bed.shm.prices.readSeq(source, id);
    const now = performance.now();
    if (s !== seq) {
      gap = Math.max(gap, now - last);
      last = now;
      seq = s;
    }
  }
  return Math.max(gap, performance.now() - last);
}

beforeAll(async () => {
  await bed.start({
    scenario: {
      sim: { seed: 7 },
      universe: { scale: 0.12, silent_per_source: 1, anomalies_per_source: 1 },
      rate: { total: 6000 },
      episodes: [],
      // The venue's own lifetime cut, announced by OKX notice 64008 (seconds instead of 24 h).
      venues: { okx_futures: { max_lifetime_ms: LIFETIME_MS, notice_ms: 1500 } },
    },
    endpoints: {
      ...Object.fromEntries(SOURCE_NAMES.map((n) => [n, n.startsWith("binance") ? timings : { ...timings, ...fastPing }])),
      // Our own proactive roll before the exchange's cut (23.5 h in production).
      mexc_spot: { ...timings, ...fastPing, max_lifetime_ms: LIFETIME_MS },
    },
  });
  gen = await bed.discover();
  for (let s = 0; s < 8; s++) bed.startFeed(s);
}, 90_000);

afterAll(async () => {
  await bed.cleanup();
}, 30_000);

describe("feeds against the simulator", () => {
  test("all 8 feeds fill the Price Store for all their symbols, multiplier applied", async () => {
    for (let s = 0; s < 8; s++) {
      const ids = served(gen, s);
      expect(ids.length).toBeGreaterThan(5);
      await waitFor(`${SOURCE_NAMES[s]} fills all ${ids.length} symbols`, () => ids.every((id) => bed.quote(s, id).flags & PriceFlag.valid), 20_000);
    }
    // A multiplier listing publishes per ONE unit: compare with the same asset on a plain spot source.
    const symbols = gen.symbols.symbols;
    const multi = symbols.flatMap((sym) => sym.listings.flatMap((l, src) => (l && l.multiplier > 1 ? [{ sym, src, l }] : [])));
    expect(multi.length).toBeGreaterThan(0);
    for (const { sym, src } of multi) {
      const spotSrc = sym.listings.findIndex((l, i) => l !== null && i % 2 === 0 && l.multiplier === 1);
      if (spotSrc < 0) continue;
      const f = bed.quote(src, sym.id);
      const p = bed.quote(spotSrc, sym.id);
      expect(Math.abs(f.bid / p.bid - 1)).toBeLessThan(0.05);
    }
    for (let s = 0; s < 8; s++) {
      // Cold start: every feed took one REST snapshot and seeded symbols the WebSocket had not priced yet.
      const seedLine = (await bed.log(s)).split("\n").find((l) => l.includes("REST best bid/ask snapshot"));
      expect({ source: SOURCE_NAMES[s], seeded: seedLine ? JSON.parse(seedLine).seeded > 0 : "no seed line" }).toEqual({ source: SOURCE_NAMES[s], seeded: true });
      await waitFor(`${SOURCE_NAMES[s]} Health running`, () => ([HealthState.running, HealthState.degraded] as number[]).includes(bed.health(s).state), 3000);
      // REST seeding can fill every symbol before the first WebSocket update arrives (a loaded box): wait for one.
      await waitFor(`${SOURCE_NAMES[s]} Health counts WebSocket updates`, () => bed.health(s).updates > 0, 10_000);
      const h = bed.health(s);
      expect(h.pid).toBe(bed.feeds.get(s)!.proc.pid);
    }
  }, 60_000);

  test("CPU pinning from config applies to every thread of every feed process", async () => {
    // The feed pins again 2 s after start-up, for threads Bun creates late: judge each feed once that has passed
    // (with slack for a timer firing late on a loaded box).
    const age = (s: number) => (wallMicros() - bed.health(s).startedAt) / 1000;
    await waitFor("every feed up for 5 s (well past its second pinning)", () => [...bed.feeds.keys()].every((s) => age(s) >= 5000), 20_000, 100, () => [...bed.feeds.keys()].map((s) => `${SOURCE_NAMES[s]} ${age(s).toFixed(0)} ms`).join(", "));
    for (const [s, f] of bed.feeds) {
      const tasks = readdirSync(`/proc/${f.proc.pid}/task`);
      expect(tasks.length).toBeGreaterThan(1);
      for (const tid of tasks) {
        const status = readFileSync(`/proc/${f.proc.pid}/task/${tid}/status`, "utf8");
        const allowed = /Cpus_allowed_list:\s*(\S+)/.exec(status)?.[1];
        expect({ source: SOURCE_NAMES[s], tid, allowed }).toEqual({ source: SOURCE_NAMES[s], tid, allowed: String(PIN_CPU) });
      }
    }
  }, 20_000);

  test("a dropped connection is resubscribed and updates flow again within 2 s", async () => {
    const s = SourceId.binance_spot;
    const [hot] = await busiest(s, served(gen, s));
    const before = bed.health(s).reconnects;
    bed.sim.addFault({ kind: "drop", source: "binance_spot", connections: "all" });
    const seq0 = bed.shm.prices.readSeq(s, hot!);
    const ms = await waitFor("updates after the drop", () => bed.shm.prices.readSeq(s, hot!) > seq0 + 2, 2000, 10);
    expect(ms).toBeLessThan(2000);
    await waitFor("reconnect counted", () => bed.health(s).reconnects > before, 10_000);
  }, 20_000);

  test("a silent socket is detected and replaced within its configured bound", async () => {
    const s = SourceId.okx_spot;
    const before = bed.health(s).reconnects;
    bed.sim.addFault({ kind: "silent", source: "okx_spot", connections: 1 });
    const ms = await waitFor("silent connection replaced", () => bed.health(s).reconnects > before, 2000 + 1500);
    expect(ms).toBeLessThan(timings.data_timeout_ms + 1500);
    bed.sim.clearFaults({ source: "okx_spot" });
  }, 20_000);

  test("pings no longer answered: the connection is replaced", async () => {
    const s = SourceId.bybit_spot;
    const before = bed.health(s).reconnects;
    bed.sim.addFault({ kind: "no_pong", source: "bybit_spot", connections: 1 });
    await waitFor("unanswered pings detected", () => bed.health(s).reconnects > before, fastPing.ping_interval_ms + fastPing.pong_timeout_ms + 1500);
    bed.sim.clearFaults({ source: "bybit_spot" });
    expect(await bed.log(s)).toContain("pong timeout");
  }, 20_000);

  test("malformed, truncated and garbage frames are dropped and counted; the feed keeps running", async () => {
    const s = SourceId.mexc_futures;
    const h0 = bed.health(s);
    for (const kind of ["malformed", "truncated", "garbage"]) bed.sim.addFault({ kind, source: "mexc_futures", probability: 0.3, count: 20 });
    await waitFor("bad frames counted", () => bed.health(s).invalid >= h0.invalid + 10, 10_000);
    bed.sim.clearFaults({ source: "mexc_futures" });
    const u = bed.health(s).updates;
    await waitFor("updates continue", () => bed.health(s).updates > u + 10, 5000);
    expect(bed.feeds.get(s)!.proc.exitCode).toBeNull();
  }, 30_000);

  test("a batch rejected for one bad symbol: every other symbol still updates", async () => {
    const s = SourceId.bybit_futures;
    const ids = served(gen, s);
    const bad = gen.sources[s]!.entries[2]!;
    bed.sim.addFault({ kind: "reject", source: "bybit_futures", symbols: [bad.exchangeSymbol] });
    bed.sim.addFault({ kind: "drop", source: "bybit_futures", connections: "all" });
    await waitFor("the bad symbol is rejected", () => bed.health(s).symbolsRejected === 1, 5000);
    const seq0 = ids.map((id) => bed.shm.prices.readSeq(s, id));
    const others = ids.filter((id) => id !== bad.symbolId);
    await waitFor("every other symbol updates", () => others.every((id) => bed.shm.prices.readSeq(s, id) !== seq0[ids.indexOf(id)]), 10_000);
    expect(await bed.log(s)).toContain("subscription rejected");
    bed.sim.clearFaults({ source: "bybit_futures" });
  }, 30_000);

  test("a forced disconnect with notice (Binance serverShutdown): no gap over 1 s in a busy symbol", async () => {
    const s = SourceId.binance_futures;
    const [hot] = await busiest(s, served(gen, s));
    const rolls = bed.health(s).reconnects;
    const gapP = maxGap(s, hot!, 4000);
    await Bun.sleep(300); // pacing: some normal updates are sampled before the notice
    bed.sim.addFault({ kind: "shutdown", source: "binance_futures", connections: "all", delay_ms: 1500 });
    const gap = await gapP;
    expect(gap).toBeLessThan(1000);
    // The replacement was opened before the old connection went: no reconnect (drop) was needed.
    expect(bed.health(s).reconnects).toBe(rolls);
  }, 20_000);

  test("lifetime disconnects (venue cut after a 64008 notice, and our own proactive roll): no gap over 1 s", async () => {
    const okx = SourceId.okx_futures;
    const mexc = SourceId.mexc_spot;
    const [hotOkx] = await busiest(okx, served(gen, okx));
    const [hotMexc] = await busiest(mexc, served(gen, mexc));
    const r0 = [bed.health(okx).reconnects, bed.health(mexc).reconnects];
    // Two full lifetimes of both: at least two rollovers each inside the window.
    const [gOkx, gMexc] = await Promise.all([maxGap(okx, hotOkx!, LIFETIME_MS * 2.5), maxGap(mexc, hotMexc!, LIFETIME_MS * 2.5)]);
    expect(gOkx).toBeLessThan(1000);
    expect(gMexc).toBeLessThan(1000);
    expect([bed.health(okx).reconnects, bed.health(mexc).reconnects]).toEqual(r0);
    expect(await bed.log(okx)).toContain("server notice: rolling the connection over");
  }, 30_000);

  test("hot reload: a new generated/ adds and removes a symbol without restarting the feed", async () => {
    const s = SourceId.okx_spot;
    const pid = bed.feeds.get(s)!.proc.pid;
    const [xId, yId] = await busiest(s, served(gen, s));
    const x = nameOf(gen, xId!);
    const y = nameOf(gen, yId!);
    const reloads = async (n: number) => (await bed.log(s)).split("\n").filter((l) => l.includes("hot reload")).slice(n);

    bed.writeConfig({ deny: [x] });
    const g2 = await bed.discover();
    expect(servedNames(g2, s)).not.toContain(x);
    await waitFor("feed loaded generation 2", () => bed.health(s).configGeneration === bed.shm.control.configGeneration(), 5000);
    const r2 = JSON.parse((await reloads(0))[0]!);
    // The reload applies exactly the difference between the two generations: x, plus whatever this discovery
    // run's WS validation dropped or took back (an OKX thin book can be one-sided through the whole window).
    expect([r2.added, r2.removed]).toEqual(listingDiff(gen, g2, s));
    expect(r2.removed).toBeGreaterThanOrEqual(1);
    // The feed reloads when discovery bumps the generation, which can be before discover() returns on a loaded
    // box: the bound is the reload itself (its log line is written right after the remapped ids are flagged
    // stale; 1 ms slack for the log clock's resolution).
    const reloadedAt = (Date.parse(r2.time) - 1) * 1000;
    // ids after x shifted down by one: their entries are stale until this feed writes them under the new mapping
    expect(r2.remapped).toBeGreaterThan(0);
    for (const e of g2.sources[s]!.entries) {
      const q = bed.quote(s, e.symbolId);
      const sameMeaning = gen.sources[s]!.entries.some((o) => o.symbolId === e.symbolId && o.exchangeSymbol === e.exchangeSymbol);
      // A remapped entry is never served with a price written under its old meaning: it is stale, never
      // written, or written after the reload.
      const usable = (q.flags & PriceFlag.valid) !== 0 && (q.flags & PriceFlag.stale) === 0;
      if (!sameMeaning && usable) expect(q.updatedAt).toBeGreaterThan(reloadedAt);
    }

    bed.writeConfig({ deny: [y] });
    const g3 = await bed.discover();
    expect(servedNames(g3, s)).toContain(x);
    expect(servedNames(g3, s)).not.toContain(y);
    await waitFor("feed loaded generation 3", () => bed.health(s).configGeneration === bed.shm.control.configGeneration(), 5000);
    const r3 = JSON.parse((await reloads(1))[0]!);
    expect([r3.added, r3.removed]).toEqual(listingDiff(g2, g3, s));
    expect(r3.added).toBeGreaterThanOrEqual(1);
    expect(r3.removed).toBeGreaterThanOrEqual(1);
    const xNew = idOf(g3, x);
    const sx = bed.shm.prices.readSeq(s, xNew);
    await waitFor("the re-added symbol updates under its new id", () => bed.shm.prices.readSeq(s, xNew) !== sx && (bed.quote(s, xNew).flags & PriceFlag.stale) === 0, 5000);
    expect(bed.feeds.get(s)!.proc.pid).toBe(pid);
    expect(bed.feeds.get(s)!.proc.exitCode).toBeNull();
    gen = g3;
  }, 90_000);

  test("SIGTERM: every feed exits 0 within 2 s and marks its Health slot stopped", async () => {
    const results = await Promise.all(
      [...bed.feeds.entries()].map(async ([s, f]) => {
        const t0 = performance.now();
        f.proc.kill("SIGTERM");
        const code = await Promise.race([f.proc.exited, Bun.sleep(2000).then(() => "timeout" as const)]);
        return { s, code, ms: performance.now() - t0 };
      }),
    );
    for (const r of results) {
      expect(r.code).toBe(0);
      expect(r.ms).toBeLessThan(2000);
      expect(bed.health(r.s).state).toBe(HealthState.stopped);
    }
  }, 20_000);
});

test("no shm leftovers from this file", async () => {
  await bed.cleanup();
  const left = readdirSync("/dev/shm").filter((f) => f.startsWith(bed.prefix));
  expect(left).toEqual([]);
  expect(existsSync(bed.dir)).toBe(false);
}, 30_000);
