// Protocol settings per source with the real venues' values as defaults (protocol notes §1-§5); scenarios
// override any key, tests shorten the timers to seconds.
import type { SourceName } from "@spread/common";

export interface VenueSettings {
  /** Server WebSocket ping frames every N ms (Binance); 0 = the server never pings. */
  ping_interval_ms: number;
  /** Close when a server ping is not answered (pong echoing its payload) within N ms. */
  pong_timeout_ms: number;
  /**
   * Venue idle rule, 0 = none. Bybit: no client ping and no data for N ms. OKX: no client message and no data
   * (close 4004). MEXC spot: subscribed but no data and no PING. MEXC futures: no client ping.
   */
  idle_timeout_ms: number;
  /** MEXC spot: no valid subscription for N ms → close; 0 = none. */
  no_sub_timeout_ms: number;
  /** Forced disconnect after this connection age. */
  max_lifetime_ms: number;
  /** The venue's shutdown notice (Binance serverShutdown, OKX 64008) goes out this long before a forced close. */
  notice_ms: number;
  /** Subscriptions per connection (Binance 1024 streams, MEXC spot 30); 0 = unlimited. */
  max_subs: number;
  /** Topics per subscribe request (Bybit spot 10); 0 = unlimited. */
  max_batch: number;
  /** Client→server messages per second before the venue disconnects (Binance 5 / 10, MEXC 100); 0 = off. */
  max_client_msgs_per_sec: number;
  /** Subscribe/unsubscribe requests per hour per connection (OKX 480); 0 = off. */
  max_ops_per_hour: number;
  /** Re-send an unchanged snapshot after N ms (Bybit orderbook.1 3 s, OKX bbo-tbt ~60 s); 0 = never. */
  resend_ms: number;
  /** Coalescing interval of the main channel (Bybit/OKX 10 ms, MEXC futures ticker 1 s); 0 = every change. */
  push_interval_ms: number;
  /** Send backlog guard: data frames are skipped while more than this many bytes wait in the socket buffer. */
  backlog_limit_bytes: number;
  /** A connection stuck above the backlog limit this long is closed (1008); 0 = never. */
  backlog_close_ms: number;
  /** Concurrent connections accepted for this source; 0 = unlimited. */
  max_connections: number;
}

const DAY = 86_400_000;
const common = { max_lifetime_ms: DAY, backlog_limit_bytes: 4 << 20, backlog_close_ms: 30_000, max_connections: 0, no_sub_timeout_ms: 0 };

export const VENUE_DEFAULTS: Record<SourceName, VenueSettings> = {
  binance_spot: { ...common, ping_interval_ms: 20_000, pong_timeout_ms: 60_000, idle_timeout_ms: 0, notice_ms: 5_000, max_subs: 1024, max_batch: 0, max_client_msgs_per_sec: 5, max_ops_per_hour: 0, resend_ms: 0, push_interval_ms: 0 },
  binance_futures: { ...common, ping_interval_ms: 180_000, pong_timeout_ms: 600_000, idle_timeout_ms: 0, notice_ms: 5_000, max_subs: 1024, max_batch: 0, max_client_msgs_per_sec: 10, max_ops_per_hour: 0, resend_ms: 0, push_interval_ms: 0 },
  bybit_spot: { ...common, ping_interval_ms: 0, pong_timeout_ms: 0, idle_timeout_ms: 600_000, notice_ms: 0, max_subs: 0, max_batch: 10, max_client_msgs_per_sec: 0, max_ops_per_hour: 0, resend_ms: 3_000, push_interval_ms: 10 },
  bybit_futures: { ...common, ping_interval_ms: 0, pong_timeout_ms: 0, idle_timeout_ms: 600_000, notice_ms: 0, max_subs: 0, max_batch: 0, max_client_msgs_per_sec: 0, max_ops_per_hour: 0, resend_ms: 3_000, push_interval_ms: 10 },
  mexc_spot: { ...common, ping_interval_ms: 0, pong_timeout_ms: 0, idle_timeout_ms: 60_000, no_sub_timeout_ms: 30_000, notice_ms: 0, max_subs: 30, max_batch: 0, max_client_msgs_per_sec: 100, max_ops_per_hour: 0, resend_ms: 0, push_interval_ms: 0 },
  mexc_futures: { ...common, ping_interval_ms: 0, pong_timeout_ms: 0, idle_timeout_ms: 60_000, notice_ms: 0, max_subs: 0, max_batch: 0, max_client_msgs_per_sec: 0, max_ops_per_hour: 0, resend_ms: 0, push_interval_ms: 1_000 },
  okx_spot: { ...common, ping_interval_ms: 0, pong_timeout_ms: 0, idle_timeout_ms: 30_000, notice_ms: 60_000, max_subs: 0, max_batch: 0, max_client_msgs_per_sec: 0, max_ops_per_hour: 480, resend_ms: 60_000, push_interval_ms: 10 },
  okx_futures: { ...common, ping_interval_ms: 0, pong_timeout_ms: 0, idle_timeout_ms: 30_000, notice_ms: 60_000, max_subs: 0, max_batch: 0, max_client_msgs_per_sec: 0, max_ops_per_hour: 480, resend_ms: 60_000, push_interval_ms: 10 },
};
