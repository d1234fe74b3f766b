// The scanner library's text primitives, each written once: char reads, whitespace, literal compares, string and
// digit ends. Every reader of the library (walk.ts, members.ts, values.ts, grammar.ts) builds on these; the byte
// fast path (bytes.ts) has its own SWAR forms because it reads a byte buffer, not a string.

/** Frames longer than this are Malformed without scanning: a best-bid/ask frame is < 1 KiB. */
export const MAX_FRAME_CHARS = 64 * 1024;

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

/** Last index <= i that is not JSON whitespace, -1 when there is none. */
export function lastNonWs(s: string, i: number): number {
  while (i >= 0 && isWs(s.charCodeAt(i))) i--;
  return i;
}

/**
 * Char codes of a literal, for codesAt() and the range compares. Literals are compared as Uint16Array, never as
 * strings: indexing the array measured ~35 % faster here than charCodeAt on the literal.
 */
export function codes(t: string): Uint16Array {
  return Uint16Array.from(t, (c) => c.charCodeAt(0));
}

/** True when s at i holds exactly the chars of lit (the one literal compare of the library). */
export function codesAt(s: string, i: number, lit: Uint16Array): boolean {
  const n = lit.length;
  if (i < 0 || i + n > s.length) return false;
  for (let k = 0; k < n; k++) if (s.charCodeAt(i + k) !== lit[k]) return false;
  return true;
}

/** True when s[start, end) equals lit exactly. */
export function rangeEquals(s: string, start: number, end: number, lit: Uint16Array): boolean {
  return end - start === lit.length && codesAt(s, start, lit);
}

/** True when s[start, end) begins with lit. */
export function rangeStartsWith(s: string, start: number, end: number, lit: Uint16Array): boolean {
  return end - start >= lit.length && codesAt(s, start, lit);
}

/** True when the quote at q is escaped: an odd run of backslashes stands before it. */
export function quoteEscaped(s: string, q: number): boolean {
  let k = q - 1;
  while (k >= 0 && s.charCodeAt(k) === 92 /* \ */) k--;
  return ((q - 1 - k) & 1) === 1;
}

/** Index of the quote closing the string opened at `open` (escapes honoured); -1 if unterminated. */
export function stringEnd(s: string, open: number): number {
  // indexOf beats a charCodeAt loop here even for short strings (measured).
  let j = s.indexOf('"', open + 1);
  while (j !== -1) {
    if (s.charCodeAt(j - 1) !== 92 || !quoteEscaped(s, j)) return j;
    j = s.indexOf('"', j + 1);
  }
  return -1;
}

/** i at '"': index of the closing quote, or -1 (unterminated, escape or raw control char: never in the fields read). */
export function plainStringEnd(s: string, i: number, end: number): number {
  for (i++; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 34) return i;
    if (c === 92 || c < 32) return -1;
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
