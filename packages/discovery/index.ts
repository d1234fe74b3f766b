// @spread/discovery: Pair Discovery (A.3): 1 REST instrument lists → 2 normalization → 3 WS validation →
// 4 price checks (collision guard) → 5 registry → 6 directions → 7 generated/ written atomically → 8 reload.
// bins/pair-discovery.ts is a thin wrapper over pairDiscoveryCommand.
export * from "./src/types.ts";
export * from "./src/rules.ts";
export * from "./src/normalize.ts";
export * from "./src/multiplier.ts";
export * from "./src/registry.ts";
export * from "./src/directions.ts";
export * from "./src/collision.ts";
export * from "./src/fetch.ts";
export * from "./src/offline.ts";
export * from "./src/validate.ts";
export * from "./src/generate.ts";
export * from "./src/atomic.ts";
export * from "./src/report.ts";
export * from "./src/summary.ts";
export * from "./src/progress.ts";
export * from "./src/reload.ts";
export * from "./src/pipeline.ts";
export * from "./src/cli.ts";
export * from "./src/single-instance.ts";
