// Where validated updates go. The production sink writes the Price Store, sets the Bitmap bit and wakes the
// engine; tests use a recording sink.

export interface PriceSink {
  /** Prices per ONE unit of the base; qty in base units (NaN = unknown); times in µs (exchange 0 = none). */
  publish(symbolId: number, bid: number, ask: number, bidQty: number, askQty: number, exchangeTsUs: number): void;
  /** The feed lost these symbols (disconnect): readers must stop trusting their last prices. */
  markStale(symbolIds: ArrayLike<number>): void;
}
