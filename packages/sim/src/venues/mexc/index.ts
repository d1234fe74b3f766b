// MEXC in the simulator: protobuf spot and JSON futures, each its own host and protocol handler.
import type { SimVenueDescriptor } from "../types.ts";
import { mexcFuturesChannels } from "./futures-channels.ts";
import { MexcFuturesVenue } from "./futures-venue.ts";
import { mexcSpotChannels } from "./spot-channels.ts";
import { MexcSpotVenue } from "./spot-venue.ts";

export const mexcSim: SimVenueDescriptor = {
  exchange: "mexc",
  sharedPort: false,
  channels: (book, market, v) => (market === "spot" ? mexcSpotChannels(book) : mexcFuturesChannels(book, v.push_interval_ms)),
  venue: (ctx, source) => (source % 2 === 0 ? new MexcSpotVenue(ctx) : new MexcFuturesVenue(ctx)),
};
