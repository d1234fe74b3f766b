// `spread-ctl top`: the widest current spot→futures spreads, read straight from the Price Store (read-only).
// Buy spot at its ask, sell futures at its bid (A.1): spread% = (futures_bid − spot_ask) / spot_ask × 100.
import type { DirectionsFile } from "@spread/common";
import { PriceRecord, SourceLiveness, type Shm } from "@spread/shm";

export interface SpreadRow {
  readonly direction: string;
  readonly symbol: string;
  readonly spotAsk: number;
  readonly futuresBid: number;
  readonly spreadPct: number;
  /** Age of the older leg, ms. */
  readonly ageMs: number;
}

export interface TopOptions {
  readonly limit: number;
  /** Legs older than this, flagged stale by their feed, or of a feed not publishing (dead, hung, paused), are skipped. */
  readonly staleMs: number;
  readonly nowWallUs: number;
}

function leg(shm: Shm, live: SourceLiveness, source: number, symbol: number, rec: PriceRecord, opts: TopOptions): boolean {
  if (!shm.prices.readQuote(source, symbol, rec)) return false;
  if (!live.fresh(source, rec.flags)) return false;
  return (opts.nowWallUs - rec.updatedAt) / 1000 <= opts.staleMs;
}

export function topSpreads(shm: Shm, dirs: DirectionsFile, names: readonly string[], opts: TopOptions): { rows: SpreadRow[]; pairs: number; priced: number } {
  const spot = new PriceRecord();
  const fut = new PriceRecord();
  const rows: SpreadRow[] = [];
  let pairs = 0;
  let priced = 0;
  // The staleness rule of docs/shm-layout.md: a feed killed -9 could not flag its prices.
  const live = new SourceLiveness(shm.health);
  live.refresh(opts.nowWallUs);
  for (const d of dirs.directions) {
    for (const sym of d.symbols) {
      pairs++;
      if (!leg(shm, live, d.spot, sym, spot, opts) || !leg(shm, live, d.futures, sym, fut, opts)) continue;
      priced++;
      rows.push({
        direction: d.name,
        symbol: names[sym] ?? `#${sym}`,
        spotAsk: spot.ask,
        futuresBid: fut.bid,
        spreadPct: ((fut.bid - spot.ask) / spot.ask) * 100,
        ageMs: (opts.nowWallUs - Math.min(spot.updatedAt, fut.updatedAt)) / 1000,
      });
    }
  }
  rows.sort((a, b) => b.spreadPct - a.spreadPct);
  return { rows: rows.slice(0, opts.limit), pairs, priced };
}

export function renderTop(result: ReturnType<typeof topSpreads>): string {
  const lines = [`pairs ${result.pairs}, both legs live ${result.priced}`, "direction                          symbol            spot ask       futures bid    spread %   age ms"];
  for (const r of result.rows) {
    lines.push(
      `${r.direction.padEnd(34)} ${r.symbol.padEnd(14)} ${fmt(r.spotAsk).padStart(14)} ${fmt(r.futuresBid).padStart(14)} ${r.spreadPct.toFixed(3).padStart(10)} ${Math.round(r.ageMs).toString().padStart(8)}`,
    );
  }
  return lines.join("\n");
}

function fmt(v: number): string {
  return v >= 1 ? v.toFixed(4) : v.toPrecision(6);
}
