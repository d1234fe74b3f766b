// Bybit fast path vs structural walk, differentially: on random valid orderbook.1 frames (any key order, extra
// keys, nested look-alikes, level shapes, number shapes) and on mutated / truncated ones, whenever parseBybitFast
// accepts a frame its outcome and every QuoteRecord field equal parseBybitSlow's; otherwise it fell back.
import { describe, expect, test } from "bun:test";
import { FAST_FALLBACK, parseBybit, parseBybitFast, parseBybitSlow } from "../../packages/exchanges/src/bybit/parse.ts";
import { SymbolTable } from "../../packages/exchanges/src/symbol-table.ts";
import { FrameKind } from "../../packages/exchanges/src/types.ts";
import { FastPathDiff, digits, int, obj, pick, PLAIN_VALUES, shuffle, type Rnd } from "./helpers-parse-fuzz.ts";
import { prng, symbolUniverse } from "./helpers-binance-bybit.ts";
import { fixtureLines, noteFrames } from "../fixtures.ts";

const SYMBOLS = ["BTCUSDT", "ETHUSDT", "1000PEPEUSDT", "XY", "BTC-26DEC25", "币安人生USDT", "ABCDEFGHIJKLMNOPQRUSDT"];
const ASCII_SYMBOLS = SYMBOLS.filter((s) => /^[\x20-\x7e]*$/.test(s));
const table = new SymbolTable(symbolUniverse(SYMBOLS));
const diff = new FastPathDiff(parseBybitFast, parseBybitSlow, parseBybit, FAST_FALLBACK, table);
const { outFast, outDispatch } = diff;
const compare = (frame: string, symbols?: SymbolTable | null): boolean => diff.compare(frame, symbols);

function element(rnd: Rnd, clean: boolean, qty: boolean): string {
  if (qty && rnd() < 0.15) return '"0"'; // a removal
  if (clean || rnd() < 0.8) return `"${int(rnd, 100000)}.${digits(rnd, 1 + int(rnd, 6))}"`;
  return pick(rnd, [
    `"${int(rnd, 1000)}"`,
    `"${digits(rnd, 17)}"`,
    `"1.5e-3"`,
    `"-1"`,
    `"-0"`,
    `""`,
    `"x"`,
    `${int(rnd, 100)}.5`,
    `${1 + int(rnd, 100)}`,
    "null",
    `"1e999"`,
    `"0.000"`,
    `".5"`,
  ]);
}

function levels(rnd: Rnd, clean: boolean): string {
  const n = clean ? 1 + int(rnd, 2) : int(rnd, 4);
  const ls: string[] = [];
  for (let k = 0; k < n; k++) {
    let l = `[${element(rnd, clean, false)},${element(rnd, clean, true)}`;
    if (!clean && rnd() < 0.05) l += pick(rnd, [',"x"', ",1", ",[]", ',{"a":1}']); // extra elements
    if (!clean && rnd() < 0.02) l = `[${element(rnd, clean, false)}`; // one element
    ls.push(`${l}]`);
  }
  if (!clean && rnd() < 0.03) return pick(rnd, ['"x"', "{}", "[1]", '[["1","2"],3]', "null", "[[]]"]);
  return `[${ls.join(",")}]`;
}

function extraValue(rnd: Rnd, depth = 0): string {
  if (depth === 0 && rnd() < 0.5) return pick(rnd, PLAIN_VALUES);
  const r = rnd();
  if (r < 0.25) return JSON.stringify(pick(rnd, ["", "b", "orderbook.1.BTCUSDT", "x\"topic\":\"y\"", "{\"b\":[[\"1\",\"2\"]]}", "é", "\\", "a,b}"]));
  if (r < 0.45) return pick(rnd, ["0", "1", "123456789", "-1", "1.5", "2e5", "true", "false", "null"]);
  if (r < 0.6 && depth < 3) return `{"topic":"orderbook.1.ETHUSDT","s":"ETHUSDT","b":[["9","9"]],"a":[["1","1"]],"data":{"s":"XY"},"n":${extraValue(rnd, depth + 1)}}`;
  if (r < 0.75 && depth < 3) return `[["b","1"],{"s":"BTCUSDT"},${extraValue(rnd, depth + 1)}]`;
  if (r < 0.8) return "{}";
  if (r < 0.85) return "[]";
  return `"${digits(rnd, int(rnd, 30))}"`;
}

function symbolValue(rnd: Rnd, clean: boolean): string {
  if (clean || rnd() < 0.85) return JSON.stringify(pick(rnd, clean ? ASCII_SYMBOLS : SYMBOLS));
  return pick(rnd, ['"\\u5e01\\u5b89USDT"', '""', "7", '"UNKNOWNUSDT"', '"BTC\\u0055SDT"']);
}

function frame(rnd: Rnd, clean: boolean): string {
  const spaced = !clean && rnd() < 0.1;
  const ws = () => (spaced && rnd() < 0.3 ? pick(rnd, [" ", "\n", "\t"]) : "");
  const sym = pick(rnd, clean ? ASCII_SYMBOLS : SYMBOLS);
  const data: [string, string][] = [
    ["s", clean ? JSON.stringify(sym) : symbolValue(rnd, clean)],
    ["b", levels(rnd, clean)],
    ["a", levels(rnd, clean)],
    ["u", `${1 + int(rnd, 1e8)}`],
    ["seq", `${1 + int(rnd, 1e10)}`],
  ];
  if (!clean) {
    if (rnd() < 0.04) data.splice(int(rnd, data.length), 1); // a missing field
    const extras = int(rnd, 3);
    for (let k = 0; k < extras; k++) data.push([pick(rnd, ["x", "topic", "ts", "cts", "data", "bb", "é", "S", ""]), extraValue(rnd)]);
    if (rnd() < 0.05) data.push([pick(rnd, ["b", "a", "s"]), rnd() < 0.5 ? levels(rnd, clean) : symbolValue(rnd, clean)]);
    shuffle(rnd, data);
  }
  const topic = clean || rnd() < 0.85 ? `orderbook.1.${sym}` : pick(rnd, ["orderbook.50.BTCUSDT", "tickers.BTCUSDT", "orderbook.1", "orderbook.1.", "orderbook.10.X"]);
  const top: [string, string][] = [
    ["topic", clean || rnd() < 0.97 ? JSON.stringify(topic) : pick(rnd, ["1", "null", '{"a":1}'])],
    ["ts", clean || rnd() < 0.9 ? `${1_680_000_000_000 + int(rnd, 1e9)}` : pick(rnd, ['"1680000000000"', "0", "1.5", "12345678901234567", "-1"])],
    ["type", JSON.stringify(pick(rnd, ["snapshot", "delta"]))],
    ["data", obj(data, ws)],
  ];
  if (clean ? rnd() < 0.5 : rnd() < 0.6) top.push(["cts", clean || rnd() < 0.9 ? `${1_680_000_000_000 + int(rnd, 1e9)}` : pick(rnd, ['"5"', "0", "7e3", "1234567890123456"])]);
  if (!clean) {
    if (rnd() < 0.05) top.splice(int(rnd, top.length), 1);
    const extras = int(rnd, 3);
    for (let k = 0; k < extras; k++) top.push([pick(rnd, ["x", "s", "b", "a", "data", "topic", "ts", "success"]), extraValue(rnd)]);
    shuffle(rnd, top);
  }
  let f = obj(top, ws);
  if (spaced && rnd() < 0.3) f = ` ${f}\n`;
  return f;
}

function fixtureFrames(): string[] {
  return [
    ...fixtureLines("bybit_spot", "orderbook1_ws_2023-04-05_tardis.jsonl"),
    ...fixtureLines("bybit_linear", "orderbook1_ws_2023_tardis.jsonl"),
    ...fixtureLines("bybit_spot", "tickers_ws_docs_example_no_bidask.jsonl"),
    ...fixtureLines("bybit_linear", "tickers_ws_real.jsonl"),
    ...noteFrames("bybit_spot", "control_messages.jsonl").map((n) => n.frame),
    ...noteFrames("bybit_linear", "control_messages.jsonl").map((n) => n.frame),
  ];
}

describe("bybit fast path = structural walk", () => {
  test("fixtures: the orderbook.1 frames take the fast path, all agree", () => {
    let fast = 0;
    for (const f of fixtureFrames()) if (compare(f)) fast++;
    expect(fast).toBe(5); // 2 spot + 3 linear orderbook.1 frames (snapshots, empty-side and multi-level deltas)
  });

  test("20,000 clean random frames: all take the fast path and agree", () => {
    const rnd = prng(111);
    let fast = 0;
    for (let t = 0; t < 20_000; t++) if (compare(frame(rnd, true), rnd() < 0.8 ? table : null)) fast++;
    expect(fast).toBe(20_000);
  });

  test("40,000 odd random frames (any key order, extra keys, nested look-alikes, level and number shapes): agree when accepted", () => {
    const rnd = prng(222);
    let fast = 0;
    for (let t = 0; t < 40_000; t++) if (compare(frame(rnd, false))) fast++;
    expect(fast).toBeGreaterThan(2_500);
    expect(fast).toBeLessThan(38_000);
  });

  test("60,000 mutated frames: the fast path never accepts what the walk judges differently", () => {
    const rnd = prng(333);
    const seeds = [...fixtureFrames()];
    for (let k = 0; k < 200; k++) seeds.push(frame(rnd, k % 2 === 0));
    const fast = diff.mutations(rnd, seeds, 60_000);
    expect(fast).toBeGreaterThan(3_000);
  });

  test("every prefix and every single-char deletion of fixture and random frames", () => {
    const rnd = prng(444);
    const frames = [...fixtureFrames()];
    for (let k = 0; k < 30; k++) frames.push(frame(rnd, k % 2 === 0));
    diff.prefixesAndDeletions(frames);
  });

  test("hand-made traps", () => {
    const base = (data: string, extra = "") => `{"topic":"orderbook.1.BTCUSDT","ts":1680000000000,"type":"snapshot","data":${data}${extra}}`;
    const ok = base('{"s":"BTCUSDT","b":[["100.5","1"]],"a":[["100.6","2"]],"u":1,"seq":2}');
    expect(compare(ok)).toBe(true);
    const traps = [
      base('{"s":"BTCUSDT","b":[["100.5","1"]],"a":[["100.6","2"]]}', ',"cts":1680000000001'),
      base('{"s":"BTCUSDT","b":[["100.5","1"]],"a":[["100.6","2"]]}', ',"cts":"1680000000001"'),
      base('{"s":"BTCUSDT","b":[["100.5","1"]],"a":[["100.6","2"]]}', ',"b":[["1","1"]]'),
      base('{"s":"BTCUSDT","b":[["100.5","1"]],"a":[["100.6","2"]],"ts":5,"cts":6}'),
      base('{"s":"BTCUSDT","b":[["100.5","1"]],"a":[["100.6","2"]],"topic":"tickers.X"}'),
      base('{"s":"BTCUSDT","b":[["100.5","1"]],"a":[["100.6","2"]]}', ',"topic":"tickers.X"'),
      base('{"s":"BTCUSDT","b":[["100.5","1"]],"a":[["100.6","2"]]}', ',"data":{"s":"ETHUSDT"}'),
      base('{"data":{"b":[["1","1"]]},"s":"BTCUSDT","b":[["100.5","1"]],"a":[["100.6","2"]]}'),
      base('{"s":"BTCUSDT","b":[["100.5","1"]],"a":[["100.6","2"]],"b":"x"}'),
      base('{"s":"BTCUSDT","b":"x","b":[["100.5","1"]],"a":[["100.6","2"]]}'),
      base('{"s":"BTCUSDT","b":[["100.5","0"],["100.4","1"],["100.7","0"]],"a":[["100.6","2"],["100.55","0"],["100.65","3"]]}'),
      base('{"s":"BTCUSDT","b":[],"a":[["100.6","2"]]}'),
      base('{"s":"BTCUSDT","b":[["100.5","0"]],"a":[]}'),
      base('{"s":"BTCUSDT","b":[["100.7","1"]],"a":[["100.6","2"]]}'),
      base('{"s":"BTCUSDT","b":[["0","1"]],"a":[["100.6","2"]]}'),
      base('{"s":"BTCUSDT","b":[["100.5","-1"]],"a":[["100.6","2"]]}'),
      base('{"s":"BTCUSDT","b":[["100.5","-0"]],"a":[["100.6","2"]]}'),
      base('{"s":"BTCUSDT","b":[["100.5","1e999"]],"a":[["100.6","2"]]}'),
      base('{"s":"BTCUSDT","b":[["100.5","1","x"]],"a":[["100.6","2"]]}'),
      base('{"s":"BTCUSDT","b":[[100.5,"1"]],"a":[["100.6","2"]]}'),
      base('{"s":"BTCUSDT","b":[["100.5"]],"a":[["100.6","2"]]}'),
      base('{"s":"BTCUSDT","b":[["100.5","1"],],"a":[["100.6","2"]]}'),
      base('{"s":"BTCUSDT","b":[["100.5","1"]]],"a":[["100.6","2"]]}'),
      base('{"s":"BTCUSDT","b":[["100.5","1"]],"a":[["100.6","2"]]'),
      base('{"s":"BTCUSDT","b":[["100.5","1"]],"a":[["100.6","2"]]}}'),
      base('{"s":"BTC\\u0055SDT","b":[["100.5","1"]],"a":[["100.6","2"]]}'),
      base('{"s":"币安人生USDT","b":[["100.5","1"]],"a":[["100.6","2"]]}'),
      base('{"s":"BTCUSDT","b":[["100.5","1"]],"a":[["100.6","2"]],"x":"\\x"}'),
      base('{"\\"":1,"s":"BTCUSDT","b":[["100.5","1"]],"a":[["100.6","2"]]}'),
      base('{"""":1,"s":"BTCUSDT","b":[["100.5","1"]],"a":[["100.6","2"]]}'),
      base('{"\\\\":1,"s":"BTCUSDT","b":[["100.5","1"]],"a":[["100.6","2"]]}'),
      '{"topic":"orderbook.1","data":{"s":"BTCUSDT","b":[["100.5","1"]],"a":[["100.6","2"]]}}',
      '{"topic":"orderbook.1.BTCUSDT"}',
      '{"topic":"orderbook.1.BTCUSDT","data":{}}',
      '{"topic":"orderbook.1.BTCUSDT","data":[]}',
      '{"data":{"s":"BTCUSDT","b":[["100.5","1"]],"a":[["100.6","2"]]},"topic":"orderbook.1.BTCUSDT"}',
      '{"topic":"orderbook.1.BTCUSDT","topic":"tickers.BTCUSDT","data":{"s":"BTCUSDT","b":[["100.5","1"]],"a":[["100.6","2"]]}}',
      '{"topic":"tickers.BTCUSDT","topic":"orderbook.1.BTCUSDT","data":{"s":"BTCUSDT","b":[["100.5","1"]],"a":[["100.6","2"]]}}',
      '{"success":true,"ret_msg":"pong","op":"ping"}',
      "{}",
      "",
      "}",
    ];
    for (const t of traps) compare(t);
    const big = base(`{"x":"${"y".repeat(70_000)}","s":"BTCUSDT","b":[["100.5","1"]],"a":[["100.6","2"]]}`);
    expect(parseBybitFast(big, outFast, table)).toBe(FAST_FALLBACK);
    compare(big);
    expect(parseBybit(new Uint8Array([123, 125]), outDispatch, table)).toBe(FrameKind.Malformed);
  });
});
