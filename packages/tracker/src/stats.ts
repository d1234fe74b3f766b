// Running statistics of one tracking, fed with the values exactly as written to its rows file, so the summary
// row always matches the rows (and recovery rebuilds the same numbers by reading the file back).
import { RowState, roundPct } from "./csv.ts";

export type ThresholdOn = "gross" | "net" | "net_round_trip";

export class EpisodeStats {
  /** Sampled rows (live or stale). */
  rows = 0;
  liveRows = 0;
  missedTicks = 0;
  pausedTicks = 0;
  peakGross = Number.NaN;
  minGross = Number.NaN;
  sumGross = 0;
  peakNet = Number.NaN;
  /** Live rows whose gross was at or above the threshold. */
  aboveRows = 0;
  firstGross = Number.NaN;
  lastGross = Number.NaN;
  /** ts of the last row of any kind (sampled or gap), ms; NaN before the first. */
  lastTickMs = Number.NaN;

  /** `thresholdOn`: which figure time_above compares with threshold_pct (gross, net or net_round_trip). */
  constructor(
    readonly thresholdPct: number,
    readonly thresholdOn: ThresholdOn = "gross",
  ) {}

  /** One sampled row; the figures as written (already rounded), NaN when absent. */
  addSample(tsMs: number, state: string, gross: number, net: number, netRt: number): void {
    this.rows++;
    this.lastTickMs = tsMs;
    if (state !== RowState.live || Number.isNaN(gross)) return;
    if (this.liveRows === 0) this.firstGross = gross;
    this.liveRows++;
    this.lastGross = gross;
    this.sumGross += gross;
    if (!(gross <= this.peakGross)) this.peakGross = gross;
    if (!(gross >= this.minGross)) this.minGross = gross;
    if (!Number.isNaN(net) && !(net <= this.peakNet)) this.peakNet = net;
    const m = this.thresholdOn === "gross" ? gross : this.thresholdOn === "net" ? net : netRt;
    if (m >= this.thresholdPct) this.aboveRows++;
  }

  /** `n` ticks starting at tsMs were not sampled. */
  addGap(tsMs: number, state: "missed" | "paused", n: number, intervalMs: number): void {
    if (state === "paused") this.pausedTicks += n;
    else this.missedTicks += n;
    this.lastTickMs = tsMs + (n - 1) * intervalMs;
  }

  meanGross(): number {
    return this.liveRows === 0 ? Number.NaN : roundPct(this.sumGross / this.liveRows);
  }
}
