// @spread/exchanges: one folder per exchange (spot and futures side by side), each exporting one VenueDescriptor
// (registered in src/venues.ts); the shared connection engine; used by Pair Discovery, the feeds and the tools.
export * from "./src/types.ts";
export * from "./src/num.ts";
export * from "./src/funding.ts";
export * from "./src/binance/funding.ts";
export * from "./src/bybit/funding.ts";
export * from "./src/mexc/funding.ts";
export * from "./src/okx/funding.ts";
export * from "./src/symbol-table.ts";
export * from "./src/venues.ts";
export { binance } from "./src/binance/index.ts";
export { bybit } from "./src/bybit/index.ts";
export { mexc } from "./src/mexc/index.ts";
export { okx } from "./src/okx/index.ts";
// The shared connection engine (ConnectionPool): every WebSocket of the system (feeds, Pair Discovery validation).
export * from "./src/engine/backoff.ts";
export * from "./src/engine/send-queue.ts";
export * from "./src/engine/pacer.ts";
export * from "./src/engine/socket.ts";
export * from "./src/engine/read-coalescer.ts";
export * from "./src/engine/symbols.ts";
export * from "./src/engine/sink.ts";
export * from "./src/engine/counters.ts";
export * from "./src/engine/connection.ts";
export * from "./src/engine/subscriptions.ts";
export * from "./src/engine/pool-options.ts";
export * from "./src/engine/symbol-health.ts";
export * from "./src/engine/pool.ts";
