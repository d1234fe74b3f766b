// Byte-level primitives of the compact-frame fast paths (Binance bookTicker, Bybit orderbook.1).
//
// Why bytes: on this VM a JS loop costs ~0.6 ns per charCodeAt, so merely touching every char of a 190-char
// frame costs more than the whole budget. The frame is instead copied once into a module-level scratch buffer
// (Buffer#write, UTF-8, ~20 ns, allocation-free) and read four bytes at a time through a DataView (SWAR:
// "SIMD within a register"), so quote searches and digit runs cost ~0.5 ns per 4 bytes.
//
// loadAscii() establishes the preconditions every helper here relies on, for the frame just loaded:
//   (A) the frame is pure ASCII (UTF-8 length = string length), so byte i is char i: byte offsets are the
//       char offsets the QuoteRecord reports, and a byte is never part of a multi-byte sequence;
//   (S) byte n (one past the end) is a '"' sentinel and bytes n+1 .. n+7 are 0, so every forward scan for a
//       quote stops at n at the latest, 4-byte reads at any index <= n + 4 see defined bytes, and a digit run
//       never continues past the end. Callers reject any position >= n that a scan returns.
// Nothing here allocates; parse is synchronous and never re-entered, so one scratch buffer serves all venues.
// The symbol lookup over these bytes is symbol-memo.ts.
import type { WalkScan } from "./records.ts";
import { MAX_FRAME_CHARS } from "./text.ts";

const SCRATCH = Buffer.alloc(MAX_FRAME_CHARS * 3 + 16);
/** The loaded frame's bytes (valid in [0, n + 8) after loadAscii). */
export const BYTES = new Uint8Array(SCRATCH.buffer, SCRATCH.byteOffset, SCRATCH.length);
/** Little-endian 4-byte reads over BYTES: getInt32(i, true) holds byte i in bits 0-7. */
export const WORDS = new DataView(SCRATCH.buffer, SCRATCH.byteOffset, SCRATCH.length);

/**
 * Copies f (length n <= MAX_FRAME_CHARS) into BYTES and sets the sentinel (S). False when f is not pure ASCII:
 * every non-ASCII UTF-16 unit (lone surrogates too) takes 2 or more UTF-8 bytes, so the written length equals
 * f.length exactly when every char is < 0x80.
 */
export function loadAscii(f: string, n: number): boolean {
  if (SCRATCH.write(f) !== n) return false;
  WORDS.setInt32(n, 0x22, true);
  WORDS.setInt32(n + 4, 0, true);
  return true;
}

/**
 * Index of the first '"' at or after i, or -1 when a backslash comes first. Under (S) it returns n at the
 * latest (callers check < n). SWAR: a byte of w ^ 0x22222222 is 0 where w holds '"'; (v - 0x01..) & ~v &
 * 0x80.. flags zero bytes, and its lowest flag is always a true zero byte (false flags only occur above one),
 * so the lowest flag of the quote and backslash masks together is the first quote or backslash.
 */
export function stringEndAt(i: number): number {
  for (;;) {
    const w = WORDS.getInt32(i, true);
    const q = w ^ 0x22222222;
    const s = w ^ 0x5c5c5c5c;
    const r = (((q - 0x01010101) & ~q) | ((s - 0x01010101) & ~s)) & 0x80808080;
    if (r !== 0) {
      const p = i + ((31 - Math.clz32(r & -r)) >> 3);
      return BYTES[p] === 34 ? p : -1;
    }
    i += 4;
  }
}

/**
 * End (exclusive) of the run of ASCII digits starting at i. SWAR: for an ASCII byte x, x is a digit exactly
 * when the high nibbles of x and of x + 6 are both 3 (x + 6 <= 0x85 carries into no other byte); the lowest
 * byte failing that is the first non-digit. Under (S) the run ends at n at the latest.
 */
export function digitsEndAt(i: number): number {
  for (;;) {
    const w = WORDS.getInt32(i, true);
    const m = ((w & 0xf0f0f0f0) ^ 0x30303030) | (((w + 0x06060606) & 0xf0f0f0f0) ^ 0x30303030);
    if (m !== 0) return i + ((31 - Math.clz32(m & -m)) >> 3);
    i += 4;
  }
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * Value of k (1..4) digits at BYTES[o, o + k), already known to be digits. SWAR, straight-line: shifting the
 * word left drops the bytes after the run and turns the missing leading digits into zeros (the first char is
 * the low byte); then adjacent digits, then the two pairs, are combined with one multiply each (every lane
 * stays below 100 resp. 10000, so no lane carries into the next).
 */
function digits4(o: number, k: number): number {
  let x = WORDS.getInt32(o, true);
  if (k < 4) x <<= 32 - 8 * k;
  x &= 0x0f0f0f0f;
  x = (Math.imul(x, 10) + (x >>> 8)) & 0x00ff00ff;
  return (Math.imul(x, 100) + (x >>> 16)) & 0xffff;
}

/**
 * Value of the digit run [s, e) of BYTES (digits already checked), exact: at most 15 digits (< 2^53 at every
 * step), else NaN (callers then use parseDecimalBytes). Timestamps (13 digits) take 4 straight-line chunks,
 * measured ~2.5x faster here than a digit loop.
 */
export function digitsValue(s: number, e: number): number {
  const k = e - s;
  if (k <= 4) return k <= 0 ? 0 : digits4(s, k);
  if (k <= 8) return digits4(s, k - 4) * 1e4 + digits4(e - 4, 4);
  if (k <= 12) return (digits4(s, k - 8) * 1e4 + digits4(e - 8, 4)) * 1e4 + digits4(e - 4, 4);
  if (k <= 15) return ((digits4(s, k - 12) * 1e4 + digits4(e - 12, 4)) * 1e4 + digits4(e - 8, 4)) * 1e4 + digits4(e - 4, 4);
  return Number.NaN;
}

/**
 * Reads digits [ "." digits ] '"' starting at i (just after an opening quote), at most 15 digits in all, and
 * returns the value: the digits form an exact integer < 10^15 and dividing it by an exact power of ten is one
 * correctly rounded operation, so it equals parseDecimal / parseDecimalBytes (and Number) on the same text.
 * The closing quote's index goes to w.end (the caller's scratch record).
 * Anything else (sign, exponent, more digits, other chars, empty) sets w.end = -1: the caller then finds
 * the quote with stringEndAt and uses parseDecimalBytes. The closing quote found may be the sentinel: callers
 * check < n. (A byte loop: measured faster here than SWAR for these short values.)
 */
export function quotedDecimalAt(i: number, w: WalkScan): number {
  const b = BYTES;
  const s = i;
  let m = 0;
  let c = b[i]!;
  while (c >= 48 && c <= 57) {
    m = m * 10 + (c - 48);
    c = b[++i]!;
  }
  let nd = i - s;
  let frac = 0;
  if (c === 46 /* . */) {
    const fs = ++i;
    c = b[i]!;
    while (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      c = b[++i]!;
    }
    frac = i - fs;
    nd += frac;
  }
  if (c !== 34 || nd === 0 || nd > 15) {
    w.end = -1;
    return Number.NaN;
  }
  w.end = i;
  return m / POW10[frac]!;
}
