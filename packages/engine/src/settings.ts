// [engine] config → the numbers the hot path uses (typed arrays by source_id, µs instead of ms).
import { NUM_SOURCES, SOURCE_NAMES, type EngineConfig } from "@spread/common";
import { fundingHorizonUs } from "./funding.ts";
import { OpenMeasure, feeTable } from "./spread.ts";

export interface EngineSettings {
  /** OpenMeasure: what openPct is compared with. */
  readonly openMeasure: number;
  readonly openPct: number;
  /** Plausibility ceiling on gross; above it the pair is suspect. */
  readonly maxPct: number;
  /** Largest leg age in µs, by source_id. */
  readonly staleAfterUs: Float64Array;
  /** The spread must hold this long (µs) since first passing, or persistEvals evaluations; 0 = no time rule. */
  readonly persistUs: number;
  readonly persistEvals: number;
  /** Taker fee percent by source_id. */
  readonly feePct: Float64Array;
  /** [engine] skip_if_funding_erases: hold back spreads the futures leg's funding over the horizon erases. */
  readonly skipIfFundingErases: boolean;
  /** fundingHorizonUs of [engine] funding_horizon (HORIZON_NEXT_SETTLEMENT or µs). */
  readonly fundingHorizonUs: number;
}

export function engineSettings(cfg: EngineConfig): EngineSettings {
  const stale = new Float64Array(NUM_SOURCES);
  for (let s = 0; s < NUM_SOURCES; s++) stale[s] = (cfg.stale_after_ms_by_source[SOURCE_NAMES[s]!] ?? cfg.stale_after_ms) * 1000;
  return {
    openMeasure: OpenMeasure[cfg.open_on],
    openPct: cfg.open_spread_pct,
    maxPct: cfg.max_spread_pct,
    staleAfterUs: stale,
    persistUs: cfg.persist_ms * 1000,
    persistEvals: cfg.persist_evals,
    feePct: feeTable(cfg.taker_fee_pct),
    skipIfFundingErases: cfg.skip_if_funding_erases,
    fundingHorizonUs: fundingHorizonUs(cfg),
  };
}
