// Scalar values and book levels at a known index: the readers of the targeted member scanner (members.ts finds the
// index; OKX, MEXC futures and the funding parsers read here) and the number of a range the walk kept. Lenient on
// purpose: a number token is any run of number chars, and parseDecimal decides. Results land in caller-owned
// records (records.ts).
import { parseDecimal } from "../../num.ts";
import { NULL } from "./grammar.ts";
import type { Bounds, MemberScan, ScalarRange } from "./records.ts";
import { codesAt, lastNonWs, plainStringEnd, skipWs } from "./text.ts";

/** Number field at [start, end) (string content or bare number); NaN when absent (-1) or not a scalar (-2). */
export function rangeNum(s: string, start: number, end: number): number {
  return start < 0 ? Number.NaN : parseDecimal(s, start, end);
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
  } else if (c === 110 && codesAt(s, i, NULL)) {
    sv.kind = 3;
    sv.start = sv.end = i;
    sv.next = i + 4;
  }
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

/**
 * Outer bounds of a JSON object frame into `bounds`: index of '{' and of the final '}' (whitespace trimmed); false
 * when the text does not start with '{' and end with '}' (a cut frame almost never does).
 */
export function objectBounds(s: string, bounds: Bounds): boolean {
  const n = s.length;
  const a = skipWs(s, 0);
  const z = lastNonWs(s, n - 1);
  if (a >= n || z <= a || s.charCodeAt(a) !== 123 || s.charCodeAt(z) !== 125) return false;
  bounds.open = a;
  bounds.close = z;
  return true;
}
