// Contracts between the server core and the venue emulations: data channels (frame builders) and the
// per-exchange protocol handler (WebSocket routes, control messages, heartbeat rules, REST).
import type { Exchange, Market } from "@spread/common";
import type { SimContext } from "../context.ts";
import type { Asset } from "../market/asset.ts";
import type { Instrument } from "../market/instrument.ts";
import type { SourceBook } from "../market/market.ts";
import type { VenueSettings } from "../scenario/venue-defaults.ts";
import type { Conn } from "../server/conn.ts";

/** When a new subscriber gets its first frame. */
export type OnSubscribe = "none" | "now" | "next";

/** When a channel pushes (venues pick one of the shapes in shared/channel.ts). */
export interface Cadence {
  /** 0 = one frame per quote update; N = latest state of changed instruments every N ms. */
  readonly intervalMs: number;
  /** Re-send the unchanged latest frame after this much silence per instrument; 0 = never. */
  readonly resendMs: number;
  readonly onSubscribe: OnSubscribe;
  /** A funding channel pushing on a slow cadence (OKX 30 s, MEXC 20 s): pushed at once when a settlement is scripted. */
  readonly funding?: true;
}

/**
 * The frame for an instrument's current quote; the book it reads is the one the venue's channels were built on.
 * `bad` = prices replaced by non-numbers (fault).
 */
export type FrameBuilder = (inst: Instrument, index: number, nowMs: number, bad: boolean) => string | Uint8Array;

/** One data channel of a source (Binance raw vs combined bookTicker, MEXC 10ms vs 100ms, OKX bbo-tbt vs tickers). */
export interface Channel extends Cadence {
  readonly name: string;
  readonly build: FrameBuilder;
  /** First frame for a new subscriber when it differs from updates (Bybit linear tickers: snapshot, then deltas). */
  readonly snapshot?: (inst: Instrument, index: number, nowMs: number) => string | Uint8Array;
}

/** What a WebSocket upgrade path resolves to. */
export interface WsRoute {
  readonly source: number;
  /** Venue-specific route detail (Binance "ws" | "stream" and its route class, OKX "public" | "business"). */
  readonly kind: string;
  /** Streams/topics named in the URL (Binance /ws/<a>/<b>, /stream?streams=a/b). */
  readonly initial: readonly string[];
}

/** Per-exchange protocol emulation, shared by the ports that serve that exchange. */
export interface Venue {
  /** Source names this venue serves (Bybit and OKX serve spot and futures on every port). */
  readonly sources: readonly number[];
  /** null → HTTP 404 for the upgrade; a string → HTTP 400 with that body (invalid stream names in a URL). */
  routeWs(url: URL): WsRoute | string | null;
  /** New connection: set conn.v and subscribe the streams named in the URL. */
  onOpen(conn: Conn, route: WsRoute, nowMs: number): void;
  onMessage(conn: Conn, message: string | Uint8Array): void;
  /** Venue idle/heartbeat rules, called by the housekeeping timer. */
  housekeeping(conn: Conn, nowMs: number): void;
  /** The venue's shutdown notice frame before a forced close (Binance serverShutdown, OKX 64008), or null. */
  shutdownNotice(conn: Conn, nowMs: number): string | null;
  /** Close performed at the end of a forced shutdown / lifetime. */
  forcedClose(conn: Conn): void;
  /** Source a REST request is accounted to (REST faults), or -1 when the path is unknown. */
  restSource(url: URL): number;
  rest(url: URL, method: string): Response;
  /** Body of an injected REST failure (rest_error fault) in the venue's error envelope. */
  restErrorBody(status: number): string;
}

/** Defaults every simulated source shares. */
export const COMMON_SETTINGS = { max_lifetime_ms: 86_400_000, backlog_limit_bytes: 4 << 20, backlog_close_ms: 30_000, max_connections: 0, no_sub_timeout_ms: 0 } as const;

/** What the simulated market needs to know about one source (spot or futures) of a venue. */
export interface SimMarketFacts {
  /** Protocol defaults (heartbeats, idle rules, limits, push cadence); scenarios override any key. */
  readonly settings: VenueSettings;
  /** Exchange symbol of a USDT instrument ("BTCUSDT", "BTC-USDT-SWAP", "BTC_USDT"). */
  usdtSymbol(base: string): string;
  /** [symbol base, multiplier] where the venue lists a counted contract per 1000 or 1M units ("1000PEPE"). */
  multiplierBase?(a: Asset): [string, number] | null;
  /** Sizes are contracts with this many quantity decimals; null = sizes in base units. */
  readonly contractQtyDecimals: number | null;
  /** Most decimals the venue prints in a price. */
  readonly maxPriceDecimals: number;
}

/** One exchange of the simulator; each venues/<exchange>/index.ts exports one, registered in venues/index.ts. */
export interface SimVenueDescriptor {
  readonly exchange: Exchange;
  readonly spot: SimMarketFacts;
  readonly futures: SimMarketFacts;
  /** Spot and futures may listen on one port (the real host serves both markets). */
  readonly sharedPort: boolean;
  /** The data channels of one source of this exchange. */
  channels(book: SourceBook, market: Market, settings: VenueSettings): Channel[];
  /** The protocol handler of a listener whose first source is `source`. */
  venue(ctx: SimContext, source: number): Venue;
}
