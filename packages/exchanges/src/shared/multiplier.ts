// Multiplier hint read from an asset name ("1000PEPE", "1MBABYDOGE", "SHIB1000"), one rule for every venue.
// Only a hint: real tokens look the same ("1000SATS", "1INCH"), so Pair Discovery confirms it by price ratio.
// Venues use powers of ten from 1,000 up (Binance 1000PEPE / 1000000MOG, Bybit 10000000AIDOGE, SHIB1000), so
// shorter prefixes ("100X", "1INCH") and one-letter remainders are names, not multipliers.

// 1 followed by at least three zeros, then a name of two or more characters starting with a letter.
const PREFIX = /^1(000+)([A-Z][A-Z0-9]+)$/;
// "1M" (million) prefix: 1MBABYDOGE.
const PREFIX_M = /^1M([A-Z][A-Z0-9]{2,})$/;
// A name ending in a letter, then 1000, 10000, ...: SHIB1000.
const SUFFIX = /^([A-Z][A-Z0-9]*[A-Z])1(000+)$/;

export interface MultiplierHint {
  /** Power of ten read from the name; 1 when none. */
  readonly multiplier: number;
  /** The name without the multiplier (the whole name when multiplier is 1). */
  readonly base: string;
}

/** Reads a power-of-ten multiplier from an asset name (case-insensitive; the base comes back upper-case). */
export function multiplierHint(name: string): MultiplierHint {
  const b = name.toUpperCase();
  let m = PREFIX.exec(b);
  if (m) return { multiplier: 10 ** m[1]!.length, base: m[2]! };
  m = PREFIX_M.exec(b);
  if (m) return { multiplier: 1e6, base: m[1]! };
  m = SUFFIX.exec(b);
  if (m) return { multiplier: 10 ** m[2]!.length, base: m[1]! };
  return { multiplier: 1, base: b };
}

/**
 * Hint for an instrument: from the base asset first, then from the symbol stem (symbol minus the quote),
 * because where a venue reports the multiplier only in the symbol is UNCONFIRMED (Bybit "SHIB1000USDT").
 */
export function instrumentMultiplierHint(base: string, symbol: string, quote: string): MultiplierHint {
  const fromBase = multiplierHint(base);
  if (fromBase.multiplier > 1) return fromBase;
  if (quote !== "" && symbol.endsWith(quote)) {
    const stem = symbol.slice(0, symbol.length - quote.length);
    if (stem !== base) {
      const fromStem = multiplierHint(stem);
      if (fromStem.multiplier > 1) return fromStem;
    }
  }
  return fromBase;
}
