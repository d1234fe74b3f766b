// The spread math of a direction (spot source S, futures source F, one symbol): buy spot at S's ask,
// sell futures at F's bid. Pure functions on numbers, shared by the engine (signals) and the tracker
// (rows), so both compute the same figures. Percent throughout: 0.1 means 0.1 %.
import { NUM_SOURCES, SOURCE_NAMES, type EngineConfig, type OpenOn } from "@spread/common";

/** (futures_bid − spot_ask) / spot_ask × 100. */
export function grossPct(spotAsk: number, futuresBid: number): number {
  return ((futuresBid - spotAsk) / spotAsk) * 100;
}

/** Gross minus the taker fee of both entry fills (buy spot, sell futures). */
export function netEntryPct(gross: number, spotFeePct: number, futuresFeePct: number): number {
  return gross - (spotFeePct + futuresFeePct);
}

/** Gross minus four taker fills: entry (buy spot, sell futures) and exit (sell spot, buy futures). */
export function netRoundTripPct(gross: number, spotFeePct: number, futuresFeePct: number): number {
  return gross - 2 * (spotFeePct + futuresFeePct);
}

/**
 * A best bid/ask that can be traded against: both prices finite and > 0 and not crossed (bid ≤ ask).
 * A crossed or zero quote is a broken book or a half-written venue update, never a spread.
 */
export function quoteUsable(bid: number, ask: number): boolean {
  // Written so NaN fails every comparison; Infinity fails `< Infinity`.
  return bid > 0 && ask > 0 && bid <= ask && ask < Infinity;
}

/** OpenOn as a small integer for the hot path. */
export const OpenMeasure = { gross: 0, net: 1, net_round_trip: 2 } as const satisfies Record<OpenOn, number>;

/** The measure the open threshold applies to. */
export function openMeasureValue(measure: number, gross: number, spotFeePct: number, futuresFeePct: number): number {
  if (measure === OpenMeasure.gross) return gross;
  if (measure === OpenMeasure.net) return netEntryPct(gross, spotFeePct, futuresFeePct);
  return netRoundTripPct(gross, spotFeePct, futuresFeePct);
}

/** Taker fee percent indexed by source_id, from config [engine.taker_fee_pct]. */
export function feeTable(fees: EngineConfig["taker_fee_pct"]): Float64Array {
  const t = new Float64Array(NUM_SOURCES);
  for (let s = 0; s < NUM_SOURCES; s++) t[s] = fees[SOURCE_NAMES[s]!];
  return t;
}

/** One row of figures for a direction, as the tracker and spread-ctl present it. */
export interface SpreadFigures {
  readonly grossPct: number;
  readonly netPct: number;
  readonly netRoundTripPct: number;
}

/** All three figures of (spot_ask, futures_bid) with the two legs' fees (allocates: not for the hot path). */
export function spreadFigures(spotAsk: number, futuresBid: number, spotFeePct: number, futuresFeePct: number): SpreadFigures {
  const g = grossPct(spotAsk, futuresBid);
  return { grossPct: g, netPct: netEntryPct(g, spotFeePct, futuresFeePct), netRoundTripPct: netRoundTripPct(g, spotFeePct, futuresFeePct) };
}
