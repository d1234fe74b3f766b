// spread-ctl spreads (alias top) applies the reader-side staleness rule: legs of a feed that is dead, hung or paused are not shown,
// even though the dead feed could not flag its prices.
import { afterEach, expect, test } from "bun:test";
import { EngineSchema, ProcessKind, wallMicros, type DirectionsFile } from "@spread/common";
import { allSpreads, liveSpreads } from "@spread/ctl";
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
