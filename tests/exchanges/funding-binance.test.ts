// Binance USD-M funding parsers over every vendored funding fixture (tests/fixtures/funding/binance_futures).
import { describe, expect, test } from "bun:test";
import { FundingKind, SymbolTable, binance, parseBinanceFundingInfo, parseBinanceFundingRest, parseBinanceFundingWs } from "@spread/exchanges";
import { fixtureJson, fixtureLines, fixtureText, listFixtures } from "../fixtures.ts";
import { r, rest, ws } from "./helpers-funding.ts";

const D = "funding/binance_futures";

describe("binance funding REST", () => {
  test("premiumIndex single BTCUSDT", () => {
    expect(rest(parseBinanceFundingRest, fixtureJson(D, "rest_premiumIndex_single_2026-10.json"))).toEqual([r("BTCUSDT", 0.00003791, 1791216000000, 0, 1791201214000)]);
  });

  test("premiumIndex all: delivery (nextFundingTime 0), GAIBUSDT (0) and USDC rows skipped; zero and negative rates kept", () => {
    const t = new SymbolTable(["ETHUSDT", "BTCUSDT"]);
    expect(rest(parseBinanceFundingRest, fixtureJson(D, "rest_premiumIndex_all_2026-10.json"), t)).toEqual([
      r("LPTUSDT", 0.00005, 1791201600000, 0, 1791201208000),
      r("ETHUSDT", 0.00006042, 1791216000000, 0, 1791201208000, Number.NaN, 0),
      r("ARKUSDT", -0.00046484, 1791201600000, 0, 1791201208000),
      r("OMGUSDT", 0, 1791216000000, 0, 1791201208000),
      r("GTCUSDT", -0.00360087, 1791216000000, 0, 1791201208000),
      r("XAUUSDT", 0.00005518, 1791201600000, 0, 1791201208307),
      r("BTCUSDT", 0.00003791, 1791216000000, 0, 1791201208000, Number.NaN, 1),
    ]);
  });

  test("fundingInfo: per-symbol intervals 1, 4 and 8 h", () => {
    expect(Object.fromEntries(parseBinanceFundingInfo(fixtureJson(D, "rest_fundingInfo_2026-10.json")))).toEqual({
      GTCUSDT: 8, LPTUSDT: 4, ARKUSDT: 1, XAUUSDT: 4, ETHUSDT: 8, BTCUSDC: 8, BTCUSDT: 8,
    });
    expect(binance.funding.defaultIntervalHours).toBe(8);
  });

  test("an error body and a non-integer interval throw naming the field", () => {
    expect(() => rest(parseBinanceFundingRest, { code: -1121, msg: "Invalid symbol." })).toThrow('binance_futures premiumIndex: code -1121, msg "Invalid symbol."');
    expect(() => rest(parseBinanceFundingRest, [{ symbol: "BTCUSDT", lastFundingRate: "x", nextFundingTime: 1 }])).toThrow("premiumIndex[0].lastFundingRate: not a number");
    expect(() => parseBinanceFundingInfo([{ symbol: "X", fundingIntervalHours: "8" }])).toThrow("fundingInfo[0].fundingIntervalHours");
  });
});

describe("binance funding WS (markPriceUpdate)", () => {
  test("all-market array: every element emitted", () => {
    const [line] = fixtureLines(D, "ws_markPrice_arr_2026-10.jsonl");
    const x = ws(parseBinanceFundingWs, line!);
    expect(x.kind).toBe(FundingKind.Value);
    expect(x.rows).toEqual([r("BTCUSDT", 0.00003779, 1791216000000, 0, 1791201678000), r("ETHUSDT", 0.00006061, 1791216000000, 0, 1791201678000)]);
  });

  test("combined-stream wrapper (2023) and the pretty-printed doc example", () => {
    const [line] = fixtureLines(D, "ws_markPrice_single_2023-07.jsonl");
    const t = new SymbolTable(["ETHUSDT", "BTCUSDT"]);
    expect(ws(parseBinanceFundingWs, line!, t).rows).toEqual([r("BTCUSDT", 0.0000629, 1690732800000, 0, 1690708629000, Number.NaN, 1)]);
    expect(ws(parseBinanceFundingWs, fixtureText(D, "ws_markPrice_doc_example.json")).rows).toEqual([r("BTCUSDT", 0.00038167, 1562306400000, 0, 1562305380000)]);
  });

  test('delivery "r":"" / "T":0, USDC symbols: Skip; acks Other; garbage Malformed', () => {
    const del = '{"e":"markPriceUpdate","E":1,"s":"BTCUSD_250328","p":"1","r":"","T":0}';
    expect(ws(parseBinanceFundingWs, del).kind).toBe(FundingKind.Skip);
    expect(ws(parseBinanceFundingWs, '{"e":"markPriceUpdate","E":1,"s":"BTCUSDC","r":"0.0001","T":5}').kind).toBe(FundingKind.Skip);
    expect(ws(parseBinanceFundingWs, '{"result":null,"id":1}').kind).toBe(FundingKind.Other);
    expect(ws(parseBinanceFundingWs, '[{"e":"markPriceUpdate","s":"BTCUSDT","r":"0.1"').kind).toBe(FundingKind.Malformed);
    expect(ws(parseBinanceFundingWs, '{"e":"markPriceUpdate","E":1,"s":"BTCUSDT","r":"abc","T":5}').message).toContain("not a number");
  });

  test("every fixture file of the folder is covered above", () => {
    expect(listFixtures(D)).toEqual([
      "rest_fundingInfo_2026-10.json", "rest_premiumIndex_all_2026-10.json", "rest_premiumIndex_single_2026-10.json",
      "ws_markPrice_arr_2026-10.jsonl", "ws_markPrice_doc_example.json", "ws_markPrice_single_2023-07.jsonl",
    ]);
  });
});
