// Binance in the simulator: spot and USD-M bookTicker channels, one protocol handler per source (separate hosts).
import { COMMON_SETTINGS, type SimVenueDescriptor } from "../types.ts";
import { binanceChannels } from "./channels.ts";
import { BinanceVenue } from "./venue.ts";

export const binanceSim: SimVenueDescriptor = {
  exchange: "binance",
  spot: {
    settings: { ...COMMON_SETTINGS, ping_interval_ms: 20_000, pong_timeout_ms: 60_000, idle_timeout_ms: 0, notice_ms: 5_000, max_subs: 1024, max_batch: 0, max_client_msgs_per_sec: 5, max_ops_per_hour: 0, resend_ms: 0, push_interval_ms: 0 },
    usdtSymbol: (base) => `${base}USDT`,
    contractQtyDecimals: null,
    // Binance spot prints 8 decimals.
    maxPriceDecimals: 8,
  },
  futures: {
    settings: { ...COMMON_SETTINGS, ping_interval_ms: 180_000, pong_timeout_ms: 600_000, idle_timeout_ms: 0, notice_ms: 5_000, max_subs: 1024, max_batch: 0, max_client_msgs_per_sec: 10, max_ops_per_hour: 0, resend_ms: 0, push_interval_ms: 0 },
    usdtSymbol: (base) => `${base}USDT`,
    multiplierBase: (a) => {
      const t = a.ticker;
      if (t === "BABYDOGE") return ["1MBABYDOGE", 1e6];
      if (t === "PEPE" || t === "SHIB" || t === "BONK" || t === "FLOKI" || (!a.fixed && a.price0 < 0.0005)) return ["1000" + t, 1000];
      return null;
    },
    contractQtyDecimals: null,
    maxPriceDecimals: 12,
  },
  sharedPort: false,
  channels: (book, market) => binanceChannels(book, market === "futures"),
  venue: (ctx, source) => new BinanceVenue(ctx, source),
};
