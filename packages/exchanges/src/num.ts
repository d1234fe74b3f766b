// Allocation-free decimal parsing from a range of a text frame or a byte buffer.
//
// Grammar (unchanged): [+-]? digits* ("." digits*)? ([eE] [+-]? digits+)? with at least one mantissa digit and
// nothing else in [start, end): no whitespace, no "Infinity", no hex. Anything else is NaN (callers rely on it).
// A range reaching past the end of the input is NaN too.
//
// Value: bit-identical to Number() / parseFloat / JSON.parse on the same text.
// - Fast path (Clinger): at most 15 mantissa digits (leading zeros included) make an exact integer m < 10^15 < 2^53;
//   with the decimal point and exponent folded into p, |p| <= 22 makes 10^|p| exact, so m * 10^p or m / 10^-p is
//   one correctly rounded IEEE operation, i.e. the correctly rounded value of the decimal. No per-digit branch
//   other than "is it a digit": this is the shape of every price and size the venues send.
// - Longer mantissas (padded quantities like "123456789.00000000") go through parseLong, which skips leading
//   zeros and trailing fraction zeros and counts significant digits; only > 15 significant digits, a scale
//   beyond 10^±22 or an absurd exponent reach parseFloat on a slice (allocates; practically never on frames).

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
/** Exponent digits stop accumulating here; such an exponent always takes the parseFloat route. */
const EXP_CAP = 100000;

// The arithmetic both readers share; only the char reads differ (string charCodeAt vs byte index). One reader
// for both through a charCodeAt-style accessor was measured 30-70 % slower on strings and 3-4x on bytes
// (docs/PERFORMANCE.md), so the two readers stay, each a loop of reads around these helpers.

/** m / 10^k with the sign, for an exact m (< 2^53) and 0 <= k <= 22: one correctly rounded operation. */
function scaledDown(m: number, k: number, neg: boolean): number {
  const v = m / POW10[k]!;
  return neg ? -v : v;
}

/** m * 10^p with the sign, likewise for |p| <= 22. */
function scaled(m: number, p: number, neg: boolean): number {
  if (p < 0) return scaledDown(m, -p, neg);
  const v = m * POW10[p]!;
  return neg ? -v : v;
}

/** True when the fast path's mantissa (nd digits) and scale p (exponent digits capped at EXP_CAP) are exact. */
function exactScale(nd: number, exp: number, p: number): boolean {
  return nd <= 15 && exp < EXP_CAP && p <= 22 && p >= -22;
}

/**
 * The long path's value from its significant digits (mant, 10^p, a non-zero digit dropped or not): NaN when
 * only parseFloat is exact (the readers then call it on their own text).
 */
function longValue(mant: number, p: number, dropped: boolean, neg: boolean): number {
  if (mant === 0 && !dropped) return neg ? -0 : 0;
  if (dropped || p > 22 || p < -22) return Number.NaN;
  return scaled(mant, p, neg);
}

/** Parses text[start, end) as a decimal number ("25.3519", "3.4103e-06", "-1", "7.548E+4"). NaN if not a number. */
export function parseDecimal(text: string, start: number, end: number): number {
  if (start < 0 || start >= end || end > text.length) return Number.NaN;
  let i = start;
  let c = text.charCodeAt(i);
  let neg = false;
  if (c === 45 /* - */ || c === 43 /* + */) {
    neg = c === 45;
    if (++i === end) return Number.NaN;
    c = text.charCodeAt(i);
  }
  // Integer digits, then fraction digits, into one mantissa. c = -1 once the range is consumed.
  const ds = i;
  let m = 0;
  while (c >= 48 && c <= 57) {
    m = m * 10 + (c - 48);
    if (++i === end) {
      c = -1;
      break;
    }
    c = text.charCodeAt(i);
  }
  let nd = i - ds;
  let frac = 0;
  if (c === 46 /* . */) {
    const fs = ++i;
    c = i === end ? -1 : text.charCodeAt(i);
    while (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      if (++i === end) {
        c = -1;
        break;
      }
      c = text.charCodeAt(i);
    }
    frac = i - fs;
    nd += frac;
  }
  if (nd === 0) return Number.NaN;
  if (c === -1) return nd > 15 ? parseLong(text, start, end) : scaledDown(m, frac, neg);
  if (c !== 101 && c !== 69 /* e E */) return Number.NaN;
  if (++i === end) return Number.NaN;
  c = text.charCodeAt(i);
  let eneg = false;
  if (c === 45 || c === 43) {
    eneg = c === 45;
    if (++i === end) return Number.NaN;
    c = text.charCodeAt(i);
  }
  let exp = 0;
  for (;;) {
    if (c < 48 || c > 57) return Number.NaN;
    if (exp < EXP_CAP) exp = exp * 10 + (c - 48);
    if (++i === end) break;
    c = text.charCodeAt(i);
  }
  const p = (eneg ? -exp : exp) - frac;
  return exactScale(nd, exp, p) ? scaled(m, p, neg) : parseLong(text, start, end);
}

/**
 * text[start, end) already matched the grammar: the value with significant digits counted (leading zeros and
 * trailing fraction zeros skipped), parseFloat on a slice when that is not exact.
 */
function parseLong(text: string, start: number, end: number): number {
  let i = start;
  let c = text.charCodeAt(i);
  const neg = c === 45;
  if (c === 45 || c === 43) c = text.charCodeAt(++i);
  let mant = 0;
  let sig = 0;
  let scale = 0; // value = mant * 10^(scale + exponent)
  let dropped = false; // a non-zero digit beyond 15 significant ones
  for (; i < end; i++) {
    c = text.charCodeAt(i);
    const d = c - 48;
    if (d < 0 || d > 9) break;
    if (mant === 0 && d === 0) continue;
    if (sig < 15) {
      mant = mant * 10 + d;
      sig++;
    } else {
      scale++;
      if (d !== 0) dropped = true;
    }
  }
  if (i < end && c === 46) {
    for (i++; i < end; i++) {
      c = text.charCodeAt(i);
      const d = c - 48;
      if (d < 0 || d > 9) break;
      if (mant === 0 && d === 0) {
        scale--;
        continue;
      }
      if (sig < 15) {
        mant = mant * 10 + d;
        sig++;
        scale--;
      } else if (d !== 0) dropped = true;
    }
  }
  let exp = 0;
  if (i < end) {
    // [eE][+-]?digits+ up to end (validated by the caller)
    c = text.charCodeAt(++i);
    let eneg = false;
    if (c === 45 || c === 43) {
      eneg = c === 45;
      i++;
    }
    for (; i < end; i++) {
      if (exp < EXP_CAP) exp = exp * 10 + (text.charCodeAt(i) - 48);
    }
    if (exp >= EXP_CAP) dropped = true;
    if (eneg) exp = -exp;
  }
  const v = longValue(mant, scale + exp, dropped, neg);
  return v === v ? v : parseFloat(text.slice(start, end));
}

/** parseDecimal over ASCII bytes (protobuf string fields, the fast paths' byte copy): the same reads, the shared arithmetic. */
export function parseDecimalBytes(b: Uint8Array, start: number, end: number): number {
  if (start < 0 || start >= end || end > b.length) return Number.NaN;
  let i = start;
  let c = b[i]!;
  let neg = false;
  if (c === 45 || c === 43) {
    neg = c === 45;
    if (++i === end) return Number.NaN;
    c = b[i]!;
  }
  const ds = i;
  let m = 0;
  while (c >= 48 && c <= 57) {
    m = m * 10 + (c - 48);
    if (++i === end) {
      c = -1;
      break;
    }
    c = b[i]!;
  }
  let nd = i - ds;
  let frac = 0;
  if (c === 46) {
    const fs = ++i;
    c = i === end ? -1 : b[i]!;
    while (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      if (++i === end) {
        c = -1;
        break;
      }
      c = b[i]!;
    }
    frac = i - fs;
    nd += frac;
  }
  if (nd === 0) return Number.NaN;
  if (c === -1) return nd > 15 ? parseLongBytes(b, start, end) : scaledDown(m, frac, neg);
  if (c !== 101 && c !== 69) return Number.NaN;
  if (++i === end) return Number.NaN;
  c = b[i]!;
  let eneg = false;
  if (c === 45 || c === 43) {
    eneg = c === 45;
    if (++i === end) return Number.NaN;
    c = b[i]!;
  }
  let exp = 0;
  for (;;) {
    if (c < 48 || c > 57) return Number.NaN;
    if (exp < EXP_CAP) exp = exp * 10 + (c - 48);
    if (++i === end) break;
    c = b[i]!;
  }
  const p = (eneg ? -exp : exp) - frac;
  return exactScale(nd, exp, p) ? scaled(m, p, neg) : parseLongBytes(b, start, end);
}

/** parseLong over ASCII bytes. */
function parseLongBytes(b: Uint8Array, start: number, end: number): number {
  let i = start;
  let c = b[i]!;
  const neg = c === 45;
  if (c === 45 || c === 43) c = b[++i]!;
  let mant = 0;
  let sig = 0;
  let scale = 0;
  let dropped = false;
  for (; i < end; i++) {
    c = b[i]!;
    const d = c - 48;
    if (d < 0 || d > 9) break;
    if (mant === 0 && d === 0) continue;
    if (sig < 15) {
      mant = mant * 10 + d;
      sig++;
    } else {
      scale++;
      if (d !== 0) dropped = true;
    }
  }
  if (i < end && c === 46) {
    for (i++; i < end; i++) {
      c = b[i]!;
      const d = c - 48;
      if (d < 0 || d > 9) break;
      if (mant === 0 && d === 0) {
        scale--;
        continue;
      }
      if (sig < 15) {
        mant = mant * 10 + d;
        sig++;
        scale--;
      } else if (d !== 0) dropped = true;
    }
  }
  let exp = 0;
  if (i < end) {
    c = b[++i]!;
    let eneg = false;
    if (c === 45 || c === 43) {
      eneg = c === 45;
      i++;
    }
    for (; i < end; i++) {
      if (exp < EXP_CAP) exp = exp * 10 + (b[i]! - 48);
    }
    if (exp >= EXP_CAP) dropped = true;
    if (eneg) exp = -exp;
  }
  const v = longValue(mant, scale + exp, dropped, neg);
  return v === v ? v : parseFloat(new TextDecoder().decode(b.subarray(start, end)));
}

/**
 * Plausible price bounds in venue units (quote currency per venue unit, before any contract multiplier).
 * Real quotes span ~1e-9 (sub-nano memecoins on MEXC) to ~1e5 (BTC); the bounds leave three orders of magnitude
 * either side. Anything outside (1e308, subnormals like 1e-320) is a corrupt or hostile frame, never a price:
 * stored, it would overflow or lose all precision in the spread arithmetic. Documented in docs/operations.md.
 */
export const PRICE_MIN = 1e-12;
export const PRICE_MAX = 1e9;

/**
 * Validates a bid/ask pair for publication: finite, > 0, within [PRICE_MIN, PRICE_MAX], bid <= ask.
 * The one price check of every venue's parse outcome, the REST seed and Pair Discovery's validation.
 * Returns InvalidReason codes (0 = valid) so callers need no branches on strings.
 */
export function checkPrices(bid: number, ask: number): 0 | 1 | 2 | 3 | 5 {
  // One range test per side on the common path; NaN fails every comparison and falls through to the slow path.
  if (bid >= PRICE_MIN && bid <= PRICE_MAX && ask >= PRICE_MIN && ask <= PRICE_MAX) return bid > ask ? 3 : 0;
  if (!Number.isFinite(bid) || !Number.isFinite(ask)) return 1;
  if (bid <= 0 || ask <= 0) return 2;
  return 5;
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
