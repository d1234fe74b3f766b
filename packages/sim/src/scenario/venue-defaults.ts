// Protocol settings per source; the real venues' values are the defaults, kept in each venue folder (protocol
// notes §1-§5). Scenarios override any key, tests shorten the timers to seconds.
import { SOURCE_NAMES, type SourceName } from "@spread/common";
import { simMarketOf } from "../venues/index.ts";

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

/** Per source: its venue folder's protocol defaults. */
export const VENUE_DEFAULTS: Record<SourceName, VenueSettings> = Object.fromEntries(SOURCE_NAMES.map((n, s) => [n, simMarketOf(s).settings])) as Record<SourceName, VenueSettings>;
