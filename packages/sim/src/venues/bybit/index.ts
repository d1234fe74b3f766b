// Bybit in the simulator: orderbook.1 channels; one protocol handler for both markets (the real host serves both).
import type { SimContext } from "../../context.ts";
import type { SimVenueDescriptor } from "../types.ts";
import { bybitChannels } from "./channels.ts";
import { BybitVenue } from "./venue.ts";

const handlers = new WeakMap<SimContext, BybitVenue>();

export const bybitSim: SimVenueDescriptor = {
  exchange: "bybit",
  sharedPort: true,
  channels: (book, market, v) => bybitChannels(book, market === "spot", v.push_interval_ms, v.resend_ms),
  venue: (ctx) => {
    let h = handlers.get(ctx);
    if (h === undefined) handlers.set(ctx, (h = new BybitVenue(ctx)));
    return h;
  },
};
