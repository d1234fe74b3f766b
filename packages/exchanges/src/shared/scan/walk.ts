// The structural walk, the slow paths' reader (Binance and Bybit): the top-level JSON object and, at depth 1, the
// first "data" member whose value is an object. It follows JSON structure, so keys inside string values or
// unknown nested objects are never read. Allocation-free: the venue passes a module-level member function
// and module-level messages; results land in the caller-owned WalkScan of the QuoteRecord (out.walk).
import type { QuoteRecord } from "../../types.ts";
import { malformed } from "../outcome.ts";
import { escapesValid, valueEnd } from "./grammar.ts";
import type { WalkScan } from "./records.ts";
import { MAX_FRAME_CHARS, code, codes, digitsEnd, rangeEquals, skipWs, stringEnd } from "./text.ts";

const DATA = codes("data");

/** Malformed messages of one venue (module-level constants, so a failed walk allocates nothing). */
export interface WalkMessages {
  readonly binary: string;
  readonly oversize: string;
  readonly badJson: string;
  readonly notObject: string;
}

/**
 * One member of the walked object(s), other than the "data" object: key text f[ks, ke), depth 0 (top level)
 * or 1 (inside "data"), value starting at i with first char c (never whitespace). Returns the index just
 * after the value, or -1 when the value is not valid JSON. Results go into w (the record's scratch).
 */
export type MemberFn = (f: string, ks: number, ke: number, depth: number, i: number, c: number, w: WalkScan) => number;

/** walkFrame's "walked the whole frame": the venue now decides the outcome from what its member function kept. */
export const WALKED = -1;

/**
 * Any JSON value at i (first char c), recording its range in w; returns the index after it, -1 if invalid.
 * Plain integers are scanned inline; fractions and exponents go through the strict scalar grammar.
 */
export function scalarValue(f: string, i: number, c: number, w: WalkScan): number {
  if (c === 34) {
    const ve = stringEnd(f, i);
    if (ve < 0) return -1;
    w.valueStart = i + 1;
    w.valueEnd = ve;
    return ve + 1;
  }
  let ve: number;
  if (c >= 49 && c <= 57) {
    ve = digitsEnd(f, i + 1);
    const d = code(f, ve);
    if (d === 46 || d === 101 || d === 69) ve = valueEnd(f, i);
  } else ve = valueEnd(f, i);
  if (ve < 0) return -1;
  w.valueStart = (c >= 48 && c <= 57) || c === 45 ? i : -2;
  w.valueEnd = ve;
  return ve;
}

/**
 * Walks the frame: WALKED when it is one valid JSON object (trailing whitespace allowed), every member but
 * the "data" object handed to `member`; otherwise the Malformed outcome (written to `out`) with `m`'s message.
 * Resets `out` first; the walk's facts land in out.walk.
 */
export function walkFrame(frame: string | Uint8Array, out: QuoteRecord, member: MemberFn, m: WalkMessages): number {
  out.reset();
  const w = out.walk;
  w.escaped = false;
  w.sawData = false;
  if (typeof frame !== "string") return malformed(out, m.binary);
  const f = frame;
  const n = f.length;
  if (n > MAX_FRAME_CHARS) return malformed(out, m.oversize);
  // Quote frames carry no backslash: only then are escapes (in strings the walk skips) checked.
  const escaped = f.indexOf("\\") !== -1;
  w.escaped = escaped;
  if (escaped && !escapesValid(f)) return malformed(out, m.badJson);
  let i = skipWs(f, 0);
  if (code(f, i) !== 123) return malformed(out, m.notObject);
  let depth = 0;
  let sawData = false;
  i = skipWs(f, i + 1);
  let c = code(f, i);
  let open = c !== 125;
  if (!open) i++;
  while (open) {
    if (c !== 34) return malformed(out, m.badJson);
    const ks = i + 1;
    // One-letter keys (nearly all we read) end two chars on; anything else takes the general string scan.
    const k1 = i + 2 < n && f.charCodeAt(i + 2) === 34 ? f.charCodeAt(ks) : 34;
    const ke = k1 !== 34 && k1 !== 92 ? i + 2 : stringEnd(f, i);
    if (ke < 0) return malformed(out, m.badJson);
    i = ke + 1;
    if (code(f, i) !== 58 /* : */) {
      i = skipWs(f, i);
      if (code(f, i) !== 58) return malformed(out, m.badJson);
    }
    c = code(f, ++i);
    if (c === 32 || c === 10 || c === 13 || c === 9) c = code(f, (i = skipWs(f, i)));
    if (c === 123 && depth === 0 && !sawData && ke - ks === 4 && rangeEquals(f, ks, ke, DATA)) {
      // combined / wrapped payload: continue the same loop inside the "data" object
      depth = 1;
      sawData = true;
      i = skipWs(f, i + 1);
      c = code(f, i);
      if (c !== 125) continue;
      depth = 0;
      i++;
    } else {
      i = member(f, ks, ke, depth, i, c, w);
      if (i < 0) return malformed(out, m.badJson);
    }
    c = code(f, i);
    if (c !== 44 && c !== 125) {
      i = skipWs(f, i);
      c = code(f, i);
    }
    while (c === 125) {
      i++;
      if (depth === 0) {
        open = false;
        break;
      }
      depth = 0;
      c = code(f, i);
      if (c !== 44 && c !== 125) {
        i = skipWs(f, i);
        c = code(f, i);
      }
    }
    if (!open) break;
    if (c !== 44) return malformed(out, m.badJson);
    c = code(f, ++i);
    if (c !== 34) c = code(f, (i = skipWs(f, i)));
  }
  if (skipWs(f, i) !== n) return malformed(out, m.badJson);
  w.sawData = sawData;
  return WALKED;
}
