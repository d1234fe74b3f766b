// The simulator's venue registry: one descriptor per exchange folder, looked up by source_id.
import { sourceExchange, sourceMarket } from "@spread/common";
import { binanceSim } from "./binance/index.ts";
import { bybitSim } from "./bybit/index.ts";
import { mexcSim } from "./mexc/index.ts";
import { okxSim } from "./okx/index.ts";
import type { SimMarketFacts, SimVenueDescriptor } from "./types.ts";

export const SIM_VENUES: readonly SimVenueDescriptor[] = [binanceSim, bybitSim, mexcSim, okxSim];

export function simVenueOf(source: number): SimVenueDescriptor {
  const ex = sourceExchange(source);
  const v = SIM_VENUES.find((d) => d.exchange === ex);
  if (!v) throw new Error(`the simulator has no venue for ${ex}`);
  return v;
}

/** The market facts of one source (spot or futures side of its venue). */
export function simMarketOf(source: number): SimMarketFacts {
  return simVenueOf(source)[sourceMarket(source)];
}
