// spread-ctl spreads (alias top) applies the reader-side staleness rule: legs of a feed that is dead, hung or paused are not shown,
// even though the dead feed could not flag its prices.
import { afterEach, expect, test } from "bun:test";
import { EngineSchema, ProcessKind, wallMicros, type DirectionsFile } from "@spread/common";
import { allSpreads, fundingCell, liveSpreads } from "@spread/ctl";
import { HealthRecord, HealthState, createAll, unlinkAll } from "@spread/shm";

let prefix = "";
afterEach(() => {
  if (prefix) unlinkAll(prefix);
});

test("a leg whose feed is gone, hung or paused is skipped; flags alone are not enough", () => {
  prefix = `t-${process.pid}-top${Math.random().toString(36).slice(2, 6)}`;
  const { shm } = createAll(prefix);
  const now = wallMicros();
  const dirs = { generation: "g", numSymbols: 1, directions: [{ id: 0, spot: 0, futures: 1, name: "binance_spot_binance_futures", symbols: Uint16Array.of(0) }] } as DirectionsFile;
  shm.prices.write(0, 0, 99, 100, 1, 1, 0, now, 0);
  shm.prices.write(1, 0, 101, 102, 1, 1, 0, now, 0);
  const h = new HealthRecord();
  const feed = (src: number, pid: number, state: number, heartbeatAt: number) => {
    Object.assign(h, { kind: ProcessKind.feed, pid, state, heartbeatAt });
    shm.health.write(src, h);
  };
  const fees = EngineSchema.parse({}).taker_fee_pct;
  const topSpreads = (...a: [typeof shm, DirectionsFile, string[]]) => liveSpreads(...a, fees, allSpreads("gross", 5, 10_000), now);
  feed(0, process.pid, HealthState.running, now);
  feed(1, process.pid, HealthState.running, now);
  const ok = topSpreads(shm, dirs, ["BTC"]);
  expect(ok.priced).toBe(1);
  expect(ok.rows[0]!.gross_pct).toBeCloseTo(1, 9);
  for (const [pid, state, hb] of [[4194303, HealthState.running, now], [process.pid, HealthState.running, now - 60e6], [process.pid, HealthState.paused, now]] as const) {
    feed(1, pid, state, hb);
    expect(topSpreads(shm, dirs, ["BTC"]).priced).toBe(0);
  }
});

/** Direction binance_spot → binance_futures over `n` symbols priced 100 / 101, both feeds running. */
function fundingBed(n: number) {
  prefix = `t-${process.pid}-topf${Math.random().toString(36).slice(2, 6)}`;
  const { shm } = createAll(prefix);
  const now = wallMicros();
  const syms = Array.from({ length: n }, (_, i) => i);
  const dirs = { generation: "g", numSymbols: n, directions: [{ id: 0, spot: 0, futures: 1, name: "binance_spot_binance_futures", symbols: Uint16Array.from(syms) }] } as DirectionsFile;
  for (const sym of syms) {
    shm.prices.write(0, sym, 99, 100, 1, 1, 0, now, 0);
    shm.prices.write(1, sym, 101, 102, 1, 1, 0, now, 0);
  }
  const h = new HealthRecord();
  for (const src of [0, 1]) {
    Object.assign(h, { kind: ProcessKind.feed, pid: process.pid, state: HealthState.running, heartbeatAt: now });
    shm.health.write(src, h);
  }
  return { shm, now, dirs };
}

test("rows carry the futures leg's funding when it is fresh, null when stale or never collected", () => {
  const { shm, now, dirs } = fundingBed(2);
  // Symbol 0: -0.03 % per 4 h interval, settlement 2 h 5 min away. Symbol 1: nothing collected.
  shm.funding.write(1, 0, -0.0003, Number.NaN, now + 125 * 60e6, 240, now, now, 1);
  const fees = EngineSchema.parse({}).taker_fee_pct;
  const rows = () => liveSpreads(shm, dirs, ["BTC", "ETH"], fees, allSpreads("gross", 5, 10_000), now).rows;
  const [btc, eth] = [rows().find((r) => r.symbol === "BTC")!, rows().find((r) => r.symbol === "ETH")!];
  expect([btc.funding_rate, btc.funding_interval_h, btc.next_funding_ms]).toEqual([-0.0003, 4, 125 * 60_000]);
  expect(btc.net_funding_pct!).toBeCloseTo(btc.net_pct - 0.03, 12);
  expect(fundingCell(btc)).toBe("-0.0300/4h 2h05m");
  expect([eth.funding_rate, eth.funding_interval_h, eth.next_funding_ms, eth.net_funding_pct]).toEqual([null, null, null, null]);
  expect(fundingCell(eth)).toBe("-");
  shm.funding.setStale(1, 0, true);
  expect(rows().find((r) => r.symbol === "BTC")!.funding_rate).toBeNull();
});

test("net_funding_pct follows the holding horizon: next settlement by default, every settlement within N hours", () => {
  const { shm, now, dirs } = fundingBed(1);
  // -0.05 % per 1 h interval, next settlement in 30 min.
  shm.funding.write(1, 0, -0.0005, Number.NaN, now + 30 * 60e6, 60, now, now, 1);
  const fees = EngineSchema.parse({}).taker_fee_pct;
  const row = (horizon?: number) => liveSpreads(shm, dirs, ["BTC"], fees, { ...allSpreads("gross", 5, 10_000), ...(horizon === undefined ? {} : { fundingHorizonUs: horizon }) }, now).rows[0]!;
  const base = row();
  expect(base.net_funding_pct!).toBeCloseTo(base.net_pct - 0.05, 12);
  expect(row(8 * 3600e6).net_funding_pct!).toBeCloseTo(base.net_pct - 0.4, 12); // 8 settlements within 8 h
  expect(row(0.25 * 3600e6).net_funding_pct!).toBeCloseTo(base.net_pct, 12); // none within 15 min
});
