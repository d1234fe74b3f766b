// OKX in the simulator: bbo-tbt / tickers / books5 for SPOT and SWAP; spot and futures may share a port.
import type { SimVenueDescriptor } from "../types.ts";
import { okxChannels } from "./channels.ts";
import { OkxVenue } from "./venue.ts";

export const okxSim: SimVenueDescriptor = {
  exchange: "okx",
  sharedPort: true,
  channels: (book, market, v) => okxChannels(book, v.push_interval_ms, v.resend_ms, market === "spot" ? "SPOT" : "SWAP"),
  venue: (ctx, source) => new OkxVenue(ctx, source),
};
