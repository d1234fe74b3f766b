// Seeded universe: ~700 assets, their counted listings per source (fitted to table A.4), every venue's symbol
// spelling (multiplier contracts included) and the extra instruments a scanner must filter out.
import { DIRECTIONS, NUM_SOURCES, SOURCE_NAMES, SourceId, type SourceName } from "@spread/common";
import { Rng } from "../rng.ts";
import type { UniverseConfig } from "../scenario/schema.ts";
import { decimalsOf, type Instrument, type InstrumentKind, type InstrumentStatus } from "./instrument.ts";
import { expectedCounts, fitListingDistribution, systematicPatterns } from "./listing-fit.ts";
import { FIXED_ASSETS, fullNameFor, generateTickers } from "./names.ts";
import { extraInstruments } from "./extras.ts";
import type { Asset } from "./asset.ts";
import { futuresBase, usdtSymbol } from "./naming.ts";
import { simMarketOf } from "../venues/index.ts";

export type { Asset };


export interface Universe {
  readonly assets: readonly Asset[];
  /** Per source_id, in list order (index = Instrument.index). */
  readonly instruments: readonly (readonly Instrument[])[];
  /** Per source_id: exchange symbol → instrument index. */
  readonly bySymbol: readonly ReadonlyMap<string, number>[];
  /** Expected counts of the fitted listing model (for reports and tests). */
  readonly expected: { perSource: number[]; perDirection: number[]; paired: number };
}

/** Tick decimals for a quoted price: ~6 significant digits, capped per venue (Binance spot prints 8 decimals). */
export function tickDecimalsFor(source: number, price: number): number {
  return Math.max(0, Math.min(simMarketOf(source).maxPriceDecimals, 5 - Math.floor(Math.log10(price))));
}

function qtyDecimalsFor(price: number): number {
  return Math.max(0, Math.min(8, Math.floor(Math.log10(price)) + 2));
}

/** OKX/MEXC contract size so that one contract is worth roughly 1-100 USD (powers of ten). */
function contractSizeFor(price: number): number {
  return 10 ** Math.round(Math.log10(10 / price));
}

export interface InstrumentDraft {
  symbol: string;
  asset: number;
  base: string;
  quote: string;
  quoteAsset: number;
  settle: string | null;
  kind: InstrumentKind;
  status: InstrumentStatus;
  counted: boolean;
  priceMult: number;
  contracts: boolean;
  deliveryMs: number;
  underlying: Instrument["underlying"];
  weight: number;
}

function finish(source: number, index: number, d: InstrumentDraft, assets: readonly Asset[], rng: Rng, epochMs: number): Instrument {
  const a = assets[d.asset]!;
  const quotePrice = d.quoteAsset >= 0 ? assets[d.quoteAsset]!.price0 : 1;
  const price = (a.price0 * d.priceMult) / quotePrice;
  const tickDec = tickDecimalsFor(source, price);
  const contractSize = d.contracts ? contractSizeFor(price) : 1;
  const qtyDec = d.contracts ? (simMarketOf(source).contractQtyDecimals ?? 0) : qtyDecimalsFor(price);
  return {
    source,
    index,
    symbol: d.symbol,
    asset: d.asset,
    base: d.base,
    quote: d.quote,
    quoteAsset: d.quoteAsset,
    settle: d.settle,
    kind: d.kind,
    status: d.status,
    counted: d.counted,
    priceMult: d.priceMult,
    tick: 10 ** -tickDec,
    tickDec,
    qtyStep: 10 ** -qtyDec,
    qtyDec,
    contractSize,
    deliveryMs: d.deliveryMs,
    listMs: epochMs - Math.floor(rng.range(30, 2000)) * 86_400_000,
    venueId: 0,
    underlying: d.underlying,
    silent: false,
    anomaly: 0,
    anomalyProb: 0,
    fundingOverride: null,
    weight: d.weight,
    spreadBps: Math.max(0.5, Math.exp(Math.log(4) + 0.6 * rng.normal())) / Math.sqrt(a.popularity),
    basis: (source % 2 === 1 ? 2 : 1) * 1e-4 * rng.normal() * 0.5,
  };
}

function sourceList(listed: "all" | readonly string[]): number {
  if (listed === "all") return 0xff;
  let p = 0;
  for (const n of listed) p |= 1 << SourceId[n as SourceName];
  return p;
}

/** Builds the universe for a seed. `epochMs` dates the dated futures and listing times. */
export function buildUniverse(cfg: UniverseConfig, seed: number, epochMs: number): Universe {
  const rng = Rng.stream(seed, "universe");
  const assets: Asset[] = [];
  for (const f of FIXED_ASSETS) {
    assets.push({
      id: assets.length,
      ticker: f.ticker,
      fullName: f.fullName,
      price0: f.price,
      vol: f.extra === "fiat" ? 0.004 : f.extra ? 0.015 : 0.035 + 0.03 * rng.next(),
      beta: f.extra ? 0 : 0.6 + 0.5 * rng.next(),
      popularity: f.popularity,
      pattern: sourceList(f.listed),
      extra: f.extra && f.extra !== "collision" ? f.extra : null,
      fixed: true,
    });
  }

  // Fit the random part to the targets minus what the fixed assets already contribute.
  const scale = cfg.scale;
  const perSource = SOURCE_NAMES.map((n) => cfg.per_source[n] * scale);
  const perDirection = DIRECTIONS.map((d) => cfg.per_direction[d.name]! * scale);
  let paired = cfg.paired * scale;
  const counted = assets.filter((a) => a.pattern !== 0);
  const randomCount = Math.max(0, Math.round(cfg.assets * scale) - counted.length);
  for (const a of counted) {
    for (let s = 0; s < NUM_SOURCES; s++) if ((a.pattern >> s) & 1) perSource[s]! -= 1;
    DIRECTIONS.forEach((d, i) => {
      if ((a.pattern >> d.spot) & 1 && (a.pattern >> d.futures) & 1) perDirection[i]! -= 1;
    });
    if ((a.pattern & 0x55) !== 0 && (a.pattern & 0xaa) !== 0) paired -= 1;
  }
  const clamp = (v: number) => Math.max(0.5, Math.min(randomCount - 0.5, v));
  const prob = fitListingDistribution({
    assets: Math.max(1, randomCount),
    perSource: perSource.map(clamp),
    perDirection: perDirection.map(clamp),
    paired: clamp(paired),
  });
  const patterns = rng.shuffle(systematicPatterns(prob, randomCount, rng.next()));
  const tickers = generateTickers(Rng.stream(seed, "names"), randomCount);
  for (let i = 0; i < randomCount; i++) {
    // log10(price) ~ N(-0.7, 1.3) clipped to [1e-6, 3e3] USD: a few percent are sub-milli memecoins.
    const price = Number((10 ** Math.max(-6, Math.min(3.5, -0.7 + 1.3 * rng.normal()))).toPrecision(5));
    assets.push({
      id: assets.length,
      ticker: tickers[i]!,
      fullName: fullNameFor(rng, tickers[i]!),
      price0: price,
      vol: 0.04 + 0.08 * rng.next(),
      beta: 0.4 + 0.9 * rng.next(),
      popularity: Math.min(3, Math.exp(0.7 * rng.normal()) * 0.6),
      pattern: patterns[i]!,
      extra: null,
      fixed: false,
    });
  }

  const drafts: InstrumentDraft[][] = Array.from({ length: NUM_SOURCES }, () => []);
  for (const a of assets) {
    for (let s = 0; s < NUM_SOURCES; s++) {
      if (!((a.pattern >> s) & 1)) continue;
      const futures = s % 2 === 1;
      const [base, mult] = futures ? futuresBase(s, a) : [a.ticker, 1];
      drafts[s]!.push({
        symbol: usdtSymbol(s, base),
        asset: a.id,
        base,
        quote: "USDT",
        quoteAsset: -1,
        settle: futures ? "USDT" : null,
        kind: futures ? "perp" : "spot",
        status: "trading",
        counted: true,
        priceMult: mult,
        contracts: simMarketOf(s).contractQtyDecimals !== null,
        deliveryMs: 0,
        underlying: "COIN",
        weight: 1,
      });
    }
  }
  const extraRng = Rng.stream(seed, "extras");
  for (let s = 0; s < NUM_SOURCES; s++) drafts[s]!.push(...extraInstruments(s, assets, cfg, extraRng, epochMs));

  const instruments: Instrument[][] = [];
  const bySymbol: Map<string, number>[] = [];
  const finRng = Rng.stream(seed, "instruments");
  for (let s = 0; s < NUM_SOURCES; s++) {
    // Venues list symbols alphabetically; the sort also makes indices independent of generation order.
    const list = drafts[s]!.sort((x, y) => (x.symbol < y.symbol ? -1 : x.symbol > y.symbol ? 1 : 0));
    const out: Instrument[] = [];
    const map = new Map<string, number>();
    for (const d of list) {
      if (map.has(d.symbol)) continue;
      const inst = finish(s, out.length, d, assets, finRng, epochMs);
      (inst as { venueId: number }).venueId = 10 + out.length * 7 + s;
      map.set(d.symbol, out.length);
      out.push(inst);
    }
    instruments.push(out);
    bySymbol.push(map);
  }
  assignWeights(instruments, assets, cfg, Rng.stream(seed, "weights"));
  return { assets, instruments, bySymbol, expected: expectedCounts(prob, randomCount) };
}

/** Update-rate weights: popularity × lognormal, a quiet tail, and zero for non-trading instruments. */
function assignWeights(instruments: Instrument[][], assets: readonly Asset[], cfg: UniverseConfig, rng: Rng): void {
  for (const list of instruments) {
    for (const inst of list) {
      if (inst.status !== "trading") {
        inst.weight = 0;
        continue;
      }
      const a = assets[inst.asset]!;
      // Named assets keep their popularity ordering (BTC busy everywhere); generated ones spread widely.
      let w = a.popularity * Math.exp((a.fixed ? 0.3 : cfg.weight_sigma) * rng.normal());
      if (!a.fixed && rng.chance(cfg.quiet_fraction)) w *= 0.01;
      if (!inst.counted) w *= 0.3;
      inst.weight = w;
    }
  }
}

/** Counted listings actually present (per source, per direction, paired) — what tests compare to A.4. */
export function listingCounts(u: Universe): { perSource: number[]; perDirection: number[]; paired: number } {
  const listed: Set<number>[] = u.instruments.map((list) => new Set(list.filter((i) => i.counted).map((i) => i.asset)));
  const perSource = listed.map((s) => s.size);
  const perDirection = DIRECTIONS.map((d) => [...listed[d.spot]!].filter((a) => listed[d.futures]!.has(a)).length);
  let paired = 0;
  for (const a of u.assets) {
    const spot = [0, 2, 4, 6].some((s) => listed[s]!.has(a.id));
    const fut = [1, 3, 5, 7].some((s) => listed[s]!.has(a.id));
    if (spot && fut) paired++;
  }
  return { perSource, perDirection, paired };
}

export { decimalsOf };
