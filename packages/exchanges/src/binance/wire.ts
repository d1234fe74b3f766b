// Binance wire types (spot /api/v3 and USD-M /fapi/v1), field names exactly as the venue sends them.
// Spot: https://developers.binance.com/docs/binance-spot-api-docs/rest-api  (exchangeInfo, filters.md, web-socket-streams.md)
// USD-M: https://developers.binance.com/docs/derivatives/usds-margined-futures/market-data/rest-api/Exchange-Information
// Numbers may arrive as strings or numbers; everything the venue may omit is optional.

export interface BinanceSubscribeRequest {
  readonly method: "SUBSCRIBE" | "UNSUBSCRIBE";
  readonly params: readonly string[];
  /** Unsigned integer: USD-M rejects string ids on some derivative streams. */
  readonly id: number;
}

