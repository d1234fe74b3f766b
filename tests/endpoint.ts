// A SourceEndpoint for unit tests: URLs nothing listens on, generous limits; a test overrides what it is about.
import type { SourceEndpoint } from "@spread/common";

export function testEndpoint(over: Partial<SourceEndpoint> = {}): SourceEndpoint {
  return {
    rest_url: "http://127.0.0.1:1", rest_fallback_urls: [], ws_url: "ws://127.0.0.1:1", connections: 1, max_subs_per_connection: 10000,
    subscribe_batch: 10, max_msgs_per_sec: 1000, max_ops_per_hour: 0, ping_interval_ms: 20000, pong_timeout_ms: 10000,
    data_timeout_ms: 10000, symbol_stale_ms: 10000, max_lifetime_ms: 84_600_000, validation_batch: 50, rest_timeout_ms: 1000,
    ...over,
  };
}
