// Bybit v5: spot (source 2) and USDT linear perpetuals (source 3), the venue descriptor for the engine and Pair Discovery.
// https://bybit-exchange.github.io/docs/v5/ws/connect
import { isBybitFundingRestBody, bybitFundingIntervalsUrl, bybitFundingRestUrl, bybitFundingTopic, parseBybitFundingIntervals, parseBybitFundingRest, parseBybitFundingWs } from "./funding.ts";
import type { FundingAdapter } from "../funding.ts";
import { SourceId } from "@spread/common";
import { SubErrorKind, type SubErrorKindValue, type VenueAdapter, type VenueDescriptor, type VenueTraits } from "../types.ts";
import { bybitBookTickerUrl, parseBybitBookTickers } from "./book-ticker.ts";
import { bybitLinearInstrumentsUrl, bybitNextCursor, bybitSpotInstrumentsUrl, parseBybitLinearInstruments, parseBybitSpotInstruments } from "./instruments.ts";
import { parseBybit } from "./parse.ts";
import {
  BYBIT_HEARTBEAT,
  BYBIT_LINEAR_MAX_SUBSCRIBE_BATCH,
  BYBIT_MAX_SUBS_PER_CONNECTION,
  BYBIT_SPOT_MAX_SUBSCRIBE_BATCH,
  bybitLinearWsUrl,
  bybitRequests,
  bybitSpotWsUrl,
  bybitTopic,
} from "./subscribe.ts";

/** One bad topic refuses the whole request; orderbook.1 re-sends an unchanged book every ~3 s. */
const TRAITS: VenueTraits = { rejectsWholeBatch: true, resendsUnchangedMs: 3000, qtyInContracts: false };

/** "error:already subscribed,topic:orderbook.1.X": the topic is live from an earlier request; nothing to undo. */
function classifyBybitSubError(message: string): SubErrorKindValue {
  return /already subscribed/i.test(message) ? SubErrorKind.AlreadySubscribed : SubErrorKind.Refused;
}

/** Spot and linear differ only in these; everything else is one protocol. */
function bybitAdapter(market: "spot" | "linear"): VenueAdapter {
  const spot = market === "spot";
  const name = spot ? "bybit_spot" : "bybit_futures";
  const maxBatch = spot ? BYBIT_SPOT_MAX_SUBSCRIBE_BATCH : BYBIT_LINEAR_MAX_SUBSCRIBE_BATCH;
  return {
    source: SourceId[name],
    name,
    maxSubscribeBatch: maxBatch,
    maxSubsPerConnection: BYBIT_MAX_SUBS_PER_CONNECTION,
    traits: TRAITS,
    classifySubError: classifyBybitSubError,
    instrumentsUrl: spot ? (restBase) => bybitSpotInstrumentsUrl(restBase) : bybitLinearInstrumentsUrl,
    nextCursor: spot ? () => null : bybitNextCursor,
    parseInstruments: spot ? parseBybitSpotInstruments : parseBybitLinearInstruments,
    bookTickerUrl: (restBase) => bybitBookTickerUrl(restBase, market),
    parseBookTickers: (body, emit) => parseBybitBookTickers(body, emit, name, market),
    wsUrl: spot ? bybitSpotWsUrl : bybitLinearWsUrl,
    topic: bybitTopic,
    subscribeRequests: bybitRequests("subscribe", maxBatch, name),
    unsubscribeRequests: bybitRequests("unsubscribe", maxBatch, name),
    heartbeat: BYBIT_HEARTBEAT,
    parse: parseBybit,
  };
}

// tickers?category=linear carries rate, next time and interval of every symbol in one request.
const bybitFunding: FundingAdapter = {
  isRestBody: isBybitFundingRestBody,
  restUrl: bybitFundingRestUrl,
  parseRest: parseBybitFundingRest,
  intervalsUrl: bybitFundingIntervalsUrl,
  parseIntervals: parseBybitFundingIntervals,
  defaultIntervalHours: 0,
  wsTopic: bybitFundingTopic,
  parseWs: parseBybitFundingWs,
};

export const bybit: VenueDescriptor = { exchange: "bybit", spot: bybitAdapter("spot"), futures: bybitAdapter("linear"), funding: bybitFunding };
