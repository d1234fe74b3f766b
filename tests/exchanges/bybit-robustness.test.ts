// Bybit parser under hostile input: seeded mutations of real frames (differential vs JSON.parse), garbage, zero allocation per frame.
import { describe, expect, test } from "bun:test";
import { SymbolTable } from "../../packages/exchanges/src/symbol-table.ts";
import { FrameKind, QuoteRecord } from "../../packages/exchanges/src/types.ts";
import { refBybit, symbolUniverse } from "./helpers-binance-bybit.ts";
import { fixtureLines, noteFrames } from "../fixtures.ts";
import { garbageRun, gcCountDuring, mutationRun, parseSetup, type RobustnessSpec } from "./helpers-parse-fuzz.ts";
import { bybit } from "@spread/exchanges";

const bybitSpot = bybit.spot;

const spec: RobustnessSpec = {
  parse: bybitSpot.parse,
  table: new SymbolTable(symbolUniverse(["BTCUSDT"])),
  ref: refBybit,
  alphabet: '{}[]":,.-+eE0123456789absu \\\n\u00e9',
  maxDup: 16,
};

const current =
  '{"topic":"orderbook.1.BTCUSDT","ts":1742000000000,"type":"snapshot","data":{"s":"BTCUSDT","b":[["84000.10","1.234"]],"a":[["84000.20","0.5"]],"u":123,"seq":456},"cts":1741999999990}';
const seeds = [
  ...fixtureLines("bybit_spot", "orderbook1_ws_2023-04-05_tardis.jsonl"),
  ...fixtureLines("bybit_linear", "orderbook1_ws_2023_tardis.jsonl"),
  current,
  ...fixtureLines("bybit_linear", "tickers_ws_real.jsonl").slice(2),
  ...noteFrames("bybit_spot", "control_messages.jsonl").map((n) => n.frame),
  ...noteFrames("bybit_linear", "control_messages.jsonl").map((n) => n.frame),
];

describe("bybit robustness", () => {
  test("20,000 seeded mutations of real frames: never a throw, Updates agree with JSON.parse", () => {
    expect(mutationRun(spec, 0xb7b17, seeds, 20_000)).toBeGreaterThan(500);
  });

  test("random garbage text and bytes", () => {
    garbageRun(spec, 7, '{"topic":"orderbook.1.X","data":{', 5_000);
  });
});

describe("bybit hot path allocation", () => {
  test("fast-path and structural-walk updates (snapshot, whitespace, bare numbers, removals) parse with zero GCs over 2 M frames", () => {
    const F = [
      '{"topic":"orderbook.1.BTCUSDT","ts":1680652806504,"type":"snapshot","data":{"s":"BTCUSDT","b":[["28165.07","0.175231"]],"a":[["28165.08","0.996816"]],"u":20404754,"seq":4281281856},"cts":1680652806500}',
      '{ "topic": "orderbook.1.ETHUSDT", "type": "delta", "ts": 1680652806504, "data": { "s": "ETHUSDT", "b": [ ["1800.1", "0"], ["1800.0", "2.5"] ], "a": [ ["1800.2", "1"] ], "u": 2 } }',
      '{"topic":"orderbook.1.BTCUSDT","ts":1680652806504,"data":{"s":"BTCUSDT","b":[[28165.07,0.5,1]],"a":[[28165.08,1e-1]]}}',
    ];
    for (const f of F) expect(spec.parse(f, new QuoteRecord(), spec.table)).toBe(FrameKind.Update);
    expect(gcCountDuring(parseSetup("bybit/parse.ts", "parseBybit", F, ["BTCUSDT", "ETHUSDT"]), "sink += parseBybit(F[i % 3], out, t) + out.bid;")).toBe(0);
  });
});
