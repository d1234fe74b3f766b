// The targeted member reader: find a member by its quoted name (any order, unknown members skipped by indexOf) and
// return the index of its value; values.ts reads the value there. Allocation-free, never throws. Venue-neutral
// (OKX, MEXC futures and the funding parsers use it). RFC 8259: https://www.rfc-editor.org/rfc/rfc8259
import { codesAt, isWs, lastNonWs, skipWs, stringEnd } from "./text.ts";

// Letters by how often they occur in venue JSON (keys and values), most common first; digits and quotes are
// commoner still. A key is searched by its rarest char.
const COMMON = "0123456789\",:.etaoinsrlhdcumfpgwybvkxjqz";

/**
 * A quoted member name prepared for lookups: char codes for the direct compare, and an anchor char for searching.
 * Single-char indexOf/lastIndexOf are vectorised in JSC while multi-char patterns scan char by char (~4x slower
 * on a 500-char frame), so a search jumps between occurrences of the name's rarest char ('p' of "timestamp",
 * 'k' of "asks", capitals) and compares the rest.
 */
export class Key {
  readonly codes: Uint16Array;
  private readonly anchor: string;
  private readonly at: number;
  constructor(readonly text: string) {
    this.codes = Uint16Array.from(text, (c) => c.charCodeAt(0));
    let at = 1;
    let rank = -1;
    for (let k = 1; k < text.length - 1; k++) {
      const r = COMMON.indexOf(text[k]!);
      const score = r < 0 ? COMMON.length : r; // capitals, '_', '-' and others: rarest
      if (score > rank) {
        rank = score;
        at = k;
      }
    }
    this.at = at;
    this.anchor = text[at]!;
  }

  /** First index of the name in s[from, to), or -1. */
  find(s: string, from: number, to: number): number {
    const m = this.codes.length;
    let p = from + this.at;
    for (;;) {
      p = s.indexOf(this.anchor, p);
      const start = p - this.at;
      if (p < 0 || start + m > to) return -1;
      if (codesAt(s, start, this.codes)) return start;
      p++;
    }
  }

  /** Last index of the name in s[from, to), or -1. */
  findLast(s: string, from: number, to: number): number {
    const m = this.codes.length;
    let p = to - m + this.at;
    while (p >= 0) {
      p = s.lastIndexOf(this.anchor, p);
      const start = p - this.at;
      if (p < 0 || start < from) return -1;
      if (codesAt(s, start, this.codes)) return start;
      p--;
    }
    return -1;
  }
}

/**
 * Index of the value of member `key` of the object whose '{' is at `open`, or -1. First tries the usual layout:
 * the member right at `at` (the object's '{' or just after the previous member's value). Otherwise it searches:
 * keys may come in any order and unknown members are jumped over, nested objects included (see findMember).
 */
export function member(s: string, key: Key, at: number, open: number, to: number): number {
  if (at >= 0) {
    const v = expectMember(s, key.codes, at, to);
    if (v >= 0) return v;
  }
  return findMember(s, key, open, to);
}

/** At i: [ws] '{' or ',' [ws] name [ws] ':' [ws] → index of the value, else -1. */
export function expectMember(s: string, name: Uint16Array, i: number, end: number): number {
  let c = s.charCodeAt(i);
  if (c !== 44 && c !== 123) {
    i = skipWs(s, i, end);
    c = s.charCodeAt(i);
    if (c !== 44 && c !== 123) return -1;
  }
  i++;
  if (s.charCodeAt(i) !== 34) i = skipWs(s, i, end);
  const n = name.length;
  if (i + n > end || !codesAt(s, i, name)) return -1;
  i += n;
  if (s.charCodeAt(i) !== 58) {
    i = skipWs(s, i, end);
    if (i >= end || s.charCodeAt(i) !== 58) return -1;
  }
  i++;
  if (i < end && isWs(s.charCodeAt(i))) i = skipWs(s, i, end);
  return i < end ? i : -1;
}

/** After a flat object's last value: the index just past its '}', or -1. */
export function afterClose(s: string, i: number, end: number): number {
  if (i < 0) return -1;
  i = skipWs(s, i, end);
  return i < end && s.charCodeAt(i) === 125 ? i + 1 : -1;
}

/**
 * Member `key` of the object opened at `open`. Fast: the first occurrence of the name counts when no '{' or '}'
 * lies between `open` and it (so it cannot sit in a nested or a following object) and it is in member position.
 * Otherwise a depth-tracking scan from `open` decides (slower, exact).
 */
function findMember(s: string, key: Key, open: number, to: number): number {
  const k = key.find(s, open + 1, to);
  if (k < 0) return -1;
  // Backward single-char searches stop at the nearest brace: both must lie outside (open, k).
  if (s.lastIndexOf("{", k) === open && s.lastIndexOf("}", k) < open) {
    const v = memberAt(s, k, key.codes.length, to);
    if (v >= 0) return v;
  }
  return depthScan(s, key.codes, open, to);
}

/** Name found at k: the value index when it sits in member position, else -1. */
function memberAt(s: string, k: number, len: number, to: number): number {
  const j = lastNonWs(s, k - 1);
  const before = j >= 0 ? s.charCodeAt(j) : 0;
  if (before !== 123 && before !== 44) return -1;
  let v = skipWs(s, k + len, to);
  if (v >= to || s.charCodeAt(v) !== 58) return -1;
  v = skipWs(s, v + 1, to);
  return v < to ? v : -1;
}

/** Exact: walks the object opened at `open` (strings jumped by indexOf, escapes and nesting honoured) for a direct member `name`. */
function depthScan(s: string, name: Uint16Array, open: number, to: number): number {
  let depth = 0;
  const n = name.length;
  for (let i = open; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === 34) {
      const e = stringEnd(s, i);
      if (e < 0 || e >= to) return -1;
      if (depth === 1 && e + 1 - i === n && codesAt(s, i, name)) {
        let v = skipWs(s, e + 1, to);
        if (v < to && s.charCodeAt(v) === 58) {
          v = skipWs(s, v + 1, to);
          return v < to ? v : -1;
        }
      }
      i = e;
    } else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) {
      if (--depth <= 0) return -1;
    }
  }
  return -1;
}

/**
 * Like member() for the LAST member of the top-level object spanning [open, close] (MEXC sends "channel" and "ts"
 * at the end). The hit counts when nothing but scalars follows it; otherwise the exact scan decides.
 */
export function lastMember(s: string, key: Key, open: number, close: number): number {
  const k = key.findLast(s, open + 1, close);
  if (k < 0) return -1;
  let flat = true;
  for (let i = k; i < close; i++) {
    const c = s.charCodeAt(i);
    if (c === 123 || c === 125 || c === 91 || c === 93) {
      flat = false;
      break;
    }
  }
  if (flat) {
    const v = memberAt(s, k, key.codes.length, close);
    if (v >= 0) return v;
  }
  return depthScan(s, key.codes, open, close);
}
