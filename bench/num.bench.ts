// parseDecimal / parseDecimalBytes per field, on the shapes the venues send, against the previous implementation
// (digit-by-digit with per-digit significance tracking, kept here as the baseline) and Number(slice).
import { blackhole, measure } from "./harness.ts";
import { parseDecimal, parseDecimalBytes } from "../packages/exchanges/src/num.ts";

// 256 fields in frame context ("b":"<value>"), cycling over Binance spot / USD-M and Bybit shapes.
const N = 256;
const texts: string[] = [];
for (let i = 0; i < N; i++) {
  const k = i % 4;
  const v =
    k === 0
      ? (7.6 + (i % 97) * 0.0137).toFixed(4) + "0000" // Binance spot price, 8 decimals
      : k === 1
        ? `${672 + i}.00000000` // Binance spot size
        : k === 2
          ? (28165.07 + i * 0.01).toFixed(2) // Bybit price
          : `0.${175231 + i}`; // Bybit size
  texts.push(`"b":"${v}",`);
}
const bytes = texts.map((t) => new TextEncoder().encode(t));
for (const t of texts) if (parseDecimal(t, 5, t.length - 2) !== Number(t.slice(5, -2))) throw new Error(`bench value mismatch: ${t}`);

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
/** The implementation before the rewrite (same results on valid input), for comparison only. */
function legacyParseDecimal(text: string, start: number, end: number): number {
  let i = start;
  if (i >= end) return Number.NaN;
  let neg = false;
  let c = text.charCodeAt(i);
  if (c === 45) {
    neg = true;
    if (++i >= end) return Number.NaN;
  } else if (c === 43) {
    if (++i >= end) return Number.NaN;
  }
  let mant = 0;
  let digits = 0;
  let scale = 0;
  let sawDigit = false;
  let overflow = false;
  for (; i < end; i++) {
    c = text.charCodeAt(i);
    const d = c - 48;
    if (d < 0 || d > 9) break;
    sawDigit = true;
    if (mant === 0 && d === 0) continue;
    if (digits < 15) {
      mant = mant * 10 + d;
      digits++;
    } else overflow = true;
  }
  if (i < end && c === 46) {
    for (i++; i < end; i++) {
      c = text.charCodeAt(i);
      const d = c - 48;
      if (d < 0 || d > 9) break;
      sawDigit = true;
      if (mant === 0 && d === 0) {
        scale++;
        continue;
      }
      if (digits < 15) {
        mant = mant * 10 + d;
        digits++;
        scale++;
      } else if (d !== 0) overflow = true;
    }
  }
  if (!sawDigit) return Number.NaN;
  let exp = 0;
  if (i < end && (c === 101 || c === 69)) {
    i++;
    let eneg = false;
    c = text.charCodeAt(i);
    if (c === 45 || c === 43) {
      eneg = c === 45;
      i++;
    }
    let sawExp = false;
    for (; i < end; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      sawExp = true;
      exp = exp * 10 + d;
      if (exp > 400) exp = 400;
    }
    if (!sawExp) return Number.NaN;
    if (eneg) exp = -exp;
  }
  if (i !== end) return Number.NaN;
  if (overflow || mant >= 9007199254740992) return parseFloat(text.slice(start, end));
  const p = exp - scale;
  let v: number;
  if (mant === 0) v = 0;
  else if (p >= 0 && p <= 22) v = mant * POW10[p]!;
  else if (p < 0 && p >= -22) v = mant / POW10[-p]!;
  else return parseFloat(text.slice(start, end));
  return neg ? -v : v;
}

const mask = N - 1;
measure("parseDecimal (string range)", (i) => {
  const t = texts[i & mask]!;
  blackhole(parseDecimal(t, 5, t.length - 2));
}, { note: "venue price/size shapes, 1-12 digits" });
measure("parseDecimalBytes (byte range)", (i) => {
  const b = bytes[i & mask]!;
  blackhole(parseDecimalBytes(b, 5, b.length - 2));
});
measure("previous parseDecimal (baseline)", (i) => {
  const t = texts[i & mask]!;
  blackhole(legacyParseDecimal(t, 5, t.length - 2));
});
measure("Number(slice) (allocates)", (i) => {
  const t = texts[i & mask]!;
  blackhole(Number(t.slice(5, t.length - 2)));
});
