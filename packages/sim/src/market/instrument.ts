// The simulator's normalized view of one listed instrument on one source; each venue's REST module renders
// it in that venue's schema and each venue's frame builder quotes it.
import type { FundingOverride } from "./funding.ts";

export type InstrumentKind = "spot" | "perp" | "dated" | "inverse" | "index" | "tradfi";

/**
 * Normalized status. Venues map it to their own values: Binance TRADING/BREAK/HALT/SETTLING/PENDING_TRADING,
 * Bybit Trading/PreLaunch, OKX live/suspend/preopen, MEXC "1"/"2"/"3" and state 0/3/4.
 */
export type InstrumentStatus = "trading" | "halted" | "delisted" | "prelaunch" | "settling" | "pending" | "preopen";

export interface Instrument {
  readonly source: number;
  /** Position in the source's instrument list (the index used by the quote arrays). */
  readonly index: number;
  /** Exchange symbol as the venue spells it ("1000PEPEUSDT", "BTC-USDT-SWAP", "BTC_USDT"). */
  readonly symbol: string;
  /** Asset whose price drives this instrument. */
  readonly asset: number;
  /** Base as the venue reports it, multiplier included ("1000PEPE", "SHIB1000"). */
  readonly base: string;
  readonly quote: string;
  /** Asset index of a non-USD quote (BTC, EUR) or -1 when the quote is a USD stablecoin / USD. */
  readonly quoteAsset: number;
  readonly settle: string | null;
  readonly kind: InstrumentKind;
  readonly status: InstrumentStatus;
  /** A tradable USDT listing that counts toward table A.4. */
  readonly counted: boolean;
  /** Asset units per quoted unit: 1000 for 1000PEPEUSDT, 1e6 for 1MBABYDOGEUSDT, else 1. */
  readonly priceMult: number;
  readonly tick: number;
  readonly tickDec: number;
  readonly qtyStep: number;
  readonly qtyDec: number;
  /** Base units per contract (OKX ctVal, MEXC contractSize); 1 for spot and linear venues quoting base qty. */
  readonly contractSize: number;
  /** Dated futures delivery time (ms), 0 otherwise. */
  readonly deliveryMs: number;
  readonly listMs: number;
  /** Venue-internal numeric id (Bybit symbolId, OKX instIdCode, MEXC contract id). */
  readonly venueId: number;
  /** Tradfi/index underlying label for venues that expose one (Binance underlyingType). */
  readonly underlying: "COIN" | "INDEX" | "COMMODITY" | "EQUITY";
  /** Accepts subscriptions but never sends data. */
  silent: boolean;
  /** Injected bad quotes: 0 none, 1 crossed, 2 zero bid, 3 zero ask, 4 empty bid side. */
  anomaly: number;
  anomalyProb: number;
  /** A scripted settlement (POST /funding, funding-script.ts) overriding the funding model; null = the model. */
  fundingOverride: FundingOverride | null;
  /** Relative update rate (0 = never updates). */
  weight: number;
  /** Quoted spread in basis points. */
  spreadBps: number;
  /** Static price offset vs the asset mid (fraction). */
  basis: number;
}

export const Anomaly = { none: 0, crossed: 1, zero_bid: 2, zero_ask: 3, empty_bid: 4 } as const;
export type AnomalyName = keyof typeof Anomaly;

/** Decimal places of a power-of-ten step (1e-8 → 8, 1 → 0). */
export function decimalsOf(step: number): number {
  let d = 0;
  while (d < 18 && Math.abs(Math.round(step * 10 ** d) - step * 10 ** d) > 1e-9) d++;
  return d;
}
