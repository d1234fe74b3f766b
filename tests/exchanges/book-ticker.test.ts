// REST best bid/ask of every symbol (VenueAdapter.bookTickerUrl / parseBookTickers), used to seed quiet symbols at
// feed start: every source's parser on a realistic body (the two real MEXC recordings with asserted values, the
// documented shapes for the others), bad envelopes throw naming venue/field/value, rows with bad prices are skipped.
import { describe, expect, test } from "bun:test";
import { ADAPTERS } from "@spread/exchanges";
import type { VenueAdapter } from "../../packages/exchanges/src/types.ts";
import { fixtureJson } from "../fixtures.ts";
import { binance, bybit, mexc, okx } from "@spread/exchanges";

const binanceFutures = binance.futures;
const binanceSpot = binance.spot;
const bybitFutures = bybit.futures;
const bybitSpot = bybit.spot;
const mexcFutures = mexc.futures;
const mexcSpot = mexc.spot;
const okxFutures = okx.futures;
const okxSpot = okx.spot;

interface Row {
  symbol: string;
  bid: number;
  ask: number;
  bidQty: number;
  askQty: number;
  ts: number;
}

function parse(a: VenueAdapter, body: unknown): { n: number; rows: Row[] } {
  const rows: Row[] = [];
  const n = a.parseBookTickers!(body, (symbol, bid, ask, bidQty, askQty, ts) => rows.push({ symbol, bid, ask, bidQty, askQty, ts }));
  expect(n).toBe(rows.length);
  return { n, rows };
}

const row = (symbol: string, bid: number, ask: number, bidQty: number, askQty: number, ts: number): Row => ({ symbol, bid, ask, bidQty, askQty, ts });

/** A JSON-parsed copy, so tests can edit bodies freely. */
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

// Documented bodies (placeholder numbers from the venues' docs; no recording exists in tests/fixtures).
const BINANCE_SPOT_DOC = [
  { symbol: "LTCBTC", bidPrice: "4.00000000", bidQty: "431.00000000", askPrice: "4.00000200", askQty: "9.00000000" },
  { symbol: "ETHBTC", bidPrice: "0.07946700", bidQty: "9.00000000", askPrice: "100000.00000000", askQty: "1000.00000000" },
  // A delisted (BREAK) symbol: the real endpoint lists it with every value zero.
  { symbol: "BCCBTC", bidPrice: "0.00000000", bidQty: "0.00000000", askPrice: "0.00000000", askQty: "0.00000000" },
];
const BINANCE_FUTURES_DOC = [
  { symbol: "BTCUSDT", bidPrice: "4.00000000", bidQty: "431.00000000", askPrice: "4.00000200", askQty: "9.00000000", time: 1589437530011, lastUpdateId: 1027024 },
  { symbol: "1000PEPEUSDT", bidPrice: "0.0112840", bidQty: "4532", askPrice: "0.0112850", askQty: "91331", time: 1589437530012, lastUpdateId: 1027025 },
];
const BYBIT_SPOT_DOC = {
  retCode: 0,
  retMsg: "OK",
  result: {
    category: "spot",
    list: [
      {
        symbol: "BTCUSDT", bid1Price: "20517.96", bid1Size: "2", ask1Price: "20527.77", ask1Size: "1.862172", lastPrice: "20533.13", prevPrice24h: "20393.48",
        price24hPcnt: "0.0068", highPrice24h: "21128.12", lowPrice24h: "20318.89", turnover24h: "243765620.65899866", volume24h: "11801.27771", usdIndexPrice: "20784.12009279",
      },
    ],
  },
  retExtInfo: {},
  time: 1673859087947,
};
const BYBIT_LINEAR_DOC = {
  retCode: 0,
  retMsg: "OK",
  result: {
    category: "linear",
    list: [
      {
        symbol: "BTCUSDT", lastPrice: "16597.00", indexPrice: "16598.54", markPrice: "16596.00", prevPrice24h: "16464.50", price24hPcnt: "0.008047", highPrice24h: "30912.50",
        lowPrice24h: "15700.00", prevPrice1h: "16595.50", openInterest: "373504107", openInterestValue: "22505.67", turnover24h: "2352.94950046", volume24h: "49337318",
        fundingRate: "-0.001034", nextFundingTime: "1672387200000", predictedDeliveryPrice: "", basisRate: "", deliveryFeeRate: "", deliveryTime: "0",
        ask1Size: "1", bid1Price: "16596.00", ask1Price: "16597.50", bid1Size: "1",
      },
      {
        symbol: "SHIB1000USDT", lastPrice: "0.012345", indexPrice: "0.012346", markPrice: "0.012345", prevPrice24h: "0.0121", price24hPcnt: "0.02", highPrice24h: "0.0125",
        lowPrice24h: "0.0120", prevPrice1h: "0.01234", openInterest: "1", openInterestValue: "1", turnover24h: "1", volume24h: "1", fundingRate: "0.0001",
        nextFundingTime: "1672387200000", predictedDeliveryPrice: "", basisRate: "", deliveryFeeRate: "", deliveryTime: "0",
        ask1Size: "52000", bid1Price: "0.012344", ask1Price: "0.012346", bid1Size: "31500",
      },
    ],
  },
  retExtInfo: {},
  time: 1672376496682,
};
/** OKX REST ticker rows have the WS tickers row shape: wrap the fixture rows in the REST envelope. */
function okxBody(file: [string, string]): { code: string; msg: string; data: unknown[] } {
  const j = fixtureJson(...file) as any;
  const msg = j.entries ? j.entries.find((e: any) => e.message?.arg?.channel === "tickers" && Array.isArray(e.message.data)).message : j;
  return { code: "0", msg: "", data: clone(msg.data) };
}

describe("urls", () => {
  test("every source has the REST all-symbols BBO endpoint", () => {
    expect(ADAPTERS.every((a) => typeof a.bookTickerUrl === "function" && typeof a.parseBookTickers === "function")).toBe(true);
    expect(binanceSpot.bookTickerUrl!("https://api.binance.com/")).toBe("https://api.binance.com/api/v3/ticker/bookTicker");
    expect(binanceFutures.bookTickerUrl!("https://fapi.binance.com")).toBe("https://fapi.binance.com/fapi/v1/ticker/bookTicker");
    expect(bybitSpot.bookTickerUrl!("https://api.bybit.com")).toBe("https://api.bybit.com/v5/market/tickers?category=spot");
    expect(bybitFutures.bookTickerUrl!("https://api.bybit.com/")).toBe("https://api.bybit.com/v5/market/tickers?category=linear");
    expect(okxSpot.bookTickerUrl!("https://www.okx.com")).toBe("https://www.okx.com/api/v5/market/tickers?instType=SPOT");
    expect(okxFutures.bookTickerUrl!("https://www.okx.com/")).toBe("https://www.okx.com/api/v5/market/tickers?instType=SWAP");
    expect(mexcSpot.bookTickerUrl!("https://api.mexc.com")).toBe("https://api.mexc.com/api/v3/ticker/bookTicker");
    expect(mexcFutures.bookTickerUrl!("https://contract.mexc.com/")).toBe("https://contract.mexc.com/api/v1/contract/ticker");
  });
});

describe("realistic bodies", () => {
  test("mexc_spot: the real recording (all symbols and ?symbol=BTCUSDT), no time", () => {
    const rec = fixtureJson("mexc_spot", "rest_ticker_bookTicker.json") as any;
    expect(parse(mexcSpot, rec.all).rows).toEqual([
      row("METALUSDT", 0.16183, 0.16254, 8.97, 1570.54, 0),
      row("RARIUSDT", 0.2396, 0.2397, 58.3, 14.72, 0),
      row("PYTHUSDT", 0.05481, 0.0549, 94.03, 176.72, 0),
      row("AOUSDT", 5.336, 5.373, 1.77, 17.82, 0),
      row("AMPEDUSDT", 0.00281, 0.00283, 71306.33, 83667.29, 0),
    ]);
    expect(parse(mexcSpot, rec["symbol=BTCUSDT"]).rows).toEqual([row("BTCUSDT", 87893.56, 87894.45, 3.141912, 1.783024, 0)]);
  });

  test("mexc_futures: the real recording (all contracts and ?symbol=BTC_USDT), JSON numbers, no sizes", () => {
    const rec = fixtureJson("mexc_futures", "rest_contract_ticker.json") as any;
    const ts = 1767209294795;
    const all = parse(mexcFutures, rec.all);
    expect(all.n).toBe(5);
    expect(all.rows.map((r) => [r.symbol, r.bid, r.ask, r.ts])).toEqual([
      ["BTC_USDT", 87718.1, 87718.2, ts],
      ["ETH_USDT", 2975.4, 2975.41, ts],
      ["LIGHT_USDT", 1.2741, 1.2743, ts],
      ["SOL_USDT", 124.86, 124.87, ts],
      ["SILVER_USDT", 71.62, 71.78, ts],
    ]);
    expect(all.rows.every((r) => Number.isNaN(r.bidQty) && Number.isNaN(r.askQty))).toBe(true);
    const one = parse(mexcFutures, rec["symbol=BTC_USDT"]).rows;
    expect(one.length).toBe(1);
    expect(one[0]).toMatchObject({ symbol: "BTC_USDT", bid: 87718.1, ask: 87718.2, ts });
    // Small prices arrive in exponent form (3.4103e-06), as on push.ticker.
    const small = JSON.parse(JSON.stringify(rec["symbol=BTC_USDT"]).replace('"bid1":87718.1', '"bid1":3.4103e-06').replace('"ask1":87718.2', '"ask1":3.4104e-06'));
    expect(parse(mexcFutures, small).rows[0]).toMatchObject({ bid: 3.4103e-6, ask: 3.4104e-6 });
  });

  test("binance_spot: documented rows; a BREAK symbol's all-zero row is emitted as 0 (callers check prices); ?symbol= object", () => {
    expect(parse(binanceSpot, BINANCE_SPOT_DOC).rows).toEqual([
      row("LTCBTC", 4, 4.000002, 431, 9, 0),
      row("ETHBTC", 0.079467, 100000, 9, 1000, 0),
      row("BCCBTC", 0, 0, 0, 0, 0),
    ]);
    expect(parse(binanceSpot, BINANCE_SPOT_DOC[0]).rows).toEqual([row("LTCBTC", 4, 4.000002, 431, 9, 0)]);
  });

  test("binance_futures: documented rows with time", () => {
    expect(parse(binanceFutures, BINANCE_FUTURES_DOC).rows).toEqual([
      row("BTCUSDT", 4, 4.000002, 431, 9, 1589437530011),
      row("1000PEPEUSDT", 0.011284, 0.011285, 4532, 91331, 1589437530012),
    ]);
  });

  test("bybit spot and linear: documented rows; the envelope time stamps every row", () => {
    expect(parse(bybitSpot, BYBIT_SPOT_DOC).rows).toEqual([row("BTCUSDT", 20517.96, 20527.77, 2, 1.862172, 1673859087947)]);
    expect(parse(bybitFutures, BYBIT_LINEAR_DOC).rows).toEqual([
      row("BTCUSDT", 16596, 16597.5, 1, 1, 1672376496682),
      row("SHIB1000USDT", 0.012344, 0.012346, 31500, 52000, 1672376496682),
    ]);
    const noTime = clone(BYBIT_SPOT_DOC) as any;
    delete noTime.time;
    expect(parse(bybitSpot, noTime).rows[0]!.ts).toBe(0);
  });

  test("okx: SPOT (docs row) and SWAP (live row: sizes are contracts, emitted as given)", () => {
    expect(parse(okxSpot, okxBody(["okx_spot", "ws_tickers_docexample.json"])).rows).toEqual([row("BTC-USDT", 8888.88, 9999.99, 5, 11, 1597026383085)]);
    expect(parse(okxFutures, okxBody(["okx_swap", "ws_messages.json"])).rows).toEqual([row("BTC-USDT-SWAP", 26008, 26008.1, 1605, 73, 1693560446879)]);
  });
});

describe("bad envelopes throw naming venue, field and value", () => {
  test("venue error bodies", () => {
    expect(() => parse(binanceSpot, { code: -1121, msg: "Invalid symbol." })).toThrow('binance_spot bookTicker: error code -1121: "Invalid symbol."');
    expect(() => parse(binanceFutures, { code: -1003, msg: "Too many requests" })).toThrow("binance_futures bookTicker: error code -1003");
    expect(() => parse(bybitSpot, { retCode: 10001, retMsg: "Not supported symbols", result: {}, retExtInfo: {}, time: 1 })).toThrow('bybit_spot tickers: retCode 10001, retMsg "Not supported symbols"');
    expect(() => parse(okxFutures, { code: "50011", msg: "Too Many Requests", data: [] })).toThrow('okx_futures tickers: code "50011", msg "Too Many Requests"');
    expect(() => parse(mexcSpot, { code: -1121, msg: "Invalid symbol." })).toThrow("mexc_spot bookTicker: error code -1121");
    const err = (fixtureJson("mexc_futures", "rest_error_contract_not_exist.json") as any).response;
    expect(() => parse(mexcFutures, err)).toThrow('mexc_futures contract/ticker: code 1001, message "Contract does not exist"');
  });

  test("wrong shapes", () => {
    for (const a of ADAPTERS) {
      for (const body of [null, "[]", 42, true]) expect(() => parse(a, body)).toThrow(a.name);
    }
    expect(() => parse(binanceSpot, [{ symbol: "A", bidPrice: "1", askPrice: "2" }, "x"])).toThrow('binance_spot bookTicker[1]: expected an object ("x")');
    expect(() => parse(binanceFutures, [{ bidPrice: "1", askPrice: "2" }])).toThrow("binance_futures bookTicker[0].symbol: expected a non-empty string (missing)");
    expect(() => parse(mexcSpot, [{ symbol: 5, bidPrice: "1", askPrice: "2" }])).toThrow("mexc_spot bookTicker[0].symbol: expected a non-empty string (5)");
    expect(() => parse(bybitFutures, { retCode: 0, result: { category: "linear", list: {} } })).toThrow("bybit_futures tickers result.list: expected an array ({})");
    expect(() => parse(bybitFutures, { retCode: 0 })).toThrow("bybit_futures tickers result: expected an object (missing)");
    expect(() => parse(bybitFutures, BYBIT_SPOT_DOC)).toThrow('bybit_futures tickers result.category: expected "linear" ("spot")');
    expect(() => parse(okxSpot, { code: "0", msg: "", data: null })).toThrow("okx_spot tickers data: expected an array (null)");
    expect(() => parse(okxSpot, okxBody(["okx_swap", "ws_messages.json"]))).toThrow('okx_spot tickers data[0].instType: expected "SPOT" ("SWAP")');
    expect(() => parse(okxFutures, { code: "0", data: [{ bidPx: "1", askPx: "2" }] })).toThrow("okx_futures tickers data[0].instId: expected a non-empty string (missing)");
    expect(() => parse(mexcFutures, { success: true, code: 0 })).toThrow("mexc_futures contract/ticker data: expected an array or an object (missing)");
    expect(() => parse(mexcFutures, { success: false, code: 510, message: "Requests are too frequent" })).toThrow("mexc_futures contract/ticker: code 510");
    expect(() => parse(mexcFutures, { success: true, code: 0, data: [7] })).toThrow("mexc_futures contract/ticker data[0]: expected an object (7)");
  });
});

describe("rows with unusable prices are skipped; quantities NaN where absent", () => {
  /** Per source: a row builder in the venue's field names and the envelope around rows. */
  const CASES: [VenueAdapter, (s: string, b: unknown, a: unknown, bq?: unknown, aq?: unknown) => object, (rows: object[]) => unknown][] = [
    [binanceSpot, (s, b, a, bq, aq) => ({ symbol: s, bidPrice: b, bidQty: bq, askPrice: a, askQty: aq }), (r) => r],
    [binanceFutures, (s, b, a, bq, aq) => ({ symbol: s, bidPrice: b, bidQty: bq, askPrice: a, askQty: aq, time: 5, lastUpdateId: 1 }), (r) => r],
    [bybitSpot, (s, b, a, bq, aq) => ({ symbol: s, bid1Price: b, bid1Size: bq, ask1Price: a, ask1Size: aq }), (r) => ({ retCode: 0, retMsg: "OK", result: { category: "spot", list: r }, time: 5 })],
    [bybitFutures, (s, b, a, bq, aq) => ({ symbol: s, bid1Price: b, bid1Size: bq, ask1Price: a, ask1Size: aq }), (r) => ({ retCode: 0, retMsg: "OK", result: { category: "linear", list: r }, time: 5 })],
    [okxSpot, (s, b, a, bq, aq) => ({ instType: "SPOT", instId: s, bidPx: b, bidSz: bq, askPx: a, askSz: aq, ts: "5" }), (r) => ({ code: "0", msg: "", data: r })],
    [okxFutures, (s, b, a, bq, aq) => ({ instType: "SWAP", instId: s, bidPx: b, bidSz: bq, askPx: a, askSz: aq, ts: "5" }), (r) => ({ code: "0", msg: "", data: r })],
    [mexcSpot, (s, b, a, bq, aq) => ({ askPrice: a, askQty: aq, bidPrice: b, bidQty: bq, symbol: s }), (r) => r],
    [mexcFutures, (s, b, a) => ({ symbol: s, bid1: b, ask1: a, timestamp: 5 }), (r) => ({ success: true, code: 0, data: r })],
  ];

  test.each(CASES.map((c) => [c[0].name, c] as const))("%s", (_name, [a, mk, env]) => {
    const body = env([
      mk("GOOD", "1.5", "1.6", "10", "20"),
      mk("ABC", "abc", "1.6", "10", "20"),
      mk("EMPTY", "", "1.6", "10", "20"),
      mk("NULLASK", "1.5", null, "10", "20"),
      mk("NOASK", "1.5", undefined, "10", "20"),
      mk("INF", "1.5", "Infinity", "10", "20"),
      mk("NOQTY", 2.5, 2.6),
      mk("BADQTY", "3.5", "3.6", "x", ""),
    ]);
    const { n, rows } = parse(a, JSON.parse(JSON.stringify(body)));
    expect(n).toBe(3);
    expect(rows.map((r) => r.symbol)).toEqual(["GOOD", "NOQTY", "BADQTY"]);
    const ts = a === binanceSpot || a === mexcSpot ? 0 : 5;
    const q = a === mexcFutures ? [Number.NaN, Number.NaN] : [10, 20];
    expect(rows[0]).toEqual(row("GOOD", 1.5, 1.6, q[0]!, q[1]!, ts));
    expect(rows[1]).toEqual(row("NOQTY", 2.5, 2.6, Number.NaN, Number.NaN, ts));
    expect(rows[2]).toEqual(row("BADQTY", 3.5, 3.6, Number.NaN, Number.NaN, ts));
    // An empty list is fine: zero rows.
    expect(parse(a, env([])).n).toBe(0);
  });
});
