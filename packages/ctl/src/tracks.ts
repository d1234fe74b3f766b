// spread-ctl tracks / stats: the tracker's output as a trader reads it (from the files and the tracker's
// status file; no shared memory needed).
import { UsageError } from "@spread/common";
import { formatSummary, SUMMARY_HEADER, STATS_SORT_KEYS, type ParsedSummary, type PairStats, type StatsSortKey, type TrackInfo, type TrackList } from "@spread/tracker";

/** "90m", "24h", "7d", "3600s" or an ISO 8601 time → the window start in ms. */
export function parseSince(text: string, nowMs: number): number {
  const m = /^(\d+(?:\.\d+)?)(s|m|h|d)$/.exec(text.trim());
  if (m) return nowMs - Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as "s" | "m" | "h" | "d"];
  const t = Date.parse(text);
  if (Number.isFinite(t) && /^\d{4}-\d{2}-\d{2}/.test(text)) return t;
  throw new UsageError(`--since "${text}": expected a duration like 90m, 24h, 7d or an ISO 8601 time like 2026-12-01T00:00:00Z`);
}

export function parseSortKey(text: string): StatsSortKey {
  if ((STATS_SORT_KEYS as readonly string[]).includes(text)) return text as StatsSortKey;
  throw new UsageError(`--sort "${text}": one of ${STATS_SORT_KEYS.join(", ")}`);
}

const pct = (x: number | null) => (x === null ? "-" : x.toFixed(4));
const secs = (x: number | null) => (x === null ? "-" : x < 120 ? `${x.toFixed(1)}s` : x < 7200 ? `${(x / 60).toFixed(1)}m` : `${(x / 3600).toFixed(2)}h`);

function table(head: string[], rows: string[][], right: Set<number>): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (right.has(i) ? c.padStart(w[i]!) : c.padEnd(w[i]!))).join("  ").trimEnd();
  return [line(head), ...rows.map(line)].join("\n");
}

export function renderTracks(list: TrackList, limit: number): string {
  const open = list.tracks.filter((t) => t.state === "open");
  const closed = list.tracks.filter((t) => t.state !== "open").slice(0, limit);
  const row = (t: TrackInfo) => [
    t.state, t.direction, t.symbol, t.opened_at.replace("T", " ").slice(0, 19), t.closed_at ? t.closed_at.replace("T", " ").slice(0, 19) : "-",
    secs(t.duration_s), String(t.rows), String(t.missed_ticks), pct(t.peak_gross_pct), pct(t.last_gross_pct), pct(t.funding_sum_pct ?? null), t.last_row ?? "",
  ];
  const head = ["state", "direction", "symbol", "opened (UTC)", "closed (UTC)", "duration", "rows", "missed", "peak %", "last %", "funding %", "last row"];
  const note = list.source === "status" ? "" : list.statusAgeMs === null ? " (tracker status file absent: open trackings read from the files)" : ` (tracker status ${Math.round(list.statusAgeMs / 1000)} s old: tracker not running? open trackings read from the files)`;
  return [
    `open trackings: ${open.length}${note}`,
    table(head, open.map(row), new Set([5, 6, 7, 8, 9, 10])),
    "",
    `recently closed: ${closed.length}`,
    table(head, closed.map(row), new Set([5, 6, 7, 8, 9, 10])),
  ].join("\n");
}

/** Closed summaries as CSV, in the summary file format (header + rows; pre-funding rows get empty funding columns). */
export function tracksCsv(rows: readonly ParsedSummary[]): string {
  return SUMMARY_HEADER + rows.map((r) => formatSummary(r)).join("");
}

export function renderStats(stats: readonly PairStats[], windowText: string): string {
  const head = ["direction", "symbol", "episodes", "converged", "share", "median", "p90", "peak %", "funding %", "net+f %", "open total", "expired", "feed lost"];
  const rows = stats.map((s) => [
    s.direction, s.symbol, String(s.episodes), String(s.converged), `${(s.converged_share * 100).toFixed(1)}%`, secs(s.median_converge_s),
    secs(s.p90_converge_s), pct(s.peak_gross_pct), pct(s.funding_sum_pct), pct(s.net_funding_pct), secs(s.total_open_s), String(s.expired), String(s.feed_lost),
  ]);
  return [
    `${stats.length} pairs with closed trackings ${windowText}; median/p90 = time to converge; funding = earned (+) / paid (-) by the short futures leg inside the trackings; net+f = best peak net + its tracking's funding`,
    table(head, rows, new Set([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])),
  ].join("\n");
}
