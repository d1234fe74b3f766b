// Venue-neutral helpers of the funding parsers: REST row values (string or number, "" = not given) and the
// allocation-free checks on a frame's symbol range.
import { parseDecimal } from "../num.ts";
import { fieldError } from "./rest-fields.ts";

/** A REST rate/time value: decimal string or JSON number; "", null or missing → NaN; anything else throws. */
export function restNum(v: unknown, path: string): number {
  if (v === undefined || v === null || v === "") return Number.NaN;
  if (typeof v === "number") {
    if (Number.isFinite(v)) return v;
  } else if (typeof v === "string") {
    const n = parseDecimal(v, 0, v.length);
    if (!Number.isNaN(n)) return n;
  }
  throw fieldError(path, "not a number", v);
}

/** A ms timestamp where "0"/0/""/missing mean "none": 0 then. */
export function restMs(v: unknown, path: string): number {
  const n = restNum(v, path);
  return Number.isNaN(n) || n <= 0 ? 0 : n;
}

/** True when s[start, end) ends with lit. */
export function rangeEndsWith(s: string, start: number, end: number, lit: string): boolean {
  const n = lit.length;
  if (end - start < n) return false;
  for (let k = 0; k < n; k++) if (s.charCodeAt(end - n + k) !== lit.charCodeAt(k)) return false;
  return true;
}

/** True when s[start, end) contains the char code c. */
export function rangeHas(s: string, start: number, end: number, c: number): boolean {
  for (let i = start; i < end; i++) if (s.charCodeAt(i) === c) return true;
  return false;
}
