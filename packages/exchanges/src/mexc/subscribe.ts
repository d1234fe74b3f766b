// MEXC subscribe frames: Spot SUBSCRIPTION lists (≤ 30 streams per connection) and Futures one symbol per frame.
// https://www.mexc.com/api-docs/spot-v3/websocket-market-streams · https://www.mexc.com/api-docs/futures/websocket-api
import type { SubscribeRequest } from "../types.ts";

/** Streams per spot connection; extra subscriptions are ignored by the server. */
export const MEXC_SPOT_MAX_SUBS = 30;
/** Futures: one symbol per sub.ticker frame. */
export const MEXC_FUTURES_MAX_BATCH = 1;

/** Aggregated best bid/ask, protobuf, 100 ms; the symbol must be upper case (the interval-less form is "Blocked!"). */
export function mexcSpotTopic(symbol: string): string {
  return `spot@public.aggre.bookTicker.v3.api.pb@100ms@${symbol.toUpperCase()}`;
}

/** {"method":"SUBSCRIPTION","params":[...],"id":N}, at most 30 streams per frame; duplicates sent once. */
export function mexcSpotRequests(method: "SUBSCRIPTION" | "UNSUBSCRIPTION", symbols: readonly string[], batch: number, idStart: number): SubscribeRequest[] {
  const size = Math.max(1, Math.min(Math.floor(batch) || 1, MEXC_SPOT_MAX_SUBS));
  const unique = [...new Set(symbols)];
  const out: SubscribeRequest[] = [];
  let id = idStart;
  for (let k = 0; k < unique.length; k += size) {
    const syms = unique.slice(k, k + size);
    const reqId = String(id++);
    const params = syms.map((s) => JSON.stringify(mexcSpotTopic(s))).join(",");
    out.push({ frame: `{"method":"${method}","params":[${params}],"id":${reqId}}`, symbols: syms, reqId });
  }
  return out;
}

/** Futures topic name for logs: the channel the pushes arrive on, with the symbol. */
export function mexcFuturesTopic(symbol: string): string {
  return `push.ticker@${symbol}`;
}

/**
 * One frame per symbol: {"method":"sub.ticker","param":{"symbol":"BTC_USDT"}}. The ack ({"channel":"rs.sub.ticker",
 * "data":"success"}) names no symbol and echoes no id, so reqId is "" and acks must be matched in order.
 */
export function mexcFuturesRequests(method: "sub.ticker" | "unsub.ticker", symbols: readonly string[]): SubscribeRequest[] {
  return [...new Set(symbols)].map((s) => ({
    frame: `{"method":"${method}","param":{"symbol":${JSON.stringify(s)}}}`,
    symbols: [s],
    reqId: "",
  }));
}
