// MEXC instrument lists (spot exchangeInfo, futures contract/detail): every REST fixture file, asserted values.
import { describe, expect, test } from "bun:test";
import type { RawInstrument } from "../../packages/exchanges/src/types.ts";
import { fixtureJson } from "../fixtures.ts";
import { mexc } from "@spread/exchanges";

const mexcFutures = mexc.futures;
const mexcSpot = mexc.spot;

const bySymbol = (list: RawInstrument[]): Map<string, RawInstrument> => new Map(list.map((r) => [r.exchangeSymbol, r]));

describe("mexc urls and adapter constants", () => {
  test("urls, ids, limits, heartbeats", () => {
    expect(mexcSpot.instrumentsUrl("https://api.mexc.com/", null)).toBe("https://api.mexc.com/api/v3/exchangeInfo");
    expect(mexcFutures.instrumentsUrl("https://contract.mexc.com", null)).toBe("https://contract.mexc.com/api/v1/contract/detail");
    expect(mexcSpot.wsUrl("wss://wbs-api.mexc.com")).toBe("wss://wbs-api.mexc.com/ws");
    expect(mexcFutures.wsUrl("wss://contract.mexc.com/")).toBe("wss://contract.mexc.com/edge");
    expect([mexcSpot.source, mexcFutures.source, mexcSpot.name, mexcFutures.name]).toEqual([4, 5, "mexc_spot", "mexc_futures"]);
    expect([mexcSpot.maxSubscribeBatch, mexcSpot.maxSubsPerConnection, mexcFutures.maxSubscribeBatch]).toEqual([30, 30, 1]);
    expect(mexcSpot.heartbeat).toEqual({ clientPing: '{"method":"PING"}', pingWhenIdleOnly: false });
    expect(mexcFutures.heartbeat).toEqual({ clientPing: '{"method":"ping"}', pingWhenIdleOnly: false });
    expect(mexcSpot.nextCursor({})).toBeNull();
    expect(mexcFutures.nextCursor({})).toBeNull();
  });
});

describe("mexc_spot instruments", () => {
  test("mexc_spot/exchangeInfo.json: 6 symbols, all status \"1\" → tradable USDT spot (isSpotTradingAllowed ignored)", () => {
    const list = mexcSpot.parseInstruments(fixtureJson("mexc_spot", "exchangeInfo.json"));
    expect(list.length).toBe(6);
    expect(list.filter((r) => r.tradable && r.kind === "spot" && r.quote === "USDT").length).toBe(6);
    const m = bySymbol(list);
    expect(m.get("BTCUSDT")).toEqual({
      source: 4,
      exchangeSymbol: "BTCUSDT",
      base: "BTC",
      quote: "USDT",
      settle: null,
      tradable: true, // although isSpotTradingAllowed is false
      status: "1",
      kind: "spot",
      otherReason: null,
      minQty: 0.000001, // baseSizePrecision
      maxQty: null, // only maxQuoteAmount (quote units) exists
      tickSize: 0.01, // 10^-quotePrecision(2)
      minNotional: 1, // quoteAmountPrecision
      contractSize: null,
      multiplierHint: 1,
      baseHint: "BTC",
    });
    expect(m.get("METALUSDT")).toMatchObject({ base: "METAL", tickSize: 0.00001, minQty: 0.1, minNotional: 1 });
    expect(m.get("RARIUSDT")).toMatchObject({ tickSize: 0.0001, minQty: 0.0001 });
    expect(m.get("PYTHUSDT")).toMatchObject({ tickSize: 0.00001, minQty: null }); // baseSizePrecision "0" = no minimum
    expect(m.get("AOUSDT")).toMatchObject({ tickSize: 0.001, minQty: null });
    expect(m.get("AMPEDUSDT")).toMatchObject({ tickSize: 0.00001, minQty: null, minNotional: 1 });
  });

  test("mexc_spot/exchangeInfo_BTCUSDT.json: the single-symbol answer", () => {
    const list = mexcSpot.parseInstruments(fixtureJson("mexc_spot", "exchangeInfo_BTCUSDT.json"));
    expect(list.map((r) => [r.exchangeSymbol, r.tradable, r.tickSize, r.minQty, r.minNotional])).toEqual([["BTCUSDT", true, 0.01, 0.000001, 1]]);
  });

  test("mexc_spot/rest_ticker_bookTicker.json is not an instrument list: rejected with a named error", () => {
    const body = fixtureJson("mexc_spot", "rest_ticker_bookTicker.json") as { all: unknown };
    expect(() => mexcSpot.parseInstruments(body)).toThrow("mexc_spot instruments symbols: not an array (undefined)");
    expect(() => mexcSpot.parseInstruments(body.all)).toThrow("mexc_spot instruments: not an object");
  });

  test("status values: \"1\" and legacy ENABLED online, \"2\"/\"3\" not; numbers and exponent strings accepted", () => {
    const row = (status: unknown, over: Record<string, unknown> = {}): Record<string, unknown> => ({
      symbol: "1000SATSUSDT",
      status,
      baseAsset: "1000SATS",
      quoteAsset: "USDT",
      quotePrecision: "7",
      baseSizePrecision: "1e-2",
      quoteAmountPrecision: 5,
      isSpotTradingAllowed: false,
      ...over,
    });
    const list = mexcSpot.parseInstruments({ symbols: [row("1"), row("ENABLED"), row("2"), row("3"), row(1)] });
    expect(list.map((r) => [r.status, r.tradable])).toEqual([
      ["1", true],
      ["ENABLED", true],
      ["2", false],
      ["3", false],
      ["1", true],
    ]);
    expect(list[0]).toMatchObject({ tickSize: 1e-7, minQty: 0.01, minNotional: 5, multiplierHint: 1000, baseHint: "SATS" });
  });

  test("errors name venue, field and value", () => {
    expect(() => mexcSpot.parseInstruments({ code: -1121, msg: "Invalid symbol." })).toThrow('mexc_spot instruments: code -1121 (msg "Invalid symbol.")');
    expect(() => mexcSpot.parseInstruments({ symbols: [{ symbol: "A", status: "1", baseAsset: "A", quoteAsset: "USDT", quotePrecision: 2, baseSizePrecision: "abc" }] })).toThrow(
      'mexc_spot instruments symbols[0].baseSizePrecision: not a number ("abc")',
    );
    expect(() => mexcSpot.parseInstruments({ symbols: [{ symbol: "A", status: "1", baseAsset: "A", quoteAsset: "USDT", quotePrecision: 2.5 }] })).toThrow("mexc_spot instruments symbols[0].quotePrecision: not a decimal count (2.5)");
    expect(() => mexcSpot.parseInstruments({ symbols: [{ status: "1" }] })).toThrow("mexc_spot instruments symbols[0].symbol: missing or not a string (undefined)");
  });
});

describe("mexc_futures instruments", () => {
  test("mexc_futures/contract_detail.json: array form, 5 contracts, 4 USDT perpetuals, SILVER_USDT tradfi", () => {
    const list = mexcFutures.parseInstruments(fixtureJson("mexc_futures", "contract_detail.json"));
    expect(list.length).toBe(5);
    expect(list.filter((r) => r.tradable).length).toBe(5);
    expect(list.filter((r) => r.tradable && r.kind === "perpetual" && r.quote === "USDT" && r.settle === "USDT").length).toBe(4);
    const m = bySymbol(list);
    expect(m.get("BTC_USDT")).toEqual({
      source: 5,
      exchangeSymbol: "BTC_USDT",
      base: "BTC",
      quote: "USDT",
      settle: "USDT",
      tradable: true,
      status: "0",
      kind: "perpetual",
      otherReason: null,
      minQty: 1, // contracts
      maxQty: 400000, // contracts
      tickSize: 0.1,
      minNotional: null,
      contractSize: 0.0001,
      multiplierHint: 1,
      baseHint: "BTC",
    });
    expect(m.get("ETH_USDT")).toMatchObject({ kind: "perpetual", contractSize: 0.01, tickSize: 0.01, maxQty: 70000 });
    expect(m.get("LIGHT_USDT")).toMatchObject({ kind: "perpetual", contractSize: 1, tickSize: 0.0001, maxQty: 30000 });
    expect(m.get("SOL_USDT")).toMatchObject({ kind: "perpetual", contractSize: 0.1, tickSize: 0.01, maxQty: 120000 });
    expect(m.get("SILVER_USDT")).toMatchObject({ kind: "other", otherReason: "tradfi", tradable: true, contractSize: 0.01, tickSize: 0.01 });
  });

  test("mexc_futures/contract_detail_BTC_USDT.json: object form (?symbol=)", () => {
    const list = mexcFutures.parseInstruments(fixtureJson("mexc_futures", "contract_detail_BTC_USDT.json"));
    expect(list.map((r) => [r.exchangeSymbol, r.kind, r.contractSize, r.tickSize, r.minQty, r.maxQty])).toEqual([["BTC_USDT", "perpetual", 0.0001, 0.1, 1, 400000]]);
  });

  test("mexc_futures/rest_error_contract_not_exist.json throws naming venue and code", () => {
    const body = (fixtureJson("mexc_futures", "rest_error_contract_not_exist.json") as { response: unknown }).response;
    expect(() => mexcFutures.parseInstruments(body)).toThrow('mexc_futures instruments: code 1001 (message "Contract does not exist")');
  });

  test("mexc_futures/rest_contract_ticker.json is not a contract list: rows without state are rejected by name", () => {
    const t = fixtureJson("mexc_futures", "rest_contract_ticker.json") as { all: unknown; "symbol=BTC_USDT": unknown };
    expect(() => mexcFutures.parseInstruments(t.all)).toThrow("mexc_futures instruments data[0].state: missing (undefined)");
    expect(() => mexcFutures.parseInstruments(t["symbol=BTC_USDT"])).toThrow("mexc_futures instruments data.state: missing (undefined)");
  });

  test("kind and state rules", () => {
    const c = (over: Record<string, unknown>): Record<string, unknown> => ({
      symbol: "X_USDT",
      baseCoin: "X",
      quoteCoin: "USDT",
      settleCoin: "USDT",
      state: 0,
      futureType: 1,
      type: 1,
      contractSize: 1,
      priceUnit: "1e-5",
      minVol: 1,
      maxVol: 1000,
      ...over,
    });
    const list = mexcFutures.parseInstruments({
      success: true,
      code: 0,
      data: [
        c({}),
        c({ state: 1 }),
        c({ state: 3 }),
        c({ state: 4 }),
        c({ symbol: "BTC_USD", baseCoin: "BTC", quoteCoin: "USD", settleCoin: "BTC", contractSize: 100 }),
        c({ symbol: "X_USDC", quoteCoin: "USDC", settleCoin: "USDC" }),
        c({ symbol: "GOLD_USDT", type: 1, conceptPlate: ["mc-trade-zone-Commodities"] }),
        c({ symbol: "SKHYNIXSTOCK_USDT", baseCoin: "SKHYNIXSTOCK" }),
        c({ symbol: "X_USDT_260925", futureType: 2 }),
        c({ symbol: "NEW_USDT", preMarket: true }),
        c({ symbol: "1000SATS_USDT", baseCoin: "1000SATS", contractSize: "1E+3", state: "0" }),
      ],
    });
    expect(list.map((r) => [r.exchangeSymbol, r.status, r.tradable, r.kind, r.otherReason])).toEqual([
      ["X_USDT", "0", true, "perpetual", null],
      ["X_USDT", "1", false, "perpetual", null],
      ["X_USDT", "3", false, "perpetual", null],
      ["X_USDT", "4", false, "perpetual", null],
      ["BTC_USD", "0", true, "other", "inverse"],
      ["X_USDC", "0", true, "other", "usdc"],
      ["GOLD_USDT", "0", true, "other", "tradfi"],
      ["SKHYNIXSTOCK_USDT", "0", true, "other", "tradfi"],
      ["X_USDT_260925", "0", true, "other", "dated"],
      ["NEW_USDT", "0", true, "other", "prelaunch"],
      ["1000SATS_USDT", "0", true, "perpetual", null],
    ]);
    expect(list[0]!.tickSize).toBe(1e-5);
    expect(list[10]).toMatchObject({ contractSize: 1000, multiplierHint: 1000, baseHint: "SATS" });
  });

  test("errors name venue, field and value", () => {
    expect(() => mexcFutures.parseInstruments({ success: false, code: 510, message: "Requests are too frequent" })).toThrow('mexc_futures instruments: code 510 (message "Requests are too frequent")');
    expect(() => mexcFutures.parseInstruments({ success: true, code: 0, data: "x" })).toThrow('mexc_futures instruments data: not an array or object ("x")');
    expect(() => mexcFutures.parseInstruments({ success: true, code: 0, data: [{ symbol: "A_USDT", state: 0, contractSize: "n/a" }] })).toThrow('mexc_futures instruments data[0].contractSize: not a number ("n/a")');
    expect(mexcFutures.parseInstruments({ success: true, code: 0, data: [] })).toEqual([]);
  });
});
