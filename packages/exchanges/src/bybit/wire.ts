// Bybit v5 wire types (spot and linear), field names exactly as the venue sends them.
// REST: https://bybit-exchange.github.io/docs/v5/market/instrument
// WS:   https://bybit-exchange.github.io/docs/v5/websocket/public/orderbook , .../v5/ws/connect
// Numbers arrive as strings (sometimes numbers); everything the venue may omit is optional.

export interface BybitSubscribeRequest {
  readonly req_id: string;
  readonly op: "subscribe" | "unsubscribe";
  readonly args: readonly string[];
}

