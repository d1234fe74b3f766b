// One open tracking of (direction, symbol): its rows file, its running statistics and its tick bookkeeping.
import { DIRECTIONS, SOURCE_NAMES } from "@spread/common";
import { isoMs, namesField, type SummaryValues, type CloseReason } from "./csv.ts";
import type { OutFile } from "./disk.ts";
import { EpisodeStats } from "./stats.ts";

export class Tracking {
  readonly direction: string;
  readonly spotSource: number;
  readonly futuresSource: number;
  /** Pre-quoted "direction,symbol" of every row. */
  readonly names: string;
  /** Next tick (number, = due ms / interval) this tracking must account for, sampled or as a gap. */
  nextTick: number;
  /** Wall ms since a leg has been stale without interruption; NaN while both are live. */
  staleSinceMs = Number.NaN;
  /** Pause run not yet written: first tick and count. */
  pausedFrom = -1;
  pausedCount = 0;
  /** Last row's state (status output). */
  lastState = "";
  /** A rows file begun before funding (14 columns, LEGACY_ROW_HEADER): resumed in its own format. */
  legacyRows = false;
  /** next_funding_at as written, cached while the value stays the same (one ISO string per settlement). */
  private nextFundingMs = Number.NaN;
  private nextFundingIso = "";

  constructor(
    readonly directionId: number,
    public symbolId: number,
    readonly symbol: string,
    readonly openedAtMs: number,
    readonly rel: string,
    readonly file: OutFile,
    readonly stats: EpisodeStats,
    readonly intervalMs: number,
  ) {
    const d = DIRECTIONS[directionId]!;
    this.direction = d.name;
    this.spotSource = d.spot;
    this.futuresSource = d.futures;
    this.names = namesField(d.name, symbol);
    this.nextTick = Math.ceil(openedAtMs / intervalMs);
  }

  /** The ISO text of a next funding time (wall ms; NaN = ""), built once per distinct value. */
  nextFundingText(ms: number): string {
    if (Number.isNaN(ms)) return "";
    if (ms !== this.nextFundingMs) {
      this.nextFundingMs = ms;
      this.nextFundingIso = isoMs(ms);
    }
    return this.nextFundingIso;
  }

  summary(closedAtMs: number, reason: CloseReason): SummaryValues {
    const s = this.stats;
    return {
      openedAtMs: this.openedAtMs,
      closedAtMs,
      direction: this.direction,
      spotSource: SOURCE_NAMES[this.spotSource]!,
      futuresSource: SOURCE_NAMES[this.futuresSource]!,
      symbol: this.symbol,
      reason,
      firstGrossPct: s.firstGross,
      lastGrossPct: s.lastGross,
      peakGrossPct: s.peakGross,
      minGrossPct: s.minGross,
      meanGrossPct: s.meanGross(),
      peakNetPct: s.peakNet,
      thresholdPct: s.thresholdPct,
      thresholdOn: s.thresholdOn,
      timeAboveS: (s.aboveRows * this.intervalMs) / 1000,
      rows: s.rows,
      missedTicks: s.missedTicks,
      pausedTicks: s.pausedTicks,
      file: this.rel,
      fundingSettlements: s.settlementsUntil(closedAtMs, this.openedAtMs),
    };
  }
}
