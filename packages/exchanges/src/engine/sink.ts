// Where validated updates go. The feed's sink writes the Price Store, sets the Bitmap bit and wakes the engine;
// Pair Discovery's validation sink records per-pair answers; tests use a recording sink.
import type { InvalidReasonValue } from "../types.ts";

export interface PriceSink {
  /** Prices per ONE unit of the base; qty in base units (NaN = unknown); times in µs (exchange 0 = none). */
  publish(symbolId: number, bid: number, ask: number, bidQty: number, askQty: number, exchangeTsUs: number): void;
  /** The feed lost these symbols (disconnect): readers must stop trusting their last prices. */
  markStale(symbolIds: ArrayLike<number>): void;
  /** Optional: an update of a known symbol was dropped for unusable prices (non-finite, <= 0, crossed). */
  invalid?(symbolId: number, reason: InvalidReasonValue): void;
  /**
   * Optional: the venue says a side of this symbol's book has no orders (OKX "" / [], Bybit b:[] / a:[]). Normal
   * market state, not a corrupt frame: no price is written, and readers must stop treating the last one as current.
   */
  noQuote?(symbolId: number): void;
}
