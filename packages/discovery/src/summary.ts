// The facts of one run, collected by the pipeline and rendered by report.ts (text files, TTY table) and
// generate.ts (metadata.json).
import type { Registry } from "./registry.ts";
import type { PriceDecision, Rejection, SourceFetch, SourceValidation } from "./types.ts";

export interface SourceSummary {
  readonly source: number;
  /** In --sources (all when not given). */
  readonly selected: boolean;
  readonly fetch: SourceFetch | null;
  /** Listings after normalization (the pairs validated). */
  readonly accepted: number;
  readonly rejections: readonly Rejection[];
  readonly validation: SourceValidation | null;
  /** Listings removed by the collision guard. */
  readonly excluded: number;
  /** Listings in the final registry. */
  readonly symbols: number;
}

export interface RunSummary {
  readonly sources: readonly SourceSummary[];
  readonly validation: {
    readonly enabled: boolean;
    readonly skippedReason: string | null;
    readonly minValidated: number;
    readonly validated: number;
  };
  readonly decisions: readonly PriceDecision[];
  readonly registry: Registry;
  readonly directions: readonly (readonly number[])[];
  readonly maxSymbols: number;
  readonly startedAt: Date;
  readonly durationMs: number;
}
