// @spread/common: ids, static configuration, logging and clocks shared by every process.
export * from "./src/ids.ts";
export * from "./src/errors.ts";
export * from "./src/log.ts";
export * from "./src/clock.ts";
export * from "./src/config/load.ts";
export * from "./src/config/bounds.ts";
export * from "./src/config/app.ts";
export * from "./src/config/alerts.ts";
export * from "./src/config/exchanges.ts";
export * from "./src/config/directions.ts";
export * from "./src/cli.ts";
export * from "./src/paths.ts";
export * from "./src/generated/index.ts";
