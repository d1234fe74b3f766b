// Stage 5: union of all listings, deduped by normalized_name in sorted order; symbol_id = position in that order,
// so the same input always gives the same ids. Above MAX_SYMBOLS a documented, deterministic cut applies.
import { MAX_SYMBOLS, NUM_SOURCES, SOURCE_NAMES } from "@spread/common";
import { cmp } from "./multiplier.ts";
import type { Listing } from "./types.ts";

export interface RegistrySymbol {
  readonly id: number;
  readonly name: string;
  /** Indexed by source_id. */
  readonly listings: readonly (Listing | null)[];
}

export interface Registry {
  readonly symbols: readonly RegistrySymbol[];
  /** Names removed by the MAX_SYMBOLS cut, sorted. */
  readonly dropped: readonly string[];
  /** Per source_id: exchange symbol → symbol_id. */
  readonly bySource: readonly ReadonlyMap<string, number>[];
}

/**
 * Builds the registry. Cut when more than `maxSymbols` names: keep the names listed on the most sources, ties by
 * name (ascending); then ids are assigned to the kept names in name order.
 */
export function buildRegistry(listings: readonly Listing[], maxSymbols: number = MAX_SYMBOLS): Registry {
  const groups = new Map<string, (Listing | null)[]>();
  for (const l of listings) {
    let g = groups.get(l.name);
    if (!g) groups.set(l.name, (g = new Array<Listing | null>(NUM_SOURCES).fill(null)));
    const prev = g[l.source];
    if (prev) throw new Error(`registry: ${SOURCE_NAMES[l.source]} lists ${l.name} twice (${prev.exchangeSymbol}, ${l.exchangeSymbol})`);
    g[l.source] = l;
  }
  let names = [...groups.keys()];
  let dropped: string[] = [];
  if (names.length > maxSymbols) {
    const count = (n: string) => groups.get(n)!.reduce((k, l) => k + (l ? 1 : 0), 0);
    const ranked = names.map((n) => ({ n, c: count(n) })).sort((a, b) => b.c - a.c || cmp(a.n, b.n));
    names = ranked.slice(0, maxSymbols).map((r) => r.n);
    dropped = ranked.slice(maxSymbols).map((r) => r.n).sort(cmp);
  }
  names.sort(cmp);
  const bySource = Array.from({ length: NUM_SOURCES }, () => new Map<string, number>());
  const symbols = names.map((name, id) => {
    const ls = groups.get(name)!;
    ls.forEach((l, s) => {
      if (l) bySource[s]!.set(l.exchangeSymbol, id);
    });
    return { id, name, listings: ls };
  });
  return { symbols, dropped, bySource };
}
