// Binance: spot (source 0) and USD-M perpetuals (source 1), the venue descriptor for the engine and Pair Discovery.
// https://developers.binance.com/docs/binance-spot-api-docs/web-socket-streams
import { isBinanceFundingRestBody, BINANCE_DEFAULT_FUNDING_HOURS, binanceFundingInfoUrl, binanceFundingTopic, binancePremiumIndexUrl, parseBinanceFundingInfo, parseBinanceFundingRest, parseBinanceFundingWs } from "./funding.ts";
import type { FundingAdapter } from "../funding.ts";
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

/** Spot and USD-M differ only in hosts, paths and the instrument-list parser. */
function binanceAdapter(market: "spot" | "futures"): VenueAdapter {
  const spot = market === "spot";
  const name = spot ? "binance_spot" : "binance_futures";
  return {
    source: SourceId[name],
    name,
    maxSubscribeBatch: BINANCE_MAX_SUBSCRIBE_BATCH,
    maxSubsPerConnection: BINANCE_MAX_STREAMS_PER_CONNECTION,
    traits: TRAITS,
    classifySubError: alwaysRefused,
    instrumentsUrl: spot ? (restBase) => binanceSpotInstrumentsUrl(restBase) : (restBase) => binanceFuturesInstrumentsUrl(restBase),
    nextCursor: () => null,
    parseInstruments: spot ? parseBinanceSpotInstruments : parseBinanceFuturesInstruments,
    bookTickerUrl: spot ? binanceSpotBookTickerUrl : binanceFuturesBookTickerUrl,
    parseBookTickers: (body, emit) => parseBinanceBookTickers(body, emit, name),
    wsUrl: spot ? binanceSpotWsUrl : binanceFuturesWsUrl,
    topic: binanceTopic,
    subscribeRequests: binanceSubscribeRequests(name),
    unsubscribeRequests: binanceUnsubscribeRequests(name),
    heartbeat: SERVER_PINGS,
    parse: parseBinance,
  };
}

// The all-symbols premiumIndex poll carries every rate and next time (weight 10); fundingInfo the adjusted intervals.
const binanceFunding: FundingAdapter = {
  isRestBody: isBinanceFundingRestBody,
  restUrl: binancePremiumIndexUrl,
  parseRest: parseBinanceFundingRest,
  intervalsUrl: binanceFundingInfoUrl,
  parseIntervals: parseBinanceFundingInfo,
  defaultIntervalHours: BINANCE_DEFAULT_FUNDING_HOURS,
  wsTopic: binanceFundingTopic,
  parseWs: parseBinanceFundingWs,
};

export const binance: VenueDescriptor = { exchange: "binance", spot: binanceAdapter("spot"), futures: binanceAdapter("futures"), funding: binanceFunding };
