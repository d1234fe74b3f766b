// Power-of-ten multiplier hint read from a base-asset name ("1000PEPE", "SHIB1000", "1MBABYDOGE").
// Venue-neutral (OKX and MEXC use it); a candidate for packages/exchanges/src/multiplier.ts.
// Only a hint: "1000SATS" / "1000CHEEMS" are real token names too (peers-and-pitfalls §1a), so Discovery must
// confirm it (e.g. by price ratio). OKX and MEXC quote per single token and put the multiplier in ctVal/contractSize.

export interface MultiplierHint {
  /** 1 when the name carries no multiplier. */
  readonly multiplier: number;
  /** The name without the multiplier ("PEPE"), or the name itself. */
  readonly base: string;
}

// 1 followed by at least three zeros, then a name starting with a letter: 1000PEPE, 10000SATS, 1000000MOG.
const PREFIX = /^1(000+)([A-Z][A-Z0-9]+)$/;
// "1M" (million) prefix: 1MBABYDOGE.
const PREFIX_M = /^1M([A-Z][A-Z0-9]{2,})$/;
// Name ending in a letter, then 1000, 10000, ...: SHIB1000.
const SUFFIX = /^([A-Z][A-Z0-9]*[A-Z])1(000+)$/;

export function multiplierHint(base: string): MultiplierHint {
  const b = base.toUpperCase();
  let m = PREFIX.exec(b);
  if (m) return { multiplier: 10 ** m[1]!.length, base: m[2]! };
  m = PREFIX_M.exec(b);
  if (m) return { multiplier: 1e6, base: m[1]! };
  m = SUFFIX.exec(b);
  if (m) return { multiplier: 10 ** m[2]!.length, base: m[1]! };
  return { multiplier: 1, base: b };
}
