// Binance wire types (spot /api/v3 and USD-M /fapi/v1), field names exactly as the venue sends them.
// Spot: https://developers.binance.com/docs/binance-spot-api-docs/rest-api  (exchangeInfo, filters.md, web-socket-streams.md)
// USD-M: https://developers.binance.com/docs/derivatives/usds-margined-futures/market-data/rest-api/Exchange-Information
// Numbers may arrive as strings or numbers; everything the venue may omit is optional.

export type BinanceNumeric = string | number;

/** One entry of `filters`; only the fields we read are typed, the rest pass through. */
export interface BinanceFilter {
  readonly filterType: string;
  /** PRICE_FILTER */
  readonly tickSize?: BinanceNumeric;
  readonly minPrice?: BinanceNumeric;
  readonly maxPrice?: BinanceNumeric;
  /** LOT_SIZE / MARKET_LOT_SIZE */
  readonly minQty?: BinanceNumeric;
  readonly maxQty?: BinanceNumeric;
  readonly stepSize?: BinanceNumeric;
  /** Spot NOTIONAL and legacy spot MIN_NOTIONAL. */
  readonly minNotional?: BinanceNumeric;
  /** USD-M MIN_NOTIONAL uses "notional". */
  readonly notional?: BinanceNumeric;
  readonly [other: string]: unknown;
}

/** Spot exchangeInfo symbol (2021 schema has `permissions`, 2026 schema `permissionSets`). */
export interface BinanceSpotSymbol {
  readonly symbol: string;
  /** TRADING | END_OF_DAY | HALT | BREAK | CANCEL_ONLY */
  readonly status: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly isSpotTradingAllowed?: boolean;
  readonly filters: readonly BinanceFilter[];
  readonly permissions?: readonly string[];
  readonly permissionSets?: readonly (readonly string[])[];
}

/** USD-M exchangeInfo symbol. */
export interface BinanceFuturesSymbol {
  readonly symbol: string;
  readonly pair?: string;
  /** PERPETUAL | CURRENT_QUARTER | NEXT_QUARTER | TRADIFI_PERPETUAL | PERPETUAL_DELIVERING | "" (pending) */
  readonly contractType: string;
  /** TRADING | PENDING_TRADING | SETTLING | CLOSE | ... */
  readonly status: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly marginAsset: string;
  /** COIN | INDEX | COMMODITY | ... */
  readonly underlyingType?: string;
  readonly underlyingSubType?: readonly string[];
  readonly deliveryDate?: number;
  readonly filters: readonly BinanceFilter[];
}

export interface BinanceExchangeInfo<S> {
  readonly timezone?: string;
  readonly serverTime?: number;
  readonly symbols: readonly S[];
}

/** REST error body, e.g. {"code":-1121,"msg":"Invalid symbol."}. */
export interface BinanceRestError {
  readonly code: number;
  readonly msg: string;
}

/** `<symbol>@bookTicker` payload. Spot has no e/E/T; USD-M adds e, E, T and (2026) ps, st. */
export interface BinanceBookTicker {
  readonly e?: "bookTicker";
  readonly u: number;
  readonly E?: number;
  readonly T?: number;
  readonly s: string;
  readonly ps?: string;
  readonly b: string;
  readonly B: string;
  readonly a: string;
  readonly A: string;
  /** 1 = USD-M, 2 = COIN-M (after the CM migration) */
  readonly st?: number;
}

/** Combined-stream wrapper of `/stream` and `/public/stream`. */
export interface BinanceCombinedFrame<D> {
  readonly stream: string;
  readonly data: D;
}

/** {"e":"serverShutdown","E":1770123456789}: the server will close soon; reconnect at once. */
export interface BinanceServerShutdown {
  readonly e: "serverShutdown";
  readonly E: number;
}

export interface BinanceSubscribeRequest {
  readonly method: "SUBSCRIBE" | "UNSUBSCRIBE";
  readonly params: readonly string[];
  /** Unsigned integer: USD-M rejects string ids on some derivative streams. */
  readonly id: number;
}

/** {"result":null,"id":1}: success for SUBSCRIBE/UNSUBSCRIBE (also for unknown or wrong-route streams). */
export interface BinanceAck {
  readonly result: unknown;
  readonly id: number | string | null;
}

/** {"error":{"code":2,"msg":"Invalid request: invalid stream"},"id":2}; docs also show the bare {code,msg}. */
export interface BinanceWsError {
  readonly error: { readonly code: number; readonly msg: string };
  readonly id?: number | string | null;
}
