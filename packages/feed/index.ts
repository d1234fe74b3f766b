// @spread/feed: the feed process runtime (generated/ → ConnectionPool → Price Store, Health, Control, hot reload),
// one source per process or several (a feed group).
// The connection engine itself (ConnectionPool and its parts) lives in @spread/exchanges.
export * from "./src/shm-sink.ts";
export * from "./src/load-symbols.ts";
export * from "./src/funding-poller.ts";
export * from "./src/runtime.ts";
export * from "./src/context.ts";
export * from "./src/process.ts";
export { feedMain, parseSourceList, groupSources } from "./src/cli.ts";
