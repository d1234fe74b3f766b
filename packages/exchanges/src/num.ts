// Allocation-free decimal parsing from a range of a text frame or a byte buffer.
// Fast path (Clinger): an integer mantissa < 2^53 scaled by an exact power of ten <= 1e22 is one correctly
// rounded IEEE operation, so the result is bit-identical to parseFloat / JSON.parse. Anything longer falls
// back to parseFloat on a slice (rare: more than 15-16 significant digits).

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
const MAX_EXACT = 9007199254740992; // 2^53

/** Parses text[start, end) as a decimal number ("25.3519", "3.4103e-06", "-1", "7.548E+4"). NaN if not a number. */
export function parseDecimal(text: string, start: number, end: number): number {
  let i = start;
  if (i >= end) return Number.NaN;
  let neg = false;
  let c = text.charCodeAt(i);
  if (c === 45 /* - */) {
    neg = true;
    if (++i >= end) return Number.NaN;
  } else if (c === 43 /* + */) {
    if (++i >= end) return Number.NaN;
  }
  let mant = 0;
  let digits = 0;
  let scale = 0;
  let sawDigit = false;
  let overflow = false;
  for (; i < end; i++) {
    c = text.charCodeAt(i);
    const d = c - 48;
    if (d < 0 || d > 9) break;
    sawDigit = true;
    if (mant === 0 && d === 0) continue;
    if (digits < 15) {
      mant = mant * 10 + d;
      digits++;
    } else overflow = true;
  }
  if (i < end && c === 46 /* . */) {
    for (i++; i < end; i++) {
      c = text.charCodeAt(i);
      const d = c - 48;
      if (d < 0 || d > 9) break;
      sawDigit = true;
      if (mant === 0 && d === 0) {
        scale++;
        continue;
      }
      if (digits < 15) {
        mant = mant * 10 + d;
        digits++;
        scale++;
      } else if (d !== 0) overflow = true;
    }
  }
  if (!sawDigit) return Number.NaN;
  let exp = 0;
  if (i < end && (c === 101 || c === 69) /* e E */) {
    i++;
    let eneg = false;
    c = text.charCodeAt(i);
    if (c === 45 || c === 43) {
      eneg = c === 45;
      i++;
    }
    let sawExp = false;
    for (; i < end; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      sawExp = true;
      exp = exp * 10 + d;
      if (exp > 400) exp = 400;
    }
    if (!sawExp) return Number.NaN;
    if (eneg) exp = -exp;
  }
  if (i !== end) return Number.NaN;
  if (overflow || mant >= MAX_EXACT) return parseFloat(text.slice(start, end));
  const p = exp - scale;
  let v: number;
  if (mant === 0) v = 0;
  else if (p >= 0 && p <= 22) v = mant * POW10[p]!;
  else if (p < 0 && p >= -22) v = mant / POW10[-p]!;
  else return parseFloat(text.slice(start, end));
  return neg ? -v : v;
}

/** Same as parseDecimal over ASCII bytes (protobuf string fields). */
export function parseDecimalBytes(b: Uint8Array, start: number, end: number): number {
  let i = start;
  if (i >= end) return Number.NaN;
  let neg = false;
  let c = b[i]!;
  if (c === 45) {
    neg = true;
    if (++i >= end) return Number.NaN;
  } else if (c === 43) {
    if (++i >= end) return Number.NaN;
  }
  let mant = 0;
  let digits = 0;
  let scale = 0;
  let sawDigit = false;
  let overflow = false;
  for (; i < end; i++) {
    c = b[i]!;
    const d = c - 48;
    if (d < 0 || d > 9) break;
    sawDigit = true;
    if (mant === 0 && d === 0) continue;
    if (digits < 15) {
      mant = mant * 10 + d;
      digits++;
    } else overflow = true;
  }
  if (i < end && c === 46) {
    for (i++; i < end; i++) {
      c = b[i]!;
      const d = c - 48;
      if (d < 0 || d > 9) break;
      sawDigit = true;
      if (mant === 0 && d === 0) {
        scale++;
        continue;
      }
      if (digits < 15) {
        mant = mant * 10 + d;
        digits++;
        scale++;
      } else if (d !== 0) overflow = true;
    }
  }
  if (!sawDigit) return Number.NaN;
  let exp = 0;
  if (i < end && (c === 101 || c === 69)) {
    i++;
    let eneg = false;
    c = b[i] ?? 0;
    if (c === 45 || c === 43) {
      eneg = c === 45;
      i++;
    }
    let sawExp = false;
    for (; i < end; i++) {
      const d = b[i]! - 48;
      if (d < 0 || d > 9) break;
      sawExp = true;
      exp = exp * 10 + d;
      if (exp > 400) exp = 400;
    }
    if (!sawExp) return Number.NaN;
    if (eneg) exp = -exp;
  }
  if (i !== end) return Number.NaN;
  if (overflow || mant >= MAX_EXACT) return parseFloat(new TextDecoder().decode(b.subarray(start, end)));
  const p = exp - scale;
  let v: number;
  if (mant === 0) v = 0;
  else if (p >= 0 && p <= 22) v = mant * POW10[p]!;
  else if (p < 0 && p >= -22) v = mant / POW10[-p]!;
  else return parseFloat(new TextDecoder().decode(b.subarray(start, end)));
  return neg ? -v : v;
}

/**
 * Validates a bid/ask pair for publication: finite, > 0, bid <= ask.
 * Returns InvalidReason codes (0 = valid) so callers need no branches on strings.
 */
export function checkPrices(bid: number, ask: number): 0 | 1 | 2 | 3 {
  if (!Number.isFinite(bid) || !Number.isFinite(ask)) return 1;
  if (bid <= 0 || ask <= 0) return 2;
  if (bid > ask) return 3;
  return 0;
}

/** Parses a REST numeric field that may be a number, a decimal string, exponent notation, "" or absent. */
export function restNumber(v: unknown): number | null {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "string") {
    const t = v.trim();
    if (t === "") return null;
    const n = parseDecimal(t, 0, t.length);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}
