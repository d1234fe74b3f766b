// Binance: spot (source 0) and USD-M perpetuals (source 1), the venue descriptor for the engine and Pair Discovery.
// https://developers.binance.com/docs/binance-spot-api-docs/web-socket-streams
import { SourceId } from "@spread/common";
import { alwaysRefused, type HeartbeatSpec, type VenueAdapter, type VenueDescriptor, type VenueTraits } from "../types.ts";
import { binanceFuturesBookTickerUrl, binanceSpotBookTickerUrl, parseBinanceBookTickers } from "./book-ticker.ts";
import { binanceFuturesInstrumentsUrl, binanceSpotInstrumentsUrl, parseBinanceFuturesInstruments, parseBinanceSpotInstruments } from "./instruments.ts";
import { parseBinance } from "./parse.ts";
import {
  BINANCE_MAX_STREAMS_PER_CONNECTION,
  BINANCE_MAX_SUBSCRIBE_BATCH,
  binanceFuturesWsUrl,
  binanceSpotWsUrl,
  binanceSubscribeRequests,
  binanceTopic,
  binanceUnsubscribeRequests,
} from "./subscribe.ts";

/** The server sends ping frames (spot every 20 s, USD-M every 3 min); Bun answers them itself. */
const SERVER_PINGS: HeartbeatSpec = { clientPing: null, pingWhenIdleOnly: false };
/** bookTicker pushes only on change; a refused stream fails its own request only. */
const TRAITS: VenueTraits = { rejectsWholeBatch: false, resendsUnchangedMs: 0, qtyInContracts: false };

const binanceSpot: VenueAdapter = {
  source: SourceId.binance_spot,
  name: "binance_spot",
  maxSubscribeBatch: BINANCE_MAX_SUBSCRIBE_BATCH,
  maxSubsPerConnection: BINANCE_MAX_STREAMS_PER_CONNECTION,
  traits: TRAITS,
  classifySubError: alwaysRefused,
  instrumentsUrl: (restBase) => binanceSpotInstrumentsUrl(restBase),
  nextCursor: () => null,
  parseInstruments: parseBinanceSpotInstruments,
  bookTickerUrl: binanceSpotBookTickerUrl,
  parseBookTickers: (body, emit) => parseBinanceBookTickers(body, emit, "binance_spot"),
  wsUrl: binanceSpotWsUrl,
  topic: binanceTopic,
  subscribeRequests: binanceSubscribeRequests("binance_spot"),
  unsubscribeRequests: binanceUnsubscribeRequests("binance_spot"),
  heartbeat: SERVER_PINGS,
  parse: parseBinance,
};

const binanceFutures: VenueAdapter = {
  source: SourceId.binance_futures,
  name: "binance_futures",
  maxSubscribeBatch: BINANCE_MAX_SUBSCRIBE_BATCH,
  maxSubsPerConnection: BINANCE_MAX_STREAMS_PER_CONNECTION,
  traits: TRAITS,
  classifySubError: alwaysRefused,
  instrumentsUrl: (restBase) => binanceFuturesInstrumentsUrl(restBase),
  nextCursor: () => null,
  parseInstruments: parseBinanceFuturesInstruments,
  bookTickerUrl: binanceFuturesBookTickerUrl,
  parseBookTickers: (body, emit) => parseBinanceBookTickers(body, emit, "binance_futures"),
  wsUrl: binanceFuturesWsUrl,
  topic: binanceTopic,
  subscribeRequests: binanceSubscribeRequests("binance_futures"),
  unsubscribeRequests: binanceUnsubscribeRequests("binance_futures"),
  heartbeat: SERVER_PINGS,
  parse: parseBinance,
};

export const binance: VenueDescriptor = { exchange: "binance", spot: binanceSpot, futures: binanceFutures };
