// config/exchanges.toml: per-source REST/WS endpoints, subscription limits, batching and heartbeats.
import { z } from "zod";
import { SOURCE_NAMES, type SourceName } from "../ids.ts";
import { ConfigError } from "../errors.ts";
import { count, ms, urlSchema } from "./bounds.ts";
import { readTomlFile, validateWith } from "./load.ts";

const httpUrl = urlSchema(["http", "https"]);
const wsUrl = urlSchema(["ws", "wss"]);

export const SourceEndpointSchema = z.strictObject({
  /** REST base, e.g. https://api.binance.com */
  rest_url: httpUrl,
  /** Further REST bases tried in order when rest_url fails (venues move hosts; see protocol notes). */
  rest_fallback_urls: z.array(httpUrl).default([]),
  /** WebSocket base; the adapter appends its path. */
  ws_url: wsUrl,
  /** Connections a feed opens (raised automatically where max_subs_per_connection forces more). */
  connections: count(1, 1000),
  /** Exchange cap of subscriptions (streams/topics) on one connection. */
  max_subs_per_connection: count(1, 100_000),
  /** Symbols per subscribe request, never above the exchange's per-request limit. */
  subscribe_batch: count(1, 10_000),
  /** Client→server control messages per second per connection (subscribe, ping). */
  max_msgs_per_sec: z.number().positive().max(10_000),
  /** Subscribe/unsubscribe ops per hour per connection (OKX 480); 0 = no limit. */
  max_ops_per_hour: count(0, 10_000_000),
  /** Client application-level ping interval; 0 = the server pings (Binance). */
  ping_interval_ms: ms(0),
  /** A ping without its pong after this long means the connection is dead. */
  pong_timeout_ms: ms(),
  /** No data frame on a connection for this long (while its symbols should talk) → replace it. */
  data_timeout_ms: ms(),
  /** A symbol without an update for this long is reported stale (per-symbol age, not a reconnect). */
  symbol_stale_ms: ms(),
  /** Open a replacement connection before this lifetime elapses (exchanges force-close at 24 h). */
  max_lifetime_ms: ms(),
  /** Pair Discovery WS validation batch size. */
  validation_batch: count(1, 100_000),
  /** REST request timeout. */
  rest_timeout_ms: ms(),
  /**
   * Optional: minimum spacing of this feed's connection opens, overriding config.toml [feed] connect_interval_ms.
   * Venue limits are per IP and shared by the spot and futures feed of an exchange (OKX: 3 attempts/s), so each
   * gets a share: OKX 700 ms → at most 2 × 1.43 = 2.86 opens/s together.
   */
  connect_interval_ms: ms(0).optional(),
});
export type SourceEndpoint = z.output<typeof SourceEndpointSchema>;

export const ExchangesConfigSchema = z.strictObject(
  Object.fromEntries(SOURCE_NAMES.map((n) => [n, SourceEndpointSchema])) as Record<
    SourceName,
    typeof SourceEndpointSchema
  >,
);
export type ExchangesConfig = Record<SourceName, SourceEndpoint>;

/** Hard exchange limits a config may not exceed, per source (from the venue adapters: @spread/exchanges EXCHANGE_LIMITS). */
export type ExchangeLimits = Readonly<Record<SourceName, { readonly maxSubsPerConnection: number; readonly maxBatch: number }>>;

/** Loads and validates config/exchanges.toml, refusing values above the venues' own limits. */
export function loadExchangesConfig(file: string, limits: ExchangeLimits): ExchangesConfig {
  return exchangesConfigFrom(file, readTomlFile(file), limits);
}

/** Validates parsed TOML (a file embedded in a compiled binary, or read by loadExchangesConfig); `file` names it in errors. */
export function exchangesConfigFrom(file: string, data: unknown, limits: ExchangeLimits): ExchangesConfig {
  const cfg = validateWith(file, ExchangesConfigSchema, data) as ExchangesConfig;
  const problems: string[] = [];
  for (const name of SOURCE_NAMES) {
    const c = cfg[name];
    const lim = limits[name];
    if (c.max_subs_per_connection > lim.maxSubsPerConnection) {
      problems.push(`${file}: ${name}.max_subs_per_connection: ${c.max_subs_per_connection} exceeds the exchange limit ${lim.maxSubsPerConnection}`);
    }
    if (c.subscribe_batch > lim.maxBatch) {
      problems.push(`${file}: ${name}.subscribe_batch: ${c.subscribe_batch} exceeds the exchange limit ${lim.maxBatch} per request`);
    }
    if (c.subscribe_batch > c.max_subs_per_connection) {
      problems.push(`${file}: ${name}.subscribe_batch: ${c.subscribe_batch} is more than max_subs_per_connection (${c.max_subs_per_connection})`);
    }
  }
  if (problems.length) throw new ConfigError(problems.join("\n"));
  return cfg;
}
