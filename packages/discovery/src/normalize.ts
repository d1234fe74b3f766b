// Stage 2a, per instrument: strict filter (tradable, USDT by equality, perpetual on futures / spot on spot, deny)
// producing candidates; naming across sources happens in multiplier.ts.
import { isSpotSource } from "@spread/common";
import type { RawInstrument } from "@spread/exchanges";
import { isValidBase, listingKey, type AliasRule, type NormalizeRules } from "./rules.ts";
import type { ListingParams, Rejection } from "./types.ts";

export const QUOTE = "USDT";

/** An instrument that passed the per-instrument filter; its name is decided by assignIdentities(). */
export interface Candidate {
  readonly source: number;
  readonly exchangeSymbol: string;
  /** Upper-cased base as reported ("1000PEPE"). */
  readonly base: string;
  readonly hint: number;
  /** base without the hinted multiplier ("PEPE"); equals base when hint is 1. */
  readonly baseHint: string;
  readonly alias: AliasRule | null;
  readonly params: ListingParams;
}

export type FilterResult = { readonly ok: true; readonly candidate: Candidate } | { readonly ok: false; readonly rejection: Rejection };

function reject(raw: RawInstrument, source: number, reason: Rejection["reason"], detail: string): FilterResult {
  return { ok: false, rejection: { source, exchangeSymbol: raw.exchangeSymbol, reason, detail } };
}

/** Pure per-instrument decision for `source` (the instrument's own `source` field is not trusted for this). */
export function filterInstrument(raw: RawInstrument, source: number, rules: NormalizeRules): FilterResult {
  if (rules.denyListings.has(listingKey(source, raw.exchangeSymbol))) return reject(raw, source, "denied", listingKey(source, raw.exchangeSymbol));
  if (!raw.tradable) return reject(raw, source, "not_tradable", raw.status);
  const want = isSpotSource(source) ? "spot" : "perpetual";
  if (raw.kind !== want) return reject(raw, source, "wrong_kind", raw.kind === "other" ? (raw.otherReason ?? "other") : raw.kind);
  if (raw.quote !== QUOTE) return reject(raw, source, "quote_not_usdt", raw.quote);
  // Settlement is part of the instrument's identity (USDC/coin-margined perps are other instruments). null = the
  // venue gives none for this kind (spot), accepted because quote already is USDT.
  if (!isSpotSource(source) && raw.settle !== null && raw.settle !== QUOTE) return reject(raw, source, "settle_not_usdt", raw.settle);
  const base = raw.base.toUpperCase();
  const alias = rules.aliases.get(listingKey(source, raw.exchangeSymbol)) ?? null;
  if (!alias && !isValidBase(base)) return reject(raw, source, "bad_base", base);
  const hint = Number.isFinite(raw.multiplierHint) && raw.multiplierHint > 1 ? raw.multiplierHint : 1;
  const baseHint = hint > 1 ? raw.baseHint.toUpperCase() : base;
  return {
    ok: true,
    candidate: {
      source,
      exchangeSymbol: raw.exchangeSymbol,
      base,
      hint: hint > 1 && isValidBase(baseHint) && baseHint !== base ? hint : 1,
      baseHint: hint > 1 && isValidBase(baseHint) && baseHint !== base ? baseHint : base,
      alias,
      params: {
        minQty: pos(raw.minQty),
        maxQty: pos(raw.maxQty),
        tickSize: pos(raw.tickSize),
        minNotional: pos(raw.minNotional),
        contractSize: pos(raw.contractSize),
      },
    },
  };
}

function pos(v: number | null): number | null {
  return v !== null && Number.isFinite(v) && v > 0 ? v : null;
}

export interface FilterOutput {
  readonly candidates: Candidate[];
  readonly rejections: Rejection[];
}

/** Filters one source's instrument list. */
export function filterSource(source: number, instruments: readonly RawInstrument[], rules: NormalizeRules): FilterOutput {
  const candidates: Candidate[] = [];
  const rejections: Rejection[] = [];
  for (const raw of instruments) {
    const r = filterInstrument(raw, source, rules);
    if (r.ok) candidates.push(r.candidate);
    else rejections.push(r.rejection);
  }
  return { candidates, rejections };
}

export function normalizedName(base: string): string {
  return `${base}-${QUOTE}`;
}
