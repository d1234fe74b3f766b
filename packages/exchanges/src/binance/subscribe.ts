// Binance WebSocket URLs, bookTicker topics and batched SUBSCRIBE / UNSUBSCRIBE frames.
// https://developers.binance.com/docs/binance-spot-api-docs/web-socket-streams (Live Subscribing/Unsubscribing)
// https://developers.binance.com/docs/derivatives/usds-margined-futures/websocket-market-streams (2026 /public route)
import type { SubscribeRequest } from "../types.ts";
import { checkIdStart, chunkSymbols, joinUrl } from "../shared/batch.ts";
import type { BinanceSubscribeRequest } from "./wire.ts";

/** Streams per SUBSCRIBE: undocumented; 437 failed silently in a 3P test, so stay at 200. */
export const BINANCE_MAX_SUBSCRIBE_BATCH = 200;
/** Streams per connection (spot and USD-M docs). */
export const BINANCE_MAX_STREAMS_PER_CONNECTION = 1024;

/** Spot combined-stream endpoint: frames arrive as {"stream":..,"data":..}. */
export function binanceSpotWsUrl(wsBase: string): string {
  return joinUrl(wsBase, "/stream");
}

/** USD-M bookTicker lives on the /public route; the unrouted /stream was retired on 2026-04-23. */
export function binanceFuturesWsUrl(wsBase: string): string {
  return joinUrl(wsBase, "/public/stream");
}

/** Stream names are lower-case; symbols may be non-ASCII (UTF-8 since 2026), so no ASCII shortcut. */
export function binanceTopic(exchangeSymbol: string): string {
  return `${exchangeSymbol.toLowerCase()}@bookTicker`;
}

function requests(method: BinanceSubscribeRequest["method"], symbols: readonly string[], batch: number, idStart: number, venue: string): SubscribeRequest[] {
  checkIdStart(idStart, venue);
  return chunkSymbols(symbols, batch, BINANCE_MAX_SUBSCRIBE_BATCH, venue).map((chunk, k) => {
    const msg: BinanceSubscribeRequest = { method, params: chunk.map(binanceTopic), id: idStart + k };
    return { frame: JSON.stringify(msg), symbols: chunk, reqId: String(msg.id) };
  });
}

export function binanceSubscribeRequests(venue: string) {
  return (symbols: readonly string[], batch: number, idStart: number): SubscribeRequest[] =>
    requests("SUBSCRIBE", symbols, batch, idStart, venue);
}

export function binanceUnsubscribeRequests(venue: string) {
  return (symbols: readonly string[], batch: number, idStart: number): SubscribeRequest[] =>
    requests("UNSUBSCRIBE", symbols, batch, idStart, venue);
}
