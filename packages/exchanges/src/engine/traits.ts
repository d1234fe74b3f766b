// Venue behaviours the engine must know beyond the adapter hooks (protocol notes, peers-and-pitfalls §2).
import { sourceExchange, type Exchange } from "@spread/common";

export interface VenueTraits {
  /** One bad topic fails the whole subscribe request (Bybit): resubscribe the rest without it. */
  readonly rejectsWholeBatch: boolean;
  /**
   * The venue re-sends an unchanged top of book after this long (Bybit ~3 s, OKX ~60 s), so a symbol silent
   * for longer than symbol_stale_ms is really stale. 0: sends only on change (Binance, MEXC), so silence on a
   * live connection is just a quiet market and must not count as stale.
   */
  readonly resendsUnchangedMs: number;
  /** Quantities arrive in contracts and must be scaled by contract size (OKX SWAP books, MEXC futures depth). */
  readonly qtyInContracts: boolean;
}

const TRAITS: Record<Exchange, { spot: VenueTraits; futures: VenueTraits }> = {
  binance: {
    spot: { rejectsWholeBatch: false, resendsUnchangedMs: 0, qtyInContracts: false },
    futures: { rejectsWholeBatch: false, resendsUnchangedMs: 0, qtyInContracts: false },
  },
  bybit: {
    spot: { rejectsWholeBatch: true, resendsUnchangedMs: 3000, qtyInContracts: false },
    futures: { rejectsWholeBatch: true, resendsUnchangedMs: 3000, qtyInContracts: false },
  },
  mexc: {
    spot: { rejectsWholeBatch: false, resendsUnchangedMs: 0, qtyInContracts: false },
    futures: { rejectsWholeBatch: false, resendsUnchangedMs: 0, qtyInContracts: true },
  },
  okx: {
    spot: { rejectsWholeBatch: false, resendsUnchangedMs: 60000, qtyInContracts: false },
    futures: { rejectsWholeBatch: false, resendsUnchangedMs: 60000, qtyInContracts: true },
  },
};

export function venueTraits(source: number): VenueTraits {
  const t = TRAITS[sourceExchange(source)];
  return source % 2 === 0 ? t.spot : t.futures;
}
