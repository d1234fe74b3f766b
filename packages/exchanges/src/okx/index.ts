// OKX v5: okx_spot (instType SPOT) and okx_futures (USDT-margined SWAP), both on /ws/v5/public bbo-tbt.
// https://www.okx.com/docs-v5/en/#overview-websocket
import { SourceId } from "@spread/common";
import { alwaysRefused, type VenueAdapter, type VenueDescriptor } from "../types.ts";
import { okxBookTickerUrl, parseOkxBookTickers } from "./book-ticker.ts";
import { parseOkxInstruments, okxInstrumentsUrl, type OkxMarket } from "./instruments.ts";
import { parseOkx } from "./parse.ts";
import { OKX_MAX_BATCH, okxOpRequests, okxTopic } from "./subscribe.ts";
import { isOkxFundingRestBody, okxFundingRestUrl, okxFundingTopic, parseOkxFundingRest, parseOkxFundingWs } from "./funding.ts";
import type { FundingAdapter } from "../funding.ts";

function okxAdapter(name: "okx_spot" | "okx_futures", market: OkxMarket): VenueAdapter {
  const source = SourceId[name];
  return {
    source,
    name,
    maxSubscribeBatch: OKX_MAX_BATCH,
    // Not documented as a number (close codes 4008/4009 exist); the 480 ops/hour per connection bind first.
    maxSubsPerConnection: 10_000,
    // bbo-tbt re-sends an unchanged book about every 60 s; SWAP sizes are contracts.
    traits: { rejectsWholeBatch: false, resendsUnchangedMs: 60_000, qtyInContracts: market === "swap" },
    classifySubError: alwaysRefused,
    instrumentsUrl: (restBase) => okxInstrumentsUrl(restBase, market),
    nextCursor: () => null,
    parseInstruments: (body) => parseOkxInstruments(body, name, source, market),
    bookTickerUrl: (restBase) => okxBookTickerUrl(restBase, market),
    // SWAP sizes are contracts, emitted as given (× ctVal for base units).
    parseBookTickers: (body, emit) => parseOkxBookTickers(body, emit, name, market),
    wsUrl: (wsBase) => `${wsBase.replace(/\/+$/, "")}/ws/v5/public`,
    topic: okxTopic,
    subscribeRequests: (symbols, batch, idStart) => okxOpRequests("subscribe", symbols, batch, idStart),
    unsubscribeRequests: (symbols, batch, idStart) => okxOpRequests("unsubscribe", symbols, batch, idStart),
    // Server closes after 30 s without traffic: send the bare text "ping" when idle, expect the bare text "pong".
    heartbeat: { clientPing: "ping", pingWhenIdleOnly: true },
    parse: parseOkx,
  };
}

// funding-rate?instId=ANY returns every perpetual in one request; the interval is nextFundingTime - fundingTime.
const okxFunding: FundingAdapter = {
  isRestBody: isOkxFundingRestBody,
  restUrl: okxFundingRestUrl,
  parseRest: parseOkxFundingRest,
  intervalsUrl: null,
  parseIntervals: null,
  defaultIntervalHours: 0,
  wsTopic: okxFundingTopic,
  parseWs: parseOkxFundingWs,
};

export const okx: VenueDescriptor = { exchange: "okx", spot: okxAdapter("okx_spot", "spot"), futures: okxAdapter("okx_futures", "swap"), funding: okxFunding };
