// MEXC in the simulator: protobuf spot and JSON futures, each its own host and protocol handler.
import { COMMON_SETTINGS, type SimVenueDescriptor } from "../types.ts";
import { mexcFuturesChannels } from "./futures-channels.ts";
import { MexcFuturesVenue } from "./futures-venue.ts";
import { mexcSpotChannels } from "./spot-channels.ts";
import { MexcSpotVenue } from "./spot-venue.ts";

export const mexcSim: SimVenueDescriptor = {
  exchange: "mexc",
  spot: {
    settings: { ...COMMON_SETTINGS, ping_interval_ms: 0, pong_timeout_ms: 0, idle_timeout_ms: 60_000, no_sub_timeout_ms: 30_000, notice_ms: 0, max_subs: 30, max_batch: 0, max_client_msgs_per_sec: 100, max_ops_per_hour: 0, resend_ms: 0, push_interval_ms: 0 },
    usdtSymbol: (base) => `${base}USDT`,
    contractQtyDecimals: null,
    maxPriceDecimals: 12,
  },
  futures: {
    settings: { ...COMMON_SETTINGS, ping_interval_ms: 0, pong_timeout_ms: 0, idle_timeout_ms: 60_000, notice_ms: 0, max_subs: 0, max_batch: 0, max_client_msgs_per_sec: 0, max_ops_per_hour: 0, resend_ms: 0, push_interval_ms: 1_000 },
    usdtSymbol: (base) => `${base}_USDT`,
    // Whole contracts (contractSize per contract).
    contractQtyDecimals: 0,
    maxPriceDecimals: 12,
  },
  sharedPort: false,
  channels: (book, market, v) => (market === "spot" ? mexcSpotChannels(book) : mexcFuturesChannels(book, v.push_interval_ms)),
  venue: (ctx, source) => (source % 2 === 0 ? new MexcSpotVenue(ctx) : new MexcFuturesVenue(ctx)),
};
