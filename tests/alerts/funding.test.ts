// Funding in an opened alert: from the Funding region only when valid, not stale and its feed is publishing.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ProcessKind, wallMicros } from "@spread/common";
import { FundingLookup } from "@spread/alerts";
import { HealthRecord, HealthState, SourceLiveness, createAll, unlinkAll } from "@spread/shm";
import { writeGenerated } from "../tracker/helpers.ts";

const prefix = `t-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
const dir = mkdtempSync(join(tmpdir(), "alerts-funding-"));
afterAll(() => {
  unlinkAll(prefix);
  rmSync(dir, { recursive: true, force: true });
});

test("valid + fresh + live feed → percent; stale, dead feed, unknown symbol, spot source → null", () => {
  const shm = createAll(prefix, { force: true }).shm;
  writeGenerated(dir, ["BTC-USDT", "ETH-USDT"]);
  const live = new SourceLiveness(shm.health);
  const f = new FundingLookup(shm.funding, live, dir);
  const h = new HealthRecord();
  h.kind = ProcessKind.feed;
  h.pid = process.pid;
  h.state = HealthState.running;
  h.heartbeatAt = wallMicros();
  shm.health.write(3, h); // bybit_futures publishing
  const t = wallMicros();
  shm.funding.write(3, 1, -0.00025, Number.NaN, t + 1e9, 480, t, t, 0);
  live.refresh(wallMicros());
  expect(f.pct("bybit_futures", "ETH-USDT")).toBe(-0.025);
  expect(f.pct("bybit_futures", "BTC-USDT")).toBeNull(); // never written
  expect(f.pct("bybit_spot", "ETH-USDT")).toBeNull();
  expect(f.pct("bybit_futures", "NOPE-USDT")).toBeNull();
  shm.funding.setStale(3, 1, true);
  expect(f.pct("bybit_futures", "ETH-USDT")).toBeNull();
  shm.funding.setStale(3, 1, false);
  h.state = HealthState.stopped;
  shm.health.write(3, h);
  live.refresh(wallMicros());
  expect(f.pct("bybit_futures", "ETH-USDT")).toBeNull();
});
