// Binance parser under hostile input: seeded mutations of real frames (differential vs JSON.parse), garbage, zero allocation per frame.
import { describe, expect, test } from "bun:test";
import { SymbolTable } from "../../packages/exchanges/src/symbol-table.ts";
import { FrameKind, QuoteRecord } from "../../packages/exchanges/src/types.ts";
import { refBinance, symbolUniverse } from "./helpers-binance-bybit.ts";
import { fixtureLines, fixtureText, noteFrames } from "../fixtures.ts";
import { garbageRun, gcCountDuring, mutationRun, parseSetup, type RobustnessSpec } from "./helpers-parse-fuzz.ts";
import { binance } from "@spread/exchanges";

const binanceSpot = binance.spot;

const parse = binanceSpot.parse;
const spec: RobustnessSpec = {
  parse,
  table: new SymbolTable(symbolUniverse(["NKNUSDT", "LRCBTC", "SUSHIUSDT", "BNBUSDT"])),
  ref: refBinance,
  alphabet: '{}[]":,.-+eE0123456789bBaAsTEu \\\n\t\u00e9\u4e2d',
  maxDup: 12,
};

const seeds = [
  ...fixtureLines("binance_spot", "bookTicker_ws_combined_2021-10-11.jsonl").slice(0, 8),
  ...fixtureLines("binance_futures", "bookTicker_ws_combined_2021-07-22.jsonl").slice(0, 8),
  ...noteFrames("binance_futures", "bookTicker_2026_schema_sdk_mocks.jsonl").map((n) => n.frame),
  fixtureText("binance_futures", "bookTicker_raw_2026_schema_nautilus.json"),
  ...noteFrames("binance_spot", "control_messages.jsonl").map((n) => n.frame),
];

describe("binance robustness", () => {
  test("20,000 seeded mutations of real frames: never a throw, Updates agree with JSON.parse", () => {
    // a useful share of mutants stays valid (e.g. a digit changed) and exercises the differential check
    expect(mutationRun(spec, 0xb1a4ce, seeds, 20_000)).toBeGreaterThan(1000);
  });

  test("random garbage text and bytes", () => {
    garbageRun(spec, 42, "{", 5_000);
  });

  test("deep nesting in an unknown field does not overflow", () => {
    const out = new QuoteRecord();
    const deep = `{"x":${"[".repeat(5000)}${"]".repeat(5000)},"s":"A","b":"1","B":"1","a":"2","A":"1"}`;
    expect(parse(deep, out, null)).toBe(FrameKind.Malformed);
    const ok = `{"x":${"[".repeat(20)}${"]".repeat(20)},"s":"A","b":"1","B":"1","a":"2","A":"1"}`;
    expect(parse(ok, out, null)).toBe(FrameKind.Update);
  });
});

describe("binance hot path allocation", () => {
  test("fast-path and structural-walk updates (spot, USD-M, whitespace, reordered) parse with zero GCs over 2 M frames", () => {
    const F = [
      '{"stream":"bnbusdt@bookTicker","data":{"u":400900217,"s":"BNBUSDT","b":"25.35190000","B":"31.21000000","a":"25.36520000","A":"40.66000000"}}',
      '{"stream":"bnbusdt@bookTicker","data":{"e":"bookTicker","u":600859600576,"E":1626992741017,"T":1626992741012,"s":"BNBUSDT","ps":"BNBUSDT","b":"25.3519","B":"31","a":"25.3652","A":"40","st":1}}',
      '{ "stream": "nknusdt@bookTicker", "data": { "A": "40.66", "a": "0.3652", "B": "31.21", "b": "0.3519", "s": "NKNUSDT", "u": 1 } }',
      '{"u":1,"s":"SUSHIUSDT","b":"1.5","B":"2e1","a":"1.6","A":"0.5","x":[1,{"y":null}]}',
    ];
    for (const f of F) expect(parse(f, new QuoteRecord(), spec.table)).toBe(FrameKind.Update);
    expect(gcCountDuring(parseSetup("binance/parse.ts", "parseBinance", F, ["NKNUSDT", "BNBUSDT", "SUSHIUSDT"]), "sink += parseBinance(F[i % 4], out, t) + out.bid;")).toBe(0);
  });
});
