// @spread/exchanges: one module per exchange (spot and futures side by side), shared by Pair Discovery and the feeds.
import type { VenueAdapter } from "./src/types.ts";
import { binanceFutures, binanceSpot } from "./src/binance/index.ts";
import { bybitFutures, bybitSpot } from "./src/bybit/index.ts";
import { mexcFutures, mexcSpot } from "./src/mexc/index.ts";
import { okxFutures, okxSpot } from "./src/okx/index.ts";

export * from "./src/types.ts";
export * from "./src/num.ts";
export * from "./src/symbol-table.ts";
// The shared connection engine (ConnectionPool): every WebSocket of the system (feeds, Pair Discovery validation).
export * from "./src/engine/backoff.ts";
export * from "./src/engine/send-queue.ts";
export * from "./src/engine/pacer.ts";
export * from "./src/engine/socket.ts";
export * from "./src/engine/symbols.ts";
export * from "./src/engine/sink.ts";
export * from "./src/engine/traits.ts";
export * from "./src/engine/counters.ts";
export * from "./src/engine/connection.ts";
export * from "./src/engine/pool.ts";
export { binanceFutures, binanceSpot, bybitFutures, bybitSpot, mexcFutures, mexcSpot, okxFutures, okxSpot };

/** Adapters indexed by source_id (binance_spot = 0 … okx_futures = 7). */
export const ADAPTERS: readonly VenueAdapter[] = [
  binanceSpot,
  binanceFutures,
  bybitSpot,
  bybitFutures,
  mexcSpot,
  mexcFutures,
  okxSpot,
  okxFutures,
];

export function adapterFor(source: number): VenueAdapter {
  const a = ADAPTERS[source];
  if (!a) throw new Error(`no adapter for source_id ${source}`);
  return a;
}
