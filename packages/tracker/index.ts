// @spread/tracker: spread-tracker (A.11): signals from the Event Bus open trackings; every 200 ms each open
// tracking gets one CSV row; CONVERGED / EXPIRED / FEED_LOST / DELISTED close it into a summary row. Files and
// their recovery rules: docs/formats.md "Tracker files".
export * from "./src/csv.ts";
export * from "./src/paths.ts";
export * from "./src/stats.ts";
export * from "./src/disk.ts";
export * from "./src/schedule.ts";
export * from "./src/tracking.ts";
export * from "./src/tracker.ts";
export * from "./src/recover.ts";
export * from "./src/resume.ts";
export * from "./src/generation.ts";
export * from "./src/status.ts";
export * from "./src/math.ts";
export * from "./src/pair-state.ts";
export * from "./src/runtime.ts";
export { trackerMain } from "./src/cli.ts";
export * from "./src/query.ts";
export * from "./src/retention.ts";
