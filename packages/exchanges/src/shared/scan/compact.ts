// The compact-frame grammar both byte fast paths share (Binance bookTicker, Bybit orderbook.1; bytes.ts holds the
// reads): a pure-ASCII frame '{' ... '}', keys at the top level and in at most one "data" object, no whitespace.
// Each venue's loop classifies its own keys and values; the framing around them is the same grammar and lives here,
// written once. Every function is a few lines on purpose: JSC inlines them into the venues' loops (in-process A/B
// in docs/PERFORMANCE.md "Frame parsing"). The quote write-out at the end stays in each loop: as one shared
// 9-argument call it measured 1-3 % slower.
import { parseDecimalBytes } from "../../num.ts";
import { BYTES, WORDS, digitsValue, loadAscii, stringEndAt } from "./bytes.ts";
import { MAX_FRAME_CHARS } from "./text.ts";

/** closeAt: the top-level object closed at the frame's last byte. */
export const FRAME_END = 0;

/**
 * Loads f (loadAscii) when it can be a compact frame: 2..MAX_FRAME_CHARS pure-ASCII chars, '{' first and '}'
 * last. False means the fast path does not apply.
 */
export function loadCompactObject(f: string, n: number): boolean {
  if (n < 2 || n > MAX_FRAME_CHARS || !loadAscii(f, n)) return false;
  return BYTES[0] === 123 && BYTES[n - 1] === 125;
}

/** The key word kw read at i (WORDS.getInt32(i, true)) starts "data": and the value follows at i + 7. */
export function isDataKey(kw: number, i: number): boolean {
  return kw === 0x74616422 /* "dat */ && (WORDS.getInt32(i + 4, true) & 0xffffff) === 0x3a2261 /* a": */;
}

/**
 * A key no pattern of the venue matched, at i (its opening quote, kw its first word): the index of its value, or
 * -1 when i holds no key string followed by ':' (a backslash in it included).
 */
export function otherKeyValueAt(kw: number, i: number, n: number): number {
  if ((kw & 0xff) !== 34) return -1;
  const ke = stringEndAt(i + 1);
  if (ke < 0 || ke >= n || BYTES[ke + 1] !== 58) return -1;
  return ke + 2;
}

/**
 * A '}' at i (i <= n - 1) right after a value, in the object at `depth` (0 the top level, 1 "data"; the caller
 * handles ',' itself, the common case): FRAME_END when it closes the top-level object at n - 1; when it closes
 * "data" and ',' follows, the next key's index (the caller's depth is then 0); -1 for anything else.
 */
export function closeAt(i: number, n: number, depth: number): number {
  if (BYTES[i] !== 125) return -1;
  if (depth === 1) {
    if (++i === n) return -1;
    const d = BYTES[i];
    if (d === 44 /* , */) return i + 1;
    if (d !== 125) return -1;
  }
  return i === n - 1 ? FRAME_END : -1;
}

/** The plain integer [s, e) of BYTES (a timestamp): exact up to 15 digits by digitsValue, beyond by parseDecimalBytes. */
export function integerAt(s: number, e: number): number {
  return e - s <= 15 ? digitsValue(s, e) : parseDecimalBytes(BYTES, s, e);
}
