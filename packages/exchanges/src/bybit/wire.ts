// Bybit v5 wire types (spot and linear), field names exactly as the venue sends them.
// REST: https://bybit-exchange.github.io/docs/v5/market/instrument
// WS:   https://bybit-exchange.github.io/docs/v5/websocket/public/orderbook , .../v5/ws/connect
// Numbers arrive as strings (sometimes numbers); everything the venue may omit is optional.

export type BybitNumeric = string | number;

export interface BybitPriceFilter {
  readonly tickSize?: BybitNumeric;
  readonly minPrice?: BybitNumeric;
  readonly maxPrice?: BybitNumeric;
}

/** Spot lotSizeFilter: minOrderQty/maxOrderQty/maxOrderAmt are deprecated; minOrderAmt is the min notional. */
export interface BybitSpotLotSizeFilter {
  readonly basePrecision?: BybitNumeric;
  readonly quotePrecision?: BybitNumeric;
  readonly minOrderQty?: BybitNumeric;
  readonly maxOrderQty?: BybitNumeric;
  readonly minOrderAmt?: BybitNumeric;
  readonly maxOrderAmt?: BybitNumeric;
  readonly maxLimitOrderQty?: BybitNumeric;
  readonly maxMarketOrderQty?: BybitNumeric;
  readonly postOnlyMaxLimitOrderSize?: BybitNumeric;
}

export interface BybitLinearLotSizeFilter {
  readonly minOrderQty?: BybitNumeric;
  readonly maxOrderQty?: BybitNumeric;
  readonly qtyStep?: BybitNumeric;
  readonly maxMktOrderQty?: BybitNumeric;
  readonly postOnlyMaxOrderQty?: BybitNumeric;
  readonly minNotionalValue?: BybitNumeric;
}

/** category=spot result.list item. */
export interface BybitSpotInstrument {
  readonly symbol: string;
  readonly baseCoin: string;
  readonly quoteCoin: string;
  /** Spot returns Trading only. */
  readonly status: string;
  /** "" | "adventure" | "xstocks" */
  readonly symbolType?: string;
  readonly stTag?: string;
  readonly xstockMultiplier?: BybitNumeric;
  readonly lotSizeFilter?: BybitSpotLotSizeFilter;
  readonly priceFilter?: BybitPriceFilter;
}

/** category=linear result.list item. */
export interface BybitLinearInstrument {
  readonly symbol: string;
  /** LinearPerpetual | LinearFutures (InversePerpetual | InverseFutures in category=inverse) */
  readonly contractType: string;
  /** PreLaunch | Trading | Delivering | Closed */
  readonly status: string;
  readonly baseCoin: string;
  readonly quoteCoin: string;
  readonly settleCoin: string;
  readonly deliveryTime?: string;
  readonly isPreListing?: boolean;
  /** "" | "innovation" | "commodity" | "stock" | "forex" */
  readonly symbolType?: string;
  readonly fundingInterval?: BybitNumeric;
  readonly lotSizeFilter?: BybitLinearLotSizeFilter;
  readonly priceFilter?: BybitPriceFilter;
}

export interface BybitInstrumentsResponse<I> {
  readonly retCode: number;
  readonly retMsg: string;
  readonly result: {
    readonly category: string;
    readonly list: readonly I[];
    /** Linear only; "" on the last page. Already URL-encoded ("first%3DBIOUSDT%26last%3DBIOUSDT"). */
    readonly nextPageCursor?: string;
  };
  readonly time?: number;
}

/** A price level: [price, size]; size "0" removes the level (pre-2025-03-20 L1 deltas). */
export type BybitLevel = readonly [string, string];

/** orderbook.1.<SYMBOL> push; snapshot-only since 2025-03-20, re-sent every 3 s when unchanged. */
export interface BybitOrderbookFrame {
  readonly topic: string;
  readonly type: "snapshot" | "delta";
  /** System time (ms). */
  readonly ts: number;
  readonly data: {
    readonly s: string;
    readonly b: readonly BybitLevel[];
    readonly a: readonly BybitLevel[];
    readonly u: number;
    readonly seq: number;
  };
  /** Matching-engine time (ms) of this book state. */
  readonly cts?: number;
}

export interface BybitSubscribeRequest {
  readonly req_id: string;
  readonly op: "subscribe" | "unsubscribe";
  readonly args: readonly string[];
}

/** Ack, refusal and (linear, current spot) pong share one shape; success false names the topic in ret_msg. */
export interface BybitOpResponse {
  readonly success?: boolean;
  readonly ret_msg?: string;
  readonly conn_id?: string;
  readonly req_id?: string;
  readonly op?: string;
}

/** Older spot pong: {"op":"pong","args":["1675418560633"],"conn_id":"..."}. */
export interface BybitSpotPong {
  readonly op: "pong";
  readonly args?: readonly string[];
  readonly conn_id?: string;
}
