// Bybit v5 linear funding parsers over every vendored funding fixture (tests/fixtures/funding/bybit_linear).
import { describe, expect, test } from "bun:test";
import { FundingKind, SymbolTable, parseBybitFundingIntervals, parseBybitFundingRest, parseBybitFundingWs } from "@spread/exchanges";
import { fixtureJson, fixtureLines, fixtureText, listFixtures } from "../fixtures.ts";
import { r, rest, ws } from "./helpers-funding.ts";

const D = "funding/bybit_linear";

describe("bybit funding REST", () => {
  test("tickers single BTCUSDT", () => {
    expect(rest(parseBybitFundingRest, fixtureJson(D, "rest_tickers_single_2026-10.json"))).toEqual([r("BTCUSDT", 0.00005676, 1791216000000, 8, 1791201240419)]);
  });

  test('tickers all: intervals 1/4/8 h, "0" rate kept; dated future ("" / "0") and USDC PERP skipped', () => {
    const ts = 1791201236934;
    expect(rest(parseBybitFundingRest, fixtureJson(D, "rest_tickers_all_2026-10.json"), new SymbolTable(["ARKUSDT"]))).toEqual([
      r("0GUSDT", 0.00005, 1791201600000, 4, ts),
      r("1000000BABYDOGEUSDT", 0.00005, 1791201600000, 4, ts),
      r("ARKUSDT", 0.0000125, 1791201600000, 1, ts, Number.NaN, 0),
      r("BTCUSDT", 0.00005676, 1791216000000, 8, ts),
      r("ETHUSDT", 0.00004557, 1791216000000, 8, ts),
      r("MONUSDT", 0.00005893, 1791216000000, 8, ts),
      r("ZSUSDT", 0, 1791216000000, 8, ts),
    ]);
  });

  test("instruments-info: fundingInterval minutes → hours for USDT LinearPerpetual only", () => {
    expect(Object.fromEntries(parseBybitFundingIntervals(fixtureJson(D, "rest_instruments_info_2026-10.json")))).toEqual({
      "0GUSDT": 4, "1000000BABYDOGEUSDT": 4, ARKUSDT: 1, BTCUSDT: 8, ETHUSDT: 8, MONUSDT: 8, ZSUSDT: 8,
    });
  });

  test("retCode != 0 throws with retCode and retMsg", () => {
    expect(() => rest(parseBybitFundingRest, { retCode: 10001, retMsg: "params error", result: {} })).toThrow('bybit_futures tickers: retCode 10001, retMsg "params error"');
  });
});

describe("bybit funding WS (tickers)", () => {
  test("2026-08-13 capture: ack Other, snapshot Value with interval, delta without funding fields Other, pong Other", () => {
    const [ack, snap, delta, pong] = fixtureLines(D, "ws_tickers_2026-08-13_capture.jsonl");
    expect(ws(parseBybitFundingWs, ack!).kind).toBe(FundingKind.Other);
    const s = ws(parseBybitFundingWs, snap!, new SymbolTable(["BTCUSDT"]));
    expect(s.kind).toBe(FundingKind.Value);
    expect(s.rows).toEqual([r("BTCUSDT", 0.00005013, 1786665600000, 8, 1786659827683, Number.NaN, 0)]);
    expect(ws(parseBybitFundingWs, delta!).kind).toBe(FundingKind.Other);
    expect(ws(parseBybitFundingWs, pong!).kind).toBe(FundingKind.Other);
  });

  test("2026-09-23 relay: ack and a mark-price-only delta carry no funding", () => {
    for (const line of fixtureLines(D, "ws_tickers_2026-09-23_delta.jsonl")) expect(ws(parseBybitFundingWs, line).kind).toBe(FundingKind.Other);
  });

  test("doc example snapshot (pretty-printed): rate -0.005 at the cap", () => {
    expect(ws(parseBybitFundingWs, fixtureText(D, "ws_tickers_doc_example.json")).rows).toEqual([r("BTCUSDT", -0.005, 1760342400000, 8, 1760325052630)]);
  });

  test("a delta with only fundingRate: rate set, time and interval left 0 (unchanged); interval change 8 → 1", () => {
    const d = '{"topic":"tickers.ARKUSDT","type":"delta","data":{"symbol":"ARKUSDT","fundingRate":"-0.0025"},"cs":1,"ts":1791201300000}';
    expect(ws(parseBybitFundingWs, d).rows).toEqual([r("ARKUSDT", -0.0025, 0, 0, 1791201300000)]);
    const h = '{"topic":"tickers.ARKUSDT","type":"delta","data":{"symbol":"ARKUSDT","fundingIntervalHour":"1","nextFundingTime":"1791205200000"},"cs":2,"ts":1791201400000}';
    const x = ws(parseBybitFundingWs, h).rows[0]!;
    expect([Number.isNaN(x.rate), x.hours, x.next]).toEqual([true, 1, 1791205200000]);
  });

  test('dated future snapshot ("" rate, "0" time) and USDC PERP: Skip; success:false: Error; bad number: Malformed', () => {
    const dated = '{"topic":"tickers.BTCUSDT-09OCT26","type":"snapshot","data":{"symbol":"BTCUSDT-09OCT26","fundingRate":"","nextFundingTime":"0","fundingIntervalHour":""},"cs":1,"ts":1}';
    expect(ws(parseBybitFundingWs, dated).kind).toBe(FundingKind.Skip);
    expect(ws(parseBybitFundingWs, '{"topic":"tickers.1000BONKPERP","type":"snapshot","data":{"symbol":"1000BONKPERP","fundingRate":"0.0001","nextFundingTime":"5"},"ts":1}').kind).toBe(FundingKind.Skip);
    const err = ws(parseBybitFundingWs, '{"success":false,"ret_msg":"error:handler not found","conn_id":"x","op":"subscribe"}');
    expect([err.kind, err.message]).toEqual([FundingKind.Error, "bybit_futures: error:handler not found"]);
    expect(ws(parseBybitFundingWs, '{"topic":"tickers.BTCUSDT","type":"delta","data":{"symbol":"BTCUSDT","fundingRate":"x"},"ts":1}').kind).toBe(FundingKind.Malformed);
  });

  test("every fixture file of the folder is covered above", () => {
    expect(listFixtures(D)).toEqual([
      "rest_instruments_info_2026-10.json", "rest_tickers_all_2026-10.json", "rest_tickers_single_2026-10.json",
      "ws_tickers_2026-08-13_capture.jsonl", "ws_tickers_2026-09-23_delta.jsonl", "ws_tickers_doc_example.json",
    ]);
  });
});
