// The two CSV files of docs/formats.md "Tracker files": per-tick rows and one summary row per tracking.
// Pure: values in, one text line out (and back). RFC 4180 quoting; empty field = no value (NULL / NaN).

/** Columns of a rows file (data/tracks/YYYY-MM-DD/<tracking>.csv), in order. */
export const ROW_COLUMNS = [
  "ts", "direction", "symbol", "state",
  "spot_bid", "spot_ask", "futures_bid", "futures_ask",
  "gross_pct", "net_pct", "net_rt_pct", "spot_age_ms", "futures_age_ms", "missed",
] as const;
export const ROW_HEADER = ROW_COLUMNS.join(",") + "\n";

/** Columns of a summary file (data/summary/YYYY-MM-DD.csv, by close day), in order. */
export const SUMMARY_COLUMNS = [
  "opened_at", "closed_at", "direction", "spot_source", "futures_source", "symbol", "reason", "duration_s",
  "first_gross_pct", "last_gross_pct", "peak_gross_pct", "min_gross_pct", "mean_gross_pct", "peak_net_pct",
  "threshold_pct", "threshold_on", "time_above_s", "rows", "missed_ticks", "paused_ticks", "file",
] as const;
export const SUMMARY_HEADER = SUMMARY_COLUMNS.join(",") + "\n";

/** Row `state`: a sampled tick, a marker for ticks not sampled, or the closing marker (the close reason). */
export const RowState = {
  live: "live",
  spotStale: "spot_stale",
  futuresStale: "futures_stale",
  bothStale: "both_stale",
  missed: "missed",
  paused: "paused",
} as const;
export type RowStateName = (typeof RowState)[keyof typeof RowState];

export const CLOSE_REASONS = ["CONVERGED", "EXPIRED", "FEED_LOST", "DELISTED"] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

export function isCloseReason(s: string): s is CloseReason {
  return (CLOSE_REASONS as readonly string[]).includes(s);
}

/** Percentages are written with 4 decimals; every statistic is computed from the written values. */
export function roundPct(x: number): number {
  const r = Math.round(x * 1e4) / 1e4;
  return r === 0 ? 0 : r;
}

function num(x: number): string {
  return Number.isFinite(x) ? String(x) : "";
}

export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function isoMs(ms: number): string {
  return new Date(ms).toISOString();
}

/** One sampled tick. NaN = no value (a leg that could not be read). */
export interface RowValues {
  tsMs: number;
  state: RowStateName;
  spotBid: number;
  spotAsk: number;
  futuresBid: number;
  futuresAsk: number;
  grossPct: number;
  netPct: number;
  netRtPct: number;
  spotAgeMs: number;
  futuresAgeMs: number;
}

/** `names` = the pre-quoted "direction,symbol" part, built once per tracking; `ts` = isoMs(v.tsMs), once per tick. */
export function formatRow(names: string, v: RowValues, ts = isoMs(v.tsMs)): string {
  return `${ts},${names},${v.state},${num(v.spotBid)},${num(v.spotAsk)},${num(v.futuresBid)},${num(v.futuresAsk)},${num(v.grossPct)},${num(v.netPct)},${num(v.netRtPct)},${num(v.spotAgeMs)},${num(v.futuresAgeMs)},0\n`;
}

/** `n` ticks from tsMs on were not sampled (state missed or paused). */
export function formatGapRow(names: string, tsMs: number, state: "missed" | "paused", n: number): string {
  return `${isoMs(tsMs)},${names},${state},,,,,,,,,,${n}\n`;
}

/** The last row of a closed tracking: its state is the close reason. */
export function formatCloseRow(names: string, tsMs: number, reason: CloseReason): string {
  return `${isoMs(tsMs)},${names},${reason},,,,,,,,,,0\n`;
}

export function namesField(direction: string, symbol: string): string {
  return `${csvField(direction)},${csvField(symbol)}`;
}

export interface SummaryValues {
  openedAtMs: number;
  closedAtMs: number;
  direction: string;
  spotSource: string;
  futuresSource: string;
  symbol: string;
  reason: CloseReason;
  firstGrossPct: number;
  lastGrossPct: number;
  peakGrossPct: number;
  minGrossPct: number;
  meanGrossPct: number;
  peakNetPct: number;
  thresholdPct: number;
  /** What threshold_pct applies to: gross, net or net_round_trip ([engine] open_on). */
  thresholdOn: string;
  timeAboveS: number;
  rows: number;
  missedTicks: number;
  pausedTicks: number;
  /** Rows file, relative to the data directory. */
  file: string;
}

export function formatSummary(s: SummaryValues): string {
  const dur = Math.round(s.closedAtMs - s.openedAtMs) / 1000;
  return [
    isoMs(s.openedAtMs), isoMs(s.closedAtMs), csvField(s.direction), s.spotSource, s.futuresSource, csvField(s.symbol), s.reason,
    num(dur), num(s.firstGrossPct), num(s.lastGrossPct), num(s.peakGrossPct), num(s.minGrossPct), num(s.meanGrossPct),
    num(s.peakNetPct), num(s.thresholdPct), s.thresholdOn, num(s.timeAboveS), String(s.rows), String(s.missedTicks), String(s.pausedTicks),
    csvField(s.file),
  ].join(",") + "\n";
}

/** Splits one CSV line (no line break) into fields; RFC 4180 quotes. */
export function splitCsv(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line.charCodeAt(i) === 34) {
      let s = "";
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) throw new Error("unterminated quoted field");
        s += line.slice(i, q);
        if (line.charCodeAt(q + 1) === 34) {
          s += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      out.push(s);
      if (i >= line.length) return out;
      if (line.charCodeAt(i) !== 44) throw new Error("text after a quoted field");
      i++;
    } else {
      const c = line.indexOf(",", i);
      if (c < 0) {
        out.push(line.slice(i));
        return out;
      }
      out.push(line.slice(i, c));
      i = c + 1;
    }
  }
}

const numOrNaN = (s: string) => (s === "" ? Number.NaN : Number(s));

/** A rows-file line read back (recovery, spread-ctl). */
export interface ParsedRow {
  tsMs: number;
  direction: string;
  symbol: string;
  state: string;
  grossPct: number;
  netPct: number;
  netRtPct: number;
  missed: number;
}

/** Parses a data line of a rows file; null when it does not have the shape of one (torn or foreign). */
export function parseRow(line: string): ParsedRow | null {
  let f: string[];
  try {
    f = splitCsv(line);
  } catch {
    return null;
  }
  if (f.length !== ROW_COLUMNS.length) return null;
  const tsMs = Date.parse(f[0]!);
  const missed = Number(f[13]);
  if (!Number.isFinite(tsMs) || !Number.isInteger(missed) || missed < 0) return null;
  return { tsMs, direction: f[1]!, symbol: f[2]!, state: f[3]!, grossPct: numOrNaN(f[8]!), netPct: numOrNaN(f[9]!), netRtPct: numOrNaN(f[10]!), missed };
}

export type ParsedSummary = Omit<SummaryValues, "reason"> & { reason: CloseReason; durationS: number };

/** Parses a data line of a summary file; null when malformed. */
export function parseSummary(line: string): ParsedSummary | null {
  let f: string[];
  try {
    f = splitCsv(line);
  } catch {
    return null;
  }
  if (f.length !== SUMMARY_COLUMNS.length) return null;
  const openedAtMs = Date.parse(f[0]!);
  const closedAtMs = Date.parse(f[1]!);
  const reason = f[6]!;
  if (!Number.isFinite(openedAtMs) || !Number.isFinite(closedAtMs) || !isCloseReason(reason)) return null;
  return {
    openedAtMs, closedAtMs, direction: f[2]!, spotSource: f[3]!, futuresSource: f[4]!, symbol: f[5]!, reason,
    durationS: numOrNaN(f[7]!), firstGrossPct: numOrNaN(f[8]!), lastGrossPct: numOrNaN(f[9]!),
    peakGrossPct: numOrNaN(f[10]!), minGrossPct: numOrNaN(f[11]!), meanGrossPct: numOrNaN(f[12]!), peakNetPct: numOrNaN(f[13]!),
    thresholdPct: numOrNaN(f[14]!), thresholdOn: f[15]!, timeAboveS: numOrNaN(f[16]!), rows: Number(f[17]), missedTicks: Number(f[18]),
    pausedTicks: Number(f[19]), file: f[20]!,
  };
}
