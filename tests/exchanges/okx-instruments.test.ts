// OKX instrument lists (SPOT, SWAP) through okxSpot/okxFutures.parseInstruments: every fixture file, asserted values.
import { describe, expect, test } from "bun:test";
import type { RawInstrument } from "../../packages/exchanges/src/types.ts";
import { multiplierHint } from "../../packages/exchanges/src/shared/multiplier.ts";
import { fixtureJson } from "../fixtures.ts";
import { okx } from "@spread/exchanges";

const okxFutures = okx.futures;
const okxSpot = okx.spot;

const bySymbol = (list: RawInstrument[]): Map<string, RawInstrument> => new Map(list.map((r) => [r.exchangeSymbol, r]));
const tradableUsdt = (list: RawInstrument[], kind: string): number =>
  list.filter((r) => r.tradable && r.kind === kind && r.quote === "USDT" && (kind === "spot" || r.settle === "USDT")).length;

describe("okx urls", () => {
  test("instrument and ws urls", () => {
    expect(okxSpot.instrumentsUrl("https://www.okx.com/", null)).toBe("https://www.okx.com/api/v5/public/instruments?instType=SPOT");
    expect(okxFutures.instrumentsUrl("https://www.okx.com", null)).toBe("https://www.okx.com/api/v5/public/instruments?instType=SWAP");
    expect(okxSpot.wsUrl("wss://ws.okx.com:8443")).toBe("wss://ws.okx.com:8443/ws/v5/public");
    expect(okxFutures.wsUrl("ws://127.0.0.1:19008/")).toBe("ws://127.0.0.1:19008/ws/v5/public");
    expect(okxSpot.nextCursor({ code: "0", data: [] })).toBeNull();
    expect([okxSpot.source, okxFutures.source, okxSpot.name, okxFutures.name]).toEqual([6, 7, "okx_spot", "okx_futures"]);
    expect(okxSpot.heartbeat).toEqual({ clientPing: "ping", pingWhenIdleOnly: true });
  });
});

describe("okx_spot instruments", () => {
  test("okx_spot/instruments.json: 5 live USD pairs, no USDT pair", () => {
    const list = okxSpot.parseInstruments(fixtureJson("okx_spot", "instruments.json"));
    expect(list.length).toBe(5);
    expect(list.filter((r) => r.tradable).length).toBe(5);
    expect(tradableUsdt(list, "spot")).toBe(0);
    expect(list.map((r) => r.exchangeSymbol)).toEqual(["BTC-USD", "ETH-USD", "SOL-USD", "XRP-USD", "USDT-USD"]);
    const m = bySymbol(list);
    expect(m.get("BTC-USD")).toEqual({
      source: 6,
      exchangeSymbol: "BTC-USD",
      base: "BTC",
      quote: "USD",
      settle: null,
      tradable: true,
      status: "live",
      kind: "spot",
      otherReason: null,
      minQty: 0.00001,
      maxQty: 9999999999,
      tickSize: 0.1,
      minNotional: null,
      contractSize: null,
      multiplierHint: 1,
      baseHint: "BTC",
    });
    expect(m.get("XRP-USD")).toMatchObject({ base: "XRP", quote: "USD", tickSize: 0.0001, minQty: 1, maxQty: 999999999999 });
    expect(m.get("USDT-USD")).toMatchObject({ base: "USDT", quote: "USD", tickSize: 0.0001, minQty: 1 });
    expect(m.get("ETH-USD")).toMatchObject({ tickSize: 0.01, minQty: 0.0001 });
    expect(m.get("SOL-USD")).toMatchObject({ tickSize: 0.01, minQty: 0.001 });
  });

  test("okx_spot/instruments_usdt_pairs_from_ccxt_static.json: BTC-USDT, DOGE-USDT", () => {
    const list = okxSpot.parseInstruments(fixtureJson("okx_spot", "instruments_usdt_pairs_from_ccxt_static.json"));
    expect(list.length).toBe(2);
    expect(tradableUsdt(list, "spot")).toBe(2);
    const m = bySymbol(list);
    expect(m.get("BTC-USDT")).toMatchObject({ base: "BTC", quote: "USDT", status: "live", kind: "spot", tickSize: 0.1, minQty: 0.00001, minNotional: null, contractSize: null, multiplierHint: 1 });
    expect(m.get("DOGE-USDT")).toMatchObject({ base: "DOGE", quote: "USDT", tickSize: 0.00001, minQty: 10, maxQty: 999999999999 });
  });

  test("only state live is tradable; other states keep their text", () => {
    for (const state of ["suspend", "preopen", "test", "rebase", "post_only"]) {
      const [r] = okxSpot.parseInstruments({ code: "0", msg: "", data: [{ instId: "AAA-USDT", instType: "SPOT", baseCcy: "AAA", quoteCcy: "USDT", state, tickSz: "0.1", minSz: "1" }] });
      expect(r).toMatchObject({ tradable: false, status: state, kind: "spot" });
    }
  });

  test("instCategory other than 1 is tradfi; pre_market is prelaunch; wrong instType is other", () => {
    const rows = [
      { instId: "AAPL-USDT", instType: "SPOT", baseCcy: "AAPL", quoteCcy: "USDT", state: "live", instCategory: "3" },
      { instId: "XAU-USDT", instType: "SPOT", baseCcy: "XAU", quoteCcy: "USDT", state: "live", instCategory: "4" },
      { instId: "NEW-USDT", instType: "SPOT", baseCcy: "NEW", quoteCcy: "USDT", state: "live", instCategory: "1", ruleType: "pre_market" },
      { instId: "BTC-USDT-SWAP", instType: "SWAP", state: "live" },
      { instId: "OK-USDT", instType: "SPOT", baseCcy: "OK", quoteCcy: "USDT", state: "live", instCategory: "1" },
    ];
    const list = okxSpot.parseInstruments({ code: "0", msg: "", data: rows });
    expect(list.map((r) => [r.kind, r.otherReason])).toEqual([
      ["other", "tradfi"],
      ["other", "tradfi"],
      ["other", "prelaunch"],
      ["other", "swap"],
      ["spot", null],
    ]);
  });

  test("base/quote fall back to instId; numbers may be numbers or exponent strings", () => {
    const [r] = okxSpot.parseInstruments({ code: "0", msg: "", data: [{ instId: "1000PEPE-USDT", state: "live", baseCcy: "", quoteCcy: "", tickSz: "1e-8", minSz: 100, maxLmtSz: "" }] });
    expect(r).toMatchObject({ base: "1000PEPE", quote: "USDT", tickSize: 1e-8, minQty: 100, maxQty: null, multiplierHint: 1000, baseHint: "PEPE" });
  });

  test("bad envelopes and fields throw naming venue, field and value", () => {
    expect(() => okxSpot.parseInstruments({ code: "50011", msg: "Too Many Requests", data: [] })).toThrow('okx_spot instruments: code "50011" (msg "Too Many Requests")');
    expect(() => okxSpot.parseInstruments(null)).toThrow("okx_spot instruments: body is not an object (null)");
    expect(() => okxSpot.parseInstruments({ code: "0", msg: "", data: {} })).toThrow("okx_spot instruments data: not an array ({})");
    expect(() => okxSpot.parseInstruments({ code: "0", data: [{ instId: "A-USDT", state: "live", tickSz: "x" }] })).toThrow('okx_spot instruments data[0].tickSz: not a number ("x")');
    expect(() => okxSpot.parseInstruments({ code: "0", data: [{ state: "live" }] })).toThrow("okx_spot instruments data[0].instId: missing or not a string (undefined)");
    expect(() => okxSpot.parseInstruments({ code: "0", data: [{ instId: "A-USDT" }] })).toThrow("okx_spot instruments data[0].state: missing or not a string (undefined)");
  });
});

describe("okx_futures instruments", () => {
  test("okx_swap/instruments.json: 3 swaps, 2 USDT linear perpetuals, BTC-USD-SWAP inverse", () => {
    const list = okxFutures.parseInstruments(fixtureJson("okx_swap", "instruments.json"));
    expect(list.length).toBe(3);
    expect(list.filter((r) => r.tradable).length).toBe(3);
    expect(tradableUsdt(list, "perpetual")).toBe(2);
    const m = bySymbol(list);
    expect(m.get("BTC-USDT-SWAP")).toEqual({
      source: 7,
      exchangeSymbol: "BTC-USDT-SWAP",
      base: "BTC",
      quote: "USDT",
      settle: "USDT",
      tradable: true,
      status: "live",
      kind: "perpetual",
      otherReason: null,
      minQty: 0.01, // contracts
      maxQty: 100000000, // contracts
      tickSize: 0.1,
      minNotional: null,
      contractSize: 0.01, // ctVal 0.01 BTC × ctMult 1
      multiplierHint: 1,
      baseHint: "BTC",
    });
    expect(m.get("ETH-USDT-SWAP")).toMatchObject({ base: "ETH", quote: "USDT", settle: "USDT", kind: "perpetual", tickSize: 0.01, minQty: 0.01, contractSize: 0.1 });
    expect(m.get("BTC-USD-SWAP")).toMatchObject({ base: "BTC", quote: "USD", settle: "BTC", kind: "other", otherReason: "inverse", contractSize: 100, tickSize: 0.1, minQty: 1 });
  });

  const swap = (over: Record<string, unknown>): Record<string, unknown> => ({
    instId: "X-USDT-SWAP",
    instType: "SWAP",
    baseCcy: "",
    quoteCcy: "",
    ctType: "linear",
    ctVal: "10",
    ctMult: "1",
    ctValCcy: "X",
    instFamily: "X-USDT",
    uly: "X-USDT",
    settleCcy: "USDT",
    state: "live",
    tickSz: "0.0001",
    minSz: "0.1",
    maxLmtSz: "1000000",
    ...over,
  });

  test("kind rules: USDC, USD_UM, tradfi, prelaunch, dated; contractSize = ctVal × ctMult", () => {
    const list = okxFutures.parseInstruments({
      code: "0",
      msg: "",
      data: [
        swap({}),
        swap({ instId: "X-USDC-SWAP", instFamily: "X-USDC", uly: "X-USDC", settleCcy: "USDC" }),
        swap({ instId: "X-USD_UM-SWAP", instFamily: "X-USD_UM", uly: "X-USD_UM", settleCcy: "USDⓈ" }),
        swap({ instId: "TSLA-USDT-SWAP", instFamily: "TSLA-USDT", instCategory: "3" }),
        swap({ instId: "NEW-USDT-SWAP", instFamily: "NEW-USDT", ruleType: "pre_market", state: "preopen" }),
        swap({ instId: "X-USDT-261225", instType: "FUTURES" }),
        swap({ instId: "PEPE-USDT-SWAP", instFamily: "PEPE-USDT", uly: "PEPE-USDT", ctValCcy: "PEPE", ctVal: "10000000", ctMult: "0.1" }),
        swap({ instId: "Y-USDT-SWAP", instFamily: "", uly: "", ctValCcy: "Y", ctMult: "" }),
      ],
    });
    expect(list.map((r) => [r.exchangeSymbol, r.kind, r.otherReason, r.tradable])).toEqual([
      ["X-USDT-SWAP", "perpetual", null, true],
      ["X-USDC-SWAP", "other", "usdc", true],
      ["X-USD_UM-SWAP", "other", "usd_margined", true],
      ["TSLA-USDT-SWAP", "other", "tradfi", true],
      ["NEW-USDT-SWAP", "other", "prelaunch", false],
      ["X-USDT-261225", "other", "dated", true],
      ["PEPE-USDT-SWAP", "perpetual", null, true],
      ["Y-USDT-SWAP", "perpetual", null, true],
    ]);
    expect(list[6]!.contractSize).toBe(10000000 * 0.1);
    expect(list[7]).toMatchObject({ base: "Y", quote: "USDT", contractSize: 10 });
  });

  test("bad field names venue, index and value", () => {
    expect(() => okxFutures.parseInstruments({ code: "0", msg: "", data: [swap({}), swap({}), swap({ ctVal: "x" })] })).toThrow('okx_futures instruments data[2].ctVal: not a number ("x")');
    expect(() => okxFutures.parseInstruments({ code: 1, msg: "x", data: [] })).toThrow('okx_futures instruments: code 1 (msg "x")');
  });
});

describe("multiplier hint", () => {
  test("prefix, million prefix, suffix, none", () => {
    expect(multiplierHint("1000PEPE")).toEqual({ multiplier: 1000, base: "PEPE" });
    expect(multiplierHint("10000SATS")).toEqual({ multiplier: 10000, base: "SATS" });
    expect(multiplierHint("1000000MOG")).toEqual({ multiplier: 1000000, base: "MOG" });
    expect(multiplierHint("1MBABYDOGE")).toEqual({ multiplier: 1000000, base: "BABYDOGE" });
    expect(multiplierHint("SHIB1000")).toEqual({ multiplier: 1000, base: "SHIB" });
    expect(multiplierHint("shib1000")).toEqual({ multiplier: 1000, base: "SHIB" });
    for (const plain of ["BTC", "1INCH", "PEPE", "C98", "A8", "100X", "1000", "1M", "ETH2"]) expect(multiplierHint(plain)).toEqual({ multiplier: 1, base: plain });
  });
});
