// Bybit v5: spot (source 2) and USDT linear perpetuals (source 3), the venue descriptor for the engine and Pair Discovery.
// https://bybit-exchange.github.io/docs/v5/ws/connect
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

const bybitSpot: VenueAdapter = {
  source: SourceId.bybit_spot,
  name: "bybit_spot",
  maxSubscribeBatch: BYBIT_SPOT_MAX_SUBSCRIBE_BATCH,
  maxSubsPerConnection: BYBIT_MAX_SUBS_PER_CONNECTION,
  traits: TRAITS,
  classifySubError: classifyBybitSubError,
  instrumentsUrl: (restBase) => bybitSpotInstrumentsUrl(restBase),
  nextCursor: () => null,
  parseInstruments: parseBybitSpotInstruments,
  bookTickerUrl: (restBase) => bybitBookTickerUrl(restBase, "spot"),
  parseBookTickers: (body, emit) => parseBybitBookTickers(body, emit, "bybit_spot", "spot"),
  wsUrl: bybitSpotWsUrl,
  topic: bybitTopic,
  subscribeRequests: bybitRequests("subscribe", BYBIT_SPOT_MAX_SUBSCRIBE_BATCH, "bybit_spot"),
  unsubscribeRequests: bybitRequests("unsubscribe", BYBIT_SPOT_MAX_SUBSCRIBE_BATCH, "bybit_spot"),
  heartbeat: BYBIT_HEARTBEAT,
  parse: parseBybit,
};

const bybitFutures: VenueAdapter = {
  source: SourceId.bybit_futures,
  name: "bybit_futures",
  maxSubscribeBatch: BYBIT_LINEAR_MAX_SUBSCRIBE_BATCH,
  maxSubsPerConnection: BYBIT_MAX_SUBS_PER_CONNECTION,
  traits: TRAITS,
  classifySubError: classifyBybitSubError,
  instrumentsUrl: bybitLinearInstrumentsUrl,
  nextCursor: bybitNextCursor,
  parseInstruments: parseBybitLinearInstruments,
  bookTickerUrl: (restBase) => bybitBookTickerUrl(restBase, "linear"),
  parseBookTickers: (body, emit) => parseBybitBookTickers(body, emit, "bybit_futures", "linear"),
  wsUrl: bybitLinearWsUrl,
  topic: bybitTopic,
  subscribeRequests: bybitRequests("subscribe", BYBIT_LINEAR_MAX_SUBSCRIBE_BATCH, "bybit_futures"),
  unsubscribeRequests: bybitRequests("unsubscribe", BYBIT_LINEAR_MAX_SUBSCRIBE_BATCH, "bybit_futures"),
  heartbeat: BYBIT_HEARTBEAT,
  parse: parseBybit,
};

export const bybit: VenueDescriptor = { exchange: "bybit", spot: bybitSpot, futures: bybitFutures };
