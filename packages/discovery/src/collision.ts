// Stage 4: price checks on validated mids. First each multiplier-looking listing is confirmed or moved to its other
// identity (1000SATS at ×1000 disagrees but at ×1 agrees → its own symbol), then the collision guard excludes, per
// symbol, every source whose per-unit mid (mid ÷ multiplier) deviates from the median of the others by more than
// max_deviation. Pure and order-independent (decisions are taken on the preliminary grouping, in sorted order).
import { byListing, cmp } from "./multiplier.ts";
import { listingKey } from "./rules.ts";
import type { Identity, Listing, PriceDecision } from "./types.ts";

export interface PriceCheckInput {
  /** Validated listings (only these are published). */
  readonly listings: readonly Listing[];
  /** listingKey(source, exchangeSymbol) → last valid mid in the venue's own price units. */
  readonly mids: ReadonlyMap<string, number>;
  readonly maxDeviation: number;
}

export interface PriceCheckOutput {
  /** Final listings (identities possibly switched, excluded ones removed), sorted by (source, exchangeSymbol). */
  readonly listings: Listing[];
  readonly decisions: PriceDecision[];
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return Number.NaN;
  return n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

/** Relative deviation |x − ref| / ref. */
export function deviation(x: number, ref: number): number {
  return Math.abs(x - ref) / ref;
}

interface Priced {
  readonly l: Listing;
  readonly mid: number;
}

function groupByName(items: readonly Priced[]): Map<string, Priced[]> {
  const g = new Map<string, Priced[]>();
  for (const p of items) {
    const list = g.get(p.l.name);
    if (list) list.push(p);
    else g.set(p.l.name, [p]);
  }
  return g;
}

function withIdentity(l: Listing, id: Identity, origin: Listing["origin"], alt: Identity): Listing {
  return { ...l, base: id.base, name: id.name, multiplier: id.multiplier, origin, alt };
}

export function checkPrices(input: PriceCheckInput): PriceCheckOutput {
  const max = input.maxDeviation;
  const decisions: PriceDecision[] = [];
  const unpriced: Listing[] = [];
  const priced: Priced[] = [];
  for (const l of [...input.listings].sort(byListing)) {
    const mid = input.mids.get(listingKey(l.source, l.exchangeSymbol));
    if (mid !== undefined && Number.isFinite(mid) && mid > 0) priced.push({ l, mid });
    else unpriced.push(l);
  }

  // 1. Multiplier confirmation against the preliminary groups.
  const pre = groupByName(priced);
  const resolved: Priced[] = [];
  const taken = new Set(priced.map((p) => `${p.l.source}\u0000${p.l.name}`));
  for (const p of priced) {
    const { l, mid } = p;
    if (!l.alt) {
      resolved.push(p);
      continue;
    }
    const others = (pre.get(l.name) ?? []).filter((o) => o !== p).map((o) => o.mid / o.l.multiplier);
    const ref = median(others);
    const now = others.length ? deviation(mid / l.multiplier, ref) : Number.NaN;
    const nowOk = others.length ? now <= max : null;
    const altPeers = (pre.get(l.alt.name) ?? []).filter((o) => o.l.source !== l.source);
    const altBlocked = taken.has(`${l.source}\u0000${l.alt.name}`);
    const altRef = median(altPeers.map((o) => o.mid / o.l.multiplier));
    const altDev = altPeers.length ? deviation(mid / l.alt.multiplier, altRef) : Number.NaN;
    const altOk = altPeers.length ? altDev <= max : null;
    const own: Identity = { base: l.base, name: l.name, multiplier: l.multiplier };
    let next = l;
    if (nowOk === false && !altBlocked && (altOk === true || (altOk === null && l.origin === "multiplier"))) {
      next = withIdentity(l, l.alt, l.origin === "multiplier" ? "lookalike" : "multiplier", own);
      taken.delete(`${l.source}\u0000${l.name}`);
      taken.add(`${l.source}\u0000${next.name}`);
    }
    if (next.multiplier > 1 && (next === l ? nowOk === true : altOk === true)) {
      decisions.push(decision(next, "multiplier_confirmed", mid, next === l ? ref : altRef));
    } else if (l.multiplier > 1 && next !== l) {
      decisions.push(decision(next, "multiplier_rejected", mid, altRef));
    }
    resolved.push({ l: next, mid });
  }

  // 2. Collision guard on the final groups: drop the worst outlier until every member agrees with the others.
  const excluded = new Set<Priced>();
  const groups = groupByName(resolved);
  for (const name of [...groups.keys()].sort(cmp)) {
    let members = groups.get(name)!;
    while (members.length >= 2) {
      const scored = members.map((m) => {
        const ref = median(members.filter((o) => o !== m).map((o) => o.mid / o.l.multiplier));
        return { m, ref, dev: deviation(m.mid / m.l.multiplier, ref) };
      });
      const worst = scored.reduce((a, b) => (b.dev > a.dev || (b.dev === a.dev && b.m.l.source < a.m.l.source) ? b : a));
      if (worst.dev <= max) break;
      if (members.length === 2) {
        for (const s of scored) {
          excluded.add(s.m);
          decisions.push(decision(s.m.l, "excluded_ambiguous", s.m.mid, s.ref));
        }
        break;
      }
      excluded.add(worst.m);
      decisions.push(decision(worst.m.l, "excluded_collision", worst.m.mid, worst.ref));
      members = members.filter((m) => m !== worst.m);
    }
  }
  const listings = [...unpriced, ...resolved.filter((p) => !excluded.has(p)).map((p) => p.l)].sort(byListing);
  decisions.sort((a, b) => cmp(a.name, b.name) || a.source - b.source || cmp(a.kind, b.kind));
  return { listings, decisions };
}

function decision(l: Listing, kind: PriceDecision["kind"], mid: number, reference: number): PriceDecision {
  const perUnitMid = mid / l.multiplier;
  return {
    source: l.source,
    exchangeSymbol: l.exchangeSymbol,
    kind,
    name: l.name,
    multiplier: l.multiplier,
    perUnitMid,
    reference,
    deviation: Number.isFinite(reference) ? deviation(perUnitMid, reference) : Number.NaN,
  };
}
