// SpreadBoard, the Spreads topic's shared top-N: on random Price Store traffic its top equals `spread-ctl spreads`
// (liveSpreads, the engine's math) refresh after refresh; a page applying the deltas (or, when behind, the full
// table) shows exactly that top; nothing is published when nothing changed, ages alone change nothing, and
// staleness, funding and tracked-state transitions go out as partial rows.
import { afterEach, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { loadDirections, loadSymbolNames, monoMicros, ProcessKind, SourceId, TakerFeeSchema, wallMicros, type OpenOn, type SourceName } from "@spread/common";
import { allSpreads, liveSpreads, type SpreadRow } from "@spread/ctl";
import { createAll, HealthRecord, HealthState, ShmMirror, unlinkAll, type Shm } from "@spread/shm";
import { SpreadBoard, type BoardRow } from "@spread/web";
import { tempDirs, writeGenerated } from "../tracker/helpers.ts";

const tmp = tempDirs();
const prefixes: string[] = [];
afterEach(() => {
  for (const p of prefixes.splice(0)) unlinkAll(p);
});

const fees = TakerFeeSchema.parse({});
const STALE_MS = 5000;

/** The page's model of the topic, as app.js applies it. */
class Page {
  rows = new Map<string, Record<string, unknown>>();
  order: string[] = [];
  messages = 0;
  apply(json: string): void {
    const s = JSON.parse(json) as { full?: boolean; upsert?: Record<string, unknown>[]; remove?: string[]; order?: string[] };
    this.messages++;
    if (s.full) this.rows.clear();
    for (const k of s.remove ?? []) this.rows.delete(k);
    for (const r of s.upsert ?? []) {
      const k = `${r.direction_id}:${r.symbol_id}`;
      const cur = this.rows.get(k);
      if (cur) Object.assign(cur, r);
      else this.rows.set(k, { ...r });
    }
    if (s.order) this.order = s.order;
  }
  table(): Record<string, unknown>[] {
    return this.order.map((k) => this.rows.get(k)!);
  }
}

function setup(symbols: number, by: OpenOn = "gross", topN = 12, fundingHorizonUs?: number) {
  const prefix = `t-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  prefixes.push(prefix);
  const { shm } = createAll(prefix);
  shm.prices.setNumSymbols(symbols);
  const gen = tmp("board");
  const names = Array.from({ length: symbols }, (_, i) => `C${String(i).padStart(2, "0")}-USDT`);
  writeGenerated(gen, names);
  const dirs = loadDirections(gen);
  const symNames = loadSymbolNames(gen);
  const h = new HealthRecord();
  const beat = (live = [0, 1, 2, 3, 4, 5, 6, 7]) => {
    for (let s = 0; s < 8; s++) {
      h.kind = ProcessKind.feed;
      h.state = live.includes(s) ? HealthState.running : HealthState.stopped;
      h.pid = process.pid;
      h.heartbeatAt = wallMicros();
      shm.health.write(s, h);
    }
  };
  beat();
  const mirror = new ShmMirror(prefix);
  const board = new SpreadBoard({ topN, by, staleMs: STALE_MS, fees, maxSpreadPct: 50, fundingHorizonUs });
  board.setDirections(dirs, symNames);
  const refresh = (nowUs = wallMicros()) => {
    mirror.refreshHealth();
    mirror.refreshPrices();
    mirror.refreshPlain("tracked");
    mirror.refreshFunding();
    return board.update(mirror, nowUs, null);
  };
  const expected = (nowUs: number) =>
    liveSpreads(mirror.shm, dirs, symNames, fees, { ...allSpreads(by, topN, STALE_MS), includeStale: true }, nowUs);
  return { shm, mirror, board, refresh, expected, beat };
}

function price(shm: Shm, src: number, sym: number, p: number, ageMs = 0): void {
  shm.prices.write(src, sym, p, p * 1.0001, 1, 1, 0, wallMicros() - ageMs * 1000, monoMicros());
}

const view = (r: Record<string, unknown> | BoardRow | SpreadRow) => ({
  key: `${r.direction_id}:${r.symbol_id}`, gross: r.gross_pct, spot_ask: r.spot_ask, futures_bid: r.futures_bid, spot_stale: r.spot_stale, futures_stale: r.futures_stale, tracked: r.tracked,
});

describe("SpreadBoard", () => {
  for (const by of ["gross", "net_round_trip"] as const) {
    test(`its top equals liveSpreads over 40 refreshes of random traffic (by ${by}); pages in step and behind agree`, () => {
      const { shm, board, refresh, expected } = setup(30, by);
      let seed = 7;
      const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
      for (let sym = 0; sym < 30; sym++) for (let s = 0; s < 8; s++) if (rnd() < 0.9) price(shm, s, sym, 100 + sym);
      const inStep = new Page();
      const behind = new Page();
      let version = -1;
      for (let round = 0; round < 40; round++) {
        for (let i = 0; i < 60; i++) {
          const sym = Math.floor(rnd() * 30);
          const src = Math.floor(rnd() * 8);
          // Some legs old enough to be stale, some flagged stale by their feed.
          if (rnd() < 0.05) shm.prices.setStale(src, sym, true);
          else price(shm, src, sym, (100 + sym) * (1 + (rnd() - 0.5) * 0.02), rnd() < 0.05 ? STALE_MS + 1000 : 0);
        }
        const now = wallMicros();
        refresh(now);
        const want = expected(now).rows.map(view);
        expect(board.rows().map(view)).toEqual(want);
        const m = board.messageFor(version);
        if (m !== null) inStep.apply(m);
        version = board.version;
        expect(inStep.table().map(view)).toEqual(want);
        if (round % 4 === 3) {
          const b = board.messageFor(-1)!;
          expect(JSON.parse(b).full).toBe(true);
          behind.apply(b);
          expect(behind.table().map(view)).toEqual(want);
        }
      }
    });
  }

  test("the only write of a refresh lifts a pair from outside the top to first; the last member's fall lets the next in", () => {
    const { shm, board, refresh, expected } = setup(20, "gross", 5);
    for (let sym = 0; sym < 20; sym++) for (let s = 0; s < 8; s++) price(shm, s, sym, 100 * (1 + ((sym * 7 + s * 3) % 11) * 0.0005));
    refresh();
    const outside = expected(wallMicros()).rows.length;
    expect(outside).toBe(5);
    const inTop = new Set(board.rows().map((r) => `${r.direction_id}:${r.symbol_id}`));
    // symbol 19 on bybit_futures (3): every direction selling there gets a 5 % wider spread.
    expect([...inTop].some((k) => k.endsWith(":19"))).toBe(false);
    price(shm, 3, 19, 110);
    const now = wallMicros();
    refresh(now);
    expect(board.rows().map(view)).toEqual(expected(now).rows.map(view));
    expect(board.rows()[0]!.symbol_id).toBe(19);
    // Back down below every pair: the top refills from the rest.
    price(shm, 3, 19, 90);
    const later = wallMicros();
    refresh(later);
    expect(board.rows().map(view)).toEqual(expected(later).rows.map(view));
    expect(board.rows().some((r) => r.symbol_id === 19 && r.futures_source === "bybit_futures")).toBe(false);
  });

  test("nothing changed, or only time passed: no new version; a leg going stale: a partial row", () => {
    const { shm, board, refresh } = setup(4);
    for (let sym = 0; sym < 4; sym++) for (let s = 0; s < 8; s++) price(shm, s, sym, 100 + sym * (s + 1) * 0.001);
    const t0 = wallMicros();
    expect(refresh(t0)).toBe(true);
    const v = board.version;
    expect(refresh(t0 + 100_000)).toBe(false);
    expect(refresh(t0 + 1_000_000)).toBe(false);
    expect(board.version).toBe(v);
    expect(board.messageFor(v)).toBeNull();
    // Past stale_ms every leg is stale: only the stale flags (and the header's priced count) change.
    expect(refresh(t0 + (STALE_MS + 500) * 1000)).toBe(true);
    const d = JSON.parse(board.messageFor(v)!) as { upsert: Record<string, unknown>[]; head: { priced: number }; order?: unknown };
    expect(d.head.priced).toBe(0);
    expect(d.order).toBeUndefined();
    for (const r of d.upsert) expect(Object.keys(r).sort()).toEqual(["direction_id", "futures_stale", "spot_stale", "symbol_id"]);
  });

  test("funding written and a pair claimed by the engine reach the row without a price write", () => {
    const { shm, board, refresh } = setup(3);
    for (let sym = 0; sym < 3; sym++) for (let s = 0; s < 8; s++) price(shm, s, sym, 100);
    refresh();
    const top = board.rows()[0]!;
    expect(top.funding_rate).toBeNull();
    const v = board.version;
    const next = Date.now() * 1000 + 3_600_000_000;
    shm.funding.write(SourceId[top.futures_source as SourceName], top.symbol_id, 0.0003, Number.NaN, next, 480, 0, wallMicros(), monoMicros());
    shm.tracked.tryClaim(top.direction_id, top.symbol_id, Math.floor(Date.now() / 1000));
    expect(refresh()).toBe(true);
    const d = JSON.parse(board.messageFor(v)!) as { upsert: Record<string, unknown>[] };
    const row = d.upsert.find((r) => r.direction_id === top.direction_id && r.symbol_id === top.symbol_id)!;
    expect(row.funding_rate).toBe(0.0003);
    expect(row.funding_interval_h).toBe(8);
    expect(row.next_funding_at).toBe(Math.round(next / 1000));
    expect(row.net_funding_pct).toBeCloseTo(top.net_pct + 0.03, 10);
    expect(row.tracked).toBe("signalled");
    expect(row.gross_pct).toBeUndefined();
  });

  test("with an hours funding horizon, a settlement leaving it changes net_funding_pct with no write at all", () => {
    // 1.5 h horizon, hourly settlements, the next one 2 s away: 2 settlements now, 1 three seconds later.
    const { shm, board, refresh } = setup(1, "gross", 12, 1.5 * 3600e6);
    for (let s = 0; s < 8; s++) price(shm, s, 0, 100 + s * 0.01);
    const t0 = wallMicros();
    for (const f of [1, 3, 5, 7]) shm.funding.write(f, 0, 0.001, Number.NaN, t0 + 2_000_000, 60, 0, t0, monoMicros());
    refresh(t0);
    const before = board.rows()[0]!;
    expect(before.net_funding_pct).toBeCloseTo(before.net_pct + 0.2, 10);
    const v = board.version;
    expect(refresh(t0 + 1_000_000)).toBe(false);
    expect(refresh(t0 + 3_000_000)).toBe(true);
    const d = JSON.parse(board.messageFor(v)!) as { upsert: Record<string, unknown>[] };
    expect(d.upsert.length).toBe(12);
    for (const r of d.upsert) expect(Object.keys(r).sort()).toEqual(["direction_id", "net_funding_pct", "symbol_id"]);
    expect(board.rows()[0]!.net_funding_pct).toBeCloseTo(before.net_pct + 0.1, 10);
  });

  test("a feed that stops publishing greys its legs; a page that was never sent anything gets the full table", () => {
    const { shm, board, refresh, beat } = setup(2, "gross", 50);
    for (let sym = 0; sym < 2; sym++) for (let s = 0; s < 8; s++) price(shm, s, sym, 100 + s * 0.01);
    refresh();
    expect(board.rows().length).toBe(24);
    expect(board.rows().every((r) => !r.spot_stale && !r.futures_stale)).toBe(true);
    beat([1, 2, 3, 4, 5, 6, 7]);
    refresh();
    const rows = board.rows();
    expect(rows.filter((r) => r.spot_source === "binance_spot").every((r) => r.spot_stale)).toBe(true);
    expect(rows.filter((r) => r.spot_source !== "binance_spot").some((r) => r.spot_stale)).toBe(false);
    expect(board.priced).toBe(18);
    const page = new Page();
    page.apply(board.messageFor(-1)!);
    expect(page.table().map(view)).toEqual(rows.map(view));
  });
});
