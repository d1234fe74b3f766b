// Allocation-free, targeted JSON text scanning: find a member by its quoted name (any order, unknown members
// skipped by indexOf), then read the value's range. Never throws. Venue-neutral (OKX and MEXC futures use it);
// Text primitives come from json-walk.ts, result records from scan-records.ts. RFC 8259: https://www.rfc-editor.org/rfc/rfc8259
import { parseDecimal } from "../num.ts";
import { isWs, skipWs } from "./json-walk.ts";
import type { Bounds, MemberScan, ScalarRange } from "./scan-records.ts";

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

  private matchAt(s: string, i: number): boolean {
    const c = this.codes;
    for (let k = 0; k < c.length; k++) if (s.charCodeAt(i + k) !== c[k]) return false;
    return true;
  }

  /** First index of the name in s[from, to), or -1. */
  find(s: string, from: number, to: number): number {
    const m = this.codes.length;
    let p = from + this.at;
    for (;;) {
      p = s.indexOf(this.anchor, p);
      const start = p - this.at;
      if (p < 0 || start + m > to) return -1;
      if (this.matchAt(s, start)) return start;
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
      if (this.matchAt(s, start)) return start;
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
  if (i + n > end) return -1;
  for (let k = 0; k < n; k++) if (s.charCodeAt(i + k) !== name[k]) return -1;
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
  let j = k - 1;
  while (j >= 0 && isWs(s.charCodeAt(j))) j--;
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
      let e = s.indexOf('"', i + 1);
      while (e > 0 && escaped(s, e)) e = s.indexOf('"', e + 1);
      if (e < 0 || e >= to) return -1;
      if (depth === 1 && e + 1 - i === n) {
        let k = 0;
        while (k < n && s.charCodeAt(i + k) === name[k]) k++;
        if (k === n) {
          let v = skipWs(s, e + 1, to);
          if (v < to && s.charCodeAt(v) === 58) {
            v = skipWs(s, v + 1, to);
            return v < to ? v : -1;
          }
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

/** True when the quote at q is escaped (an odd run of backslashes before it). */
function escaped(s: string, q: number): boolean {
  let k = q - 1;
  while (k >= 0 && s.charCodeAt(k) === 92) k--;
  return (q - 1 - k) % 2 === 1;
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

/** i at '"': index of the closing quote, or -1 (unterminated, escape or raw control char: never in the fields read). */
export function plainStringEnd(s: string, i: number, end: number): number {
  for (i++; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 34) return i;
    if (c === 92 || c < 32) return -1;
  }
  return -1;
}

/** i at a number token: index after it (digits . - + e E), or -1 if empty. */
export function numberEnd(s: string, i: number, end: number): number {
  const start = i;
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 48 && c <= 57) || c === 46 || c === 45 || c === 43 || c === 101 || c === 69) continue;
    break;
  }
  return i > start ? i : -1;
}

/** Decimal value of the scalar at i (string or number token): NaN when absent/null/""; sets m.numBad when present but not a decimal. */
export function scalarNum(s: string, i: number, end: number, m: MemberScan): number {
  if (i < 0) return Number.NaN;
  const sv = m.sv;
  readScalar(s, i, end, sv);
  if (sv.kind === 3 || (sv.kind === 1 && sv.start === sv.end)) return Number.NaN;
  if (sv.kind !== 1 && sv.kind !== 2) {
    m.numBad = true;
    return Number.NaN;
  }
  const v = parseDecimal(s, sv.start, sv.end);
  if (Number.isNaN(v)) m.numBad = true;
  return v;
}

/** Reads the scalar at i into `sv`. */
export function readScalar(s: string, i: number, end: number, sv: ScalarRange): void {
  sv.kind = 0;
  sv.next = -1;
  if (i < 0 || i >= end) return;
  const c = s.charCodeAt(i);
  if (c === 34) {
    const q = plainStringEnd(s, i, end);
    if (q < 0) return;
    sv.kind = 1;
    sv.start = i + 1;
    sv.end = q;
    sv.next = q + 1;
  } else if ((c >= 48 && c <= 57) || c === 45) {
    const e = numberEnd(s, i, end);
    if (e < 0) return;
    sv.kind = 2;
    sv.start = i;
    sv.end = e;
    sv.next = e;
  } else if (c === 110 && s.startsWith("null", i)) {
    sv.kind = 3;
    sv.start = sv.end = i;
    sv.next = i + 4;
  }
}

/**
 * i at a book side: [["111.06","55154","0","2"], ...] (OKX) or [[0.08055,48,1], ...] (MEXC). Reads price and size
 * of the first level into `m.lvl` without visiting the other levels.
 */
export function readFirstLevel(s: string, i: number, end: number, m: MemberScan): void {
  const lvl = m.lvl;
  const sv = m.sv;
  lvl.count = -1;
  lvl.after = -1;
  lvl.pxKind = 0;
  lvl.szKind = 0;
  if (i < 0 || i >= end || s.charCodeAt(i) !== 91) return;
  i = skipWs(s, i + 1, end);
  if (i >= end) return;
  let c = s.charCodeAt(i);
  if (c === 93) {
    lvl.count = 0;
    lvl.after = i + 1;
    return;
  }
  if (c !== 91) return;
  readScalar(s, skipWs(s, i + 1, end), end, sv);
  if (sv.kind !== 1 && sv.kind !== 2) return;
  lvl.pxKind = sv.kind;
  lvl.pxStart = sv.start;
  lvl.pxEnd = sv.end;
  i = skipWs(s, sv.next, end);
  if (i >= end) return;
  c = s.charCodeAt(i);
  if (c === 44) {
    readScalar(s, skipWs(s, i + 1, end), end, sv);
    if (sv.kind !== 1 && sv.kind !== 2) return;
    lvl.szKind = sv.kind;
    lvl.szStart = sv.start;
    lvl.szEnd = sv.end;
    i = skipWs(s, sv.next, end);
    if (i >= end) return;
    c = s.charCodeAt(i);
    if (c !== 44 && c !== 93) return;
  } else if (c !== 93) return;
  lvl.count = 1;
  // Layout hint: a one-level side ends right after its level ("]]"); otherwise callers search.
  if (c === 44) i = s.indexOf("]", i);
  if (i > 0 && i + 1 < end && s.charCodeAt(i + 1) === 93) lvl.after = i + 2;
}

/** Char codes of a literal, for codesAt(). */
export function codes(t: string): Uint16Array {
  return Uint16Array.from(t, (c) => c.charCodeAt(0));
}

/** True when s at i holds exactly the chars of lit. */
export function codesAt(s: string, i: number, lit: Uint16Array): boolean {
  const n = lit.length;
  if (i < 0 || i + n > s.length) return false;
  for (let k = 0; k < n; k++) if (s.charCodeAt(i + k) !== lit[k]) return false;
  return true;
}

/**
 * Outer bounds of a JSON object frame into `bounds`: index of '{' and of the final '}' (whitespace trimmed); false
 * when the text does not start with '{' and end with '}' (a cut frame almost never does).
 */
export function objectBounds(s: string, bounds: Bounds): boolean {
  const n = s.length;
  let a = 0;
  while (a < n && isWs(s.charCodeAt(a))) a++;
  let z = n - 1;
  while (z > a && isWs(s.charCodeAt(z))) z--;
  if (a >= n || z <= a || s.charCodeAt(a) !== 123 || s.charCodeAt(z) !== 125) return false;
  bounds.open = a;
  bounds.close = z;
  return true;
}

