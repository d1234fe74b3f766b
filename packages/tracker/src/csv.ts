// The two CSV files of docs/formats.md "Tracker files": per-tick rows and one summary row per tracking.
// Pure: values in, one text line out (and back). RFC 4180 quoting; empty field = no value (NULL / NaN).

/** Columns of a rows file (data/tracks/YYYY-MM-DD/<tracking>.csv), in order. */
export const ROW_COLUMNS = [
  "ts", "direction", "symbol", "state",
  "spot_bid", "spot_ask", "futures_bid", "futures_ask",
  "gross_pct", "net_pct", "net_rt_pct", "spot_age_ms", "futures_age_ms", "missed",
  "funding_rate", "next_funding_at",
] as const;
export const ROW_HEADER = ROW_COLUMNS.join(",") + "\n";
/** Rows files written before funding (issue 14) end at `missed`: still read, and resumed in their own format. */
export const LEGACY_ROW_COLUMNS = 14;
export const LEGACY_ROW_HEADER = ROW_COLUMNS.slice(0, LEGACY_ROW_COLUMNS).join(",") + "\n";

/** Columns of a summary file (data/summary/YYYY-MM-DD.csv, by close day), in order. */
export const SUMMARY_COLUMNS = [
  "opened_at", "closed_at", "direction", "spot_source", "futures_source", "symbol", "reason", "duration_s",
  "first_gross_pct", "last_gross_pct", "peak_gross_pct", "min_gross_pct", "mean_gross_pct", "peak_net_pct",
  "threshold_pct", "threshold_on", "time_above_s", "rows", "missed_ticks", "paused_ticks", "file",
  "funding_settlements", "funding_sum_pct",
] as const;
export const SUMMARY_HEADER = SUMMARY_COLUMNS.join(",") + "\n";
/** Summary files written before funding (issue 14) end at `file`; a day file begun that way stays that way. */
export const LEGACY_SUMMARY_COLUMNS = 21;
export const LEGACY_SUMMARY_HEADER = SUMMARY_COLUMNS.slice(0, LEGACY_SUMMARY_COLUMNS).join(",") + "\n";

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
  /** The futures leg's funding rate per interval (Funding region, fresh only); NaN = none. */
  fundingRate: number;
  /** Its next settlement, wall ms; NaN = none or unknown. */
  nextFundingAtMs: number;
}

/**
 * `names` = the pre-quoted "direction,symbol" part, built once per tracking; `ts` = isoMs(v.tsMs), once per tick;
 * `nextFunding` = the ISO text of v.nextFundingAtMs ("" = none), cached by the caller while it does not change;
 * `legacy` = a pre-funding file (14 columns).
 */
export function formatRow(names: string, v: RowValues, ts = isoMs(v.tsMs), nextFunding = Number.isFinite(v.nextFundingAtMs) ? isoMs(v.nextFundingAtMs) : "", legacy = false): string {
  const head = `${ts},${names},${v.state},${num(v.spotBid)},${num(v.spotAsk)},${num(v.futuresBid)},${num(v.futuresAsk)},${num(v.grossPct)},${num(v.netPct)},${num(v.netRtPct)},${num(v.spotAgeMs)},${num(v.futuresAgeMs)},0`;
  return legacy ? `${head}\n` : `${head},${num(v.fundingRate)},${nextFunding}\n`;
}

/** `n` ticks from tsMs on were not sampled (state missed or paused). */
export function formatGapRow(names: string, tsMs: number, state: "missed" | "paused", n: number, legacy = false): string {
  return `${isoMs(tsMs)},${names},${state},,,,,,,,,,${n}${legacy ? "" : ",,"}\n`;
}

/** The last row of a closed tracking: its state is the close reason. */
export function formatCloseRow(names: string, tsMs: number, reason: CloseReason, legacy = false): string {
  return `${isoMs(tsMs)},${names},${reason},,,,,,,,,,0${legacy ? "" : ",,"}\n`;
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
  /**
   * Funding settlements of the futures leg that fell inside the tracking (opened_at < time ≤ closed_at), with the
   * rate each settled at as last seen; null = the leg's funding was never seen, so none could be detected.
   */
  fundingSettlements: readonly FundingSettlement[] | null;
}

export interface FundingSettlement {
  /** Wall ms of the settlement. */
  readonly atMs: number;
  /** Rate per interval (positive = longs pay shorts). */
  readonly rate: number;
}

/** Percent the short futures leg earned (negative: paid) per unit notional over the settlements; NaN for null. */
export function fundingSumPct(list: readonly FundingSettlement[] | null): number {
  if (list === null) return Number.NaN;
  let sum = 0;
  for (const s of list) sum += s.rate;
  return roundFundingPct(sum * 100);
}

/** Funding percentages carry 6 decimals (rates have up to 8, MEXC/OKX more). */
function roundFundingPct(x: number): number {
  const r = Math.round(x * 1e6) / 1e6;
  return r === 0 ? 0 : r;
}

/** "2026-12-03T08:00:00.000Z@0.0001;…" ("" = none, or the funding was never seen). */
export function formatSettlements(list: readonly FundingSettlement[] | null): string {
  return list === null ? "" : list.map((s) => `${isoMs(s.atMs)}@${s.rate}`).join(";");
}

/** Inverse of formatSettlements; null for a malformed field. */
export function parseSettlements(text: string): FundingSettlement[] | null {
  if (text === "") return [];
  const out: FundingSettlement[] = [];
  for (const part of text.split(";")) {
    const at = part.indexOf("@");
    const atMs = Date.parse(part.slice(0, at));
    const rate = Number(part.slice(at + 1));
    if (at <= 0 || !Number.isFinite(atMs) || part.slice(at + 1) === "" || !Number.isFinite(rate)) return null;
    out.push({ atMs, rate });
  }
  return out;
}

/** `legacy` = a day file begun before funding (21 columns). */
export function formatSummary(s: SummaryValues, legacy = false): string {
  const dur = Math.round(s.closedAtMs - s.openedAtMs) / 1000;
  return [
    isoMs(s.openedAtMs), isoMs(s.closedAtMs), csvField(s.direction), s.spotSource, s.futuresSource, csvField(s.symbol), s.reason,
    num(dur), num(s.firstGrossPct), num(s.lastGrossPct), num(s.peakGrossPct), num(s.minGrossPct), num(s.meanGrossPct),
    num(s.peakNetPct), num(s.thresholdPct), s.thresholdOn, num(s.timeAboveS), String(s.rows), String(s.missedTicks), String(s.pausedTicks),
    csvField(s.file), ...(legacy ? [] : [formatSettlements(s.fundingSettlements), num(fundingSumPct(s.fundingSettlements))]),
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

/**
 * The fields of a data line of a file written with `width` columns or with its pre-funding `legacyWidth`; null for a
 * torn or foreign line (does not split, or another width), which readers skip rather than fail on.
 */
export function fieldsOf(line: string, width: number, legacyWidth: number): string[] | null {
  let f: string[];
  try {
    f = splitCsv(line);
  } catch {
    return null;
  }
  return f.length === width || f.length === legacyWidth ? f : null;
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
  /** NaN in pre-funding files and where the row has none. */
  fundingRate: number;
  nextFundingAtMs: number;
}

/** Parses a data line of a rows file; null when it does not have the shape of one (torn or foreign). */
export function parseRow(line: string): ParsedRow | null {
  const f = fieldsOf(line, ROW_COLUMNS.length, LEGACY_ROW_COLUMNS);
  if (f === null) return null;
  const tsMs = Date.parse(f[0]!);
  const missed = Number(f[13]);
  if (!Number.isFinite(tsMs) || !Number.isInteger(missed) || missed < 0) return null;
  const legacy = f.length === LEGACY_ROW_COLUMNS;
  const nextText = legacy ? "" : f[15]!;
  const nextFundingAtMs = nextText === "" ? Number.NaN : Date.parse(nextText);
  const fundingRate = legacy ? Number.NaN : numOrNaN(f[14]!);
  if (nextText !== "" && !Number.isFinite(nextFundingAtMs)) return null;
  return { tsMs, direction: f[1]!, symbol: f[2]!, state: f[3]!, grossPct: numOrNaN(f[8]!), netPct: numOrNaN(f[9]!), netRtPct: numOrNaN(f[10]!), missed, fundingRate, nextFundingAtMs };
}

export type ParsedSummary = Omit<SummaryValues, "reason"> & { reason: CloseReason; durationS: number; fundingSumPct: number };

/** Parses a data line of a summary file; null when malformed. */
export function parseSummary(line: string): ParsedSummary | null {
  const f = fieldsOf(line, SUMMARY_COLUMNS.length, LEGACY_SUMMARY_COLUMNS);
  if (f === null) return null;
  // Pre-funding rows, and rows whose tracking never saw its funding, have no settlement list (null).
  const fundingKnown = f.length === SUMMARY_COLUMNS.length && f[22] !== "";
  const fundingSettlements = fundingKnown ? parseSettlements(f[21]!) : null;
  if (fundingKnown && fundingSettlements === null) return null;
  const openedAtMs = Date.parse(f[0]!);
  const closedAtMs = Date.parse(f[1]!);
  const reason = f[6]!;
  if (!Number.isFinite(openedAtMs) || !Number.isFinite(closedAtMs) || !isCloseReason(reason)) return null;
  return {
    openedAtMs, closedAtMs, direction: f[2]!, spotSource: f[3]!, futuresSource: f[4]!, symbol: f[5]!, reason,
    durationS: numOrNaN(f[7]!), firstGrossPct: numOrNaN(f[8]!), lastGrossPct: numOrNaN(f[9]!),
    peakGrossPct: numOrNaN(f[10]!), minGrossPct: numOrNaN(f[11]!), meanGrossPct: numOrNaN(f[12]!), peakNetPct: numOrNaN(f[13]!),
    thresholdPct: numOrNaN(f[14]!), thresholdOn: f[15]!, timeAboveS: numOrNaN(f[16]!), rows: Number(f[17]), missedTicks: Number(f[18]),
    pausedTicks: Number(f[19]), file: f[20]!, fundingSettlements, fundingSumPct: fundingKnown ? numOrNaN(f[22]!) : Number.NaN,
  };
}
