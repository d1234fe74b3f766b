// Bybit parser under hostile input: seeded mutations of real frames (differential vs JSON.parse), garbage, hot-path hygiene.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { bybitSpot } from "../../packages/exchanges/src/bybit/index.ts";
import { checkPrices } from "../../packages/exchanges/src/num.ts";
import { SymbolTable } from "../../packages/exchanges/src/symbol-table.ts";
import { FrameKind, QuoteRecord } from "../../packages/exchanges/src/types.ts";
import { fixtureLines, noteFrames, prng, refBybit, symbolUniverse } from "./helpers-binance-bybit.ts";

const parse = bybitSpot.parse;
const out = new QuoteRecord();
const table = new SymbolTable(symbolUniverse(["BTCUSDT"]));
const ALPHABET = '{}[]":,.-+eE0123456789absu \\\n\u00e9';

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

function mutate(s: string, rnd: () => number): string {
  const pos = Math.floor(rnd() * (s.length + 1));
  const ch = ALPHABET[Math.floor(rnd() * ALPHABET.length)]!;
  switch (Math.floor(rnd() * 5)) {
    case 0:
      return s.slice(0, pos) + ch + s.slice(pos + 1);
    case 1:
      return s.slice(0, pos) + s.slice(pos + 1);
    case 2:
      return s.slice(0, pos) + ch + s.slice(pos);
    case 3: {
      const len = Math.floor(rnd() * 16);
      return s.slice(0, pos) + s.slice(pos, pos + len) + s.slice(pos);
    }
    default:
      return s.slice(0, pos);
  }
}

function checkOutcome(frame: string, kind: number): void {
  expect(kind).toBeGreaterThanOrEqual(FrameKind.Update);
  expect(kind).toBeLessThanOrEqual(FrameKind.Invalid);
  if (kind === FrameKind.Malformed) expect(out.message).toBeString();
  if (kind !== FrameKind.Update) return;
  expect(checkPrices(out.bid, out.ask)).toBe(0);
  expect(Number.isFinite(out.bidQty) && Number.isFinite(out.askQty)).toBe(true);
  // Differential (see binance-robustness): the only leniency is raw control characters in skipped strings.
  let ref: ReturnType<typeof refBybit>;
  try {
    ref = refBybit(frame);
  } catch {
    expect(/[\u0000-\u001f]/.test(frame)).toBe(true);
    return;
  }
  expect([out.bid, out.bidQty, out.ask, out.askQty, out.exchangeTsMs]).toEqual([ref.bid, ref.bidQty, ref.ask, ref.askQty, ref.ts]);
  expect(frame.slice(out.symStart, out.symEnd)).toBe(ref.symbol);
}

describe("bybit robustness", () => {
  test("20,000 seeded mutations of real frames: never a throw, Updates agree with JSON.parse", () => {
    const rnd = prng(0xb7b17);
    let updates = 0;
    for (let n = 0; n < 20_000; n++) {
      let f = seeds[n % seeds.length]!;
      const steps = 1 + Math.floor(rnd() * 3);
      for (let k = 0; k < steps; k++) f = mutate(f, rnd);
      const kind = parse(f, out, table);
      if (kind === FrameKind.Update) updates++;
      checkOutcome(f, kind);
    }
    expect(updates).toBeGreaterThan(500);
  });

  test("random garbage text and bytes", () => {
    const rnd = prng(7);
    for (let n = 0; n < 5_000; n++) {
      const len = Math.floor(rnd() * 200);
      let s = rnd() < 0.5 ? '{"topic":"orderbook.1.X","data":{' : "";
      for (let i = 0; i < len; i++) s += ALPHABET[Math.floor(rnd() * ALPHABET.length)];
      checkOutcome(s, parse(s, out, table));
      const bytes = new Uint8Array(len);
      for (let i = 0; i < len; i++) bytes[i] = Math.floor(rnd() * 256);
      expect(parse(bytes, out, table)).toBe(FrameKind.Malformed);
    }
  });
});

describe("bybit hot path hygiene", () => {
  test("parse.ts uses no allocating calls (JSON.parse, slice, split, regex, templates)", () => {
    const src = readFileSync(join(import.meta.dir, "../../packages/exchanges/src/bybit/parse.ts"), "utf8")
      .split("\n")
      .filter((l) => !l.trim().startsWith("//") && !l.trim().startsWith("*") && !l.trim().startsWith("/*"))
      .join("\n");
    for (const banned of ["JSON.parse", ".slice(", ".substring(", ".substr(", ".split(", ".match(", ".replace(", "RegExp", "`", "toString(", "String(", ".exec(", ".test("]) {
      expect({ banned, found: src.includes(banned) }).toEqual({ banned, found: false });
    }
    // only the module-level scratch buffer is constructed
    expect([...src.matchAll(/new \w+/g)].map((m) => m[0])).toEqual(["new Float64Array"]);
  });
});
