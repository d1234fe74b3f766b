// OKX in the simulator: bbo-tbt / tickers / books5 for SPOT and SWAP; spot and futures may share a port.
import { COMMON_SETTINGS, type SimVenueDescriptor } from "../types.ts";
import { okxChannels } from "./channels.ts";
import { OkxVenue } from "./venue.ts";

export const okxSim: SimVenueDescriptor = {
  exchange: "okx",
  spot: {
    settings: { ...COMMON_SETTINGS, ping_interval_ms: 0, pong_timeout_ms: 0, idle_timeout_ms: 30_000, notice_ms: 60_000, max_subs: 0, max_batch: 0, max_client_msgs_per_sec: 0, max_ops_per_hour: 480, resend_ms: 60_000, push_interval_ms: 10 },
    usdtSymbol: (base) => `${base}-USDT`,
    contractQtyDecimals: null,
    maxPriceDecimals: 12,
  },
  futures: {
    settings: { ...COMMON_SETTINGS, ping_interval_ms: 0, pong_timeout_ms: 0, idle_timeout_ms: 30_000, notice_ms: 60_000, max_subs: 0, max_batch: 0, max_client_msgs_per_sec: 0, max_ops_per_hour: 480, resend_ms: 60_000, push_interval_ms: 10 },
    usdtSymbol: (base) => `${base}-USDT-SWAP`,
    // SWAP sizes are contracts with lot size 0.01.
    contractQtyDecimals: 2,
    maxPriceDecimals: 12,
  },
  sharedPort: true,
  channels: (book, market, v) => okxChannels(book, v.push_interval_ms, v.resend_ms, market === "spot" ? "SPOT" : "SWAP"),
  venue: (ctx, source) => new OkxVenue(ctx, source),
};
