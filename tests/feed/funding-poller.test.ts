// Funding collection against the simulator: one poll writes every feed symbol's funding (rate, interval, next
// settlement) into the Funding region; Binance intervals come from fundingInfo (8 h default); values older than
// STALE_POLLS polls are flagged stale and the next poll clears it; a dead venue is counted, never fatal; spot
// sources have no funding.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createLogger, SOURCE_NAMES, SourceId, type SourceEndpoint, type SourceName } from "@spread/common";
import { FeedSymbols, fundingFor } from "@spread/exchanges";
import { FundingPoller, STALE_POLLS } from "@spread/feed";
import { createAll, FundingFlag, FundingValue, unlinkAll, type Shm } from "@spread/shm";
import { fundingIntervalHours, type SimHandle } from "@spread/sim";
import { testSim } from "../sim/helpers.ts";
import { uniquePrefix } from "../shm/helpers/scratch.ts";

const log = createLogger("test", "silent");
const HOUR_US = 3_600_000_000;
let sim: SimHandle;
let shm: Shm;
const prefix = uniquePrefix();

beforeAll(async () => {
  sim = await testSim({ rate: { total: 200 } });
  shm = createAll(prefix).shm;
});
afterAll(async () => {
  await sim?.stop();
  unlinkAll(prefix);
});

function endpoint(name: SourceName, over: Partial<SourceEndpoint> = {}): SourceEndpoint {
  return { ...sim.exchangesConfig()[name], rest_timeout_ms: 5000, ...over };
}

/** The first `n` USDT perpetuals the simulator lists on `source`, as feed symbols with ids 100, 101, ... */
function feedSymbols(source: number, n: number): FeedSymbols {
  const perps = sim.universe.instruments[source]!.filter((i) => i.kind === "perp" && i.status === "trading" && i.settle === "USDT").slice(0, n);
  return new FeedSymbols(perps.map((p, k) => ({ symbolId: 100 + k, exchangeSymbol: p.symbol, multiplier: 1, qtyFactor: 1 })));
}

function poller(source: number, syms: FeedSymbols, clock: { wall: number }, ep?: SourceEndpoint): FundingPoller {
  const name = SOURCE_NAMES[source]!;
  return new FundingPoller({
    source, adapter: fundingFor(source)!, endpoint: ep ?? endpoint(name), store: shm.funding, symbols: () => syms, pollMs: 60_000, log,
    wallUs: () => clock.wall, monoUs: () => 1,
  });
}

describe("funding collection", () => {
  for (const source of [SourceId.binance_futures, SourceId.bybit_futures, SourceId.okx_futures, SourceId.mexc_futures]) {
    test(`${SOURCE_NAMES[source]}: one poll writes every symbol with the simulator's interval and settlement`, async () => {
      const syms = feedSymbols(source, 40);
      expect(syms.size).toBeGreaterThan(10);
      const clock = { wall: Date.now() * 1000 };
      const p = poller(source, syms, clock);
      await p.pollOnce();
      expect([p.polls, p.failures, p.lastError]).toEqual([1, 0, null]);
      expect(p.written).toBe(syms.size);
      const v = new FundingValue();
      const hoursSeen = new Set<number>();
      for (let i = 0; i < syms.size; i++) {
        expect(shm.funding.read(source, syms.symbolIds[i]!, v)).toBe(true);
        const inst = sim.universe.instruments[source]![sim.universe.bySymbol[source]!.get(syms.exchangeSymbols[i]!)!]!;
        const hours = fundingIntervalHours(inst);
        hoursSeen.add(hours);
        expect({ s: inst.symbol, flags: v.flags, min: v.intervalMin }).toEqual({ s: inst.symbol, flags: FundingFlag.valid, min: hours * 60 });
        expect(v.nextFundingAt % (hours * HOUR_US)).toBe(0);
        expect(v.nextFundingAt).toBeGreaterThan(clock.wall - 5_000_000);
        expect(Number.isFinite(v.rate) && Math.abs(v.rate) < 0.01).toBe(true);
        expect(v.updatedAt).toBe(clock.wall);
      }
      expect(hoursSeen.size).toBeGreaterThan(1);
    }, 30_000);
  }

  test("stale after STALE_POLLS polls without a write; the next successful poll makes it fresh again", async () => {
    const syms = feedSymbols(SourceId.okx_futures, 5);
    const clock = { wall: Date.now() * 1000 };
    const p = poller(SourceId.okx_futures, syms, clock);
    await p.pollOnce();
    const v = new FundingValue();
    const id = syms.symbolIds[0]!;
    clock.wall += (STALE_POLLS * 60_000 - 1000) * 1000;
    p.checkStale();
    shm.funding.read(SourceId.okx_futures, id, v);
    expect(v.flags).toBe(FundingFlag.valid);
    clock.wall += 2_000_000;
    p.checkStale();
    shm.funding.read(SourceId.okx_futures, id, v);
    expect(v.flags).toBe(FundingFlag.valid | FundingFlag.stale);
    expect(p.staled).toBe(syms.size);
    await p.pollOnce();
    shm.funding.read(SourceId.okx_futures, id, v);
    expect(v.flags).toBe(FundingFlag.valid);
  }, 30_000);

  test("a venue that does not answer: the poll fails, is counted, the values age into stale", async () => {
    const syms = feedSymbols(SourceId.mexc_futures, 3);
    const clock = { wall: Date.now() * 1000 };
    const good = poller(SourceId.mexc_futures, syms, clock);
    await good.pollOnce();
    const dead = poller(SourceId.mexc_futures, syms, clock, endpoint("mexc_futures", { rest_url: "http://127.0.0.1:9", rest_fallback_urls: [], rest_timeout_ms: 500 }));
    await dead.pollOnce();
    expect([dead.polls, dead.failures]).toEqual([0, 1]);
    expect(dead.lastError).toContain("http://127.0.0.1:9/api/v1/contract/funding_rate");
    clock.wall += (STALE_POLLS * 60_000 + 1000) * 1000;
    good.checkStale();
    const v = new FundingValue();
    shm.funding.read(SourceId.mexc_futures, syms.symbolIds[0]!, v);
    expect(v.flags & FundingFlag.stale).toBe(FundingFlag.stale);
  }, 30_000);

  test("spot sources have no funding hooks", () => {
    for (const s of [SourceId.binance_spot, SourceId.bybit_spot, SourceId.okx_spot, SourceId.mexc_spot]) expect(fundingFor(s)).toBeNull();
  });
});
