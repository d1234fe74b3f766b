// One open tracking of (direction, symbol): its rows file, its running statistics and its tick bookkeeping.
import { DIRECTIONS, SOURCE_NAMES } from "@spread/common";
import { namesField, type SummaryValues, type CloseReason } from "./csv.ts";
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
    };
  }
}
