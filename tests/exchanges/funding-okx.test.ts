// OKX v5 funding parsers over every vendored funding fixture (tests/fixtures/funding/okx_swap).
import { describe, expect, test } from "bun:test";
import { FundingKind, SymbolTable, parseOkxFundingRest, parseOkxFundingWs } from "@spread/exchanges";
import { fixtureJson, fixtureLines, fixtureText, listFixtures } from "../fixtures.ts";
import { r, rest, ws } from "./helpers-funding.ts";

const D = "funding/okx_swap";

describe("okx funding REST", () => {
  test("single BTC-USDT-SWAP: next = fundingTime (upcoming), interval = nextFundingTime - fundingTime, nextFundingRate '' absent", () => {
    expect(rest(parseOkxFundingRest, fixtureJson(D, "rest_funding_rate_single_2026-10.json"))).toEqual([r("BTC-USDT-SWAP", 0.0000784623357725, 1791216000000, 8, 1791201185968)]);
  });

  test("instId=ANY: 4 h CHIP; inverse BTC-USD-SWAP and the X-Perps FUTURES row skipped", () => {
    expect(rest(parseOkxFundingRest, fixtureJson(D, "rest_funding_rate_any_2026-10.json"), new SymbolTable(["ETH-USDT-SWAP"]))).toEqual([
      r("CHIP-USDT-SWAP", 0.00005, 1791201600000, 4, 1791201185355),
      r("BTC-USDT-SWAP", 0.0000784623357725, 1791216000000, 8, 1791201185968),
      r("ETH-USDT-SWAP", 0.0000657154262033, 1791216000000, 8, 1791201186030, Number.NaN, 0),
    ]);
  });

  test("doc example (noRate, empty interestRate/impactValue)", () => {
    expect(rest(parseOkxFundingRest, fixtureJson(D, "rest_funding_rate_doc_example.json"))).toEqual([r("BTC-USDT-SWAP", 0.0000182221218054, 1743609600000, 8, 1743588686291)]);
  });

  test("a populated nextFundingRate (2022 replies) is the predicted rate; code != 0 throws", () => {
    const row = { instType: "SWAP", instId: "BTC-USDT-SWAP", fundingRate: "0.0001", nextFundingRate: "0.00012", fundingTime: "1650000000000", nextFundingTime: "1650028800000", ts: "1649990000000" };
    expect(rest(parseOkxFundingRest, { code: "0", msg: "", data: [row] })).toEqual([r("BTC-USDT-SWAP", 0.0001, 1650000000000, 8, 1649990000000, 0.00012)]);
    expect(() => rest(parseOkxFundingRest, { code: "50011", msg: "Too Many Requests", data: [] })).toThrow('okx_futures funding-rate: code "50011", msg "Too Many Requests"');
  });
});

describe("okx funding WS (funding-rate channel)", () => {
  test("2026-09 push", () => {
    const [line] = fixtureLines(D, "ws_funding_rate_2026-09.jsonl");
    const x = ws(parseOkxFundingWs, line!, new SymbolTable(["BTC-USDT-SWAP"]));
    expect(x.kind).toBe(FundingKind.Value);
    expect(x.rows).toEqual([r("BTC-USDT-SWAP", 0.0000263463215391, 1790380800000, 8, 1790358563915, Number.NaN, 0)]);
  });

  test("doc example: subscribe Other, ack Other, inverse BTC-USD-SWAP push Skip (values read), error event Error", () => {
    const [sub, ack, push, err] = fixtureLines(D, "ws_funding_rate_doc_example.jsonl");
    expect(ws(parseOkxFundingWs, sub!).kind).toBe(FundingKind.Other);
    expect(ws(parseOkxFundingWs, ack!).kind).toBe(FundingKind.Other);
    const p = ws(parseOkxFundingWs, push!);
    expect(p.kind).toBe(FundingKind.Skip);
    expect(p.last).toEqual(r("BTC-USD-SWAP", 0.0001875391284828, 1700726400000, 8, 1700724675402));
    const e = ws(parseOkxFundingWs, err!);
    expect(e.kind).toBe(FundingKind.Error);
    expect(e.message).toStartWith("okx_futures: error 60012: Invalid request:");
  });

  test("recorded tickers ack and bare pong are Other; a cut frame is Malformed", () => {
    expect(ws(parseOkxFundingWs, fixtureText(D, "ws_subscribe_ack_recorded_tickers.json")).kind).toBe(FundingKind.Other);
    expect(ws(parseOkxFundingWs, "pong").kind).toBe(FundingKind.Other);
    expect(ws(parseOkxFundingWs, '{"arg":{"channel":"funding-rate","instId":"BTC-USDT-SWAP"},"data":[{"instId":"BTC').kind).toBe(FundingKind.Malformed);
  });

  test("every fixture file of the folder is covered above", () => {
    expect(listFixtures(D)).toEqual([
      "rest_funding_rate_any_2026-10.json", "rest_funding_rate_doc_example.json", "rest_funding_rate_single_2026-10.json",
      "ws_funding_rate_2026-09.jsonl", "ws_funding_rate_doc_example.jsonl", "ws_subscribe_ack_recorded_tickers.json",
    ]);
  });
});
