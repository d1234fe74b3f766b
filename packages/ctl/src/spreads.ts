// `spread-ctl spreads` (alias `top`) and the live view's spreads: every (direction, symbol) with both legs fresh
// (flags, feed liveness, age), computed with the engine's own math and fees (@spread/engine), filtered and sorted.
// Buy spot at its ask, sell futures at its bid (A.1).
import { DIRECTIONS, NUM_DIRECTIONS, SOURCE_NAMES, type DirectionsFile, type EngineConfig, type OpenOn } from "@spread/common";
import { feeTable, fundingOverHorizonPct, grossPct, HORIZON_NEXT_SETTLEMENT, netEntryPct, netRoundTripPct } from "@spread/engine";
import { FundingValue, PriceFlag, PriceRecord, SourceLiveness, type Shm } from "@spread/shm";

export interface SpreadRow {
  readonly direction_id: number;
  readonly direction: string;
  readonly spot_source: string;
  readonly futures_source: string;
  readonly symbol_id: number;
  readonly symbol: string;
  readonly spot_bid: number;
  readonly spot_ask: number;
  readonly futures_bid: number;
  readonly futures_ask: number;
  readonly gross_pct: number;
  /** Gross minus both legs' entry taker fees. */
  readonly net_pct: number;
  /** Gross minus four taker fills (entry and exit). */
  readonly net_round_trip_pct: number;
  readonly spot_age_ms: number;
  readonly futures_age_ms: number;
  /** The pair's tracked state: free, signalled or tracked. */
  readonly tracked: "free" | "signalled" | "tracked";
  /** The leg is not fresh (flagged, feed not publishing, or older than staleMs); only with includeStale. */
  readonly spot_stale: boolean;
  readonly futures_stale: boolean;
  /**
   * The futures leg's funding (Funding region), null when it has none fresh (never collected, stale, feed not
   * publishing): rate per interval as a fraction (positive = longs pay shorts, so the short futures leg earns it),
   * the interval in hours (null where the venue has not said), ms until the next settlement.
   */
  readonly funding_rate: number | null;
  readonly funding_interval_h: number | null;
  readonly next_funding_ms: number | null;
  /**
   * net_pct plus the funding the short futures leg gets over the holding horizon ([engine] funding_horizon:
   * through the next settlement by default, or every settlement within N hours).
   */
  readonly net_funding_pct: number | null;
}

export interface SpreadFilter {
  /** direction_ids to show (empty = all). */
  readonly directions: readonly number[];
  /** Upper-case symbol names or bases ("BTC-USDT" or "BTC"); empty = all. */
  readonly symbols: readonly string[];
  /** Rows whose `by` value is below this are left out. */
  readonly min: number;
  readonly by: OpenOn;
  readonly limit: number;
  /** Legs older than this, or flagged stale/invalid, are left out (unless includeStale). */
  readonly staleMs: number;
  /** Keep rows whose legs have a price but are not fresh, marked spot_stale/futures_stale (dashboards grey them). */
  readonly includeStale?: boolean;
  /** Horizon of net_funding_pct in µs (fundingHorizonUs of [engine]); default through the next settlement. */
  readonly fundingHorizonUs?: number;
}

export interface SpreadsResult {
  readonly rows: SpreadRow[];
  /** (direction, symbol) pairs considered after the direction/symbol filters. */
  readonly pairs: number;
  /** Pairs with both legs fresh. */
  readonly priced: number;
}

const TRACKED_NAMES = ["free", "signalled", "tracked"] as const;

const NO_PRICE = 0;
const STALE = 1;
const FRESH = 2;

/**
 * The reader-side staleness rule: flags valid and not stale, the feed publishing (alive, not paused), young
 * enough → FRESH; a price that fails it → STALE; no consistent copy or never written → NO_PRICE.
 */
function legState(shm: Shm, live: SourceLiveness, source: number, symbol: number, rec: PriceRecord, nowWallUs: number, staleMs: number): number {
  if (!shm.prices.readQuote(source, symbol, rec)) return NO_PRICE;
  if (!live.fresh(source, rec.flags)) return rec.flags & PriceFlag.valid ? STALE : NO_PRICE;
  return (nowWallUs - rec.updatedAt) / 1000 <= staleMs ? FRESH : STALE;
}

/** The futures leg's funding when fresh by the same rule as prices (FundingFlag bits equal PriceFlag's). */
function freshFunding(shm: Shm, live: SourceLiveness, source: number, symbol: number, v: FundingValue): boolean {
  return shm.funding.read(source, symbol, v) && live.fresh(source, v.flags) && Number.isFinite(v.rate);
}

/** Matches "BTC-USDT", "btc" or "BTC" against a symbol name like "BTC-USDT". */
function symbolMatches(name: string, wanted: readonly string[]): boolean {
  if (wanted.length === 0) return true;
  const upper = name.toUpperCase();
  const base = upper.replace(/-USDT$/, "");
  return wanted.includes(upper) || wanted.includes(base);
}

export function liveSpreads(shm: Shm, dirs: DirectionsFile, names: readonly string[], fees: EngineConfig["taker_fee_pct"], f: SpreadFilter, nowWallUs: number): SpreadsResult {
  const fee = feeTable(fees);
  const live = new SourceLiveness(shm.health);
  live.refresh(nowWallUs);
  const spot = new PriceRecord();
  const fut = new PriceRecord();
  const fv = new FundingValue();
  const rows: SpreadRow[] = [];
  let pairs = 0;
  let priced = 0;
  const horizonUs = f.fundingHorizonUs ?? HORIZON_NEXT_SETTLEMENT;
  for (const d of dirs.directions) {
    if (f.directions.length && !f.directions.includes(d.id)) continue;
    for (const sym of d.symbols) {
      const name = names[sym] ?? `#${sym}`;
      if (!symbolMatches(name, f.symbols)) continue;
      pairs++;
      const sl = legState(shm, live, d.spot, sym, spot, nowWallUs, f.staleMs);
      const fl = legState(shm, live, d.futures, sym, fut, nowWallUs, f.staleMs);
      if (sl === NO_PRICE || fl === NO_PRICE || (!f.includeStale && (sl !== FRESH || fl !== FRESH))) continue;
      if (!(spot.ask > 0) || !(fut.bid > 0)) continue;
      if (sl === FRESH && fl === FRESH) priced++;
      const gross = grossPct(spot.ask, fut.bid);
      const net = netEntryPct(gross, fee[d.spot]!, fee[d.futures]!);
      const hasFunding = freshFunding(shm, live, d.futures, sym, fv);
      const row: SpreadRow = {
        direction_id: d.id,
        direction: d.name,
        spot_source: SOURCE_NAMES[d.spot]!,
        futures_source: SOURCE_NAMES[d.futures]!,
        symbol_id: sym,
        symbol: name,
        spot_bid: spot.bid,
        spot_ask: spot.ask,
        futures_bid: fut.bid,
        futures_ask: fut.ask,
        gross_pct: gross,
        net_pct: net,
        net_round_trip_pct: netRoundTripPct(gross, fee[d.spot]!, fee[d.futures]!),
        spot_age_ms: Math.max(0, (nowWallUs - spot.updatedAt) / 1000),
        futures_age_ms: Math.max(0, (nowWallUs - fut.updatedAt) / 1000),
        tracked: TRACKED_NAMES[shm.tracked.state(d.id, sym)] ?? "free",
        spot_stale: sl !== FRESH,
        futures_stale: fl !== FRESH,
        funding_rate: hasFunding ? fv.rate : null,
        funding_interval_h: hasFunding && fv.intervalMin > 0 ? fv.intervalMin / 60 : null,
        next_funding_ms: hasFunding && fv.nextFundingAt > 0 ? Math.max(0, (fv.nextFundingAt - nowWallUs) / 1000) : null,
        net_funding_pct: hasFunding ? net + fundingOverHorizonPct(fv.rate, fv.nextFundingAt, fv.intervalMin, nowWallUs, horizonUs) : null,
      };
      if (measure(row, f.by) >= f.min) rows.push(row);
    }
  }
  rows.sort((a, b) => measure(b, f.by) - measure(a, f.by));
  return { rows: rows.slice(0, f.limit), pairs, priced };
}

function measure(r: SpreadRow, by: OpenOn): number {
  return by === "gross" ? r.gross_pct : by === "net" ? r.net_pct : r.net_round_trip_pct;
}

function fmt(v: number): string {
  return v >= 1 ? v.toFixed(4) : v.toPrecision(6);
}

export function renderSpreads(res: SpreadsResult, by: OpenOn): string {
  const lines = [
    `pairs ${res.pairs}, both legs fresh ${res.priced}; sorted by ${by}; * = signalled/tracked`,
    `${"direction".padEnd(32)} ${"symbol".padEnd(14)} ${"spot ask".padStart(13)} ${"futures bid".padStart(13)} ${"gross %".padStart(8)} ${"net %".padStart(8)} ${"rt %".padStart(8)} ${"age ms S/F".padStart(12)} ${"funding %/int next".padStart(22)} ${"net+f %".padStart(8)}`,
  ];
  for (const r of res.rows) {
    const mark = r.tracked === "free" ? " " : "*";
    lines.push(
      `${mark}${r.direction.padEnd(31)} ${r.symbol.padEnd(14)} ${fmt(r.spot_ask).padStart(13)} ${fmt(r.futures_bid).padStart(13)} ${r.gross_pct.toFixed(3).padStart(8)} ${r.net_pct.toFixed(3).padStart(8)} ${r.net_round_trip_pct.toFixed(3).padStart(8)} ${`${Math.round(r.spot_age_ms)}/${Math.round(r.futures_age_ms)}`.padStart(12)} ${fundingCell(r).padStart(22)} ${(r.net_funding_pct === null ? "-" : r.net_funding_pct.toFixed(3)).padStart(8)}`,
    );
  }
  return lines.join("\n");
}

/** "+0.0100/8h 2h05m": rate in % per interval, the interval, time to the next settlement; "-" without funding. */
export function fundingCell(r: SpreadRow): string {
  if (r.funding_rate === null) return "-";
  const pct = `${r.funding_rate >= 0 ? "+" : ""}${(r.funding_rate * 100).toFixed(4)}`;
  const iv = r.funding_interval_h === null ? "?" : `${r.funding_interval_h}h`;
  if (r.next_funding_ms === null) return `${pct}/${iv}`;
  const m = Math.floor(r.next_funding_ms / 60_000);
  return `${pct}/${iv} ${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

export interface SpreadsArgs {
  readonly direction?: string;
  readonly symbol?: string;
  readonly min?: string;
  readonly by?: string;
  readonly limit?: string;
  readonly staleMs?: string;
  readonly interval?: string;
}

/** No filter: every direction and symbol, sorted by `by`. */
export function allSpreads(by: OpenOn, limit: number, staleMs: number): SpreadFilter {
  return { directions: [], symbols: [], min: -Infinity, by, limit, staleMs };
}

/** Parses the command's options; throws Error with one line naming the option on bad input. */
export function parseSpreadsArgs(a: SpreadsArgs, defaults: { by: OpenOn; staleMs: number }): SpreadFilter & { intervalMs: number } {
  const directions: number[] = [];
  for (const part of (a.direction ?? "").split(",").map((s) => s.trim()).filter(Boolean)) {
    const asId = /^\d+$/.test(part) ? Number(part) : DIRECTIONS.find((d) => d.name === part)?.id;
    if (asId === undefined || asId >= NUM_DIRECTIONS) {
      throw new Error(`--direction "${part}": expected a direction id 0..${NUM_DIRECTIONS - 1} or a name like ${DIRECTIONS[0]!.name}`);
    }
    directions.push(asId);
  }
  const symbols = (a.symbol ?? "").split(",").map((s) => s.trim().toUpperCase()).filter(Boolean);
  const min = a.min === undefined ? -Infinity : Number(a.min);
  if (Number.isNaN(min) || (a.min !== undefined && a.min.trim() === "")) throw new Error(`--min "${a.min}": expected a number (percent)`);
  const by = (a.by ?? defaults.by) as OpenOn;
  if (by !== "gross" && by !== "net" && by !== "net_round_trip") throw new Error(`--by "${a.by}": expected gross, net or net_round_trip`);
  const limit = a.limit === undefined ? 20 : Number(a.limit);
  if (!Number.isInteger(limit) || limit <= 0) throw new Error(`--limit "${a.limit}": expected a positive integer`);
  const staleMs = a.staleMs === undefined ? defaults.staleMs : Number(a.staleMs);
  if (!(staleMs > 0)) throw new Error(`--stale-ms "${a.staleMs}": expected a positive number of ms`);
  const intervalMs = a.interval === undefined ? 1000 : Number(a.interval);
  if (!(intervalMs >= 100)) throw new Error(`--interval "${a.interval}": expected at least 100 ms`);
  return { directions, symbols, min, by, limit, staleMs, intervalMs };
}
