// Binance fast path vs structural walk, differentially: on random valid frames (any key order, extra keys,
// nested look-alikes, number shapes) and on mutated / truncated ones, whenever parseBinanceFast accepts a
// frame its outcome and every QuoteRecord field equal parseBinanceSlow's; otherwise it must have fallen back.
import { describe, expect, test } from "bun:test";
import { FAST_FALLBACK, parseBinance, parseBinanceFast, parseBinanceSlow } from "../../packages/exchanges/src/binance/parse.ts";
import { SymbolTable } from "../../packages/exchanges/src/symbol-table.ts";
import { FrameKind } from "../../packages/exchanges/src/types.ts";
import { FastPathDiff, digits, int, obj, pick, PLAIN_VALUES, shuffle, type Rnd } from "./helpers-parse-fuzz.ts";
import { prng, symbolUniverse } from "./helpers-binance-bybit.ts";
import { fixtureLines, fixtureText, noteFrames } from "../fixtures.ts";

const SYMBOLS = ["BNBUSDT", "BTCUSDT", "1000PEPEUSDT", "1MBABYDOGEUSDT", "ETHBTC", "XY", "币安人生USDT", "ABCDEFGHIJKLMNOPQRUSDT"];
const ASCII_SYMBOLS = SYMBOLS.filter((s) => /^[\x20-\x7e]*$/.test(s));
const table = new SymbolTable(symbolUniverse(SYMBOLS));
const diff = new FastPathDiff(parseBinanceFast, parseBinanceSlow, parseBinance, FAST_FALLBACK, table);
const { outFast, outDispatch } = diff;
const compare = (frame: string, symbols?: SymbolTable | null): boolean => diff.compare(frame, symbols);

/** A price or size as Binance writes it, or (rarely) some other number shape or garbage. */
function decimal(rnd: Rnd): string {
  const r = rnd();
  if (r < 0.55) return `"${int(rnd, 100000)}.${digits(rnd, 8)}"`;
  if (r < 0.75) return `"${int(rnd, 1000)}.${digits(rnd, 1 + int(rnd, 5))}"`;
  if (r < 0.8) return `"${int(rnd, 5000)}"`;
  if (r < 0.83) return `"${digits(rnd, 1 + int(rnd, 9))}.${digits(rnd, int(rnd, 12))}"`; // may exceed 15 digits
  if (r < 0.85) return `"${int(rnd, 10)}.${digits(rnd, 2)}e-${int(rnd, 9)}"`;
  if (r < 0.87) return `"0"`;
  if (r < 0.88) return `"-${int(rnd, 100)}.5"`;
  if (r < 0.89) return `"0.00000000"`;
  if (r < 0.9) return `${int(rnd, 100)}.${int(rnd, 100)}`; // bare number
  if (r < 0.91) return `${1 + int(rnd, 100)}`; // bare integer
  if (r < 0.92) return `"1e400"`;
  if (r < 0.93) return `""`;
  if (r < 0.94) return `"abc"`;
  if (r < 0.95) return `"1.2.3"`;
  if (r < 0.96) return `null`;
  if (r < 0.97) return `"${digits(rnd, 16 + int(rnd, 10))}"`;
  if (r < 0.98) return `".5"`;
  return `"1."`;
}

function integer(rnd: Rnd): string {
  const r = rnd();
  if (r < 0.8) return `${1_600_000_000_000 + int(rnd, 1e9)}`;
  if (r < 0.85) return `"${1_600_000_000_000 + int(rnd, 1e9)}"`;
  if (r < 0.88) return "0";
  if (r < 0.9) return `${digits(rnd, 16) .replace(/^0/, "1")}`;
  if (r < 0.92) return `1.5e3`;
  if (r < 0.94) return `-5`;
  return `${1 + int(rnd, 1e6)}`;
}

/** Values of unknown keys: everything JSON allows, including key-looking text in strings and nested objects. */
function extraValue(rnd: Rnd, depth = 0): string {
  if (depth === 0 && rnd() < 0.5) return pick(rnd, PLAIN_VALUES);
  const r = rnd();
  if (r < 0.25) return JSON.stringify(pick(rnd, ["", "b", "s", "b:1", "x\"b\":\"9\"", "{\"b\":\"1\"}", "@bookTicker", "é", "中", "\\", "a,b}", "\t"]));
  if (r < 0.45) return pick(rnd, ["0", "1", "123456789", "-1", "1.5", "2e5", "true", "false", "null"]);
  if (r < 0.6 && depth < 3) return `{"b":"1","B":"2","a":"3","A":"4","s":"XY","T":5,"data":{"s":"BNBUSDT"},"e":"bookTicker","n":${extraValue(rnd, depth + 1)}}`;
  if (r < 0.75 && depth < 3) return `[["b","1"],{"s":"BNBUSDT"},${extraValue(rnd, depth + 1)}]`;
  if (r < 0.8) return "{}";
  if (r < 0.85) return "[]";
  return `"${digits(rnd, int(rnd, 30))}"`;
}

function symbolValue(rnd: Rnd): string {
  const r = rnd();
  if (r < 0.85) return JSON.stringify(pick(rnd, SYMBOLS));
  if (r < 0.9) return '"\\u5e01\\u5b89\\u4eba\\u751fUSDT"'; // escaped Unicode symbol
  if (r < 0.93) return `"UNKNOWN${int(rnd, 100)}USDT"`;
  if (r < 0.95) return '""';
  if (r < 0.97) return "7";
  return JSON.stringify(pick(rnd, SYMBOLS).toLowerCase());
}

/** Random bookTicker payload pairs; `clean` = the shapes the venue actually sends. */
function payload(rnd: Rnd, clean: boolean): [string, string][] {
  const p: [string, string][] = [];
  const futures = rnd() < 0.5;
  if (futures) p.push(["e", clean || rnd() < 0.9 ? '"bookTicker"' : pick(rnd, ['"serverShutdown"', '"trade"', "1", '"bookTickerX"', '"bookTicke"'])]);
  p.push(["u", clean ? `${400_000_000 + int(rnd, 1e9)}` : integer(rnd)]);
  if (futures) {
    p.push(["E", clean ? `${1_600_000_000_000 + int(rnd, 1e9)}` : integer(rnd)]);
    if (rnd() < 0.9) p.push(["T", clean ? `${1_600_000_000_000 + int(rnd, 1e9)}` : integer(rnd)]);
  }
  p.push(["s", clean ? JSON.stringify(pick(rnd, ASCII_SYMBOLS)) : symbolValue(rnd)]);
  if (futures && rnd() < 0.7) p.push(["ps", clean ? JSON.stringify(pick(rnd, ASCII_SYMBOLS)) : symbolValue(rnd)]);
  for (const k of ["b", "B", "a", "A"]) {
    if (!clean && rnd() < 0.03) continue; // a missing field
    p.push([k, clean ? `"${int(rnd, 100000)}.${digits(rnd, 1 + int(rnd, 8))}"` : decimal(rnd)]);
  }
  if (futures && rnd() < 0.6) p.push(["st", clean ? "1" : pick(rnd, ["1", "2", '"2"', '"1"', "0", "12"])]);
  if (!clean) {
    const extras = int(rnd, 4);
    for (let k = 0; k < extras; k++) p.push([pick(rnd, ["x", "data", "stream", "st2", "bb", "b ", "S", "", "é", "中文", "result", "id", "s\u0001"]), extraValue(rnd)]);
    if (rnd() < 0.05) p.push([pick(rnd, ["b", "s", "T", "e"]), pick(rnd, [decimal(rnd), symbolValue(rnd), integer(rnd)])]); // a duplicate
  }
  return clean ? p : shuffle(rnd, p);
}

/** A random frame: combined or raw, clean or odd; whitespace only in some odd ones. */
function frame(rnd: Rnd, clean: boolean): string {
  const spaced = !clean && rnd() < 0.1;
  const ws = () => (spaced && rnd() < 0.3 ? pick(rnd, [" ", "\n", "\t", "\r\n "]) : "");
  const data = obj(payload(rnd, clean), ws);
  if (rnd() < 0.3) return obj(payload(rnd, clean), ws);
  const top: [string, string][] = [
    ["stream", `"${pick(rnd, clean ? ASCII_SYMBOLS : SYMBOLS).toLowerCase()}@bookTicker"`],
    ["data", data],
  ];
  if (!clean) {
    if (rnd() < 0.2) shuffle(rnd, top);
    if (rnd() < 0.15) top.push([pick(rnd, ["x", "s", "b", "data", "T"]), extraValue(rnd)]);
    if (rnd() < 0.1) top.splice(int(rnd, top.length + 1), 0, [pick(rnd, ["s", "b", "B", "a", "A"]), decimal(rnd)]);
  }
  let f = obj(top, ws);
  if (spaced && rnd() < 0.3) f = ` ${f}\n`;
  return f;
}

function fixtureFrames(): string[] {
  return [
    ...fixtureLines("binance_spot", "bookTicker_ws_combined_2021-10-11.jsonl"),
    ...fixtureLines("binance_futures", "bookTicker_ws_combined_2021-07-22.jsonl"),
    ...noteFrames("binance_futures", "bookTicker_2026_schema_sdk_mocks.jsonl").map((n) => n.frame),
    fixtureText("binance_futures", "bookTicker_raw_2026_schema_nautilus.json"),
    ...noteFrames("binance_spot", "control_messages.jsonl").map((n) => n.frame),
    ...noteFrames("binance_futures", "control_messages.jsonl").map((n) => n.frame),
  ];
}

describe("binance fast path = structural walk", () => {
  test("fixtures: the compact update frames take the fast path, all agree", () => {
    let fast = 0;
    const frames = fixtureFrames();
    for (const f of frames) if (compare(f)) fast++;
    // 30 spot + 30 USD-M combined + 2 SDK mocks take it; the pretty-printed raw payload and control frames don't
    expect(fast).toBe(62);
  });

  test("20,000 clean random frames (the venue's shapes): all take the fast path and agree", () => {
    const rnd = prng(101);
    let fast = 0;
    for (let t = 0; t < 20_000; t++) if (compare(frame(rnd, true), rnd() < 0.8 ? table : null)) fast++;
    expect(fast).toBe(20_000);
  });

  test("60,000 odd random frames (any key order, extra keys, nested look-alikes, number shapes): agree when accepted", () => {
    const rnd = prng(202);
    let fast = 0;
    let updates = 0;
    for (let t = 0; t < 60_000; t++) {
      const f = frame(rnd, false);
      if (compare(f)) {
        fast++;
        if (outFast.symbolIndex >= 0) updates++;
      }
    }
    // both sides of the comparison are exercised: many frames accepted, many left to the walk
    expect(fast).toBeGreaterThan(6_000);
    expect(fast).toBeLessThan(56_000);
    expect(updates).toBeGreaterThan(2_000);
  });

  test("80,000 mutated frames: the fast path never accepts what the walk judges differently", () => {
    const rnd = prng(303);
    const seeds = [...fixtureFrames()];
    for (let k = 0; k < 200; k++) seeds.push(frame(rnd, k % 2 === 0));
    const fast = diff.mutations(rnd, seeds, 80_000);
    expect(fast).toBeGreaterThan(5_000);
  });

  test("every prefix and every single-char deletion of fixture and random frames", () => {
    const rnd = prng(404);
    const frames = [...fixtureFrames().slice(0, 40)];
    for (let k = 0; k < 40; k++) frames.push(frame(rnd, k % 2 === 0));
    diff.prefixesAndDeletions(frames);
  });

  test("hand-made traps", () => {
    const ok = '{"s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3"}';
    expect(compare(ok)).toBe(true);
    const traps = [
      // key-shaped text where only the walk can tell
      '{"x":"\\"b\\":\\"9\\"","s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3"}',
      '{"x":{"b":"9"},"s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3"}',
      '{"x":["b","9"],"s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3"}',
      '{"""s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3"}',
      '{""":1,"s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3"}',
      '{"\\":1,"s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3"}',
      '{"\\":1,"\\":"s","s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3"}',
      '{"b"":1,"s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3"}',
      '{"s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3"}x}',
      '{"\\"":1,"s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3"}',
      '{"s\\"":1,"s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3"}',
      '{"\u0002":{"s":"X"},"s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3"}',
      '{"data":{"s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3"},"data":{"b":"9"}}',
      '{"data":{"data":{"b":"9"},"s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3"}}',
      '{"data":{"s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3"},"b":"0.5"}',
      '{"b":"0.5","data":{"s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3"}}',
      '{"data":{},"s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3"}',
      '{"data":"x","s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3"}',
      // values
      '{"s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3","st":2}',
      '{"s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3","st":"2"}',
      '{"s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3","st":20}',
      '{"s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3","T":"17"}',
      '{"s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3","T":12345678901234567}',
      '{"s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3","T":1234567890123456,"E":1}',
      '{"s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3","E":17,"T":0}',
      '{"s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3","E":01}',
      '{"s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3","u":1.}',
      '{"s":"BNBUSDT","b":"1.50000000000000000001","B":"2","a":"1.6","A":"3"}',
      '{"s":"BNBUSDT","b":"15e-1","B":"2","a":"1.6","A":"3"}',
      '{"s":"BNBUSDT","b":"-0","B":"2","a":"1.6","A":"3"}',
      '{"s":"BNBUSDT","b":"1.6","B":"0","a":"1.5","A":"3"}',
      '{"s":"BNBUSDT","b":"1.5","B":"1e999","a":"1.6","A":"3"}',
      '{"s":"BNBUSDT","b":1.5,"B":"2","a":"1.6","A":"3"}',
      '{"s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3","e":"serverShutdown"}',
      '{"e":"bookTicker","e":"trade","s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3"}',
      '{"e":"trade","e":"bookTicker","s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3"}',
      '{"s":"币安人生USDT","b":"1.5","B":"2","a":"1.6","A":"3"}',
      '{"s":"\\u5e01\\u5b89\\u4eba\\u751fUSDT","b":"1.5","B":"2","a":"1.6","A":"3"}',
      '{"s":"BNB\\u0055SDT","b":"1.5","B":"2","a":"1.6","A":"3"}',
      '{"s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3"} ',
      ' {"s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3"}',
      '{"s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3"}}',
      '{"s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3",}',
      '{"s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3"',
      '{"s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3}',
      '{"s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":3}',
      '{"s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3","x":"}',
      '{"s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3","x":"\\x"}',
      '{"s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3","x":tru}',
      '{"s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3","x":[}',
      '{"s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3","x":"\u0000"}',
      '{"stream":"bnbusdt@bookTicker","data":{"s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3"}',
      '{"stream":"bnbusdt@bookTicker","data":{"s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3"}}}',
      '{"stream":"bnbusdt@bookTicker","data":{"s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3"},}',
      '{"stream":"bnbusdt@bookTicker","data":{"s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3"},"s":"ETHBTC"}',
      '{"stream":"bnbusdt@bookTicker","streams":1,"data":{"s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3"}}',
      '{"result":null,"id":1}',
      "{}",
      "",
      "}",
      "{",
      '{"',
      '"s"',
      "[]",
    ];
    for (const t of traps) compare(t);
    // a frame longer than the limit is left to the walk (which says oversize)
    const big = `{"x":"${"y".repeat(70_000)}","s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3"}`;
    expect(parseBinanceFast(big, outFast, table)).toBe(FAST_FALLBACK);
    compare(big);
    // binary frames never reach the fast path
    expect(parseBinance(new Uint8Array([123, 125]), outDispatch, table)).toBe(FrameKind.Malformed);
  });

  test("the memoized symbol lookup agrees with the table for every symbol length and across tables", () => {
    const rnd = prng(505);
    const names: string[] = [];
    for (let len = 1; len <= 20; len++) for (let k = 0; k < 30; k++) names.push(Array.from({ length: len }, () => String.fromCharCode(65 + int(rnd, 26))).join(""));
    const t1 = new SymbolTable(names.filter((_, i) => i % 2 === 0));
    const t2 = new SymbolTable(names.filter((_, i) => i % 3 === 0));
    for (let round = 0; round < 3; round++) {
      for (const name of names) {
        for (const t of [t1, t2]) {
          const f = `{"s":"${name}","b":"1","B":"1","a":"2","A":"1"}`;
          expect(parseBinanceFast(f, outFast, t)).toBe(FrameKind.Update);
          expect(outFast.symbolIndex).toBe(t.get(name));
        }
      }
    }
  });
});
