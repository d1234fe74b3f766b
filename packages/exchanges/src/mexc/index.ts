// MEXC: mexc_spot (v3, protobuf aggre.bookTicker on wbs-api /ws) and mexc_futures (contract v1, /edge).
// https://www.mexc.com/api-docs/spot-v3/introduction · https://www.mexc.com/api-docs/futures/integration-guide
import { SourceId } from "@spread/common";
import { alwaysRefused, type VenueAdapter, type VenueDescriptor } from "../types.ts";
import { mexcFuturesBookTickerUrl, mexcSpotBookTickerUrl, parseMexcFuturesBookTickers, parseMexcSpotBookTickers } from "./book-ticker.ts";
import { mexcFuturesInstrumentsUrl, mexcSpotInstrumentsUrl, parseMexcFuturesInstruments, parseMexcSpotInstruments } from "./instruments.ts";
import { parseMexcFutures, parseMexcSpot } from "./parse.ts";
import { MEXC_FUTURES_MAX_BATCH, MEXC_SPOT_MAX_SUBS, mexcFuturesRequests, mexcFuturesTopic, mexcSpotRequests, mexcSpotTopic } from "./subscribe.ts";
import { isMexcFundingRestBody, mexcFundingRestUrl, mexcFundingTopic, parseMexcFundingRest, parseMexcFundingWs } from "./funding.ts";
import type { FundingAdapter } from "../funding.ts";

const trim = (base: string): string => base.replace(/\/+$/, "");

const mexcSpot: VenueAdapter = {
  source: SourceId.mexc_spot,
  name: "mexc_spot",
  maxSubscribeBatch: MEXC_SPOT_MAX_SUBS,
  maxSubsPerConnection: MEXC_SPOT_MAX_SUBS,
  // Pushes only on change; each channel of a request is refused on its own.
  traits: { rejectsWholeBatch: false, resendsUnchangedMs: 0, qtyInContracts: false },
  classifySubError: alwaysRefused,
  instrumentsUrl: (restBase) => mexcSpotInstrumentsUrl(restBase),
  nextCursor: () => null,
  parseInstruments: (body) => parseMexcSpotInstruments(body, "mexc_spot", SourceId.mexc_spot),
  bookTickerUrl: mexcSpotBookTickerUrl,
  parseBookTickers: (body, emit) => parseMexcSpotBookTickers(body, emit, "mexc_spot"),
  wsUrl: (wsBase) => `${trim(wsBase)}/ws`,
  topic: mexcSpotTopic,
  subscribeRequests: (symbols, batch, idStart) => mexcSpotRequests("SUBSCRIPTION", symbols, batch, idStart),
  unsubscribeRequests: (symbols, batch, idStart) => mexcSpotRequests("UNSUBSCRIPTION", symbols, batch, idStart),
  // The server never pings; {"method":"PING"} → {"id":0,"code":0,"msg":"PONG"}. No data for 60 s closes the socket.
  heartbeat: { clientPing: '{"method":"PING"}', pingWhenIdleOnly: false },
  parse: parseMexcSpot,
};

const mexcFutures: VenueAdapter = {
  source: SourceId.mexc_futures,
  name: "mexc_futures",
  maxSubscribeBatch: MEXC_FUTURES_MAX_BATCH,
  // No documented cap (a probe ran 150 per socket).
  maxSubsPerConnection: 10_000,
  // push.ticker pushes on change; push.depth.full sizes are contracts.
  traits: { rejectsWholeBatch: false, resendsUnchangedMs: 0, qtyInContracts: true },
  classifySubError: alwaysRefused,
  instrumentsUrl: (restBase) => mexcFuturesInstrumentsUrl(restBase),
  nextCursor: () => null,
  parseInstruments: (body) => parseMexcFuturesInstruments(body, "mexc_futures", SourceId.mexc_futures),
  bookTickerUrl: mexcFuturesBookTickerUrl,
  // No sizes on contract/ticker: bidQty/askQty NaN.
  parseBookTickers: (body, emit) => parseMexcFuturesBookTickers(body, emit, "mexc_futures"),
  wsUrl: (wsBase) => `${trim(wsBase)}/edge`,
  topic: mexcFuturesTopic,
  subscribeRequests: (symbols) => mexcFuturesRequests("sub.ticker", symbols),
  unsubscribeRequests: (symbols) => mexcFuturesRequests("unsub.ticker", symbols),
  // Incoming traffic does not count: ping at a fixed period (≤ 15 s), {"method":"ping"} → {"channel":"pong",...}.
  heartbeat: { clientPing: '{"method":"ping"}', pingWhenIdleOnly: false },
  parse: parseMexcFutures,
};

// funding_rate without a symbol returns every contract with its collectCycle in one request.
const mexcFunding: FundingAdapter = {
  isRestBody: isMexcFundingRestBody,
  restUrl: mexcFundingRestUrl,
  parseRest: parseMexcFundingRest,
  intervalsUrl: null,
  parseIntervals: null,
  defaultIntervalHours: 0,
  wsTopic: mexcFundingTopic,
  parseWs: parseMexcFundingWs,
};

export const mexc: VenueDescriptor = { exchange: "mexc", spot: mexcSpot, futures: mexcFutures, funding: mexcFunding };
