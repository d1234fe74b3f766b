// Venue-neutral, allocation-free JSON text scanning primitives for the hot parse paths (Binance and Bybit).
// They locate values by structure (never by searching for key text), so a key spelled inside a string
// value or inside an unknown nested object can't be mistaken for a real key.
import { parseDecimal } from "../num.ts";

/** Frames longer than this are Malformed without scanning: a best-bid/ask frame is < 1 KiB. */
export const MAX_FRAME_CHARS = 64 * 1024;

/** Deepest nesting accepted inside a value we skip (quote frames have none; this bounds recursion). */
const MAX_DEPTH = 32;

/**
 * Char code at i, -1 past the end. Every read goes through a bound check: charCodeAt past the end
 * returns NaN, and JSC then deoptimizes the caller (measured 3.4x slower).
 */
export function code(s: string, i: number): number {
  return i < s.length ? s.charCodeAt(i) : -1;
}

/** True for the four JSON whitespace chars. */
export function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** First index in [i, end) that is not JSON whitespace, end when there is none. */
export function skipWs(s: string, i: number, end = s.length): number {
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return i;
    i++;
  }
  return end;
}

/** Index of the quote closing the string opened at `open`; -1 if unterminated. */
export function stringEnd(s: string, open: number): number {
  // indexOf beats a charCodeAt loop here even for short strings (measured).
  let j = s.indexOf('"', open + 1);
  while (j !== -1) {
    if (s.charCodeAt(j - 1) !== 92) return j;
    let k = j - 1;
    while (k > open && s.charCodeAt(k) === 92 /* \ */) k--;
    // An even run of backslashes before the quote escapes nothing.
    if (((j - 1 - k) & 1) === 0) return j;
    j = s.indexOf('"', j + 1);
  }
  return -1;
}

/** First index >= i that is not an ASCII digit. */
export function digitsEnd(s: string, i: number): number {
  const n = s.length;
  while (i < n) {
    const d = s.charCodeAt(i);
    if (d < 48 || d > 57) return i;
    i++;
  }
  return n;
}

/** End (exclusive) of the JSON number or literal starting at i; -1 if it is not one (strict grammar). */
export function scalarEnd(s: string, i: number): number {
  let c = code(s, i);
  if (c === 116 /* t */) return literalEnd(s, i, "true");
  if (c === 102 /* f */) return literalEnd(s, i, "false");
  if (c === 110 /* n */) return literalEnd(s, i, "null");
  let j = i;
  if (c === 45 /* - */) c = code(s, ++j);
  if (c === 48 /* 0, no leading zeros */) j++;
  else if (c >= 49 && c <= 57) j = digitsEnd(s, j + 1);
  else return -1;
  c = code(s, j);
  if (c === 46 /* . */) {
    const k = digitsEnd(s, j + 1);
    if (k === j + 1) return -1;
    j = k;
    c = code(s, j);
  }
  if (c === 101 || c === 69 /* e E */) {
    c = code(s, ++j);
    if (c === 43 || c === 45) j++;
    const k = digitsEnd(s, j);
    if (k === j) return -1;
    j = k;
  }
  return j;
}

function literalEnd(s: string, i: number, lit: string): number {
  if (i + lit.length > s.length) return -1;
  for (let k = 0; k < lit.length; k++) if (s.charCodeAt(i + k) !== lit.charCodeAt(k)) return -1;
  return i + lit.length;
}

/** End (exclusive) of the object or array opened at i, fully validated; -1 if malformed, truncated or too deep. */
export function nestedEnd(s: string, i: number, depth = 0): number {
  if (depth >= MAX_DEPTH) return -1;
  const obj = code(s, i) === 123;
  const close = obj ? 125 : 93;
  i = skipWs(s, i + 1);
  if (code(s, i) === close) return i + 1;
  for (;;) {
    if (obj) {
      if (code(s, i) !== 34) return -1;
      const ke = stringEnd(s, i);
      if (ke < 0) return -1;
      i = skipWs(s, ke + 1);
      if (code(s, i) !== 58) return -1;
      i = skipWs(s, i + 1);
    }
    const c = code(s, i);
    let ve: number;
    if (c === 123 || c === 91) ve = nestedEnd(s, i, depth + 1);
    else if (c === 34) {
      ve = stringEnd(s, i);
      if (ve >= 0) ve++;
    } else ve = scalarEnd(s, i);
    if (ve < 0) return -1;
    i = skipWs(s, ve);
    const d = code(s, i);
    if (d === close) return i + 1;
    if (d !== 44) return -1;
    i = skipWs(s, i + 1);
  }
}

/** End (exclusive) of any JSON value starting at i; -1 if malformed or truncated. */
export function valueEnd(s: string, i: number): number {
  const c = code(s, i);
  if (c === 34) {
    const j = stringEnd(s, i);
    return j < 0 ? -1 : j + 1;
  }
  if (c === 123 || c === 91) return nestedEnd(s, i);
  return scalarEnd(s, i);
}

/**
 * True when every backslash in the frame starts a valid JSON escape inside a string. Callers run it
 * only when the frame holds a backslash at all (quote frames never do), so strings they skip need no
 * per-char scan. Raw control characters inside skipped strings are not checked (documented leniency).
 */
export function escapesValid(s: string): boolean {
  const n = s.length;
  let inString = false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 34) inString = !inString;
    else if (c === 92) {
      if (!inString) return false;
      const d = code(s, ++i);
      if (d === 117 /* u */) {
        for (let k = 1; k <= 4; k++) {
          const h = code(s, i + k);
          if (!((h >= 48 && h <= 57) || (h >= 65 && h <= 70) || (h >= 97 && h <= 102))) return false;
        }
        i += 4;
      } else if (d !== 34 && d !== 92 && d !== 47 && d !== 98 && d !== 102 && d !== 110 && d !== 114 && d !== 116) return false;
    }
  }
  return true;
}

/** True when s[start, end) equals lit exactly. */
export function rangeEquals(s: string, start: number, end: number, lit: string): boolean {
  if (end - start !== lit.length || end > s.length) return false;
  for (let k = 0; k < lit.length; k++) if (s.charCodeAt(start + k) !== lit.charCodeAt(k)) return false;
  return true;
}

/** True when s[start, end) begins with lit. */
export function rangeStartsWith(s: string, start: number, end: number, lit: string): boolean {
  if (end - start < lit.length || start + lit.length > s.length) return false;
  for (let k = 0; k < lit.length; k++) if (s.charCodeAt(start + k) !== lit.charCodeAt(k)) return false;
  return true;
}

/** Number field at [start, end) (string content or bare number); NaN when absent (-1) or not a scalar (-2). */
export function rangeNum(s: string, start: number, end: number): number {
  return start < 0 ? Number.NaN : parseDecimal(s, start, end);
}
