// Bybit v5 adapters: bybitSpot (source 2) and bybitFutures (USDT linear, source 3) for the connection engine and Pair Discovery.
import { SourceId } from "@spread/common";
import type { VenueAdapter } from "../types.ts";
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

export const bybitSpot: VenueAdapter = {
  source: SourceId.bybit_spot,
  name: "bybit_spot",
  maxSubscribeBatch: BYBIT_SPOT_MAX_SUBSCRIBE_BATCH,
  maxSubsPerConnection: BYBIT_MAX_SUBS_PER_CONNECTION,
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

export const bybitFutures: VenueAdapter = {
  source: SourceId.bybit_futures,
  name: "bybit_futures",
  maxSubscribeBatch: BYBIT_LINEAR_MAX_SUBSCRIBE_BATCH,
  maxSubsPerConnection: BYBIT_MAX_SUBS_PER_CONNECTION,
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
