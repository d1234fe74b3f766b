// MEXC contract funding parsers over every vendored funding fixture (tests/fixtures/funding/mexc_futures).
import { describe, expect, test } from "bun:test";
import { FundingKind, SymbolTable, parseMexcFundingRest, parseMexcFundingWs } from "@spread/exchanges";
import { fixtureJson, fixtureLines, listFixtures } from "../fixtures.ts";
import { r, rest, ws } from "./helpers-funding.ts";

const D = "funding/mexc_futures";

describe("mexc funding REST", () => {
  test("all contracts: exponent numbers (6.2e-05), cycles 8/4/1/24 h, the USD1 row skipped", () => {
    const ts = 1788950082772;
    expect(rest(parseMexcFundingRest, fixtureJson(D, "rest_funding_rate_all_2026-09-09.json"), new SymbolTable(["ETH_USDT"]))).toEqual([
      r("BTC_USDT", 0.000062, 1788969600000, 8, ts),
      r("ETH_USDT", 0.000052, 1788969600000, 8, ts, Number.NaN, 0),
      r("XAU_USDT", 0.000034, 1788955200000, 4, ts),
      r("USOIL_USDT", -0.001084, 1788955200000, 4, ts),
      r("FORM_USDT", 0.00005, 1788955200000, 4, ts),
      r("SOPH_USDT", -0.00013, 1788951600000, 1, ts),
      r("NGAS_USDT", 0.000211, 1788951600000, 1, ts),
      r("US30_USDT", 0, 1788969600000, 24, ts),
    ]);
  });

  test("one bare row of the bulk reply, the single-symbol reply and the 2021 doc example", () => {
    expect(rest(parseMexcFundingRest, fixtureJson(D, "rest_funding_rate_all_row_2026-09-15.json"))).toEqual([r("BTC_USDT", 0.000067, 1789459200000, 8, 1789455551670)]);
    expect(rest(parseMexcFundingRest, fixtureJson(D, "rest_funding_rate_single_2026-09-20.json"))).toEqual([r("BTC_USDT", 0.0001, 1789920000000, 8, 1789897303485)]);
    expect(rest(parseMexcFundingRest, fixtureJson(D, "rest_funding_rate_single_doc_example.json"))).toEqual([r("BTC_USDT", -0.000489, 1609833600000, 8, 1609829807577)]);
  });

  test("success:false (HTTP 200) throws with code and message", () => {
    expect(() => rest(parseMexcFundingRest, fixtureJson(D, "rest_error_unknown_contract.json"))).toThrow('mexc_futures funding_rate: success false, code 1001, message "Contract does not exist"');
  });
});

describe("mexc funding WS", () => {
  test("push.funding.rate (2026-09-15): the subscribe line is Other, the push a Value without interval", () => {
    const [sub, push] = fixtureLines(D, "ws_funding_rate_2026-09-15.jsonl");
    expect(ws(parseMexcFundingWs, sub!).kind).toBe(FundingKind.Other);
    const x = ws(parseMexcFundingWs, push!, new SymbolTable(["BTC_USDT"]));
    expect(x.kind).toBe(FundingKind.Value);
    expect(x.rows).toEqual([r("BTC_USDT", 0.000081, 1789516800000, 0, 1789498561049, Number.NaN, 0)]);
  });

  test("anchor channels: rs.sub Other, rs.error Error naming the contract, pong/index/fair Other, funding Value", () => {
    const k = fixtureLines(D, "ws_anchor_channels_2026-09-15.jsonl").map((l) => ws(parseMexcFundingWs, l));
    expect(k.map((x) => x.kind)).toEqual([FundingKind.Other, FundingKind.Error, FundingKind.Other, FundingKind.Other, FundingKind.Other, FundingKind.Value]);
    expect(k[1]!.message).toBe("mexc_futures: Contract [NOPE_USDT] not exists");
    expect(k[5]!.rows).toEqual([r("BTC_USDT", 0.000081, 1789516800000, 0, 1789498561049)]);
  });

  test("acks (2026-08-01) are Other; doc example push without nextSettleTime is a Value with next 0", () => {
    for (const l of fixtureLines(D, "ws_funding_rate_ack_2026-08-01.jsonl")) expect(ws(parseMexcFundingWs, l).kind).toBe(FundingKind.Other);
    const k = fixtureLines(D, "ws_funding_rate_doc_example.jsonl").map((l) => ws(parseMexcFundingWs, l));
    expect(k.map((x) => x.kind)).toEqual([FundingKind.Other, FundingKind.Value, FundingKind.Other]);
    expect(k[1]!.rows).toEqual([r("BTC_USDT", 0.001, 0, 0, 1587442022003)]);
  });

  test("push.ticker carries fundingRate; docs' fundingRate spelling on push.funding.rate; exponent; inverse Skip", () => {
    const t = '{"channel":"push.ticker","data":{"symbol":"BTC_USDT","lastPrice":1,"fairPrice":1,"fundingRate":5e-05,"bid1":1,"ask1":2},"symbol":"BTC_USDT","ts":1700000000000}';
    expect(ws(parseMexcFundingWs, t).rows).toEqual([r("BTC_USDT", 0.00005, 0, 0, 1700000000000)]);
    const f = '{"symbol":"ETH_USDT","data":{"symbol":"ETH_USDT","fundingRate":-6e-06,"nextSettleTime":1789516800000},"channel":"push.funding.rate","ts":1}';
    expect(ws(parseMexcFundingWs, f).rows).toEqual([r("ETH_USDT", -0.000006, 1789516800000, 0, 1)]);
    expect(ws(parseMexcFundingWs, '{"symbol":"BTC_USD","data":{"symbol":"BTC_USD","rate":0.0001,"nextSettleTime":5},"channel":"push.funding.rate","ts":1}').kind).toBe(FundingKind.Skip);
    expect(ws(parseMexcFundingWs, '{"symbol":"BTC_USDT","data":{"symbol":"BTC_USDT","rate":"x"},"channel":"push.funding.rate","ts":1}').kind).toBe(FundingKind.Malformed);
  });

  test("every fixture file of the folder is covered above", () => {
    expect(listFixtures(D)).toEqual([
      "rest_error_unknown_contract.json", "rest_funding_rate_all_2026-09-09.json", "rest_funding_rate_all_row_2026-09-15.json",
      "rest_funding_rate_single_2026-09-20.json", "rest_funding_rate_single_doc_example.json", "ws_anchor_channels_2026-09-15.jsonl",
      "ws_funding_rate_2026-09-15.jsonl", "ws_funding_rate_ack_2026-08-01.jsonl", "ws_funding_rate_doc_example.jsonl",
    ]);
  });
});
