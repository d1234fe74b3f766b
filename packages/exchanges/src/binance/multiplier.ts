// Venue-neutral multiplier hint read from an asset name ("1000PEPE", "1MBABYDOGE", "SHIB1000"); used by Binance and Bybit.
// Only a hint: real tokens look the same ("1000SATS", "1INCH"), so Pair Discovery confirms by price ratio.

const PREFIX_MK = /^1([MK])(?=[A-Z])/;
const PREFIX = /^(1|10|100|1000|10000|100000|1000000|10000000)(?=[A-Z])/;
const SUFFIX = /(?<=[A-Z])(1000|10000|100000|1000000)$/;

export interface MultiplierHint {
  /** Power of ten read from the name; 1 when none. */
  readonly multiplier: number;
  /** The name without the multiplier (the whole name when multiplier is 1). */
  readonly base: string;
}

/** Reads a power-of-ten multiplier from an upper-case asset name: prefix, 1M/1K prefix, or trailing 1000s. */
export function multiplierHint(name: string): MultiplierHint {
  const mk = PREFIX_MK.exec(name);
  if (mk) return { multiplier: mk[1] === "M" ? 1_000_000 : 1_000, base: name.slice(2) };
  const p = PREFIX.exec(name);
  if (p) {
    const m = Number(p[1]);
    // "1INCH": a leading 1 alone is no multiplier.
    if (m > 1) return { multiplier: m, base: name.slice(p[1]!.length) };
    return { multiplier: 1, base: name };
  }
  const s = SUFFIX.exec(name);
  if (s) return { multiplier: Number(s[1]), base: name.slice(0, name.length - s[1]!.length) };
  return { multiplier: 1, base: name };
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
