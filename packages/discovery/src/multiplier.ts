// Stage 2b, across sources: gives every candidate its identity (name + price multiplier), applies name denies and
// dedupes per source. Multiplier contracts map to the plain base only when the plain base trades on a spot source
// and the prefixed name does not; the WS price check (collision.ts) may still switch a listing to its `alt`.
import { isSpotSource } from "@spread/common";
import { normalizedName, type Candidate } from "./normalize.ts";
import type { NormalizeRules } from "./rules.ts";
import type { Identity, Listing, ListingOrigin, Rejection } from "./types.ts";

function identity(base: string, multiplier: number): Identity {
  return { base, name: normalizedName(base), multiplier };
}

/** Bases traded on any spot source (after aliases): the reference for multiplier decisions. */
export function spotBases(candidates: readonly Candidate[]): Set<string> {
  const s = new Set<string>();
  for (const c of candidates) if (isSpotSource(c.source)) s.add(c.alias?.base ?? c.base);
  return s;
}

/** Identity of one candidate given the spot bases. Pure. */
export function chooseIdentity(c: Candidate, spot: ReadonlySet<string>): { id: Identity; origin: ListingOrigin; alt: Identity | null } {
  if (c.alias) {
    const m = c.alias.multiplier ?? (c.hint > 1 && c.alias.base === c.baseHint ? c.hint : 1);
    return { id: identity(c.alias.base, m), origin: "alias", alt: null };
  }
  if (c.hint > 1) {
    const own = identity(c.base, 1);
    const mapped = identity(c.baseHint, c.hint);
    if (spot.has(c.baseHint) && !spot.has(c.base)) return { id: mapped, origin: "multiplier", alt: own };
    return { id: own, origin: "lookalike", alt: mapped };
  }
  return { id: identity(c.base, 1), origin: "plain", alt: null };
}

const ORIGIN_RANK: Record<ListingOrigin, number> = { plain: 0, alias: 1, multiplier: 2, lookalike: 3 };

export interface IdentityOutput {
  /** Sorted by (source, exchangeSymbol). */
  readonly listings: Listing[];
  readonly rejections: Rejection[];
}

/** Names every candidate of every source, rejects denied names and per-source duplicates (deterministically). */
export function assignIdentities(candidates: readonly Candidate[], rules: NormalizeRules): IdentityOutput {
  const spot = spotBases(candidates);
  const rejections: Rejection[] = [];
  const bySourceName = new Map<string, Listing[]>();
  for (const c of candidates) {
    const { id, origin, alt } = chooseIdentity(c, spot);
    if (rules.denyNames.has(id.name)) {
      rejections.push({ source: c.source, exchangeSymbol: c.exchangeSymbol, reason: "denied", detail: id.name });
      continue;
    }
    const listing: Listing = {
      ...id,
      source: c.source,
      exchangeSymbol: c.exchangeSymbol,
      origin,
      alt: alt && !rules.denyNames.has(alt.name) ? alt : null,
      params: c.params,
    };
    const key = `${c.source}\u0000${id.name}`;
    const list = bySourceName.get(key);
    if (list) list.push(listing);
    else bySourceName.set(key, [listing]);
  }
  const listings: Listing[] = [];
  for (const group of bySourceName.values()) {
    // One listing per (source, name): the plain one first, then multiplier 1, then the smallest exchange symbol.
    group.sort((a, b) => ORIGIN_RANK[a.origin] - ORIGIN_RANK[b.origin] || a.multiplier - b.multiplier || cmp(a.exchangeSymbol, b.exchangeSymbol));
    const keep = group[0]!;
    listings.push(keep);
    for (const d of group.slice(1)) {
      rejections.push({ source: d.source, exchangeSymbol: d.exchangeSymbol, reason: "duplicate", detail: `${d.name} is ${keep.exchangeSymbol}` });
    }
  }
  listings.sort(byListing);
  rejections.sort((a, b) => a.source - b.source || cmp(a.exchangeSymbol, b.exchangeSymbol));
  return { listings, rejections };
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function byListing(a: { source: number; exchangeSymbol: string }, b: { source: number; exchangeSymbol: string }): number {
  return a.source - b.source || cmp(a.exchangeSymbol, b.exchangeSymbol);
}
