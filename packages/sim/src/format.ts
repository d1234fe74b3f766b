// Allocation-light decimal formatting of integer tick/lot counts for frame templates (no toFixed, no JSON).

const ZEROS: string[] = [];
for (let i = 0, z = ""; i <= 24; i++, z += "0") ZEROS.push(z);

/** Zero-padded digit groups: DIGITS[k][n] is n written with exactly k digits (k = 1..4). */
const DIGITS: string[][] = [[]];
for (let k = 1; k <= 4; k++) DIGITS.push(Array.from({ length: 10 ** k }, (_, n) => String(n).padStart(k, "0")));
const D4 = DIGITS[4]!;
const POW10 = Array.from({ length: 19 }, (_, i) => 10 ** i);

/**
 * `units` × 10^-dec as a fixed-point string: (3521, 4) → "0.3521", (7, 0) → "7". Hot path of every frame:
 * one integer conversion plus table lookups for the fraction (no slicing, one flat concatenation).
 */
export function fixed(units: number, dec: number): string {
  if (dec === 0) return String(units);
  const p = POW10[dec]!;
  const ip = Math.floor(units / p);
  const fr = units - ip * p;
  if (dec <= 4) return `${ip}.${DIGITS[dec]![fr]}`;
  const hi = Math.floor(fr / 10_000);
  const lo = fr - hi * 10_000;
  if (dec <= 8) return `${ip}.${DIGITS[dec - 4]![hi]}${D4[lo]}`;
  const top = Math.floor(hi / 10_000);
  return `${ip}.${DIGITS[dec - 8]![top]}${D4[hi - top * 10_000]}${D4[lo]}`;
}

/** Fixed-point with the decimals padded to `width` (Binance spot always prints 8: "0.35210000"). */
export function padded(units: number, dec: number, width: number): string {
  if (width !== 8 || dec > 8) return width > dec ? fixed(units, dec) + ZEROS[width - dec]! : fixed(units, dec);
  const p = POW10[dec]!;
  const ip = Math.floor(units / p);
  const fr8 = (units - ip * p) * POW10[8 - dec]!;
  const hi = Math.floor(fr8 / 10_000);
  return `${ip}.${D4[hi]}${D4[fr8 - hi * 10_000]}`;
}

/** Fixed-point with trailing zeros removed ("84270.00" → "84270", "0.0120" → "0.012"); OKX and MEXC style. */
export function trimmed(units: number, dec: number): string {
  if (dec === 0) return String(units);
  let s = fixed(units, dec);
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--;
  if (s.charCodeAt(end - 1) === 46) end--;
  return end === s.length ? s : s.slice(0, end);
}

/**
 * Per-instrument memo of one formatted field (bid price, ask size...): bookTicker updates usually change one
 * side at a time, so most fields repeat the previous value and skip number-to-string conversion entirely.
 */
export class FieldCache {
  private readonly keys: Float64Array;
  private readonly vals: string[];

  constructor(n: number, private readonly fmt: (units: number, index: number) => string) {
    this.keys = new Float64Array(n).fill(Number.NaN);
    this.vals = new Array<string>(n).fill("");
  }

  get(index: number, units: number): string {
    if (this.keys[index] === units) return this.vals[index]!;
    const s = this.fmt(units, index);
    this.keys[index] = units;
    this.vals[index] = s;
    return s;
  }
}

/**
 * Millisecond timestamps repeat within a tick (every frame built in a step carries the same `now`): memoize the
 * last few conversions, since 13-digit doubles are the slowest numbers to print.
 */
const TS_KEYS = new Float64Array(4).fill(Number.NaN);
const TS_VALS = ["", "", "", ""];
export function msString(ms: number): string {
  const h = ms & 3;
  if (TS_KEYS[h] === ms) return TS_VALS[h]!;
  const s = String(ms);
  TS_KEYS[h] = ms;
  TS_VALS[h] = s;
  return s;
}
