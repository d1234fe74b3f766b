// Real feed processes against the simulator's normal venue behaviour (tests/sim/fidelity.test.ts): Bybit linear
// snapshots that precede their subscribe ack are applied (no lost first price), and OKX empty sides ("" / [])
// are "no quote": the entry is flagged stale, never written with 0 or NaN, and not counted as invalid.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync } from "node:fs";
import { SOURCE_NAMES, SourceId, type Generation } from "@spread/common";
import { HealthState, PriceFlag } from "@spread/shm";
import { EmptySide, OkxThinBooks } from "../../packages/sim/src/venues/okx/thin-book.ts";
import { FeedBed, waitFor } from "./harness.ts";

const bed = new FeedBed();
let gen: Generation;
// Quiet symbols must not go stale by the liveness bounds during the test (only empty sides may flag them).
const timings = { data_timeout_ms: 60_000, symbol_stale_ms: 60_000, ping_interval_ms: 1000, pong_timeout_ms: 2000 };
const FEEDS = [SourceId.bybit_futures, SourceId.okx_spot, SourceId.okx_futures];

const served = (source: number) => gen.sources[source]!.entries;

beforeAll(async () => {
  await bed.start({
    scenario: {
      sim: { seed: 11 },
      universe: { scale: 0.3, silent_per_source: 0, anomalies_per_source: 0, quiet_fraction: 0 },
      // Bybit linear never updates and never re-sends: each symbol's ONLY frame is the snapshot sent before the ack.
      rate: { total: 6000, min_per_symbol: 0, source_weights: { bybit_futures: 0 } },
      venues: { bybit_futures: { resend_ms: 0 } },
      episodes: [],
    },
    endpoints: Object.fromEntries(SOURCE_NAMES.map((n) => [n, timings])),
    // No REST seeding: a price can only come from the WebSocket.
    feed: { rest_seed: false },
  });
  gen = await bed.discover();
  for (const s of FEEDS) bed.startFeed(s);
}, 90_000);

afterAll(async () => {
  await bed.cleanup();
}, 30_000);

describe("feeds against the simulator's normal venue behaviour", () => {
  test("bybit linear: every symbol gets its price from the snapshot that preceded the ack (discovery and feed)", async () => {
    const ids = served(SourceId.bybit_futures);
    // Discovery validated them from those snapshots too: every tradable linear perpetual of the universe is served.
    const perps = bed.sim.universe.instruments[SourceId.bybit_futures]!.filter((i) => i.status === "trading" && i.counted);
    expect(ids.length).toBeGreaterThanOrEqual(Math.floor(perps.length * 0.95));
    await waitFor(`bybit_futures fills all ${ids.length} symbols`, () => ids.every((e) => bed.quote(SourceId.bybit_futures, e.symbolId).flags & PriceFlag.valid), 15_000);
    const book = bed.sim.market.books[SourceId.bybit_futures]!;
    for (const e of ids) {
      const i = bed.sim.universe.bySymbol[SourceId.bybit_futures]!.get(e.exchangeSymbol)!;
      const inst = book.instruments[i]!;
      const q = bed.quote(SourceId.bybit_futures, e.symbolId);
      expect({ sym: e.exchangeSymbol, bid: q.bid, stale: q.flags & PriceFlag.stale }).toEqual({ sym: e.exchangeSymbol, bid: expect.closeTo((book.bid[i]! * inst.tick) / e.multiplier, 9) as any, stale: 0 });
    }
  }, 30_000);

  test("okx: an empty side flags the entry stale (never 0 / NaN, not invalid); the next two-sided push clears it", async () => {
    const okx = [SourceId.okx_spot, SourceId.okx_futures];
    // The thinnest books update rarely and may be one-sided at first: most, not all, have a price within seconds.
    const filled = (s: number) => served(s).filter((e) => bed.quote(s, e.symbolId).flags & PriceFlag.valid).length;
    for (const s of okx) await waitFor(`${SOURCE_NAMES[s]} fills`, () => filled(s) >= served(s).length * 0.9, 15_000);
    // While the market moves: sample every entry; prices stay real numbers, and stale flags come and go.
    const seenStale = new Set<string>();
    const seenCleared = new Set<string>();
    const t0 = performance.now();
    while (performance.now() - t0 < 3000) {
      for (const s of okx) {
        for (const e of served(s)) {
          const q = bed.quote(s, e.symbolId);
          if (!(q.flags & PriceFlag.valid)) continue; // no price yet (never written: no 0 either)
          expect({ sym: e.exchangeSymbol, ok: q.bid > 0 && q.ask > 0 && q.bid <= q.ask && Number.isFinite(q.bid + q.ask) }).toEqual({ sym: e.exchangeSymbol, ok: true });
          const key = `${s}:${e.exchangeSymbol}`;
          if (q.flags & PriceFlag.stale) seenStale.add(key);
          else if (seenStale.has(key)) seenCleared.add(key);
        }
      }
      await Bun.sleep(20); // a sampler's pace, through the 3 s window
    }
    expect(seenStale.size).toBeGreaterThan(0);
    expect(seenCleared.size).toBeGreaterThan(0);
    for (const s of okx) expect({ src: SOURCE_NAMES[s], invalid: bed.health(s).invalid }).toEqual({ src: SOURCE_NAMES[s], invalid: 0 });

    // A still market: each entry must now say exactly what the venue's last push said.
    bed.sim.setRate(0);
    // A settle window, not a wait: pushes already queued still land, and nothing marks the last one.
    await Bun.sleep(500);
    let oneSided = 0;
    for (const s of okx) {
      const thin = new OkxThinBooks(bed.sim.market.books[s]!);
      let staleHere = 0;
      for (const e of served(s)) {
        const side = thin.emptySide(bed.sim.universe.bySymbol[s]!.get(e.exchangeSymbol)!);
        const q = bed.quote(s, e.symbolId);
        if (!(q.flags & PriceFlag.valid)) continue;
        if (side !== EmptySide.none) oneSided++;
        expect({ sym: e.exchangeSymbol, stale: (q.flags & PriceFlag.stale) !== 0 }).toEqual({ sym: e.exchangeSymbol, stale: side !== EmptySide.none });
        if (q.flags & PriceFlag.stale) staleHere++;
      }
      // Health agrees with the store (one-sided books count as stale) but a one-sided book is the market's state,
      // not a feed fault: the feed stays running.
      await waitFor(`${SOURCE_NAMES[s]} Health counts ${staleHere} stale`, () => bed.health(s).symbolsStale === staleHere, 10_000);
      const h = bed.health(s);
      expect([h.invalid, h.state]).toEqual([0, HealthState.running]);
    }
    expect(oneSided).toBeGreaterThan(0);
  }, 45_000);
});

test("no shm leftovers from this file", async () => {
  await bed.cleanup();
  expect(readdirSync("/dev/shm").filter((f) => f.startsWith(bed.prefix))).toEqual([]);
  expect(existsSync(bed.dir)).toBe(false);
}, 30_000);
