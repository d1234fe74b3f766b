// The simulator's REST "best bid/ask of every symbol" endpoints (cold-start seeding) per source: the body at the
// adapter's own bookTickerUrl parses with the adapter, covers every tradable listed symbol (silent ones too, with
// their static book), its prices are consistent (bid <= ask, equal to the book, close to what the WS pushes) and
// its key sets / value types match the real recordings where they exist.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { SOURCE_NAMES, SourceId, type SourceName } from "@spread/common";
import { ADAPTERS, FrameKind, QuoteRecord, type RawInstrument, SymbolTable } from "@spread/exchanges";
import type { SimHandle } from "@spread/sim";
import { Client, getJson, shapeDiff, testSim } from "./helpers.ts";
import { fixtureJson } from "../fixtures.ts";

const BTC: Record<SourceName, string> = {
  binance_spot: "BTCUSDT", binance_futures: "BTCUSDT", bybit_spot: "BTCUSDT", bybit_futures: "BTCUSDT",
  mexc_spot: "BTCUSDT", mexc_futures: "BTC_USDT", okx_spot: "BTC-USDT", okx_futures: "BTC-USDT-SWAP",
};

let sim: SimHandle;
beforeAll(async () => {
  // A still market (the cold start this endpoint is for: nothing pushed yet) with only BTC ticking on every source.
  sim = await testSim({
    universe: { scale: 0.3 },
    rate: { total: 0, min_per_symbol: 0 },
    symbol_rates: SOURCE_NAMES.map((n) => ({ source: n, symbol: BTC[n], rate: 20 })),
  });
});
afterAll(async () => {
  await sim?.stop();
});

interface Row {
  bid: number;
  ask: number;
  bidQty: number;
  askQty: number;
  ts: number;
}

const rest = (s: number): string => sim.urls[SOURCE_NAMES[s]!].rest_url;

async function bookTickers(s: number): Promise<{ body: any; rows: Map<string, Row>; n: number }> {
  const a = ADAPTERS[s]!;
  const r = await getJson(a.bookTickerUrl!(rest(s)));
  expect(r.status).toBe(200);
  const rows = new Map<string, Row>();
  const n = a.parseBookTickers!(r.body, (sym, bid, ask, bidQty, askQty, ts) => {
    expect(rows.has(sym)).toBe(false);
    rows.set(sym, { bid, ask, bidQty, askQty, ts });
  });
  expect(n).toBe(rows.size);
  return { body: r.body, rows, n };
}

/** The adapter's own instrument list (Bybit linear pages followed). */
async function instruments(s: number): Promise<RawInstrument[]> {
  const a = ADAPTERS[s]!;
  const out: RawInstrument[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 20; page++) {
    const r = await getJson(a.instrumentsUrl(rest(s), cursor));
    out.push(...a.parseInstruments(r.body));
    cursor = a.nextCursor(r.body);
    if (cursor === null) break;
  }
  return out;
}

/** The simulator's current book for a symbol, in prices and the venue's quantity units. */
function book(s: number, symbol: string): { bid: number; ask: number; bidQty: number; askQty: number } {
  const i = sim.universe.bySymbol[s]!.get(symbol)!;
  const inst = sim.universe.instruments[s]![i]!;
  const b = sim.market.books[s]!;
  return { bid: b.bid[i]! * inst.tick, ask: b.ask[i]! * inst.tick, bidQty: b.bidQty[i]! * inst.qtyStep, askQty: b.askQty[i]! * inst.qtyStep };
}

const near = (a: number, b: number, rel: number): boolean => Math.abs(a - b) <= rel * Math.abs(b);
const TIMED = new Set<SourceName>(["binance_futures", "bybit_spot", "bybit_futures", "okx_spot", "okx_futures", "mexc_futures"]);

describe("body parses with the adapter and covers the tradable listed symbols", () => {
  test.each(SOURCE_NAMES.map((n, s) => [n, s] as const))("%s", async (name, s) => {
    const [{ body, rows }, listed] = await Promise.all([bookTickers(s), instruments(s)]);
    const state = sim.state(false) as { silent: Record<string, string[]>; anomalies: Record<string, string[]> };
    const anomalies = new Set(state.anomalies[name]);
    const tradable = listed.filter((r) => r.tradable).map((r) => r.exchangeSymbol);
    expect(tradable.length).toBeGreaterThan(20);
    // OKX thin books: a side without orders is "" price and size; the adapter emits no row for it (no quote).
    const oneSided = new Set<string>(name.startsWith("okx") ? body.data.filter((r: any) => r.bidPx === "" || r.askPx === "").map((r: any) => r.instId) : []);
    for (const r of name.startsWith("okx") ? body.data : []) expect([r.instId, r.bidPx === "", r.askPx === ""]).toEqual([r.instId, r.bidSz === "", r.askSz === ""]);
    for (const sym of oneSided) expect(rows.has(sym)).toBe(false);
    for (const sym of tradable) expect({ sym, listed: rows.has(sym) || oneSided.has(sym) }).toEqual({ sym, listed: true });
    const listedSet = new Set(listed.map((r) => r.exchangeSymbol));
    const tradableSet = new Set(tradable);
    for (const [sym, r] of rows) {
      // Bybit linear lists dated LinearFutures in tickers too; they are in the (tradable) instrument list as well.
      expect({ sym, listed: listedSet.has(sym) }).toEqual({ sym, listed: true });
      if (!tradableSet.has(sym)) {
        // Only Binance spot lists non-trading symbols, as the real endpoint does: every value zero.
        expect(name).toBe("binance_spot");
        expect(r).toEqual({ bid: 0, ask: 0, bidQty: 0, askQty: 0, ts: 0 });
        continue;
      }
      if (!anomalies.has(sym)) {
        expect({ sym, ok: r.bid > 0 && r.bid <= r.ask }).toEqual({ sym, ok: true });
        const b = book(s, sym);
        // Only BTC ticks here: every other row is exactly the current book.
        if (sym !== BTC[name]) expect({ sym, bid: r.bid, ask: r.ask }).toEqual({ sym, bid: expect.closeTo(b.bid, 9) as any, ask: expect.closeTo(b.ask, 9) as any });
      }
      if (name === "mexc_futures") expect([r.bidQty, r.askQty]).toEqual([Number.NaN, Number.NaN]);
      else expect(r.bidQty >= 0 && r.askQty >= 0).toBe(true);
      if (TIMED.has(name)) expect(r.ts).toBeGreaterThan(1.6e12);
      else expect(r.ts).toBe(0);
    }
    // Symbols the scenario marks silent never reach a WebSocket, but the venue's REST lists their (static) book.
    const silent = state.silent[name]!;
    expect(silent.length).toBeGreaterThan(0);
    for (const sym of silent) {
      if (oneSided.has(sym)) continue;
      const r = rows.get(sym)!;
      const b = book(s, sym);
      expect(r.bid).toBeGreaterThan(0);
      expect(r.bid).toBeLessThan(r.ask);
      expect(r.bid).toBeCloseTo(b.bid, 9);
      expect(r.ask).toBeCloseTo(b.ask, 9);
      if (name !== "mexc_futures") expect([r.bidQty, r.askQty]).toEqual([expect.closeTo(b.bidQty, 9) as any, expect.closeTo(b.askQty, 9) as any]);
    }
  });
});

describe("REST prices are what the WebSocket pushes", () => {
  test.each(SOURCE_NAMES.map((n, s) => [n, s] as const))("%s", async (name, s) => {
    const a = ADAPTERS[s]!;
    const sym = BTC[name];
    const c = await Client.open(a.wsUrl(sim.urls[name].ws_url));
    try {
      for (const r of a.subscribeRequests([sym], a.maxSubscribeBatch, 1)) c.send(r.frame);
      const table = new SymbolTable([sym]);
      const rec = new QuoteRecord();
      const updates = (): { bid: number; ask: number }[] => {
        const out: { bid: number; ask: number }[] = [];
        for (const f of c.frames) if (a.parse(f, rec, table) === FrameKind.Update && rec.symbolIndex === 0) out.push({ bid: rec.bid, ask: rec.ask });
        return out;
      };
      await c.until(() => updates().length >= 1, 5000, `${name} ${sym} update`);
      const ws = updates().at(-1)!;
      const r = (await bookTickers(s)).rows.get(sym)!;
      // 20 updates/s of a ~1 bp-noise quote: a few ms apart the two agree to well within 0.5 %.
      expect({ bid: near(r.bid, ws.bid, 0.005), ask: near(r.ask, ws.ask, 0.005) }).toEqual({ bid: true, ask: true });
      expect(r.bid).toBeLessThanOrEqual(r.ask);
    } finally {
      c.close();
    }
  });
});

describe("shapes vs the real recordings and the venues' parameters", () => {
  test("mexc spot /api/v3/ticker/bookTicker: all and ?symbol= (real recording), unknown symbol -1121", async () => {
    const rec = fixtureJson("mexc_spot/rest_ticker_bookTicker.json");
    const all = await getJson(`${rest(SourceId.mexc_spot)}/api/v3/ticker/bookTicker`);
    expect(Array.isArray(all.body)).toBe(true);
    expect(shapeDiff(all.body, rec.all)).toEqual([]);
    expect(Object.keys(all.body[0])).toEqual(Object.keys(rec.all[0]));
    const one = await getJson(`${rest(SourceId.mexc_spot)}/api/v3/ticker/bookTicker?symbol=BTCUSDT`);
    expect(shapeDiff(one.body, rec["symbol=BTCUSDT"])).toEqual([]);
    expect(one.body.symbol).toBe("BTCUSDT");
    const bad = await getJson(`${rest(SourceId.mexc_spot)}/api/v3/ticker/bookTicker?symbol=NOPEUSDT`);
    expect([bad.status, bad.body.code]).toEqual([400, -1121]);
    expect(() => ADAPTERS[SourceId.mexc_spot]!.parseBookTickers!(bad.body, () => {})).toThrow("mexc_spot bookTicker: error code -1121");
  });

  test("mexc futures /api/v1/contract/ticker: all and ?symbol= (real recording), unknown contract 1001", async () => {
    const rec = fixtureJson("mexc_futures/rest_contract_ticker.json");
    const all = await getJson(`${rest(SourceId.mexc_futures)}/api/v1/contract/ticker`);
    expect(shapeDiff(all.body, rec.all)).toEqual([]);
    expect(Object.keys(all.body.data[0])).toEqual(Object.keys(rec.all.data[0]));
    const one = await getJson(`${rest(SourceId.mexc_futures)}/api/v1/contract/ticker?symbol=BTC_USDT`);
    expect(shapeDiff(one.body, rec["symbol=BTC_USDT"])).toEqual([]);
    let n = 0;
    ADAPTERS[SourceId.mexc_futures]!.parseBookTickers!(one.body, (sym) => {
      expect(sym).toBe("BTC_USDT");
      n++;
    });
    expect(n).toBe(1);
    const bad = await getJson(`${rest(SourceId.mexc_futures)}/api/v1/contract/ticker?symbol=BTCUSDT`);
    expect(shapeDiff(bad.body, fixtureJson("mexc_futures/rest_error_contract_not_exist.json").response)).toEqual([]);
    expect(() => ADAPTERS[SourceId.mexc_futures]!.parseBookTickers!(bad.body, () => {})).toThrow("code 1001");
  });

  test("okx /api/v5/market/tickers: rows have the (documented identical) tickers row shape; instType rules", async () => {
    const wsRow = fixtureJson("okx_spot/ws_tickers_docexample.json").data[0];
    const liveSwapRow = fixtureJson("okx_swap/ws_messages.json").entries.find((e: any) => e.message?.arg?.channel === "tickers" && e.message.data).message.data[0];
    const spot = await getJson(`${rest(SourceId.okx_spot)}/api/v5/market/tickers?instType=SPOT`);
    expect(shapeDiff(spot.body, { code: "0", msg: "", data: [wsRow] })).toEqual([]);
    expect(spot.body.data.every((r: any) => r.instType === "SPOT")).toBe(true);
    const swap = await getJson(`${rest(SourceId.okx_futures)}/api/v5/market/tickers?instType=SWAP`);
    expect(shapeDiff(swap.body, { code: "0", msg: "", data: [liveSwapRow] })).toEqual([]);
    expect(swap.body.data.every((r: any) => r.instType === "SWAP" && r.instId.endsWith("-SWAP"))).toBe(true);
    const fam = await getJson(`${rest(SourceId.okx_futures)}/api/v5/market/tickers?instType=SWAP&instFamily=BTC-USDT`);
    expect(fam.body.data.map((r: any) => r.instId)).toEqual(["BTC-USDT-SWAP"]);
    const fut = await getJson(`${rest(SourceId.okx_futures)}/api/v5/market/tickers?instType=FUTURES`);
    expect(fut.body.data.length).toBeGreaterThan(0);
    expect(fut.body.data.every((r: any) => r.instType === "FUTURES")).toBe(true);
    const none = await getJson(`${rest(SourceId.okx_spot)}/api/v5/market/tickers`);
    expect([none.status, none.body.code]).toEqual([400, "50014"]);
    // A SPOT body handed to the SWAP feed is refused, not mixed in.
    expect(() => ADAPTERS[SourceId.okx_futures]!.parseBookTickers!(spot.body, () => {})).toThrow('okx_futures tickers data[0].instType: expected "SWAP" ("SPOT")');
  });

  test("bybit /v5/market/tickers: documented spot and linear row key sets; unknown symbol 10001", async () => {
    const spotKeys = ["symbol", "bid1Price", "bid1Size", "ask1Price", "ask1Size", "lastPrice", "prevPrice24h", "price24hPcnt", "highPrice24h", "lowPrice24h", "turnover24h", "volume24h", "usdIndexPrice"];
    const linearKeys = ["symbol", "lastPrice", "indexPrice", "markPrice", "prevPrice24h", "price24hPcnt", "highPrice24h", "lowPrice24h", "prevPrice1h", "openInterest", "openInterestValue", "turnover24h", "volume24h",
      // fundingIntervalHour / fundingCap: in the REST tickers since 2025-10-23.
      "fundingRate", "nextFundingTime", "fundingIntervalHour", "fundingCap", "predictedDeliveryPrice", "basisRate", "deliveryFeeRate", "deliveryTime", "ask1Size", "bid1Price", "ask1Price", "bid1Size"];
    const spot = await getJson(`${rest(SourceId.bybit_spot)}/v5/market/tickers?category=spot`);
    expect(Object.keys(spot.body)).toEqual(["retCode", "retMsg", "result", "retExtInfo", "time"]);
    expect(spot.body.result.category).toBe("spot");
    for (const r of spot.body.result.list) expect(Object.keys(r)).toEqual(spotKeys);
    const lin = await getJson(`${rest(SourceId.bybit_futures)}/v5/market/tickers?category=linear`);
    expect(lin.body.result.category).toBe("linear");
    for (const r of lin.body.result.list) expect(Object.keys(r)).toEqual(linearKeys);
    expect(lin.body.result.list.every((r: any) => Object.values(r).every((v) => typeof v === "string"))).toBe(true);
    const one = await getJson(`${rest(SourceId.bybit_spot)}/v5/market/tickers?category=spot&symbol=BTCUSDT`);
    expect(one.body.result.list.map((r: any) => r.symbol)).toEqual(["BTCUSDT"]);
    const bad = await getJson(`${rest(SourceId.bybit_spot)}/v5/market/tickers?category=spot&symbol=NOPEUSDT`);
    expect(bad.body.retCode).toBe(10001);
    expect(() => ADAPTERS[SourceId.bybit_spot]!.parseBookTickers!(bad.body, () => {})).toThrow("bybit_spot tickers: retCode 10001");
    // The linear body handed to the spot feed is refused by its category.
    expect(() => ADAPTERS[SourceId.bybit_spot]!.parseBookTickers!(lin.body, () => {})).toThrow('result.category: expected "spot" ("linear")');
  });

  test("binance bookTicker: documented row keys, ?symbol= object, -1121 for unknown symbols", async () => {
    const spot = await getJson(`${rest(SourceId.binance_spot)}/api/v3/ticker/bookTicker`);
    for (const r of spot.body) expect(Object.keys(r)).toEqual(["symbol", "bidPrice", "bidQty", "askPrice", "askQty"]);
    expect(spot.body.every((r: any) => /^\d+\.\d{8}$/.test(r.bidPrice) && /^\d+\.\d{8}$/.test(r.askQty))).toBe(true);
    const fut = await getJson(`${rest(SourceId.binance_futures)}/fapi/v1/ticker/bookTicker`);
    for (const r of fut.body) expect(Object.keys(r)).toEqual(["symbol", "bidPrice", "bidQty", "askPrice", "askQty", "time", "lastUpdateId"]);
    const one = await getJson(`${rest(SourceId.binance_futures)}/fapi/v1/ticker/bookTicker?symbol=BTCUSDT`);
    expect(one.body.symbol).toBe("BTCUSDT");
    const trading = await getJson(`${rest(SourceId.binance_spot)}/api/v3/ticker/bookTicker?symbolStatus=TRADING`);
    expect(trading.body.length).toBeLessThan(spot.body.length);
    expect(trading.body.every((r: any) => Number(r.bidPrice) > 0 || sim.universe.instruments[SourceId.binance_spot]!.some((i) => i.symbol === r.symbol && i.anomaly !== 0))).toBe(true);
    const bad = await getJson(`${rest(SourceId.binance_spot)}/api/v3/ticker/bookTicker?symbol=NOPEUSDT`);
    expect(bad.body).toEqual({ code: -1121, msg: "Invalid symbol." });
    expect(() => ADAPTERS[SourceId.binance_spot]!.parseBookTickers!(bad.body, () => {})).toThrow("binance_spot bookTicker: error code -1121");
  });

  test("rest_error faults answer the venue's error envelope, which the parsers refuse", async () => {
    for (const [s, status] of [[SourceId.bybit_futures, 503], [SourceId.okx_spot, 429], [SourceId.mexc_futures, 503], [SourceId.binance_spot, 503]] as const) {
      const f = sim.addFault({ source: SOURCE_NAMES[s], kind: "rest_error", status, count: 1 });
      const a = ADAPTERS[s]!;
      const r = await getJson(a.bookTickerUrl!(rest(s)));
      expect(r.status).toBe(status);
      expect(() => a.parseBookTickers!(r.body, () => {})).toThrow(a.name);
      sim.clearFaults({ id: f.id });
    }
  });
});
