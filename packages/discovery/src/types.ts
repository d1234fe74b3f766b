// Data passed between the Pair Discovery stages (A.3). Plain readonly records; every stage is a function of them.
import type { RawInstrument } from "@spread/exchanges";

/** Order parameters kept per (source, symbol) for a future Order Manager (A.3 stage 2). */
export interface ListingParams {
  readonly minQty: number | null;
  readonly maxQty: number | null;
  readonly tickSize: number | null;
  readonly minNotional: number | null;
  readonly contractSize: number | null;
}

/** How a listing got its name. */
export type ListingOrigin =
  /** base as the venue reports it, no multiplier hint */
  | "plain"
  /** config alias */
  | "alias"
  /** multiplier contract mapped to the plain base (1000PEPEUSDT → PEPE-USDT × 1000) */
  | "multiplier"
  /** looks like a multiplier but kept as its own token (1000SATS listed on spot as 1000SATS) */
  | "lookalike";

/** One identity a listing can take: name and price multiplier. */
export interface Identity {
  readonly base: string;
  /** normalized_name "BASE-USDT" */
  readonly name: string;
  readonly multiplier: number;
}

/** An accepted instrument of one source with its (preliminary) identity. */
export interface Listing extends Identity {
  readonly source: number;
  readonly exchangeSymbol: string;
  readonly origin: ListingOrigin;
  /** The other identity a multiplier-looking name could have; the price check may switch to it. */
  readonly alt: Identity | null;
  readonly params: ListingParams;
}

/** Why an instrument was not listed, stable strings for reports and tests. */
export type RejectReason =
  | "denied"
  | "not_tradable"
  | "wrong_kind"
  | "quote_not_usdt"
  | "settle_not_usdt"
  | "bad_base"
  | "duplicate";

export interface Rejection {
  readonly source: number;
  readonly exchangeSymbol: string;
  readonly reason: RejectReason;
  /** e.g. the status ("BREAK"), the quote ("BTC"), the other reason ("dated"), the kept duplicate. */
  readonly detail: string;
}

export interface SourceFetch {
  readonly source: number;
  readonly ok: boolean;
  readonly instruments: readonly RawInstrument[];
  readonly pages: number;
  /** REST attempts made in total (over all pages). */
  readonly attempts: number;
  readonly ms: number;
  readonly error: string | null;
}

export type PairStatus = "valid" | "no_data" | "invalid_prices" | "rejected";

/** WS validation outcome of one (source, exchange symbol). */
export interface PairValidation {
  readonly exchangeSymbol: string;
  readonly status: PairStatus;
  /** Last valid best bid / ask (NaN when none). */
  readonly bid: number;
  readonly ask: number;
  readonly updates: number;
  readonly invalidUpdates: number;
  /** Venue text for "rejected". */
  readonly detail: string | null;
}

export interface SourceValidation {
  readonly source: number;
  /** Ran and at least one pair validated. */
  readonly ok: boolean;
  readonly error: string | null;
  readonly pairs: ReadonlyMap<string, PairValidation>;
  readonly batches: number;
  readonly connections: number;
  readonly connectionFailures: number;
  readonly malformedFrames: number;
  readonly ms: number;
}

/** Collision guard / multiplier check decision for one listing (collision.ts). */
export interface PriceDecision {
  readonly source: number;
  readonly exchangeSymbol: string;
  /**
   * multiplier_confirmed: a multiplier identity agrees with the others at ×multiplier;
   * multiplier_rejected: it disagreed and the listing moved to its own name at ×1;
   * excluded_collision: deviates from the median of the others (ticker collision or wrong multiplier);
   * excluded_ambiguous: the last two priced listings of a symbol disagree, neither can be trusted.
   */
  readonly kind: "multiplier_confirmed" | "multiplier_rejected" | "excluded_collision" | "excluded_ambiguous";
  /** Symbol name the listing ends with (or was excluded from). */
  readonly name: string;
  readonly multiplier: number;
  /** Per-unit mid of this listing and the median of the others it was compared with. */
  readonly perUnitMid: number;
  readonly reference: number;
  readonly deviation: number;
}
