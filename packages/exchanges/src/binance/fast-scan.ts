// Primitives of the compact-frame fast paths (Binance bookTicker, Bybit orderbook.1): allocation-free, and
// only valid under the fast-path preconditions checked by the caller before any of them runs:
//   (P1) the frame holds no backslash, so every string ends at the next '"' (f.indexOf('"', from) is exact);
//   (P2) the frame's last char is '}' (neither a digit nor a quote), so a forward scan over digits or up to a
//        quote stops at index length-1 at the latest: no charCodeAt past the end (which would deoptimize).

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/** Output of quotedDecimal: index of the closing quote, or -1 when the fused grammar did not match. */
export let quotedEnd = 0;

/**
 * Reads digits [ "." digits ] '"' starting at i (just after an opening quote), at most 15 digits in all, and
 * returns the value: an exact integer < 10^15 divided by an exact power of ten is one correctly rounded
 * operation, so it equals parseDecimal (and Number) on the same text. Anything else (sign, exponent, more
 * digits, other chars, empty) sets quotedEnd = -1: the caller then finds the quote and uses parseDecimal.
 * Needs (P2) and f[i - 1] === '"' at an index <= length - 2.
 */
export function quotedDecimal(f: string, i: number): number {
  const s = i;
  let m = 0;
  let c = f.charCodeAt(i);
  while (c >= 48 && c <= 57) {
    m = m * 10 + (c - 48);
    c = f.charCodeAt(++i);
  }
  let nd = i - s;
  let frac = 0;
  if (c === 46 /* . */) {
    const fs = ++i;
    c = f.charCodeAt(i);
    while (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      c = f.charCodeAt(++i);
    }
    frac = i - fs;
    nd += frac;
  }
  if (c !== 34 || nd === 0 || nd > 15) {
    quotedEnd = -1;
    return Number.NaN;
  }
  quotedEnd = i;
  return m / POW10[frac]!;
}

/** End of the digit run starting at i (needs (P2)). */
export function digitRunEnd(f: string, i: number): number {
  let c = f.charCodeAt(i);
  while (c >= 48 && c <= 57) c = f.charCodeAt(++i);
  return i;
}
