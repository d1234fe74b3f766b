// The venue registry: every venue folder's descriptor, and what derives from them (adapters by source_id, the
// exchange limits a config may not exceed). Adding a venue = its folder + one line here (docs/adding-a-venue.md).
import { NUM_SOURCES, SOURCE_NAMES, type ExchangeLimits } from "@spread/common";
import type { VenueAdapter, VenueDescriptor } from "./types.ts";
import type { FundingAdapter } from "./funding.ts";
import { binance } from "./binance/index.ts";
import { bybit } from "./bybit/index.ts";
import { mexc } from "./mexc/index.ts";
import { okx } from "./okx/index.ts";

export const VENUES: readonly VenueDescriptor[] = [binance, bybit, mexc, okx];

/** Adapters indexed by source_id; throws at load when a source has no adapter or two, or sits in the wrong market. */
function adaptersBySource(venues: readonly VenueDescriptor[]): VenueAdapter[] {
  const out: (VenueAdapter | undefined)[] = new Array(NUM_SOURCES).fill(undefined);
  for (const v of venues) {
    for (const [market, a] of [["spot", v.spot], ["futures", v.futures]] as const) {
      if (SOURCE_NAMES[a.source] !== a.name) throw new Error(`venue ${v.exchange}: ${market} adapter "${a.name}" has source_id ${a.source}, which is "${SOURCE_NAMES[a.source]}"`);
      if (a.name !== `${v.exchange}_${market}`) throw new Error(`venue ${v.exchange}: its ${market} adapter is "${a.name}", expected "${v.exchange}_${market}"`);
      if (out[a.source] !== undefined) throw new Error(`two venue adapters for source "${a.name}"`);
      out[a.source] = a;
    }
  }
  const missing = SOURCE_NAMES.filter((_, s) => out[s] === undefined);
  if (missing.length) throw new Error(`no venue adapter for ${missing.join(", ")}`);
  return out as VenueAdapter[];
}

/** Adapters indexed by source_id (binance_spot = 0 … okx_futures = 7). */
export const ADAPTERS: readonly VenueAdapter[] = adaptersBySource(VENUES);

export function adapterFor(source: number): VenueAdapter {
  const a = ADAPTERS[source];
  if (!a) throw new Error(`no adapter for source_id ${source}`);
  return a;
}

/** Funding hooks of a futures source; null for a spot source (no funding). */
export function fundingFor(source: number): FundingAdapter | null {
  for (const v of VENUES) if (v.futures.source === source) return v.funding;
  return null;
}

/** Hard exchange limits a config may not exceed, read from the adapters (for loadExchangesConfig). */
export const EXCHANGE_LIMITS: ExchangeLimits = Object.fromEntries(
  ADAPTERS.map((a) => [a.name, { maxSubsPerConnection: a.maxSubsPerConnection, maxBatch: a.maxSubscribeBatch }]),
) as ExchangeLimits;
