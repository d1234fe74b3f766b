// Binance spot and USD-M instrument parsing: every REST fixture with asserted counts and per-symbol decisions.
import { describe, expect, test } from "bun:test";
import type { RawInstrument } from "../../packages/exchanges/src/types.ts";
import { fixtureJson, listFixtures } from "../fixtures.ts";
import { binance } from "@spread/exchanges";

const binanceFutures = binance.futures;
const binanceSpot = binance.spot;

function bySymbol(list: RawInstrument[]): Map<string, RawInstrument> {
  return new Map(list.map((i) => [i.exchangeSymbol, i]));
}

function tradableUsdt(list: RawInstrument[], kind: RawInstrument["kind"]): string[] {
  return list.filter((i) => i.tradable && i.quote === "USDT" && i.kind === kind).map((i) => i.exchangeSymbol);
}

describe("binance fixtures coverage", () => {
  test("every REST fixture file is exercised below", () => {
    expect(listFixtures("binance_spot").filter((f) => f.endsWith(".json"))).toEqual(["exchangeInfo_2021-10-11_trimmed.json"]);
    expect(listFixtures("binance_futures").filter((f) => f.startsWith("exchangeInfo"))).toEqual([
      "exchangeInfo_2021-07-22_trimmed.json",
      "exchangeInfo_usdm_2026_nautilus.json",
    ]);
  });
});

describe("binance_spot instruments", () => {
  test("URL, no paging", () => {
    expect(binanceSpot.instrumentsUrl("https://api.binance.com", null)).toBe("https://api.binance.com/api/v3/exchangeInfo?permissions=SPOT&showPermissionSets=false");
    expect(binanceSpot.instrumentsUrl("http://127.0.0.1:19001/", "ignored")).toBe("http://127.0.0.1:19001/api/v3/exchangeInfo?permissions=SPOT&showPermissionSets=false");
    expect(binanceSpot.nextCursor(fixtureJson("binance_spot", "exchangeInfo_2021-10-11_trimmed.json"))).toBeNull();
  });

  test("2021 recording: counts", () => {
    const list = binanceSpot.parseInstruments(fixtureJson("binance_spot", "exchangeInfo_2021-10-11_trimmed.json"));
    expect(list.length).toBe(10);
    expect(list.filter((i) => i.tradable).length).toBe(8);
    expect(tradableUsdt(list, "spot")).toEqual(["BTCUSDT", "ETHUSDT", "BNBUSDT", "NKNUSDT", "SHIBUSDT"]);
    expect(list.every((i) => i.source === 0 && i.kind === "spot" && i.settle === null && i.contractSize === null)).toBe(true);
  });

  test("2021 recording: per-symbol decisions (legacy MIN_NOTIONAL)", () => {
    const m = bySymbol(binanceSpot.parseInstruments(fixtureJson("binance_spot", "exchangeInfo_2021-10-11_trimmed.json")));
    expect(m.get("BTCUSDT")).toEqual({
      source: 0,
      exchangeSymbol: "BTCUSDT",
      base: "BTC",
      quote: "USDT",
      settle: null,
      tradable: true,
      status: "TRADING",
      kind: "spot",
      otherReason: null,
      minQty: 0.00001,
      maxQty: 9000,
      tickSize: 0.01,
      minNotional: 10,
      contractSize: null,
      multiplierHint: 1,
      baseHint: "BTC",
    });
    const shib = m.get("SHIBUSDT")!;
    expect([shib.tickSize, shib.minQty, shib.maxQty, shib.minNotional, shib.multiplierHint, shib.baseHint]).toEqual([1e-8, 1, 46116860414, 10, 1, "SHIB"]);
    const lrc = m.get("LRCBTC")!;
    expect([lrc.quote, lrc.tickSize, lrc.minQty, lrc.maxQty, lrc.minNotional]).toEqual(["BTC", 1e-8, 1, 90000000, 0.0001]);
    const bcc = m.get("BCCBTC")!;
    expect([bcc.status, bcc.tradable, bcc.kind]).toEqual(["BREAK", false, "spot"]);
    expect(m.get("HSRBTC")!.tradable).toBe(false);
    expect([m.get("RUNEEUR")!.quote, m.get("RUNEEUR")!.tradable]).toEqual(["EUR", true]);
  });

  test("2026 schema (docs example): NOTIONAL filter, permissionSets, new statuses", () => {
    const filters = [
      { filterType: "PRICE_FILTER", minPrice: "0.00000100", maxPrice: "100000.00000000", tickSize: "0.00000100" },
      { filterType: "LOT_SIZE", minQty: "0.00100000", maxQty: "100000.00000000", stepSize: "0.00100000" },
      { filterType: "NOTIONAL", minNotional: "10.00000000", applyMinToMarket: false, maxNotional: "10000.00000000", applyMaxToMarket: false, avgPriceMins: 5 },
    ];
    const sym = (symbol: string, status: string, extra: Record<string, unknown> = {}) => ({
      symbol,
      status,
      baseAsset: symbol.slice(0, -3),
      quoteAsset: symbol.slice(-3),
      isSpotTradingAllowed: true,
      filters,
      permissions: [],
      permissionSets: [["SPOT", "MARGIN"]],
      ...extra,
    });
    const body = {
      timezone: "UTC",
      serverTime: 1784577617554,
      rateLimits: [],
      exchangeFilters: [],
      symbols: [
        sym("ETHBTC", "TRADING"),
        sym("XRPBTC", "CANCEL_ONLY"),
        sym("ADABTC", "END_OF_DAY"),
        sym("LTCBTC", "TRADING", { isSpotTradingAllowed: false }),
        // both filters present: NOTIONAL (current) wins over legacy MIN_NOTIONAL
        sym("DOTBTC", "TRADING", { filters: [...filters.slice(0, 2), { filterType: "MIN_NOTIONAL", minNotional: "3" }, filters[2]] }),
      ],
      sors: [],
    };
    const m = bySymbol(binanceSpot.parseInstruments(body));
    const eth = m.get("ETHBTC")!;
    expect([eth.tradable, eth.tickSize, eth.minQty, eth.maxQty, eth.minNotional]).toEqual([true, 0.000001, 0.001, 100000, 10]);
    expect(m.get("XRPBTC")!.tradable).toBe(false);
    expect(m.get("ADABTC")!.tradable).toBe(false);
    expect(m.get("LTCBTC")!.tradable).toBe(false);
    expect(m.get("DOTBTC")!.minNotional).toBe(10);
  });

  test("numbers as numbers, exponent notation, tickSize 0 = no rule, Unicode symbol, 1000SATS hint", () => {
    const body = {
      symbols: [
        {
          symbol: "这是测试币456USDT",
          status: "TRADING",
          baseAsset: "这是测试币456",
          quoteAsset: "USDT",
          filters: [
            { filterType: "PRICE_FILTER", tickSize: "1e-8" },
            { filterType: "LOT_SIZE", minQty: 0.5, maxQty: "9.2E+6" },
            { filterType: "MIN_NOTIONAL", minNotional: 5 },
          ],
        },
        { symbol: "1000SATSUSDT", status: "TRADING", baseAsset: "1000SATS", quoteAsset: "USDT", filters: [{ filterType: "PRICE_FILTER", tickSize: "0" }] },
      ],
    };
    const [u, sats] = binanceSpot.parseInstruments(body);
    expect([u!.exchangeSymbol, u!.base, u!.tickSize, u!.minQty, u!.maxQty, u!.minNotional]).toEqual(["这是测试币456USDT", "这是测试币456", 1e-8, 0.5, 9.2e6, 5]);
    // A real token that looks like a multiplier: only a hint, discovery confirms by price.
    expect([sats!.tickSize, sats!.minQty, sats!.multiplierHint, sats!.baseHint]).toEqual([null, null, 1000, "SATS"]);
  });

  test("errors name the venue, field and value", () => {
    expect(() => binanceSpot.parseInstruments({ code: -1121, msg: "Invalid symbol." })).toThrow("binance_spot instruments: error code -1121: Invalid symbol.");
    expect(() => binanceSpot.parseInstruments({ timezone: "UTC" })).toThrow("binance_spot instruments symbols: expected an array (missing)");
    expect(() => binanceSpot.parseInstruments("<html>")).toThrow('binance_spot instruments body: expected an object ("<html>")');
    expect(() =>
      binanceSpot.parseInstruments({ symbols: [{ symbol: "BTCUSDT", status: "TRADING", baseAsset: "BTC", quoteAsset: "USDT", filters: [{ filterType: "PRICE_FILTER", tickSize: "abc" }] }] }),
    ).toThrow('binance_spot instruments symbols[0].filters[0].tickSize: not a number ("abc")');
    expect(() => binanceSpot.parseInstruments({ symbols: [{ status: "TRADING", baseAsset: "BTC", quoteAsset: "USDT", filters: [] }] })).toThrow(
      "binance_spot instruments symbols[0].symbol: expected a non-empty string (missing)",
    );
  });
});

describe("binance_futures instruments", () => {
  test("URL, no paging", () => {
    expect(binanceFutures.instrumentsUrl("https://fapi.binance.com", null)).toBe("https://fapi.binance.com/fapi/v1/exchangeInfo");
    expect(binanceFutures.nextCursor({ symbols: [] })).toBeNull();
  });

  test("2021 recording: counts", () => {
    const list = binanceFutures.parseInstruments(fixtureJson("binance_futures", "exchangeInfo_2021-07-22_trimmed.json"));
    expect(list.length).toBe(8);
    expect(list.filter((i) => i.tradable).length).toBe(7);
    expect(tradableUsdt(list, "perpetual")).toEqual(["BTCUSDT", "ETHUSDT", "SUSHIUSDT", "1000SHIBUSDT"]);
    expect(list.every((i) => i.source === 1 && i.settle === "USDT" && i.contractSize === null)).toBe(true);
  });

  test("2021 recording: per-symbol decisions", () => {
    const m = bySymbol(binanceFutures.parseInstruments(fixtureJson("binance_futures", "exchangeInfo_2021-07-22_trimmed.json")));
    expect(m.get("1000SHIBUSDT")).toEqual({
      source: 1,
      exchangeSymbol: "1000SHIBUSDT",
      base: "1000SHIB",
      quote: "USDT",
      settle: "USDT",
      tradable: true,
      status: "TRADING",
      kind: "perpetual",
      otherReason: null,
      minQty: 1,
      maxQty: 10000000,
      tickSize: 0.000001,
      minNotional: 5,
      contractSize: null,
      multiplierHint: 1000,
      baseHint: "SHIB",
    });
    const btc = m.get("BTCUSDT")!;
    expect([btc.kind, btc.tickSize, btc.minQty, btc.maxQty, btc.minNotional, btc.multiplierHint]).toEqual(["perpetual", 0.01, 0.001, 1000, 5, 1]);
    expect([m.get("SUSHIUSDT")!.tickSize, m.get("SUSHIUSDT")!.minQty]).toEqual([0.001, 1]);
    for (const s of ["DEFIUSDT", "BTCDOMUSDT"]) expect([m.get(s)!.tradable, m.get(s)!.kind, m.get(s)!.otherReason]).toEqual([true, "other", "index"]);
    const q = m.get("BTCUSDT_210924")!;
    expect([q.tradable, q.kind, q.otherReason, q.tickSize, q.maxQty]).toEqual([true, "other", "dated", 0.1, 500]);
    const pending = m.get("BTCSTUSDT")!;
    expect([pending.status, pending.tradable, pending.kind, pending.otherReason]).toEqual(["PENDING_TRADING", false, "other", "pending"]);
  });

  test("2026 schema: PERPETUAL, CURRENT_QUARTER, TRADIFI_PERPETUAL", () => {
    const list = binanceFutures.parseInstruments(fixtureJson("binance_futures", "exchangeInfo_usdm_2026_nautilus.json"));
    expect(list.length).toBe(3);
    expect(list.filter((i) => i.tradable).length).toBe(3);
    expect(tradableUsdt(list, "perpetual")).toEqual(["BTCUSDT"]);
    const m = bySymbol(list);
    const btc = m.get("BTCUSDT")!;
    expect([btc.tickSize, btc.minQty, btc.maxQty, btc.minNotional]).toEqual([0.1, 0.001, 1000, 5]);
    expect([m.get("BTCUSDT_260925")!.kind, m.get("BTCUSDT_260925")!.otherReason]).toEqual(["other", "dated"]);
    const xau = m.get("XAUUSDT")!;
    expect([xau.base, xau.kind, xau.otherReason, xau.tickSize, xau.minNotional]).toEqual(["XAU", "other", "tradfi", 0.1, 5]);
  });

  test("contract kinds beyond the fixtures", () => {
    const f = [{ filterType: "PRICE_FILTER", tickSize: "0.1" }];
    const c = (symbol: string, baseAsset: string, contractType: string, extra: Record<string, unknown> = {}) => ({
      symbol,
      contractType,
      status: "TRADING",
      baseAsset,
      quoteAsset: "USDT",
      marginAsset: "USDT",
      underlyingType: "COIN",
      filters: f,
      ...extra,
    });
    const m = bySymbol(
      binanceFutures.parseInstruments({
        symbols: [
          c("BTCUSDC", "BTC", "PERPETUAL", { quoteAsset: "USDC", marginAsset: "USDC" }),
          c("ETHUSDT_261225", "ETH", "NEXT_QUARTER"),
          c("OLDUSDT", "OLD", "PERPETUAL_DELIVERING", { status: "SETTLING" }),
          c("GOLDUSDT", "GOLD", "PERPETUAL", { underlyingType: "COMMODITY" }),
          c("TSLAUSDT", "TSLA", "PERPETUAL", { underlyingSubType: ["TradFi"] }),
          c("NEWUSDT", "NEW", "PERPETUAL", { underlyingType: "PREMARKET" }),
          c("1MBABYDOGEUSDT", "1MBABYDOGE", "PERPETUAL"),
          c("1000000MOGUSDT", "1000000MOG", "PERPETUAL"),
          c("WEIRDUSDT", "WEIRD", "SOMETHING_NEW"),
        ],
      }),
    );
    const kr = (s: string) => [m.get(s)!.kind, m.get(s)!.otherReason];
    expect(kr("BTCUSDC")).toEqual(["other", "usdc"]);
    expect(m.get("BTCUSDC")!.settle).toBe("USDC");
    expect(kr("ETHUSDT_261225")).toEqual(["other", "dated"]);
    expect(kr("OLDUSDT")).toEqual(["other", "delivering"]);
    expect(m.get("OLDUSDT")!.tradable).toBe(false);
    expect(kr("GOLDUSDT")).toEqual(["other", "tradfi"]);
    expect(kr("TSLAUSDT")).toEqual(["other", "tradfi"]);
    expect(kr("NEWUSDT")).toEqual(["other", "prelaunch"]);
    expect(kr("WEIRDUSDT")).toEqual(["other", "unknown-contract"]);
    expect([m.get("1MBABYDOGEUSDT")!.kind, m.get("1MBABYDOGEUSDT")!.multiplierHint, m.get("1MBABYDOGEUSDT")!.baseHint]).toEqual(["perpetual", 1e6, "BABYDOGE"]);
    expect([m.get("1000000MOGUSDT")!.multiplierHint, m.get("1000000MOGUSDT")!.baseHint]).toEqual([1e6, "MOG"]);
  });

  test("errors name the venue, field and value", () => {
    expect(() => binanceFutures.parseInstruments({ code: -1003, msg: "Too many requests" })).toThrow("binance_futures instruments: error code -1003: Too many requests");
    expect(() =>
      binanceFutures.parseInstruments({
        symbols: [{ symbol: "X", contractType: "PERPETUAL", status: "TRADING", baseAsset: "X", quoteAsset: "USDT", marginAsset: "USDT", filters: [{ filterType: "MIN_NOTIONAL", notional: "five" }] }],
      }),
    ).toThrow('binance_futures instruments symbols[0].filters[0].notional: not a number ("five")');
  });
});
