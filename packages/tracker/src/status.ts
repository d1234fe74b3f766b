// data/tracker-status.json: the tracker's live state for spread-ctl tracks (rewritten atomically every second).
// The counters are also the ones the Health slot cannot hold (bytes written, opens, closes by reason).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SOURCE_NAMES } from "@spread/common";
import { fundingSumPct, isoMs, type CloseReason } from "./csv.ts";
import type { DiskWriter } from "./disk.ts";
import { STATUS_FILE } from "./paths.ts";
import type { ClosedInfo, Tracker } from "./tracker.ts";

/** One tracking as spread-ctl tracks --json prints it. */
export interface TrackInfo {
  direction_id: number;
  direction: string;
  spot_source: string;
  futures_source: string;
  symbol: string;
  /** "open" or the close reason. */
  state: "open" | CloseReason;
  opened_at: string;
  closed_at: string | null;
  duration_s: number;
  rows: number;
  missed_ticks: number;
  peak_gross_pct: number | null;
  last_gross_pct: number | null;
  /** Last row's state (live, spot_stale, …); null once closed. */
  last_row: string | null;
  /** Rows file, absolute. */
  file: string;
  /**
   * Funding the short futures leg earned (negative: paid) from the settlements inside the tracking so far, % per
   * unit notional (summary funding_sum_pct); null when its rows never carried funding. Optional: absent in files
   * written before funding.
   */
  funding_sum_pct?: number | null;
}

export interface TrackerStatus {
  format: "spread-scanner/tracker-status";
  written_at: string;
  pid: number;
  paused: boolean;
  disk_failing: boolean;
  last_error: string | null;
  counters: {
    events_consumed: number;
    events_invalid: number;
    events_duplicate: number;
    opens: number;
    resumed: number;
    rows_written: number;
    bytes_written: number;
    missed_ticks: number;
    write_errors: number;
    buffered_bytes: number;
    closes: Record<CloseReason, number>;
    /** Funding settlements inside trackings that no row named (a gap in the leg's funding longer than its interval). Optional: absent in files written before it. */
    funding_settlements_unknown?: number;
  };
  open: TrackInfo[];
  recent_closed: TrackInfo[];
  /** How late ticks started over the last minute (written by the runtime). */
  schedule?: { ticks: number; late_p50_ms: number; late_p99_ms: number; late_max_ms: number };
}

const orNull = (x: number) => (Number.isFinite(x) ? x : null);

export function closedInfo(root: string, c: ClosedInfo | (Omit<ClosedInfo, "directionId"> & { directionId: number })): TrackInfo {
  return {
    direction_id: c.directionId,
    direction: c.direction,
    spot_source: c.spotSource,
    futures_source: c.futuresSource,
    symbol: c.symbol,
    state: c.reason,
    opened_at: isoMs(c.openedAtMs),
    closed_at: isoMs(c.closedAtMs),
    duration_s: Math.round(c.closedAtMs - c.openedAtMs) / 1000,
    rows: c.rows,
    missed_ticks: c.missedTicks,
    peak_gross_pct: orNull(c.peakGrossPct),
    last_gross_pct: orNull(c.lastGrossPct),
    last_row: null,
    file: join(root, c.file),
    funding_sum_pct: orNull(fundingSumPct(c.fundingSettlements)),
  };
}

export function buildStatus(root: string, tr: Tracker, disk: DiskWriter, nowMs: number): TrackerStatus {
  const c = tr.counters;
  return {
    format: "spread-scanner/tracker-status",
    written_at: isoMs(nowMs),
    pid: process.pid,
    paused: tr.paused,
    disk_failing: disk.failing,
    last_error: disk.lastError,
    counters: {
      events_consumed: c.eventsConsumed,
      events_invalid: c.eventsInvalid,
      events_duplicate: c.eventsDuplicate,
      opens: c.opens,
      resumed: c.resumed,
      rows_written: c.rowsWritten,
      bytes_written: disk.bytesWritten,
      missed_ticks: c.missedTicks,
      write_errors: disk.writeErrors,
      buffered_bytes: disk.bufferedBytes(),
      closes: { ...c.closes },
      funding_settlements_unknown: c.fundingUnknownSettlements,
    },
    open: tr.active.map((t) => ({
      direction_id: t.directionId,
      direction: t.direction,
      spot_source: SOURCE_NAMES[t.spotSource]!,
      futures_source: SOURCE_NAMES[t.futuresSource]!,
      symbol: t.symbol,
      state: "open" as const,
      opened_at: isoMs(t.openedAtMs),
      closed_at: null,
      duration_s: Math.round(nowMs - t.openedAtMs) / 1000,
      rows: t.stats.rows,
      missed_ticks: t.stats.missedTicks,
      peak_gross_pct: orNull(t.stats.peakGross),
      last_gross_pct: orNull(t.stats.lastGross),
      last_row: t.lastState || null,
      file: join(root, t.rel),
      funding_sum_pct: orNull(fundingSumPct(t.stats.fundingSeen ? t.stats.settlements : null)),
    })),
    recent_closed: tr.recent.map((r) => closedInfo(root, r)).reverse(),
  };
}

/** Reads the status file of a data directory; null when absent or unreadable. */
export function readStatus(root: string): TrackerStatus | null {
  try {
    const s = JSON.parse(readFileSync(join(root, STATUS_FILE), "utf8")) as TrackerStatus;
    return s.format === "spread-scanner/tracker-status" ? s : null;
  } catch {
    return null;
  }
}
