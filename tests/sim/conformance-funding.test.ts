// Funding REST conformance per futures venue: the simulator's funding replies (a) parse with the real funding
// parsers into what the simulated market says (per-symbol intervals, settlements on UTC multiples of them, rates
// inside the caps; the same numbers the sim's own model gives) and (b) have the shape of the recorded fixtures.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { SourceId, type SourceName } from "@spread/common";
import { FundingRecord, binance, bybit, mexc, okx, type FundingAdapter } from "@spread/exchanges";
import { fundingIntervalHours, newSimFunding, simFunding, type Instrument, type SimHandle } from "@spread/sim";
import { getJson, shapeDiff, testSim, unexplained } from "./helpers.ts";
import { fixtureJson } from "../fixtures.ts";

let sim: SimHandle;
beforeAll(async () => {
  sim = await testSim({ rate: { total: 500 } });
});
afterAll(async () => {
  await sim?.stop();
});

const HOUR = 3_600_000;
const rest = (n: SourceName) => sim.urls[n].rest_url;

interface Row {
  symbol: string;
  rate: number;
  next: number;
  hours: number;
}

async function fetchRows(f: FundingAdapter, url: string): Promise<{ rows: Row[]; body: any; at: number }> {
  const at = Date.now();
  const r = await getJson(url);
  expect(r.status).toBe(200);
  const rows: Row[] = [];
  f.parseRest(r.body, new FundingRecord(), null, (x) => rows.push({ symbol: x.symbol(), rate: x.rate, next: x.nextFundingMs, hours: x.intervalHours }));
  return { rows, body: r.body, at };
}

/** The sim's own model for one listed symbol at the fetch time: interval, next settlement, cap. */
function expectMatchesModel(source: number, rows: Row[], at: number, intervals: (r: Row) => number): void {
  const bySymbol = sim.universe.bySymbol[source]!;
  const list = sim.universe.instruments[source]!;
  const f = newSimFunding();
  expect(rows.length).toBeGreaterThan(5);
  for (const r of rows) {
    const inst: Instrument = list[bySymbol.get(r.symbol)!]!;
    simFunding(inst, at, f);
    const hours = intervals(r);
    expect({ s: r.symbol, hours }).toEqual({ s: r.symbol, hours: fundingIntervalHours(inst) });
    expect(r.next % (hours * HOUR)).toBe(0);
    // The upcoming settlement: after the request, within one interval of it (a crossing during the request aside).
    expect(r.next).toBeGreaterThan(at - 1000);
    expect(r.next).toBeLessThanOrEqual(at + hours * HOUR + 1000);
    expect(Math.abs(r.rate)).toBeLessThanOrEqual(f.capUnits * 1e-8);
    // Exact decimals: the rate is a whole number of 1e-8 (drift may move it between render and here).
    expect(Math.abs(r.rate * 1e8 - Math.round(r.rate * 1e8))).toBeLessThan(1e-6);
  }
  // Per-symbol intervals really differ across the market.
  expect(new Set(rows.map(intervals)).size).toBeGreaterThan(1);
}

describe("simulated funding REST parses into the market's funding", () => {
  test("binance premiumIndex (all and one) + fundingInfo (only the non-8 h symbols)", async () => {
    const f = binance.funding;
    const info = f.parseIntervals!((await getJson(f.intervalsUrl!(rest("binance_futures")))).body);
    expect([...info.values()].every((h) => h !== 8)).toBe(true);
    const { rows, at } = await fetchRows(f, f.restUrl(rest("binance_futures")));
    expect(rows.every((r) => r.hours === 0)).toBe(true);
    expectMatchesModel(SourceId.binance_futures, rows, at, (r) => info.get(r.symbol) ?? f.defaultIntervalHours);
    const one = await fetchRows(f, `${f.restUrl(rest("binance_futures"))}?symbol=BTCUSDT`);
    expect(one.rows.map((r) => r.symbol)).toEqual(["BTCUSDT"]);
    // Dated contracts are listed with nextFundingTime 0 and skipped by the parser, as on the venue.
    const all = (await getJson(f.restUrl(rest("binance_futures")))).body as any[];
    const dated = all.filter((r) => r.symbol.includes("_"));
    expect(dated.every((r) => r.nextFundingTime === 0 && r.lastFundingRate === "0.00000000")).toBe(true);
  });

  test("bybit tickers carry fundingIntervalHour; instruments-info fundingInterval (minutes) agrees", async () => {
    const f = bybit.funding;
    const { rows, at } = await fetchRows(f, f.restUrl(rest("bybit_futures")));
    expectMatchesModel(SourceId.bybit_futures, rows, at, (r) => r.hours);
    const intervals = f.parseIntervals!((await getJson(f.intervalsUrl!(rest("bybit_futures")))).body);
    for (const r of rows) if (intervals.has(r.symbol)) expect({ s: r.symbol, h: intervals.get(r.symbol) }).toEqual({ s: r.symbol, h: r.hours });
  });

  test("okx funding-rate?instId=ANY: interval from the two settlement times; one instId; unknown instId refused", async () => {
    const f = okx.funding;
    const { rows, at } = await fetchRows(f, f.restUrl(rest("okx_futures")));
    expectMatchesModel(SourceId.okx_futures, rows, at, (r) => r.hours);
    const one = await fetchRows(f, `${rest("okx_futures")}/api/v5/public/funding-rate?instId=BTC-USDT-SWAP`);
    expect(one.rows.map((r) => r.symbol)).toEqual(["BTC-USDT-SWAP"]);
    const bad = await getJson(`${rest("okx_futures")}/api/v5/public/funding-rate?instId=NOPE-USDT-SWAP`);
    expect(() => f.parseRest(bad.body, new FundingRecord(), null, () => {})).toThrow("code \"51001\"");
  });

  test("mexc funding_rate (all, /{symbol}); an unknown contract is HTTP 200 success:false", async () => {
    const f = mexc.funding;
    const { rows, at } = await fetchRows(f, f.restUrl(rest("mexc_futures")));
    expectMatchesModel(SourceId.mexc_futures, rows.filter((r) => r.symbol.endsWith("_USDT")), at, (r) => r.hours);
    const one = await fetchRows(f, `${f.restUrl(rest("mexc_futures"))}/BTC_USDT`);
    expect(one.rows.map((r) => r.symbol)).toEqual(["BTC_USDT"]);
    const bad = await getJson(`${f.restUrl(rest("mexc_futures"))}/NOPE_USDT`);
    expect(bad.status).toBe(200);
    expect(() => f.parseRest(bad.body, new FundingRecord(), null, () => {})).toThrow("success false, code 1001");
  });
});

describe("simulated funding REST shape vs the recorded fixtures", () => {
  test("binance premiumIndex and fundingInfo", async () => {
    const all = (await getJson(binance.funding.restUrl(rest("binance_futures")))).body;
    expect(shapeDiff(all, fixtureJson("funding/binance_futures/rest_premiumIndex_all_2026-10.json"))).toEqual([]);
    const info = (await getJson(binance.funding.intervalsUrl!(rest("binance_futures")))).body;
    // The recording has updateTime null on some rows (a number here).
    expect(unexplained(shapeDiff(info, fixtureJson("funding/binance_futures/rest_fundingInfo_2026-10.json")), ["$[].updateTime"])).toEqual([]);
  });

  test("bybit tickers (linear rows only: funding fields as recorded)", async () => {
    const body = (await getJson(`${rest("bybit_futures")}/v5/market/tickers?category=linear&symbol=BTCUSDT`)).body;
    const rec = fixtureJson("funding/bybit_linear/rest_tickers_single_2026-10.json");
    const row = body.result.list[0];
    for (const k of ["symbol", "fundingRate", "nextFundingTime", "fundingIntervalHour", "fundingCap", "markPrice", "indexPrice"]) {
      expect({ k, t: typeof row[k] }).toEqual({ k, t: typeof rec.result.list[0][k] });
    }
  });

  test("okx funding-rate and mexc funding_rate", async () => {
    const o = (await getJson(`${rest("okx_futures")}/api/v5/public/funding-rate?instId=BTC-USDT-SWAP`)).body;
    expect(shapeDiff(o, fixtureJson("funding/okx_swap/rest_funding_rate_single_2026-10.json"))).toEqual([]);
    const m = (await getJson(`${rest("mexc_futures")}/api/v1/contract/funding_rate/BTC_USDT`)).body;
    // idxPrice/fairPrice (added to the reply in 2026-04) are not simulated.
    expect(unexplained(shapeDiff(m, fixtureJson("funding/mexc_futures/rest_funding_rate_single_2026-09-20.json")), ["$.data.idxPrice", "$.data.fairPrice"])).toEqual([]);
  });
});
