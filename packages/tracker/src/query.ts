// Read side of the files for spread-ctl: closed trackings from the summary files, open ones from the status
// file (or, when the tracker is not running, from the rows files), and per-pair statistics over a window.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DIRECTIONS, SOURCE_NAMES } from "@spread/common";
import { fundingSumPct, isoMs, LEGACY_SUMMARY_HEADER, parseSummary, SUMMARY_HEADER, type ParsedSummary } from "./csv.ts";
import { dayStartMs, isDayName, SUMMARY_DIR } from "./paths.ts";
import { scanTracks } from "./recover.ts";
import { closedInfo, readStatus, type TrackInfo } from "./status.ts";

const DAY_MS = 86_400_000;
/** A status file older than this means the tracker is not running. */
export const STATUS_FRESH_MS = 5000;

export interface SummaryRead {
  rows: ParsedSummary[];
  /** Raw lines (for --csv), in file order. */
  lines: string[];
  badLines: number;
}

/** Summary rows of trackings closed at or after `sinceMs` (reads only the day files that can hold them). */
export function readSummaries(root: string, sinceMs: number): SummaryRead {
  const out: SummaryRead = { rows: [], lines: [], badLines: 0 };
  let files: string[];
  try {
    files = readdirSync(join(root, SUMMARY_DIR)).filter((n) => n.endsWith(".csv") && isDayName(n.slice(0, -4))).sort();
  } catch {
    return out;
  }
  for (const f of files) {
    if (dayStartMs(f.slice(0, -4)) + DAY_MS <= sinceMs) continue;
    const text = readFileSync(join(root, SUMMARY_DIR, f), "utf8");
    for (const line of text.split("\n")) {
      if (line === "" || `${line}\n` === SUMMARY_HEADER || `${line}\n` === LEGACY_SUMMARY_HEADER) continue;
      const s = parseSummary(line);
      if (!s) {
        out.badLines++;
        continue;
      }
      if (s.closedAtMs < sinceMs) continue;
      out.rows.push(s);
      out.lines.push(line);
    }
  }
  return out;
}

function directionId(name: string): number {
  return DIRECTIONS.find((d) => d.name === name)?.id ?? -1;
}

export interface TrackList {
  /** Open first (newest first), then closed (newest first). */
  tracks: TrackInfo[];
  /** Where the open ones came from. */
  source: "status" | "files";
  statusAgeMs: number | null;
}

/** Active trackings and those closed since `sinceMs`. */
export async function listTracks(root: string, sinceMs: number, nowMs: number): Promise<TrackList> {
  const status = readStatus(root);
  const statusAgeMs = status ? nowMs - Date.parse(status.written_at) : null;
  let open: TrackInfo[];
  let source: TrackList["source"];
  if (status && statusAgeMs !== null && statusAgeMs <= STATUS_FRESH_MS) {
    open = status.open;
    source = "status";
  } else {
    const scan = await scanTracks(root, { pct: Number.NaN, on: "gross" }, 200, false);
    open = scan.open.map((s) => {
      const d = DIRECTIONS[s.directionId]!;
      return {
        direction_id: d.id, direction: d.name, spot_source: SOURCE_NAMES[d.spot]!, futures_source: SOURCE_NAMES[d.futures]!,
        symbol: s.symbol, state: "open" as const, opened_at: isoMs(s.openedAtMs), closed_at: null,
        duration_s: Math.round(nowMs - s.openedAtMs) / 1000, rows: s.stats.rows, missed_ticks: s.stats.missedTicks,
        peak_gross_pct: Number.isFinite(s.stats.peakGross) ? s.stats.peakGross : null,
        last_gross_pct: Number.isFinite(s.stats.lastGross) ? s.stats.lastGross : null, last_row: null, file: join(root, s.rel),
        funding_sum_pct: s.stats.fundingSeen ? fundingSumPct(s.stats.settlements) : null,
      };
    });
    source = "files";
  }
  const closed = readSummaries(root, sinceMs).rows.map((s) => closedInfo(root, { ...s, directionId: directionId(s.direction) }));
  // The status file lags by up to a second: a tracking it still shows open may already have its summary row.
  const closedFiles = new Set(closed.map((c) => c.file));
  open = open.filter((o) => !closedFiles.has(o.file));
  open.sort((a, b) => b.opened_at.localeCompare(a.opened_at));
  closed.sort((a, b) => (b.closed_at ?? "").localeCompare(a.closed_at ?? ""));
  return { tracks: [...open, ...closed], source, statusAgeMs };
}

/** Per (direction, symbol) over a window: "how often does this pair converge, and how fast". */
export interface PairStats {
  direction_id: number;
  direction: string;
  spot_source: string;
  futures_source: string;
  symbol: string;
  episodes: number;
  converged: number;
  converged_share: number;
  median_converge_s: number | null;
  p90_converge_s: number | null;
  peak_gross_pct: number | null;
  /** Max of peak_net_pct over the episodes. */
  peak_net_pct: number | null;
  /** Sum of funding_sum_pct over the episodes whose rows carried funding; null when none did. */
  funding_sum_pct: number | null;
  /**
   * The spread net of fees and funding: max over the episodes with funding known of peak_net_pct + funding_sum_pct
   * (the best entry net of both taker fees, plus what holding through the tracking earned or paid); null if none.
   */
  net_funding_pct: number | null;
  total_open_s: number;
  expired: number;
  feed_lost: number;
  delisted: number;
}

/** Nearest-rank percentile of an ascending list. */
export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function pairStats(rows: readonly ParsedSummary[]): PairStats[] {
  const groups = new Map<string, ParsedSummary[]>();
  for (const r of rows) {
    const k = `${r.direction}\u0000${r.symbol}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(r);
  }
  const out: PairStats[] = [];
  for (const g of groups.values()) {
    const f = g[0]!;
    const conv = g.filter((r) => r.reason === "CONVERGED").map((r) => r.durationS).sort((a, b) => a - b);
    const peaks = g.map((r) => r.peakGrossPct).filter(Number.isFinite);
    const peakNets = g.map((r) => r.peakNetPct).filter(Number.isFinite);
    const withFunding = g.filter((r) => Number.isFinite(r.fundingSumPct));
    const netFunding = withFunding.map((r) => r.peakNetPct + r.fundingSumPct).filter(Number.isFinite);
    const r3 = (x: number) => Math.round(x * 1000) / 1000;
    const r6 = (x: number) => Math.round(x * 1e6) / 1e6;
    out.push({
      direction_id: directionId(f.direction),
      direction: f.direction,
      spot_source: f.spotSource,
      futures_source: f.futuresSource,
      symbol: f.symbol,
      episodes: g.length,
      converged: conv.length,
      converged_share: Math.round((conv.length / g.length) * 10000) / 10000,
      median_converge_s: nearestRank(conv, 50),
      p90_converge_s: nearestRank(conv, 90),
      peak_gross_pct: peaks.length ? Math.max(...peaks) : null,
      peak_net_pct: peakNets.length ? Math.max(...peakNets) : null,
      funding_sum_pct: withFunding.length ? r6(withFunding.reduce((a, r) => a + r.fundingSumPct, 0)) : null,
      net_funding_pct: netFunding.length ? r6(Math.max(...netFunding)) : null,
      total_open_s: r3(g.reduce((a, r) => a + r.durationS, 0)),
      expired: g.filter((r) => r.reason === "EXPIRED").length,
      feed_lost: g.filter((r) => r.reason === "FEED_LOST").length,
      delisted: g.filter((r) => r.reason === "DELISTED").length,
    });
  }
  return out;
}

export const STATS_SORT_KEYS = ["episodes", "converged", "share", "median", "p90", "peak", "net_funding", "open", "symbol"] as const;
export type StatsSortKey = (typeof STATS_SORT_KEYS)[number];

/** Sorts in place: counts, share, peak, net of funding and open time descending; times to converge ascending (fastest first). */
export function sortPairStats(list: PairStats[], key: StatsSortKey, reverse = false): PairStats[] {
  const val = (p: PairStats): number | string => {
    switch (key) {
      case "episodes": return -p.episodes;
      case "converged": return -p.converged;
      case "share": return -p.converged_share;
      case "median": return p.median_converge_s ?? Number.POSITIVE_INFINITY;
      case "p90": return p.p90_converge_s ?? Number.POSITIVE_INFINITY;
      case "peak": return -(p.peak_gross_pct ?? Number.NEGATIVE_INFINITY);
      case "net_funding": return -(p.net_funding_pct ?? Number.NEGATIVE_INFINITY); // pairs without funding last
      case "open": return -p.total_open_s;
      case "symbol": return `${p.symbol}\u0000${p.direction}`;
    }
  };
  list.sort((a, b) => {
    const x = val(a);
    const y = val(b);
    const c = x < y ? -1 : x > y ? 1 : `${a.symbol}${a.direction}`.localeCompare(`${b.symbol}${b.direction}`);
    return reverse ? -c : c;
  });
  return list;
}
