// @spread/feed: the shared connection engine (ConnectionPool) and the feed process runtime.
export * from "./src/backoff.ts";
export * from "./src/send-queue.ts";
export * from "./src/socket.ts";
export * from "./src/symbols.ts";
export * from "./src/sink.ts";
export * from "./src/traits.ts";
export * from "./src/counters.ts";
export * from "./src/connection.ts";
export * from "./src/pool.ts";
export * from "./src/shm-sink.ts";
export * from "./src/load-symbols.ts";
export * from "./src/runtime.ts";
export { feedMain } from "./src/cli.ts";
