// Binance in the simulator: spot and USD-M bookTicker channels, one protocol handler per source (separate hosts).
import type { SimVenueDescriptor } from "../types.ts";
import { binanceChannels } from "./channels.ts";
import { BinanceVenue } from "./venue.ts";

export const binanceSim: SimVenueDescriptor = {
  exchange: "binance",
  sharedPort: false,
  channels: (book, market) => binanceChannels(book, market === "futures"),
  venue: (ctx, source) => new BinanceVenue(ctx, source),
};
