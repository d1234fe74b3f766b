// Bybit spot and linear instrument parsing: every REST fixture with asserted decisions, cursor pagination across pages.
import { describe, expect, test } from "bun:test";
import { encodeCursor } from "../../packages/exchanges/src/bybit/instruments.ts";
import type { RawInstrument, VenueAdapter } from "../../packages/exchanges/src/types.ts";
import { bybitEnvelope } from "./helpers-binance-bybit.ts";
import { fixtureJson, listFixtures } from "../fixtures.ts";
import { bybit } from "@spread/exchanges";

const bybitFutures = bybit.futures;
const bybitSpot = bybit.spot;

const bySymbol = (list: RawInstrument[]) => new Map(list.map((i) => [i.exchangeSymbol, i]));
const tradableUsdt = (list: RawInstrument[], kind: RawInstrument["kind"]) =>
  list.filter((i) => i.tradable && i.quote === "USDT" && i.kind === kind).map((i) => i.exchangeSymbol);

const SPOT_DOCS = "instruments_info_spot_docs_example.json";
const SPOT_CCXT = "instruments_info_spot_list_items_ccxt_static.json";
const LIN_DOCS = "instruments_info_linear_docs_example.json";
const LIN_PRE = "instruments_info_linear_prelaunch_docs_example.json";
const LIN_CCXT = "instruments_info_linear_list_items_ccxt_static.json";

function linearItem(symbol: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    symbol,
    contractType: "LinearPerpetual",
    status: "Trading",
    baseCoin: symbol.replace(/USDT$/, ""),
    quoteCoin: "USDT",
    settleCoin: "USDT",
    priceFilter: { minPrice: "0.0001", maxPrice: "1999.9998", tickSize: "0.0001" },
    lotSizeFilter: { maxOrderQty: "70000", minOrderQty: "1", qtyStep: "1", minNotionalValue: "5" },
    symbolType: "",
    ...extra,
  };
}

describe("bybit fixtures coverage", () => {
  test("every REST fixture file is exercised below", () => {
    expect(listFixtures("bybit_spot").filter((f) => f.endsWith(".json"))).toEqual([SPOT_DOCS, SPOT_CCXT]);
    expect(listFixtures("bybit_linear").filter((f) => f.endsWith(".json"))).toEqual([LIN_DOCS, LIN_CCXT, LIN_PRE]);
  });
});

describe("bybit_spot instruments", () => {
  test("URL, no paging", () => {
    expect(bybitSpot.instrumentsUrl("https://api.bybit.com", null)).toBe("https://api.bybit.com/v5/market/instruments-info?category=spot");
    expect(bybitSpot.instrumentsUrl("https://api.bybit.com/", "x")).toBe("https://api.bybit.com/v5/market/instruments-info?category=spot");
    expect(bybitSpot.nextCursor(fixtureJson("bybit_spot", SPOT_DOCS))).toBeNull();
  });

  test("docs example", () => {
    const list = bybitSpot.parseInstruments(fixtureJson("bybit_spot", SPOT_DOCS));
    expect(list).toEqual([
      {
        source: 2,
        exchangeSymbol: "BTCUSDT",
        base: "BTC",
        quote: "USDT",
        settle: null,
        tradable: true,
        status: "Trading",
        kind: "spot",
        otherReason: null,
        minQty: 0.000011,
        maxQty: 83,
        tickSize: 0.1,
        minNotional: 5,
        contractSize: null,
        multiplierHint: 1,
        baseHint: "BTC",
      },
    ]);
  });

  test("ccxt live items (older schema: maxOrderQty only)", () => {
    const list = bybitSpot.parseInstruments(bybitEnvelope("spot", fixtureJson("bybit_spot", SPOT_CCXT) as unknown[]));
    expect(list.length).toBe(2);
    expect(tradableUsdt(list, "spot")).toEqual(["BTCUSDT", "ETHUSDT"]);
    const eth = bySymbol(list).get("ETHUSDT")!;
    expect([eth.tickSize, eth.minQty, eth.maxQty, eth.minNotional]).toEqual([0.01, 0.00029, 4616.1353715, 5]);
    const btc = bySymbol(list).get("BTCUSDT")!;
    expect([btc.tickSize, btc.minQty, btc.maxQty, btc.minNotional]).toEqual([0.1, 0.000011, 83, 5]);
  });

  test("xstocks are never a crypto spot leg; numbers as numbers and exponents", () => {
    const list = bybitSpot.parseInstruments(
      bybitEnvelope("spot", [
        { symbol: "AAPLXUSDT", baseCoin: "AAPLX", quoteCoin: "USDT", status: "Trading", symbolType: "xstocks", xstockMultiplier: "1", priceFilter: { tickSize: "0.01" } },
        { symbol: "PEPEUSDT", baseCoin: "PEPE", quoteCoin: "USDT", status: "Trading", symbolType: "adventure", priceFilter: { tickSize: 1e-8 }, lotSizeFilter: { minOrderAmt: 1, maxLimitOrderQty: "1E+10" } },
      ]),
    );
    const m = bySymbol(list);
    expect([m.get("AAPLXUSDT")!.kind, m.get("AAPLXUSDT")!.otherReason]).toEqual(["other", "tradfi"]);
    const pepe = m.get("PEPEUSDT")!;
    expect([pepe.kind, pepe.tickSize, pepe.minNotional, pepe.maxQty, pepe.minQty]).toEqual(["spot", 1e-8, 1, 1e10, null]);
  });

  test("retCode != 0 and bad fields throw naming the venue", () => {
    expect(() => bybitSpot.parseInstruments({ retCode: 10001, retMsg: "params error", result: {} })).toThrow('bybit_spot instruments: retCode 10001, retMsg "params error"');
    expect(() => bybitSpot.parseInstruments({ retMsg: "?" })).toThrow('bybit_spot instruments: retCode missing, retMsg "?"');
    expect(() => bybitSpot.parseInstruments({ retCode: 0, result: { list: "x" } })).toThrow('bybit_spot instruments result.list: expected an array ("x")');
  });
});

describe("bybit_futures (linear) instruments", () => {
  test("docs example: USDT perpetual, last page", () => {
    const body = fixtureJson("bybit_linear", LIN_DOCS);
    expect(bybitFutures.nextCursor(body)).toBeNull();
    const list = bybitFutures.parseInstruments(body);
    expect(list).toEqual([
      {
        source: 3,
        exchangeSymbol: "BTCUSDT",
        base: "BTC",
        quote: "USDT",
        settle: "USDT",
        tradable: true,
        status: "Trading",
        kind: "perpetual",
        otherReason: null,
        minQty: 0.001,
        maxQty: 1190,
        tickSize: 0.1,
        minNotional: 5,
        contractSize: null,
        multiplierHint: 1,
        baseHint: "BTC",
      },
    ]);
  });

  test("pre-launch docs example: not tradable, prelaunch, has a next cursor", () => {
    const body = fixtureJson("bybit_linear", LIN_PRE);
    expect(bybitFutures.nextCursor(body)).toBe("first%3DBIOUSDT%26last%3DBIOUSDT");
    const [bio] = bybitFutures.parseInstruments(body);
    expect([bio!.exchangeSymbol, bio!.status, bio!.tradable, bio!.kind, bio!.otherReason, bio!.tickSize, bio!.minQty, bio!.maxQty, bio!.minNotional]).toEqual([
      "BIOUSDT",
      "PreLaunch",
      false,
      "other",
      "prelaunch",
      0.0001,
      1,
      70000,
      5,
    ]);
  });

  test("ccxt live items", () => {
    const list = bybitFutures.parseInstruments(bybitEnvelope("linear", fixtureJson("bybit_linear", LIN_CCXT) as unknown[], ""));
    expect(list.length).toBe(2);
    expect(tradableUsdt(list, "perpetual")).toEqual(["BTCUSDT", "ETHUSDT"]);
    const eth = bySymbol(list).get("ETHUSDT")!;
    expect([eth.tickSize, eth.minQty, eth.maxQty, eth.minNotional, eth.settle]).toEqual([0.01, 0.01, 7240, 5, "USDT"]);
  });

  test("contract kinds and multiplier names", () => {
    const list = bybitFutures.parseInstruments(
      bybitEnvelope("linear", [
        linearItem("BTC-26SEP25", { contractType: "LinearFutures", baseCoin: "BTC" }),
        linearItem("BTCPERP", { baseCoin: "BTC", quoteCoin: "USDC", settleCoin: "USDC" }),
        linearItem("XAUTUSDT", { symbolType: "commodity" }),
        linearItem("NVDAUSDT", { symbolType: "stock" }),
        linearItem("EURUSDT", { symbolType: "forex" }),
        linearItem("NEWUSDT", { status: "PreLaunch" }),
        linearItem("OLDUSDT", { status: "Delivering" }),
        linearItem("MEMEUSDT", { symbolType: "innovation" }),
        linearItem("1000PEPEUSDT"),
        linearItem("10000SATSUSDT"),
        linearItem("1000000CHEEMSUSDT"),
        linearItem("SHIB1000USDT"),
        linearItem("1000000BABYDOGEUSDT"),
        linearItem("BTCUSD", { contractType: "InversePerpetual", baseCoin: "BTC", quoteCoin: "USD", settleCoin: "BTC" }),
      ]),
    );
    const m = bySymbol(list);
    const kr = (s: string) => [m.get(s)!.kind, m.get(s)!.otherReason, m.get(s)!.tradable];
    expect(kr("BTC-26SEP25")).toEqual(["other", "dated", true]);
    expect(kr("BTCPERP")).toEqual(["other", "usdc", true]);
    expect(kr("XAUTUSDT")).toEqual(["other", "tradfi", true]);
    expect(kr("NVDAUSDT")).toEqual(["other", "tradfi", true]);
    expect(kr("EURUSDT")).toEqual(["other", "tradfi", true]);
    expect(kr("NEWUSDT")).toEqual(["other", "prelaunch", false]);
    expect(kr("OLDUSDT")).toEqual(["perpetual", null, false]);
    expect(kr("MEMEUSDT")).toEqual(["perpetual", null, true]);
    expect(kr("BTCUSD")).toEqual(["other", "inverse", true]);
    const hint = (s: string) => [m.get(s)!.base, m.get(s)!.multiplierHint, m.get(s)!.baseHint];
    expect(hint("1000PEPEUSDT")).toEqual(["1000PEPE", 1000, "PEPE"]);
    expect(hint("10000SATSUSDT")).toEqual(["10000SATS", 10000, "SATS"]);
    expect(hint("1000000CHEEMSUSDT")).toEqual(["1000000CHEEMS", 1e6, "CHEEMS"]);
    expect(hint("SHIB1000USDT")).toEqual(["SHIB1000", 1000, "SHIB"]);
    expect(hint("1000000BABYDOGEUSDT")).toEqual(["1000000BABYDOGE", 1e6, "BABYDOGE"]);
    expect(tradableUsdt(list, "perpetual")).toEqual(["MEMEUSDT", "1000PEPEUSDT", "10000SATSUSDT", "1000000CHEEMSUSDT", "SHIB1000USDT", "1000000BABYDOGEUSDT"]);
  });

  test("errors name venue, retCode/retMsg, field path and value", () => {
    expect(() => bybitFutures.parseInstruments({ retCode: 10001, retMsg: "params error", result: {}, time: 1 })).toThrow('bybit_futures instruments: retCode 10001, retMsg "params error"');
    const items = [linearItem("AUSDT"), linearItem("BUSDT"), linearItem("CUSDT"), linearItem("DUSDT", { priceFilter: { tickSize: "abc" } })];
    expect(() => bybitFutures.parseInstruments(bybitEnvelope("linear", items, ""))).toThrow('bybit_futures instruments result.list[3].priceFilter.tickSize: not a number ("abc")');
    expect(() => bybitFutures.parseInstruments(bybitEnvelope("linear", [linearItem("X", { baseCoin: "" })]))).toThrow(
      'bybit_futures instruments result.list[0].baseCoin: expected a non-empty string ("")',
    );
    expect(() => bybitFutures.parseInstruments(bybitEnvelope("linear", [linearItem("X", { lotSizeFilter: [] })]))).toThrow(
      "bybit_futures instruments result.list[0].lotSizeFilter: expected an object ([])",
    );
  });
});

describe("bybit linear pagination", () => {
  /** Drives an adapter the way Pair Discovery does: follow nextCursor until null. */
  function fetchAll(adapter: VenueAdapter, pages: Map<string, unknown>): { urls: string[]; list: RawInstrument[] } {
    const urls: string[] = [];
    const list: RawInstrument[] = [];
    let cursor: string | null = null;
    do {
      const url = adapter.instrumentsUrl("https://api.bybit.com", cursor);
      urls.push(url);
      const body = pages.get(url);
      if (body === undefined) throw new Error(`unexpected URL ${url}`);
      list.push(...adapter.parseInstruments(body));
      cursor = adapter.nextCursor(body);
    } while (cursor !== null && urls.length < 10);
    return { urls, list };
  }

  const first = "https://api.bybit.com/v5/market/instruments-info?category=linear&limit=1000";

  test("two pages: the docs cursor is passed back verbatim", () => {
    const pages = new Map<string, unknown>([
      [first, fixtureJson("bybit_linear", LIN_PRE)],
      [`${first}&cursor=first%3DBIOUSDT%26last%3DBIOUSDT`, bybitEnvelope("linear", fixtureJson("bybit_linear", LIN_CCXT) as unknown[], "")],
    ]);
    const { urls, list } = fetchAll(bybitFutures, pages);
    expect(urls).toEqual([...pages.keys()]);
    expect(list.map((i) => i.exchangeSymbol)).toEqual(["BIOUSDT", "BTCUSDT", "ETHUSDT"]);
    expect(tradableUsdt(list, "perpetual")).toEqual(["BTCUSDT", "ETHUSDT"]);
  });

  test("three pages built from fixture items; a raw cursor is encoded; missing cursor ends", () => {
    const [btc, eth] = fixtureJson("bybit_linear", LIN_CCXT) as unknown[];
    const docs = fixtureJson("bybit_linear", LIN_DOCS) as { result: { list: unknown[] } };
    const pages = new Map<string, unknown>([
      [first, bybitEnvelope("linear", [btc], "first=BTCUSDT&last=BTCUSDT")],
      [`${first}&cursor=first%3DBTCUSDT%26last%3DBTCUSDT`, bybitEnvelope("linear", [eth], "first%3DETHUSDT%26last%3DETHUSDT")],
      [`${first}&cursor=first%3DETHUSDT%26last%3DETHUSDT`, bybitEnvelope("linear", [{ ...(docs.result.list[0] as object), symbol: "BTCUSDT2" }])],
    ]);
    const { urls, list } = fetchAll(bybitFutures, pages);
    expect(urls.length).toBe(3);
    expect(list.map((i) => i.exchangeSymbol)).toEqual(["BTCUSDT", "ETHUSDT", "BTCUSDT2"]);
  });

  test("cursor encoding keeps %XX escapes, encodes the rest", () => {
    expect(encodeCursor("first%3DBIOUSDT%26last%3DBIOUSDT")).toBe("first%3DBIOUSDT%26last%3DBIOUSDT");
    expect(encodeCursor("first=BIOUSDT&last=BIOUSDT")).toBe("first%3DBIOUSDT%26last%3DBIOUSDT");
    expect(encodeCursor("a b+c#d%zz%4")).toBe("a%20b%2Bc%23d%25zz%254");
    expect(encodeCursor("é😀")).toBe(encodeURIComponent("é😀"));
    expect(bybitFutures.nextCursor({ result: { nextPageCursor: "" } })).toBeNull();
    expect(bybitFutures.nextCursor({ result: {} })).toBeNull();
    expect(bybitFutures.nextCursor(null)).toBeNull();
    expect(bybitFutures.instrumentsUrl("https://api.bybit.com", "")).toBe(first);
  });
});
