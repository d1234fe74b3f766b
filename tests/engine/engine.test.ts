// SpreadEngine against real shared memory (one process): every direction with hand-computed prices, the rules
// (threshold, staleness, plausibility, persistence, crossed/zero), the tracked state (one signal while tracked,
// free again on release, restarts), full scans, hot reload with remapped ids, a full bus and pause.
import { afterEach, describe, expect, test } from "bun:test";
import { DEFAULT_TAKER_FEE_PCT, DIRECTIONS, SOURCE_NAMES, monoMicros, wallMicros } from "@spread/common";
import { Decision, SourceSymbolIndex, grossPct, netEntryPct } from "@spread/engine";
import { EVENTS_CAPACITY, EventFlag, EventRecord, PriceFlag, TrackedPairState, createAll, openAll, unlinkAll, type Shm } from "@spread/shm";
import { uniquePrefix } from "../shm/helpers/scratch.ts";
import { allDirections, directionsFile, drain, makeEngine, quote } from "./helpers.ts";

let prefix = "";
afterEach(() => {
  if (prefix) unlinkAll(prefix);
  prefix = "";
});

function fresh(): Shm {
  prefix = uniquePrefix();
  return createAll(prefix).shm;
}

const fee = (src: number) => DEFAULT_TAKER_FEE_PCT[SOURCE_NAMES[src]!];

describe("SourceSymbolIndex (A.10)", () => {
  test("flat arrays at source × MAX_SYMBOLS + symbol; every leg knows its counterpart and side", () => {
    const idx = new SourceSymbolIndex(allDirections([0, 5, 1023]));
    for (let src = 0; src < 8; src++) {
      const base = SourceSymbolIndex.base(src, 5);
      expect(idx.entries(src, 5)).toBe(3); // each source is in 3 directions of table A.4
      for (let i = 0; i < 3; i++) {
        const d = DIRECTIONS[idx.directionId[base + i]!]!;
        const spot = idx.isSpotSide[base + i] === 1;
        expect(spot ? d.spot : d.futures).toBe(src);
        expect(idx.counterpartSource[base + i]).toBe(spot ? d.futures : d.spot);
      }
    }
    expect(idx.entries(0, 4)).toBe(0);
    expect(idx.pairs).toBe(36);
    expect(idx.count.length).toBe(8 * 1024);
    expect(idx.directionId.length).toBe(8 * 1024 * 6);
  });

  test("a symbol only in some directions is indexed only there", () => {
    const idx = new SourceSymbolIndex(directionsFile((d) => (d === 4 ? [7] : [])));
    // direction 4: mexc_spot (4) → bybit_futures (3)
    expect([idx.entries(4, 7), idx.entries(3, 7), idx.entries(0, 7)]).toEqual([1, 1, 0]);
    expect([idx.directionId[SourceSymbolIndex.base(3, 7)], idx.counterpartSource[SourceSymbolIndex.base(3, 7)], idx.isSpotSide[SourceSymbolIndex.base(3, 7)]]).toEqual([4, 4, 0]);
  });

  test("a table that disagrees with A.4 is refused", () => {
    const good = allDirections([1]);
    const bad = { ...good, directions: good.directions.map((d) => (d.id === 0 ? { ...d, spot: 2 } : d)) };
    expect(() => new SourceSymbolIndex(bad)).toThrow("table A.4");
  });
});

describe("spreads of the 12 directions", () => {
  test("hand-computed prices: sign and value of gross and net, and which leg is spot", () => {
    const shm = fresh();
    // Direction d trades symbol 100 + d only, so every event can be attributed.
    const engine = makeEngine(shm, directionsFile((d) => [100 + d]), { open_on: "gross", open_spread_pct: 0.5 });
    for (const d of DIRECTIONS) {
      const sym = 100 + d.id;
      quote(shm, d.spot, sym, 99.9, 100); // spot ask 100
      quote(shm, d.futures, sym, 102, 102.1); // futures bid 102: +2 %; read the other way round it would be −2.1 %
    }
    engine.processChanged();
    const evs = drain(shm).sort((a, b) => a.directionId - b.directionId);
    expect(evs.map((e) => e.directionId)).toEqual(DIRECTIONS.map((d) => d.id));
    for (const e of evs) {
      const d = DIRECTIONS[e.directionId]!;
      expect([e.symbolId, e.spotSource, e.futuresSource, e.flags]).toEqual([100 + d.id, d.spot, d.futures, 0]);
      expect([e.spotBid, e.spotAsk, e.futuresBid, e.futuresAsk]).toEqual([99.9, 100, 102, 102.1]);
      expect(e.grossPct).toBe(Math.fround(2));
      const net = 2 - fee(d.spot) - fee(d.futures);
      expect(e.netPct).toBe(Math.fround(net));
      expect(e.netPct).toBeCloseTo(net, 6);
      expect(e.spotAgeUs).toBeLessThan(2_000_000);
      expect(Math.abs(e.timestamp - wallMicros())).toBeLessThan(5_000_000);
    }
    // e.g. okx_spot (0.1 %) → mexc_futures (0.02 %): net 1.88 %
    expect(evs[0]!.netPct).toBe(Math.fround(1.88));
  });

  test("futures below spot: negative gross, no signal in any direction", () => {
    const shm = fresh();
    const engine = makeEngine(shm, allDirections([3]), { open_on: "gross", open_spread_pct: 0.5 });
    for (let s = 0; s < 8; s++) quote(shm, s, 3, s % 2 === 0 ? 101 : 98, s % 2 === 0 ? 101.1 : 98.1);
    engine.processChanged();
    expect(drain(shm)).toEqual([]);
    expect(grossPct(101.1, 98)).toBeCloseTo(-3.06627, 5);
    expect(engine.evaluatePair(0, 3, 6, 5, 0)).toBe(Decision.below);
  });
});

describe("rules", () => {
  test("threshold on net (default): gross must pay both entry fees", () => {
    const shm = fresh();
    const engine = makeEngine(shm, directionsFile((d) => (d === 11 ? [9] : []))); // binance_spot → bybit_futures
    const f = fee(0) + fee(3); // 0.1 + 0.055
    quote(shm, 0, 9, 99, 100);
    quote(shm, 3, 9, 100.6, 100.7); // gross 0.6, net 0.445 < 0.5
    engine.processChanged();
    expect(drain(shm)).toEqual([]);
    quote(shm, 3, 9, 100.7, 100.8); // gross 0.7, net 0.545
    engine.processChanged();
    const [e] = drain(shm);
    expect(e!.grossPct).toBeCloseTo(0.7, 5);
    expect(e!.netPct).toBeCloseTo(netEntryPct(grossPct(100, 100.7), fee(0), fee(3)), 5);
    expect(e!.netPct).toBeCloseTo(0.7 - f, 5);
  });

  test("threshold on gross and on net round trip", () => {
    const shm = fresh();
    const gross = makeEngine(shm, directionsFile((d) => (d === 11 ? [9] : [])), { open_on: "gross" });
    quote(shm, 0, 9, 99, 100);
    quote(shm, 3, 9, 100.6, 100.7);
    gross.processChanged();
    expect(drain(shm).length).toBe(1);
    shm.tracked.release(11, 9);
    const rt = makeEngine(shm, directionsFile((d) => (d === 11 ? [9] : [])), { open_on: "net_round_trip" });
    expect(rt.evaluatePair(11, 9, 0, 3, 0)).toBe(Decision.below); // 0.6 − 2 × 0.155 = 0.29
    quote(shm, 3, 9, 100.85, 100.9); // 0.85 − 0.31 = 0.54
    rt.processChanged();
    expect(drain(shm).length).toBe(1);
  });

  test("a stale leg (flag, age, or feed not usable) is ignored and counted; either leg", () => {
    const shm = fresh();
    const engine = makeEngine(shm, directionsFile((d) => (d === 1 ? [2] : [])), { stale_after_ms: 1000 }); // okx_spot → bybit_futures
    quote(shm, 6, 2, 99, 100);
    quote(shm, 3, 2, 105, 105.1, 1500); // futures leg 1.5 s old
    engine.processChanged();
    expect(drain(shm)).toEqual([]);
    expect(engine.stats.staleSkips).toBe(2); // evaluated from each side, skipped each time
    quote(shm, 3, 2, 105, 105.1);
    shm.prices.setStale(6, 2, true); // the spot feed lost its connection
    engine.processChanged();
    expect(drain(shm)).toEqual([]);
    expect(engine.stats.staleSkips).toBe(3);
    quote(shm, 6, 2, 99, 100); // a fresh write clears the flag
    engine.sourceUsable[3] = 0; // the futures feed died (liveness) or runs another generation
    engine.processChanged();
    expect(drain(shm)).toEqual([]);
    engine.sourceUsable[3] = 1;
    engine.beginPass(wallMicros(), monoMicros());
    quote(shm, 6, 2, 99, 100);
    engine.processChanged();
    expect(drain(shm).length).toBe(1);
  });

  test("a spread above the plausibility ceiling is a suspect, never a signal", () => {
    const shm = fresh();
    const engine = makeEngine(shm, directionsFile((d) => (d === 2 ? [4] : [])), { max_spread_pct: 50 });
    quote(shm, 6, 4, 0.99, 1); // a ticker collision: same name, another coin
    quote(shm, 1, 4, 80, 80.1);
    engine.processChanged();
    expect(drain(shm)).toEqual([]);
    expect(engine.stats.suspects).toBe(2);
    expect(engine.pairsSuspect()).toBe(1);
    quote(shm, 1, 4, 1.2, 1.21); // 20 %: plausible again
    engine.processChanged();
    expect(drain(shm).length).toBe(1);
    expect(engine.pairsSuspect()).toBe(0);
  });

  test("crossed and zero quotes never produce a signal (counted as invalid)", () => {
    const shm = fresh();
    const engine = makeEngine(shm, directionsFile((d) => (d === 5 ? [8] : []))); // mexc_spot → binance_futures
    quote(shm, 1, 8, 110, 110.1);
    quote(shm, 4, 8, 100.2, 100); // crossed spot book
    engine.processChanged();
    quote(shm, 4, 8, 0, 0); // zero
    engine.processChanged();
    quote(shm, 4, 8, 99, 100);
    quote(shm, 1, 8, 110, 0); // futures ask 0
    engine.processChanged();
    expect(drain(shm)).toEqual([]);
    expect(engine.counters.invalidQuotes).toBe(5);
    quote(shm, 1, 8, 110, 110.1);
    engine.processChanged();
    expect(drain(shm).length).toBe(1);
  });

  test("persistence by evaluations: a single glitching tick never signals", () => {
    const shm = fresh();
    const engine = makeEngine(shm, directionsFile((d) => (d === 8 ? [1] : [])), { persist_evals: 3, persist_ms: 0 }); // bybit_spot → binance_futures
    quote(shm, 2, 1, 99, 100);
    quote(shm, 1, 1, 100, 100.1);
    engine.processChanged();
    quote(shm, 1, 1, 103, 103.1); // glitch
    engine.processChanged();
    quote(shm, 1, 1, 100, 100.1); // back
    engine.processChanged();
    expect(drain(shm)).toEqual([]);
    for (let i = 0; i < 2; i++) {
      quote(shm, 1, 1, 103 + i * 0.01, 103.1);
      engine.processChanged();
      expect(drain(shm)).toEqual([]);
    }
    quote(shm, 2, 1, 99.01, 100); // third consecutive evaluation above, from the other leg
    engine.processChanged();
    expect(drain(shm).length).toBe(1);
  });

  test("persistence by time: a quiet spread is re-checked and signalled once it held persist_ms", () => {
    const shm = fresh();
    const engine = makeEngine(shm, directionsFile((d) => (d === 8 ? [1] : [])), { persist_evals: 1000, persist_ms: 200 });
    const t0 = monoMicros();
    const wall = wallMicros();
    quote(shm, 2, 1, 99, 100);
    quote(shm, 1, 1, 103, 103.1);
    engine.beginPass(wall, t0);
    engine.processChanged();
    expect(engine.pendingPairs).toBe(1);
    expect(engine.nextPendingDueUs()).toBe(200_000);
    engine.beginPass(wall, t0 + 150_000);
    engine.recheckPending();
    expect(drain(shm)).toEqual([]);
    engine.beginPass(wall, t0 + 200_000);
    expect(engine.recheckPending()).toBe(0);
    expect(drain(shm).length).toBe(1);
    // A spread that falls back while pending is forgotten.
    quote(shm, 2, 2, 99, 100);
    shm.tracked.release(8, 1);
    const e2 = makeEngine(shm, directionsFile((d) => (d === 8 ? [1] : [])), { persist_evals: 1000, persist_ms: 200 });
    e2.beginPass(wall, t0);
    quote(shm, 1, 1, 103, 103.1);
    e2.processChanged();
    quote(shm, 1, 1, 100, 100.1);
    e2.processChanged();
    e2.beginPass(wall, t0 + 300_000);
    expect(e2.recheckPending()).toBe(0);
    expect(drain(shm)).toEqual([]);
  });
});

describe("tracked state", () => {
  const DIR = 9; // binance_spot → okx_futures
  function setup(): { shm: Shm; engine: ReturnType<typeof makeEngine> } {
    const shm = fresh();
    const engine = makeEngine(shm, directionsFile((d) => (d === DIR ? [20] : [])));
    quote(shm, 0, 20, 99, 100);
    quote(shm, 7, 20, 102, 102.1);
    return { shm, engine };
  }

  test("no second signal while tracked; a new one right after the tracker releases the pair", () => {
    const { shm, engine } = setup();
    engine.processChanged();
    expect(drain(shm).length).toBe(1);
    expect(shm.tracked.state(DIR, 20)).toBe(TrackedPairState.signalled);
    const epoch = shm.tracked.attachTracker();
    shm.tracked.markTracked(DIR, 20, epoch);
    for (let i = 0; i < 5; i++) {
      quote(shm, 7, 20, 102 + i / 100, 102.1);
      engine.processChanged();
    }
    expect(drain(shm)).toEqual([]);
    expect(engine.stats.suppressed).toBe(6); // 5 updates + the futures-side evaluation of the first pass
    shm.tracked.release(DIR, 20);
    quote(shm, 7, 20, 102.5, 102.6);
    engine.processChanged();
    const [e] = drain(shm);
    expect(e!.futuresBid).toBe(102.5);
    expect(shm.tracked.claims(DIR, 20)).toBe(2);
  });

  test("engine restart mid-tracking: the new engine's full scan does not re-signal; a free pair it does", () => {
    const { shm, engine } = setup();
    engine.processChanged();
    expect(drain(shm).length).toBe(1);
    shm.tracked.markTracked(DIR, 20, shm.tracked.attachTracker());
    const restarted = makeEngine(openAll(prefix), directionsFile((d) => (d === DIR ? [20, 21] : [])));
    quote(shm, 0, 21, 99, 100);
    quote(shm, 7, 21, 103, 103.1);
    shm.bitmap.take(0, new Uint32Array(32)); // the bits a dead engine left are not needed: the scan reads prices
    shm.bitmap.take(7, new Uint32Array(32));
    restarted.scanAll();
    const evs = drain(shm);
    expect(evs.map((e) => [e.symbolId, e.flags])).toEqual([[21, EventFlag.scan]]);
  });

  test("tracker restart mid-tracking: reconcile frees what it does not own, and the engine signals it again", () => {
    const { shm, engine } = setup();
    engine.processChanged();
    expect(drain(shm).length).toBe(1);
    shm.tracked.markTracked(DIR, 20, shm.tracked.attachTracker());
    // The tracker dies; its successor recovered no file for this pair.
    const t2 = openAll(prefix).tracked;
    t2.attachTracker();
    expect(t2.reconcile(() => false, Math.floor(Date.now() / 1000), 10).freedTracked).toBe(1);
    quote(shm, 7, 20, 102.2, 102.3);
    engine.processChanged();
    expect(drain(shm).length).toBe(1);
  });

  test("a full bus drops and counts, never blocks, and frees the pair for a later evaluation", () => {
    const { shm, engine } = setup();
    const filler = new EventRecord();
    filler.type = 1;
    for (let i = 0; i < EVENTS_CAPACITY; i++) shm.events.push(filler);
    engine.processChanged(); // evaluated from both legs: two attempts, two drops
    expect(engine.counters.busDrops).toBe(2);
    expect(shm.events.dropped()).toBe(2);
    expect(shm.tracked.state(DIR, 20)).toBe(TrackedPairState.free);
    shm.events.pop(filler);
    quote(shm, 7, 20, 102.1, 102.2);
    engine.processChanged();
    expect(engine.counters.signals).toBe(1);
    expect(shm.tracked.state(DIR, 20)).toBe(TrackedPairState.signalled);
  });

  test("pause stops signalling without losing state", () => {
    const shm = fresh();
    const engine = makeEngine(shm, directionsFile((d) => (d === DIR ? [20] : [])), { persist_evals: 2 });
    engine.paused = true;
    quote(shm, 0, 20, 99, 100);
    quote(shm, 7, 20, 102, 102.1);
    engine.processChanged();
    quote(shm, 7, 20, 102.01, 102.1); // second tick: persistence satisfied, but paused
    engine.processChanged();
    expect(drain(shm)).toEqual([]);
    expect(engine.stats.suppressed).toBe(1);
    expect(engine.pairsAbove()).toBe(1); // persistence state kept while paused
    engine.paused = false;
    engine.scanAll();
    expect(drain(shm).length).toBe(1);
  });
});

describe("full scan and hot reload", () => {
  test("a spread already open at start is found by the full scan (flag scan), without a price change", () => {
    const shm = fresh();
    quote(shm, 4, 30, 9.9, 10); // mexc_spot
    quote(shm, 7, 30, 10.2, 10.21); // okx_futures: direction 3
    const words = new Uint32Array(32);
    for (let s = 0; s < 8; s++) shm.bitmap.take(s, words);
    const engine = makeEngine(shm, allDirections([30]));
    expect(engine.processChanged()).toBe(0);
    engine.scanAll();
    const evs = drain(shm);
    expect(evs.map((e) => [e.directionId, e.symbolId, e.flags])).toEqual([[3, 30, EventFlag.scan]]);
    // Released while still open: the next signal comes from a tick and is not flagged scan.
    shm.tracked.release(3, 30);
    quote(shm, 7, 30, 10.21, 10.22);
    engine.processChanged();
    expect(drain(shm).map((e) => [e.directionId, e.flags])).toEqual([[3, 0]]);
  });

  test("hot reload with remapped ids: the new index is used and old per-pair state is dropped", () => {
    const shm = fresh();
    // Generation 1: BBB = id 0 in direction 11. Generation 2 adds AAA: AAA = 0, BBB = 1.
    const engine = makeEngine(shm, directionsFile((d) => (d === 11 ? [0] : []), 1, "0000000000000001"), { persist_evals: 2 });
    quote(shm, 0, 0, 99, 100);
    quote(shm, 3, 0, 102, 102.1);
    engine.processChanged(); // BBB above once (pending a second evaluation)
    expect(engine.pairsAbove()).toBe(1);
    engine.setIndex(new SourceSymbolIndex(directionsFile((d) => (d === 11 ? [0, 1] : []), 2, "0000000000000002")));
    expect(engine.pairsAbove()).toBe(0); // id 0 is AAA now: BBB's count must not carry over
    // The feeds flag remapped entries stale until they write them again (feed runtime), then write BBB at 1.
    shm.prices.setStale(0, 0, true);
    shm.prices.setStale(3, 0, true);
    quote(shm, 0, 1, 99, 100);
    quote(shm, 3, 1, 102, 102.1);
    engine.scanAll(); // BBB above once under its new id
    expect(drain(shm)).toEqual([]);
    quote(shm, 3, 1, 102.05, 102.1); // a second tick confirms it
    engine.processChanged();
    const evs = drain(shm);
    expect(evs.map((e) => [e.directionId, e.symbolId])).toEqual([[11, 1]]);
    expect(shm.tracked.state(11, 0)).toBe(TrackedPairState.free);
    expect(PriceFlag.stale).toBe(2);
  });
});
