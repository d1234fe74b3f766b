// Bybit v5 public WebSocket URLs, orderbook.1 topics and batched subscribe / unsubscribe frames.
// https://bybit-exchange.github.io/docs/v5/ws/connect (args limits, ping) , .../v5/websocket/public/orderbook
import type { HeartbeatSpec, SubscribeRequest } from "../types.ts";
import { checkIdStart, chunkSymbols, joinUrl } from "../shared/batch.ts";
import type { BybitSubscribeRequest } from "./wire.ts";

/** Spot refuses more than 10 args per request ("args size >10"). */
export const BYBIT_SPOT_MAX_SUBSCRIBE_BATCH = 10;
/** Linear documents no per-request cap; very large requests led to closures (3P), so cap at 500. */
export const BYBIT_LINEAR_MAX_SUBSCRIBE_BATCH = 500;
/**
 * No count cap is documented: the real limit is 21,000 characters of args per connection (~1,000
 * orderbook.1 topics). Kept equal to the shared EXCHANGE_LIMITS table; the config's connection count decides.
 */
export const BYBIT_MAX_SUBS_PER_CONNECTION = 10000;

/** Application ping; Bybit recommends every 20 s (the period lives in config ping_interval_ms). */
export const BYBIT_HEARTBEAT: HeartbeatSpec = { clientPing: '{"op":"ping"}', pingWhenIdleOnly: false };

export function bybitSpotWsUrl(wsBase: string): string {
  return joinUrl(wsBase, "/v5/public/spot");
}

export function bybitLinearWsUrl(wsBase: string): string {
  return joinUrl(wsBase, "/v5/public/linear");
}

/** L1 book: 10 ms pushes, snapshot-only since 2025-03-20 (spot tickers carry no bid/ask). */
export function bybitTopic(exchangeSymbol: string): string {
  return `orderbook.1.${exchangeSymbol}`;
}

/**
 * One bad or already-subscribed topic makes Bybit refuse the WHOLE request, so batches stay small and
 * each symbol appears once; the caller resubscribes the rest of a refused batch (see parse SubError).
 */
export function bybitRequests(op: BybitSubscribeRequest["op"], max: number, venue: string) {
  return (symbols: readonly string[], batch: number, idStart: number): SubscribeRequest[] => {
    checkIdStart(idStart, venue);
    return chunkSymbols(symbols, batch, max, venue).map((chunk, k) => {
      const msg: BybitSubscribeRequest = { req_id: String(idStart + k), op, args: chunk.map(bybitTopic) };
      return { frame: JSON.stringify(msg), symbols: chunk, reqId: msg.req_id };
    });
  };
}
