// @spread/feed: the feed process runtime (generated/ → ConnectionPool → Price Store, Health, Control, hot reload).
// The connection engine itself (ConnectionPool and its parts) lives in @spread/exchanges.
export * from "./src/shm-sink.ts";
export * from "./src/load-symbols.ts";
export * from "./src/funding-poller.ts";
export * from "./src/runtime.ts";
export { feedMain } from "./src/cli.ts";
