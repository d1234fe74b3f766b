// Bybit in the simulator: orderbook.1 channels; one protocol handler for both markets (the real host serves both).
import type { SimContext } from "../../context.ts";
import { COMMON_SETTINGS, type SimVenueDescriptor } from "../types.ts";
import { bybitChannels } from "./channels.ts";
import { BybitVenue } from "./venue.ts";

const handlers = new WeakMap<SimContext, BybitVenue>();

export const bybitSim: SimVenueDescriptor = {
  exchange: "bybit",
  spot: {
    settings: { ...COMMON_SETTINGS, ping_interval_ms: 0, pong_timeout_ms: 0, idle_timeout_ms: 600_000, notice_ms: 0, max_subs: 0, max_batch: 10, max_client_msgs_per_sec: 0, max_ops_per_hour: 0, resend_ms: 3_000, push_interval_ms: 10 },
    usdtSymbol: (base) => `${base}USDT`,
    contractQtyDecimals: null,
    maxPriceDecimals: 12,
  },
  futures: {
    settings: { ...COMMON_SETTINGS, ping_interval_ms: 0, pong_timeout_ms: 0, idle_timeout_ms: 600_000, notice_ms: 0, max_subs: 0, max_batch: 0, max_client_msgs_per_sec: 0, max_ops_per_hour: 0, resend_ms: 3_000, push_interval_ms: 10 },
    usdtSymbol: (base) => `${base}USDT`,
    multiplierBase: (a) => {
      const t = a.ticker;
      if (t === "BABYDOGE") return ["1000000BABYDOGE", 1e6];
      // Bybit spells SHIB's multiplier as a suffix (SHIB1000USDT) where Binance uses a prefix.
      if (t === "SHIB") return ["SHIB1000", 1000];
      if (t === "PEPE" || t === "BONK" || t === "FLOKI" || (!a.fixed && a.price0 < 0.0005)) return ["1000" + t, 1000];
      return null;
    },
    contractQtyDecimals: null,
    maxPriceDecimals: 12,
  },
  sharedPort: true,
  channels: (book, market, v) => bybitChannels(book, market === "spot", v.push_interval_ms, v.resend_ms),
  venue: (ctx) => {
    let h = handlers.get(ctx);
    if (h === undefined) handlers.set(ctx, (h = new BybitVenue(ctx)));
    return h;
  },
};
