// @spread/alerts: spread-alerts, Telegram and webhook alerts for opened / closed trackings (read from the
// tracker's files) and for a sick system (read from Health). Delivery: per-target rate limits, retries,
// a bounded priority queue and digests, none of which can block the process. docs/operations.md "Alerts".
export * from "./src/escape.ts";
export * from "./src/message.ts";
export * from "./src/render.ts";
export * from "./src/secrets.ts";
export * from "./src/transport.ts";
export * from "./src/channels.ts";
export * from "./src/dispatcher.ts";
export * from "./src/funding.ts";
export * from "./src/tracker-watch.ts";
export * from "./src/system-watch.ts";
export * from "./src/runtime.ts";
export * from "./src/send-test.ts";
export { alertsMain } from "./src/cli.ts";
