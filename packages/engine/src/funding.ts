// Funding over a holding horizon: what the short futures leg of a spot→futures position gets from the funding
// settlements it holds through. Pure arithmetic on numbers (no allocation), shared by the engine's optional
// filter, `spread-ctl spreads`, the live view and spread-web, so all of them show the same figure.
//
// Sign: a venue's rate is what longs pay shorts per interval (positive = longs pay), so the short futures leg
// EARNS +rate per settlement; net_funding_pct = net_pct + 100 × rate × settlements within the horizon.
import type { EngineConfig } from "@spread/common";

/** Horizon value meaning "through the next settlement" (exactly one settlement counted). */
export const HORIZON_NEXT_SETTLEMENT = -1;
/** Interval assumed where the venue has not said one (every venue's default, Binance's unlisted symbols). */
export const DEFAULT_FUNDING_INTERVAL_MIN = 480;

/** [engine] funding_horizon as µs, or HORIZON_NEXT_SETTLEMENT. */
export function fundingHorizonUs(cfg: Pick<EngineConfig, "funding_horizon">): number {
  return cfg.funding_horizon === "next_settlement" ? HORIZON_NEXT_SETTLEMENT : cfg.funding_horizon * 3600e6;
}

/**
 * Settlements a position opened at `nowUs` and held for `horizonUs` goes through: the instants
 * nextAtUs + k × interval (k ≥ 0) in (now, now + horizon]. HORIZON_NEXT_SETTLEMENT counts 1. A next time of 0
 * (unknown) counts whole intervals of the horizon; a next time already past (the feed's value not yet rolled
 * over) is rolled forward by whole intervals. intervalMin 0 = DEFAULT_FUNDING_INTERVAL_MIN.
 */
export function settlementsWithin(nextAtUs: number, intervalMin: number, nowUs: number, horizonUs: number): number {
  if (horizonUs === HORIZON_NEXT_SETTLEMENT) return 1;
  if (!(horizonUs > 0)) return 0;
  const iv = (intervalMin > 0 ? intervalMin : DEFAULT_FUNDING_INTERVAL_MIN) * 60e6;
  if (!(nextAtUs > 0)) return Math.floor(horizonUs / iv);
  const end = nowUs + horizonUs;
  if (end < nextAtUs) return 0;
  const first = nextAtUs > nowUs ? 0 : Math.floor((nowUs - nextAtUs) / iv) + 1;
  const last = Math.floor((end - nextAtUs) / iv);
  return last >= first ? last - first + 1 : 0;
}

/** Percent the short futures leg earns over the horizon (negative = it pays). */
export function fundingOverHorizonPct(rate: number, nextAtUs: number, intervalMin: number, nowUs: number, horizonUs: number): number {
  return rate * 100 * settlementsWithin(nextAtUs, intervalMin, nowUs, horizonUs);
}
