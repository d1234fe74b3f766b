// @spread/web: spread-web, the read-only dashboard and Prometheus endpoint (issue 15). Reads shared memory from
// private snapshots (never a writer except of its own Health slot) and the tracker's files.
export { isLoopback, webSettings, type WebArgs, type WebSettings } from "./src/settings.ts";
export { Access, COOKIE, sessionValue } from "./src/auth.ts";
export { ALL_NEEDS, Published, WebState, type Needs, type SpreadsView } from "./src/state.ts";
export { SpreadBoard, type BoardRow, type BoardSettings } from "./src/board.ts";
export { HealthReader, healthView, type HealthView, type ProcessHealth } from "./src/health.ts";
export { SeriesCache, statsView, trackPath, trackingsView, type Series, type TrackingsView, type WebTrack } from "./src/tracks.ts";
export { Metrics } from "./src/metrics.ts";
export { delta, newClient, Pusher, TickCache, TOPICS, type Client, type Topic } from "./src/push.ts";
export { startServer, type WebServer } from "./src/server.ts";
export { runWeb, webMain } from "./src/cli.ts";
