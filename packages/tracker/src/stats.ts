// Running statistics of one tracking, fed with the values exactly as written to its rows file, so the summary
// row always matches the rows (and recovery rebuilds the same numbers by reading the file back).
import { RowState, roundPct, type FundingSettlement } from "./csv.ts";

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
  /** A row carried the futures leg's funding (settlements can be detected). */
  fundingSeen = false;
  /** Settlements detected so far (opened_at < time ≤ the row that showed it passed). */
  readonly settlements: FundingSettlement[] = [];
  /** The settlement the rows announce (their next_funding_at), wall ms, and the rate last seen for it. */
  private pendingAtMs = Number.NaN;
  private pendingRate = Number.NaN;
  /** The last settlement accounted for (recorded, or before the open): rows still showing it are not new. */
  private settledAtMs = Number.NaN;
  /**
   * Settlements inside the tracking that no row named (a funding gap longer than the interval, or funding first
   * seen after one), so they are not listed: judged with the interval the caller passes (the Funding region's,
   * which the rows do not hold), hence counted live only, never rebuilt by recovery.
   */
  unknownSettlements = 0;

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

  /**
   * The funding columns of a sampled row (NaN = none). A settlement is the announced next_funding_at once a row's
   * tick reaches it; it counts when it is after the open, with the rate the rows showed for it last (the venue's
   * live estimate until the instant). The feed rolls over at its next poll after the instant, so rows just after it
   * may still name it: they are not a new settlement, and their rate (polled before the instant, or the venue's
   * still unrolled value) is the last one shown for it. A row naming a settlement at or before one already accounted
   * for (a lagging fallback host, a feed restart) is never a new one. Rows without funding (none collected, stale:
   * a poll gap) change nothing; a settlement whose instant passes during such a gap is recorded at the first row
   * past it with the rate last shown before the gap; one the rows never named (a gap longer than the interval) is
   * not known and not recorded.
   */
  addFunding(tsMs: number, rate: number, nextAtMs: number, openedAtMs: number, intervalMs = Number.NaN): void {
    this.settleDue(tsMs, openedAtMs);
    if (Number.isNaN(rate)) return;
    this.fundingSeen = true;
    if (Number.isNaN(nextAtMs)) return;
    if (nextAtMs <= this.settledAtMs) {
      const n = this.settlements.length;
      const last = n > 0 ? this.settlements[n - 1]! : null;
      // Rows still naming the settlement just recorded carry the rate it settled at: keep the latest one.
      if (nextAtMs === this.settledAtMs && last !== null && last.atMs === nextAtMs && last.rate !== rate) this.settlements[n - 1] = { atMs: nextAtMs, rate };
      return;
    }
    if (nextAtMs !== this.pendingAtMs && intervalMs > 0) this.unknownSettlements += this.unnamedBefore(nextAtMs, intervalMs, openedAtMs, tsMs);
    this.pendingAtMs = nextAtMs;
    this.pendingRate = rate;
    this.settleDue(tsMs, openedAtMs); // first seen after its instant (a gap, a restart)
  }

  /**
   * Settlements between the last one accounted for (or the open) and a newly announced `nextAtMs`, one interval
   * apart, that fell inside the tracking: none when the rows moved on in order; a pending one replaced before its
   * instant is a schedule change, not a gap.
   */
  private unnamedBefore(nextAtMs: number, intervalMs: number, openedAtMs: number, tsMs: number): number {
    if (!Number.isNaN(this.pendingAtMs)) return 0;
    // Instants nextAtMs − j × interval (j ≥ 1) after `lower` and already passed (≤ tsMs).
    const lower = Number.isNaN(this.settledAtMs) ? openedAtMs : Math.max(openedAtMs, this.settledAtMs + intervalMs / 2);
    const first = Math.max(1, Math.ceil((nextAtMs - tsMs) / intervalMs));
    const last = Math.ceil((nextAtMs - lower) / intervalMs) - 1;
    return Math.max(0, last - first + 1);
  }

  private settleDue(tsMs: number, openedAtMs: number): void {
    const at = this.pendingAtMs;
    if (!(at <= tsMs)) return;
    if (at > openedAtMs) this.settlements.push({ atMs: at, rate: this.pendingRate });
    this.settledAtMs = at;
    this.pendingAtMs = Number.NaN;
  }

  /** Settlements inside (opened_at, closedAtMs]; null when no row ever carried funding. */
  settlementsUntil(closedAtMs: number, openedAtMs: number): FundingSettlement[] | null {
    if (!this.fundingSeen) return null;
    const at = this.pendingAtMs;
    if (at <= closedAtMs && at > openedAtMs) return [...this.settlements, { atMs: at, rate: this.pendingRate }];
    return [...this.settlements];
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
