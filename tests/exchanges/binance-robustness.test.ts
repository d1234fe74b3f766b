// Binance parser under hostile input: seeded mutations of real frames (differential vs JSON.parse), garbage, hot-path hygiene.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { binanceSpot } from "../../packages/exchanges/src/binance/index.ts";
import { checkPrices } from "../../packages/exchanges/src/num.ts";
import { SymbolTable } from "../../packages/exchanges/src/symbol-table.ts";
import { FrameKind, QuoteRecord } from "../../packages/exchanges/src/types.ts";
import { fixtureLines, fixtureText, noteFrames, prng, refBinance, symbolUniverse } from "./helpers-binance-bybit.ts";

const parse = binanceSpot.parse;
const out = new QuoteRecord();
const table = new SymbolTable(symbolUniverse(["NKNUSDT", "LRCBTC", "SUSHIUSDT", "BNBUSDT"]));
const ALPHABET = '{}[]":,.-+eE0123456789bBaAsTEu \\\n\t\u00e9\u4e2d';

const seeds = [
  ...fixtureLines("binance_spot", "bookTicker_ws_combined_2021-10-11.jsonl").slice(0, 8),
  ...fixtureLines("binance_futures", "bookTicker_ws_combined_2021-07-22.jsonl").slice(0, 8),
  ...noteFrames("binance_futures", "bookTicker_2026_schema_sdk_mocks.jsonl").map((n) => n.frame),
  fixtureText("binance_futures", "bookTicker_raw_2026_schema_nautilus.json"),
  ...noteFrames("binance_spot", "control_messages.jsonl").map((n) => n.frame),
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
      const len = Math.floor(rnd() * 12);
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
  // Differential: whatever the scanner accepts, a full JSON.parse reads the same values. The one
  // documented leniency: raw control characters inside strings the scanner skips.
  let ref: ReturnType<typeof refBinance>;
  try {
    ref = refBinance(frame);
  } catch {
    expect(/[\u0000-\u001f]/.test(frame)).toBe(true);
    return;
  }
  expect([out.bid, out.bidQty, out.ask, out.askQty, out.exchangeTsMs]).toEqual([ref.bid, ref.bidQty, ref.ask, ref.askQty, ref.ts]);
  expect(frame.slice(out.symStart, out.symEnd)).toBe(ref.symbol);
}

describe("binance robustness", () => {
  test("20,000 seeded mutations of real frames: never a throw, Updates agree with JSON.parse", () => {
    const rnd = prng(0xb1a4ce);
    let updates = 0;
    for (let n = 0; n < 20_000; n++) {
      let f = seeds[n % seeds.length]!;
      const steps = 1 + Math.floor(rnd() * 3);
      for (let k = 0; k < steps; k++) f = mutate(f, rnd);
      const kind = parse(f, out, table);
      if (kind === FrameKind.Update) updates++;
      checkOutcome(f, kind);
    }
    // a useful share of mutants stays valid (e.g. a digit changed) and exercises the differential check
    expect(updates).toBeGreaterThan(1000);
  });

  test("random garbage text and bytes", () => {
    const rnd = prng(42);
    for (let n = 0; n < 5_000; n++) {
      const len = Math.floor(rnd() * 200);
      let s = rnd() < 0.5 ? "{" : "";
      for (let i = 0; i < len; i++) s += ALPHABET[Math.floor(rnd() * ALPHABET.length)];
      checkOutcome(s, parse(s, out, table));
      const bytes = new Uint8Array(len);
      for (let i = 0; i < len; i++) bytes[i] = Math.floor(rnd() * 256);
      expect(parse(bytes, out, table)).toBe(FrameKind.Malformed);
    }
  });

  test("deep nesting in an unknown field does not overflow", () => {
    const deep = `{"x":${"[".repeat(5000)}${"]".repeat(5000)},"s":"A","b":"1","B":"1","a":"2","A":"1"}`;
    expect(parse(deep, out, null)).toBe(FrameKind.Malformed);
    const ok = `{"x":${"[".repeat(20)}${"]".repeat(20)},"s":"A","b":"1","B":"1","a":"2","A":"1"}`;
    expect(parse(ok, out, null)).toBe(FrameKind.Update);
  });
});

describe("binance hot path hygiene", () => {
  test("parse.ts and json-walk.ts use no allocating calls (JSON.parse, slice, split, regex, templates)", () => {
    for (const file of ["binance/parse.ts", "shared/json-walk.ts", "shared/outcome.ts"]) {
      const src = readFileSync(join(import.meta.dir, "../../packages/exchanges/src", file), "utf8")
        .split("\n")
        .filter((l) => !l.trim().startsWith("//") && !l.trim().startsWith("*") && !l.trim().startsWith("/*"))
        .join("\n");
      for (const banned of ["JSON.parse", ".slice(", ".substring(", ".substr(", ".split(", ".match(", ".replace(", "RegExp", "`", "toString(", "String(", ".exec(", ".test("]) {
        expect({ file, banned, found: src.includes(banned) }).toEqual({ file, banned, found: false });
      }
      // only module-level scratch buffers are constructed
      expect([...src.matchAll(/new \w+/g)].map((m) => m[0])).toEqual([]);
    }
  });

  test("fast-scan.ts (the fast paths' byte scanners) allocates only its module-level scratch", () => {
    const lines = readFileSync(join(import.meta.dir, "../../packages/exchanges/src/shared/fast-scan.ts"), "utf8")
      .split("\n")
      .filter((l) => !l.trim().startsWith("//") && !l.trim().startsWith("*") && !l.trim().startsWith("/*"));
    const src = lines.join("\n");
    for (const banned of ["JSON.parse", ".slice(", ".substring(", ".substr(", ".split(", ".match(", ".replace(", "RegExp", "`", "toString(", "String(", ".exec(", ".test("]) {
      expect({ banned, found: src.includes(banned) }).toEqual({ banned, found: false });
    }
    // every construction is a module-level const (column 0), never inside a function
    for (const l of lines.filter((x) => /new \w+|Buffer\.alloc/.test(x))) expect(l).toMatch(/^(export )?const [A-Z_]+(: [^=]+)? = /);
  });
});
