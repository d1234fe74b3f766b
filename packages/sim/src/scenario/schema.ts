// Scenario file schema (zod): universe, prices, update rate, per-venue protocol settings, scripted spread
// episodes, scheduled faults, silent symbols and bad-quote anomalies. Every key is optional.
import { DIRECTIONS, SOURCE_NAMES, TIMER_MAX_MS, TIMER_MAX_S, type SourceName } from "@spread/common";
import { z } from "zod";
import { VENUE_DEFAULTS, type VenueSettings } from "./venue-defaults.ts";

// Upper bounds as in config.toml: the integer settings are timers (ms) or counts far below 2^31-1, the
// fractional ones seconds or rates; a timer past 2^31-1 ms would fire after 1 ms.
const posInt = z.number().int().positive().max(TIMER_MAX_MS);
const nonNegInt = z.number().int().nonnegative().max(TIMER_MAX_MS, `must be at most ${TIMER_MAX_MS} (2^31-1, the longest timer in ms)`);
const nonNeg = z.number().nonnegative().max(TIMER_MAX_S, `must be at most ${TIMER_MAX_S}`);
const sourceName = z.enum(SOURCE_NAMES as unknown as [SourceName, ...SourceName[]]);

/** Table A.4 defaults. */
const A4_SOURCES: Record<SourceName, number> = {
  binance_spot: 460, binance_futures: 528, bybit_spot: 394, bybit_futures: 394,
  mexc_spot: 547, mexc_futures: 579, okx_spot: 278, okx_futures: 252,
};
const A4_DIRECTIONS = [272, 174, 243, 243, 363, 500, 190, 385, 306, 199, 447, 268];

const perSource = z.strictObject(Object.fromEntries(SOURCE_NAMES.map((n) => [n, nonNeg.default(A4_SOURCES[n])])) as Record<SourceName, z.ZodDefault<z.ZodNumber>>);
const perDirection = z.strictObject(Object.fromEntries(DIRECTIONS.map((d) => [d.name, nonNeg.default(A4_DIRECTIONS[d.id]!)])) as Record<string, z.ZodDefault<z.ZodNumber>>);

export const SimSchema = z.strictObject({
  seed: z.number().int().default(1),
  tick_ms: z.number().int().min(1).max(1000).default(10),
  epoch: z.string().default(""),
});

export const UniverseSchema = z.strictObject({
  assets: posInt.default(700),
  scale: z.number().positive().max(4).default(1),
  paired: nonNeg.default(682),
  per_source: perSource.default(perSource.parse({})),
  per_direction: perDirection.default(perDirection.parse({})),
  suspended_per_source: nonNegInt.default(3),
  silent_per_source: nonNegInt.default(2),
  anomalies_per_source: nonNegInt.default(1),
  weight_sigma: nonNeg.default(1.2),
  quiet_fraction: z.number().min(0).max(1).default(0.2),
});
export type UniverseConfig = z.output<typeof UniverseSchema>;

export const PricesSchema = z.strictObject({
  market_vol_daily: nonNeg.default(0.03),
  vol_scale: nonNeg.default(1),
  noise_bps: nonNeg.default(1),
  basis_scale: nonNeg.default(1),
  spread_scale: z.number().positive().default(1),
});

const sourceWeights = z.strictObject(Object.fromEntries(SOURCE_NAMES.map((n) => [n, nonNeg.default(1)])) as Record<SourceName, z.ZodDefault<z.ZodNumber>>);

export const RateSchema = z.strictObject({
  total: nonNeg.default(2000),
  source_weights: sourceWeights.default(sourceWeights.parse({})),
  episode_min_rate: nonNeg.default(4),
  min_per_symbol: nonNeg.default(0.5),
});

function venueSchema(name: SourceName) {
  const d = VENUE_DEFAULTS[name];
  const shape = Object.fromEntries(Object.entries(d).map(([k, v]) => [k, nonNegInt.default(v as number)]));
  return z.strictObject(shape as Record<keyof VenueSettings, z.ZodDefault<z.ZodNumber>>);
}
const venuesShape = Object.fromEntries(SOURCE_NAMES.map((n) => [n, venueSchema(n).default(venueSchema(n).parse({}))]));
export const VenuesSchema = z.strictObject(venuesShape as Record<SourceName, z.ZodDefault<ReturnType<typeof venueSchema>>>);

export const EpisodeSchema = z.strictObject({
  asset: z.string().min(1),
  spot: sourceName.refine((s) => s.endsWith("_spot"), "must be a spot source"),
  futures: sourceName.refine((s) => s.endsWith("_futures"), "must be a futures source"),
  spread_pct: z.number().gt(-50).lt(500),
  at_s: nonNeg.default(0),
  ramp_s: nonNeg.default(2),
  hold_s: nonNeg.default(30),
  converge_s: nonNeg.default(10),
  converge: z.boolean().default(true),
  every_s: nonNeg.default(0),
  leg: z.enum(["futures", "spot"]).default("futures"),
});
export type EpisodeConfig = z.output<typeof EpisodeSchema>;

/**
 * A scripted funding settlement (POST /funding): `rate` (a fraction per interval, whole 1e-8) settles at
 * `next_funding_ms` (or `in_ms` from now) for the asset's perpetual on every futures source listing it, or for one
 * venue symbol on one source; `interval_hours` (default: the model's) spaces it from the following settlement.
 */
export const FundingScriptSchema = z
  .strictObject({
    asset: z.string().min(1).optional(),
    symbol: z.string().min(1).optional(),
    source: z.union([z.literal("all"), sourceName.refine((s) => s.endsWith("_futures"), "must be a futures source or \"all\"")]).default("all"),
    rate: z.number().gt(-1).lt(1).refine((r) => Math.abs(r * 1e8 - Math.round(r * 1e8)) < 1e-6, "at most 8 decimals (rates are whole 1e-8)"),
    in_ms: z.number().int().min(1).max(7 * 86_400_000).optional(),
    next_funding_ms: z.number().int().positive().optional(),
    interval_hours: z.number().int().min(1).max(24).optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.asset === undefined) === (v.symbol === undefined)) ctx.addIssue({ code: "custom", path: ["asset"], message: "give exactly one of asset (every futures listing of it) and symbol (the venue's spelling, with source)" });
    if (v.symbol !== undefined && v.source === "all") ctx.addIssue({ code: "custom", path: ["source"], message: "symbol needs one futures source" });
    if ((v.in_ms === undefined) === (v.next_funding_ms === undefined)) ctx.addIssue({ code: "custom", path: ["next_funding_ms"], message: "give exactly one of next_funding_ms (ms since the epoch) and in_ms (ms from now)" });
  });
export type FundingScriptConfig = z.output<typeof FundingScriptSchema>;

export const FAULT_KINDS = ["drop", "close", "shutdown", "silent", "no_pong", "malformed", "truncated", "garbage", "reject", "slow", "rest_error", "rest_hang"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const FaultSchema = z.strictObject({
  kind: z.enum(FAULT_KINDS),
  source: z.union([sourceName, z.literal("all")]),
  connections: z.union([z.literal("all"), nonNegInt]).default("all"),
  symbols: z.array(z.string()).default([]),
  probability: z.number().min(0).max(1).default(0.1),
  count: nonNegInt.default(0),
  delay_ms: nonNegInt.default(500),
  rate: nonNeg.default(0),
  status: z.number().int().min(400).max(599).default(503),
  hang_ms: nonNegInt.default(600_000),
  code: z.number().int().min(1000).max(4999).default(1000),
  duration_s: nonNeg.default(0),
  at_s: nonNeg.default(0),
});
export type FaultConfig = z.output<typeof FaultSchema>;

export const SilentSchema = z.strictObject({ source: sourceName, symbol: z.string().min(1) });
export const AnomalySchema = z.strictObject({
  source: sourceName,
  symbol: z.string().min(1),
  kind: z.enum(["crossed", "zero_bid", "zero_ask", "empty_bid"]),
  probability: z.number().min(0).max(1).default(0.05),
});

/** A fixed update rate for one instrument (a busy or a quiet symbol), outside the weighted share of the total. */
export const SymbolRateSchema = z.strictObject({ source: sourceName, symbol: z.string().min(1), rate: nonNeg });

export const ScenarioSchema = z.strictObject({
  name: z.string().default("unnamed"),
  description: z.string().default(""),
  sim: SimSchema.default(SimSchema.parse({})),
  universe: UniverseSchema.default(UniverseSchema.parse({})),
  prices: PricesSchema.default(PricesSchema.parse({})),
  rate: RateSchema.default(RateSchema.parse({})),
  venues: VenuesSchema.default(VenuesSchema.parse({})),
  episodes: z.array(EpisodeSchema).default([]),
  faults: z.array(FaultSchema).default([]),
  silent: z.array(SilentSchema).default([]),
  anomalies: z.array(AnomalySchema).default([]),
  symbol_rates: z.array(SymbolRateSchema).default([]),
});
export type Scenario = z.output<typeof ScenarioSchema>;
export type ScenarioInput = z.input<typeof ScenarioSchema>;
