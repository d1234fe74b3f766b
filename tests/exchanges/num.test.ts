// parseDecimal / parseDecimalBytes: bit-identical to Number() on the accepted grammar, NaN on everything else,
// over 1.2 million seeded random inputs (long mantissas, exponents, leading/trailing zeros, signs, garbage).
import { describe, expect, test } from "bun:test";
import { parseDecimal, parseDecimalBytes, restNumber } from "../../packages/exchanges/src/num.ts";
import { prng } from "./helpers-binance-bybit.ts";

/** The grammar parseDecimal accepts (unchanged by the fast rewrite): sign, digits with an optional point, exponent. */
const GRAMMAR = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const expected = (s: string): number => (GRAMMAR.test(s) ? Number(s) : Number.NaN);

function digits(rnd: () => number, n: number): string {
  let s = "";
  for (let k = 0; k < n; k++) s += String.fromCharCode(48 + Math.floor(rnd() * 10));
  return s;
}

const JUNK = "0123456789.eE+- x\u00e9\t,\"";

/** One random input: mostly well-formed decimals of every shape, some near-misses, some garbage. */
function sample(rnd: () => number): string {
  const r = rnd();
  const pick = (n: number) => Math.floor(rnd() * n);
  if (r < 0.1) {
    let s = "";
    const n = pick(10);
    for (let k = 0; k < n; k++) s += JUNK[pick(JUNK.length)];
    return s;
  }
  const long = r < 0.35; // long mantissas: past 15 digits, past 2^53, past 10^22
  let s = "";
  if (rnd() < 0.2) s += rnd() < 0.5 ? "-" : "+";
  if (rnd() < 0.2) s += "0".repeat(pick(6)); // leading zeros
  s += digits(rnd, pick(long ? 30 : 9));
  if (rnd() < 0.75) {
    s += ".";
    if (rnd() < 0.2) s += "0".repeat(pick(20)); // zeros right after the point
    s += digits(rnd, pick(long ? 30 : 10));
    if (rnd() < 0.35) s += "0".repeat(pick(12)); // padded like Binance quantities
  }
  if (rnd() < 0.25) {
    s += rnd() < 0.5 ? "e" : "E";
    if (rnd() < 0.6) s += rnd() < 0.5 ? "-" : "+";
    s += digits(rnd, pick(rnd() < 0.1 ? 8 : 4)); // sometimes absurd exponents (overflow, underflow)
  }
  if (rnd() < 0.05) {
    // a near-miss: one char replaced or inserted
    const p = pick(s.length + 1);
    const ch = JUNK[pick(JUNK.length)]!;
    s = rnd() < 0.5 ? s.slice(0, p) + ch + s.slice(p + 1) : s.slice(0, p) + ch + s.slice(p);
  }
  return s;
}

const enc = new TextEncoder();

function check(s: string, start: number, frame: string): void {
  const want = expected(s);
  const end = start + s.length;
  const got = parseDecimal(frame, start, end);
  if (!Object.is(got, want)) expect({ s, got }).toEqual({ s, got: want });
  // bytes: only for ASCII text (the protobuf fields it reads are ASCII)
  if (!/[^\x00-\x7f]/.test(frame)) {
    const gotBytes = parseDecimalBytes(enc.encode(frame), start, end);
    if (!Object.is(gotBytes, want)) expect({ s, gotBytes }).toEqual({ s, gotBytes: want });
  }
}

describe("parseDecimal vs Number()", () => {
  for (let part = 0; part < 4; part++) {
    test(`300,000 random inputs inside a frame (part ${part + 1}/4)`, () => {
      const rnd = prng(0x5eed + part);
      let accepted = 0;
      for (let t = 0; t < 300_000; t++) {
        const s = sample(rnd);
        // inside quotes with text around, as in a frame: the range must not leak past its ends
        const pre = rnd() < 0.5 ? '{"b":"' : "";
        check(s, pre.length, `${pre}${s}"${rnd() < 0.5 ? "5}" : ""}`);
        if (GRAMMAR.test(s)) accepted++;
      }
      // the generator mostly produces numbers: the comparison is about values, not just NaN
      expect(accepted).toBeGreaterThan(200_000);
    });
  }

  test("hand-picked shapes", () => {
    const cases = [
      "0", "-0", "+0", "0.0", "-0.0", "00", "007", "0.35210000", "672.00000000", "3199.00000000", "7.6137", "25.35190000",
      "1.", ".5", "-.5", "+.5", "1.e5", "3.4103e-06", "7.548E+4", "1e22", "1e23", "9007199254740993", "9007199254740992",
      "123456789012345", "1234567890123456", "12345678901234567890", "123456789.00000000", "0.000000000000000000001",
      "1e-400", "1e400", "-1e400", "0e999999999", "1e-999999999", "2.2250738585072011e-308", "4.9e-324", "1.7976931348623157e308",
      "0." + "0".repeat(389) + "1e1000", "1" + "0".repeat(30) + "e-30", "0.1", "0.2", "0.3", "1.0000000000000002",
      // rejected
      "", ".", "-", "+", "e5", ".e5", "1e", "1e+", "1e-", "--1", "+-1", "1.5.3", " 1", "1 ", "Infinity", "NaN", "0x10",
      "1_000", "1,5", "١", "1e5.5", "١٢",
    ];
    for (const s of cases) check(s, 0, s);
  });

  test("ranges: empty, reversed, past the end, negative start → NaN", () => {
    expect(parseDecimal("123", 0, 0)).toBeNaN();
    expect(parseDecimal("123", 2, 1)).toBeNaN();
    expect(parseDecimal("123", 0, 4)).toBeNaN();
    expect(parseDecimal("123", -1, 2)).toBeNaN();
    expect(parseDecimal("x12y", 1, 3)).toBe(12);
    const b = enc.encode("x12y");
    expect(parseDecimalBytes(b, 0, 0)).toBeNaN();
    expect(parseDecimalBytes(b, 1, 5)).toBeNaN();
    expect(parseDecimalBytes(b, 1, 3)).toBe(12);
  });

  test("restNumber keeps its contract", () => {
    expect(restNumber(" 1.5 ")).toBe(1.5);
    expect(restNumber("")).toBeNull();
    expect(restNumber("abc")).toBeNull();
    expect(restNumber("1e400")).toBeNull();
    expect(restNumber(2)).toBe(2);
    expect(restNumber(null)).toBeNull();
  });
});
