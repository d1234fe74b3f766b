// The tracker's core, free of process concerns (tests drive it directly): signals open trackings, every tick
// samples both legs of every tracking into its rows file, and the close rules end them. I/O is buffered in a
// DiskWriter; the Price Store, the shared tracked state and the spread math come in as small interfaces.
import { DIRECTIONS, MAX_SYMBOLS, NUM_DIRECTIONS } from "@spread/common";
import { FundingFlag, FundingValue, PriceFlag, PriceRecord } from "@spread/shm";
import {
  formatCloseRow, formatGapRow, formatRow, formatSummary, isoMs, LEGACY_SUMMARY_HEADER, RowState, roundPct, SUMMARY_HEADER, ROW_HEADER,
  type CloseReason, type RowStateName, type RowValues, type SummaryValues,
} from "./csv.ts";
import type { DiskWriter, OutFile } from "./disk.ts";
import { quoteUsable } from "@spread/engine";
import type { Threshold } from "./recover.ts";
import { summaryRelPath, trackRelPath } from "./paths.ts";
import { EpisodeStats } from "./stats.ts";
import { Tracking } from "./tracking.ts";

export interface LegReader {
  /** SeqLock read of (source, symbol) into `out`; false when the entry stayed busy. */
  read(source: number, symbol: number, out: PriceRecord): boolean;
}

/** The Funding region as the tracker reads it (FundingStore; the runtime flags a dead feed's entries stale). */
export interface FundingReader {
  read(source: number, symbol: number, out: FundingValue): boolean;
}

/** The shared tracked state (engine ↔ tracker) as the tracker uses it. */
export interface PairState {
  markTracked(directionId: number, symbolId: number): void;
  free(directionId: number, symbolId: number): void;
}

export interface SpreadMath {
  /** (futures bid − spot ask) / spot ask × 100. */
  grossPct(spotAsk: number, futuresBid: number): number;
  /** Gross minus the entry taker fees of both legs. */
  netPct(directionId: number, grossPct: number): number;
  /** Gross minus entry and exit taker fees (four fills). */
  netRoundTripPct(directionId: number, grossPct: number): number;
}

export interface TrackerSettings {
  readonly intervalMs: number;
  readonly maxDurationMs: number;
  readonly closeSpreadPct: number;
  /** Threshold for time_above_s (the engine's open threshold and the figure it applies to). */
  readonly threshold: Threshold;
  /** Age bound of a leg, by source_id. */
  readonly staleAfterMs: ArrayLike<number>;
  readonly feedLostAfterMs: number;
  readonly recentClosed: number;
}

export class TrackerCounters {
  eventsConsumed = 0;
  eventsInvalid = 0;
  /** Signals for a pair already tracked (the engine re-signalled; ignored). */
  eventsDuplicate = 0;
  opens = 0;
  resumed = 0;
  rowsWritten = 0;
  missedTicks = 0;
  closes: Record<CloseReason, number> = { CONVERGED: 0, EXPIRED: 0, FEED_LOST: 0, DELISTED: 0 };
  /** Funding settlements inside trackings that no row named (a funding gap longer than the interval): not listed. */
  fundingUnknownSettlements = 0;
  /** Ticks whose start was later than due, max over the last status period (ms). */
  lateMaxMs = 0;
}

export interface ClosedInfo extends SummaryValues {
  readonly directionId: number;
}

const pairIndex = (d: number, s: number) => d * MAX_SYMBOLS + s;

export class Tracker {
  readonly counters = new TrackerCounters();
  private readonly byPair: (Tracking | null)[] = new Array(NUM_DIRECTIONS * MAX_SYMBOLS).fill(null);
  readonly active: Tracking[] = [];
  readonly recent: ClosedInfo[] = [];
  paused = false;
  /** Last tick run (numbered from the epoch). */
  lastTick = -1;
  private readonly summaries = new Map<string, OutFile>();
  /** Summary day files begun before funding (their rows stay 21 columns). */
  private readonly legacySummaries = new Set<string>();
  private readonly fv = new FundingValue();
  private readonly spot = new PriceRecord();
  private readonly fut = new PriceRecord();
  private readonly row: RowValues = {
    tsMs: 0, state: RowState.live, spotBid: 0, spotAsk: 0, futuresBid: 0, futuresAsk: 0, grossPct: 0, netPct: 0,
    netRtPct: 0, spotAgeMs: 0, futuresAgeMs: 0, fundingRate: Number.NaN, nextFundingAtMs: Number.NaN,
  };

  constructor(
    readonly cfg: TrackerSettings,
    private readonly disk: DiskWriter,
    private readonly prices: LegReader,
    private readonly pairs: PairState,
    private readonly math: SpreadMath,
    /** symbol_id → name of the loaded generation. */
    public names: readonly string[],
    private readonly monoUs: () => number,
    /** The futures legs' funding; absent = rows without funding values. */
    private readonly funding: FundingReader | null = null,
  ) {}

  get(directionId: number, symbolId: number): Tracking | null {
    return this.byPair[pairIndex(directionId, symbolId)] ?? null;
  }

  /**
   * A signal for (direction, symbol) at wall ms `atMs`: opens a tracking unless the pair is tracked.
   * Returns the tracking opened, or null (duplicate or invalid: counted).
   */
  onSignal(directionId: number, symbolId: number, spotSource: number, futuresSource: number, atMs: number): Tracking | null {
    this.counters.eventsConsumed++;
    const d = DIRECTIONS[directionId];
    if (!d || d.spot !== spotSource || d.futures !== futuresSource || symbolId >= this.names.length) {
      this.counters.eventsInvalid++;
      return null;
    }
    if (this.get(directionId, symbolId)) {
      this.counters.eventsDuplicate++;
      this.pairs.markTracked(directionId, symbolId);
      return null;
    }
    const symbol = this.names[symbolId]!;
    const rel = trackRelPath(atMs, d.name, symbol);
    const t = new Tracking(directionId, symbolId, symbol, atMs, rel, this.disk.open(rel, ROW_HEADER), new EpisodeStats(this.cfg.threshold.pct, this.cfg.threshold.on), this.cfg.intervalMs);
    // A signal that reaches us after the tick following it starts at the next tick, not with a missed one.
    if (t.nextTick <= this.lastTick) t.nextTick = this.lastTick + 1;
    this.add(t);
    this.counters.opens++;
    return t;
  }

  /** Adds a tracking (new or recovered from its file) and claims the pair in the shared state. */
  add(t: Tracking): void {
    this.byPair[pairIndex(t.directionId, t.symbolId)] = t;
    this.active.push(t);
    this.pairs.markTracked(t.directionId, t.symbolId);
  }

  /** Tick k (due at k × interval). `canWrite` = the disk buffer has room; when not, the tick counts as missed. */
  onTick(k: number): void {
    this.lastTick = k;
    const intervalMs = this.cfg.intervalMs;
    const tsMs = k * intervalMs;
    const canWrite = this.disk.canAccept();
    const mono = this.monoUs();
    const iso = isoMs(tsMs);
    for (let i = this.active.length - 1; i >= 0; i--) {
      const t = this.active[i]!;
      if (k < t.nextTick) continue;
      if (this.paused) {
        if (t.pausedCount === 0) t.pausedFrom = t.nextTick;
        t.pausedCount += k - t.nextTick + 1;
        t.nextTick = k + 1;
        if (tsMs - t.openedAtMs >= this.cfg.maxDurationMs) this.close(t, "EXPIRED", tsMs);
        continue;
      }
      if (!canWrite) continue; // the gap row written once the disk takes text again covers these ticks
      this.writePaused(t);
      this.writeGap(t, k);
      t.nextTick = k + 1;
      const r = this.sample(t, tsMs, mono);
      this.disk.append(t.file, formatRow(t.names, r, iso, t.nextFundingText(r.nextFundingAtMs), t.legacyRows));
      t.stats.addSample(tsMs, r.state, r.grossPct, r.netPct, r.netRtPct);
      // Only what the file holds: a pre-funding file resumed in its own format detects no settlements.
      if (!t.legacyRows) {
        const unknown = t.stats.unknownSettlements;
        // The region's interval (not in the rows) tells settlements a funding gap hid from the rows: counted only.
        const ivMs = Number.isFinite(r.fundingRate) && this.fv.intervalMin > 0 ? this.fv.intervalMin * 60_000 : Number.NaN;
        t.stats.addFunding(tsMs, r.fundingRate, r.nextFundingAtMs, t.openedAtMs, ivMs);
        this.counters.fundingUnknownSettlements += t.stats.unknownSettlements - unknown;
      }
      t.lastState = r.state;
      this.counters.rowsWritten++;
      if (r.state === RowState.live) t.staleSinceMs = Number.NaN;
      else if (Number.isNaN(t.staleSinceMs)) t.staleSinceMs = tsMs;
      const reason = this.closeReason(t, r, tsMs);
      if (reason) this.close(t, reason, tsMs);
    }
  }

  /** Records ticks nextTick..k-1 (not sampled) as one missed row. */
  writeGap(t: Tracking, k: number): void {
    if (k <= t.nextTick) return;
    const n = k - t.nextTick;
    const at = t.nextTick * this.cfg.intervalMs;
    this.disk.append(t.file, formatGapRow(t.names, at, "missed", n, t.legacyRows));
    t.stats.addGap(at, "missed", n, this.cfg.intervalMs);
    this.counters.missedTicks += n;
    t.nextTick = k;
  }

  private writePaused(t: Tracking): void {
    if (t.pausedCount === 0) return;
    const at = t.pausedFrom * this.cfg.intervalMs;
    this.disk.append(t.file, formatGapRow(t.names, at, "paused", t.pausedCount, t.legacyRows));
    t.stats.addGap(at, "paused", t.pausedCount, this.cfg.intervalMs);
    t.pausedCount = 0;
  }

  private closeReason(t: Tracking, r: RowValues, tsMs: number): CloseReason | null {
    if (r.state === RowState.live && r.grossPct <= this.cfg.closeSpreadPct) return "CONVERGED";
    if (tsMs - t.openedAtMs >= this.cfg.maxDurationMs) return "EXPIRED";
    if (!Number.isNaN(t.staleSinceMs) && tsMs - t.staleSinceMs >= this.cfg.feedLostAfterMs) return "FEED_LOST";
    return null;
  }

  /** Reads both legs; a leg that is invalid, flagged stale or older than stale_after_ms makes the row stale. */
  private sample(t: Tracking, tsMs: number, mono: number): RowValues {
    const r = this.row;
    const s = this.spot;
    const f = this.fut;
    const sOk = this.prices.read(t.spotSource, t.symbolId, s) && (s.flags & PriceFlag.valid) !== 0;
    const fOk = this.prices.read(t.futuresSource, t.symbolId, f) && (f.flags & PriceFlag.valid) !== 0;
    r.tsMs = tsMs;
    r.spotBid = sOk ? s.bid : Number.NaN;
    r.spotAsk = sOk ? s.ask : Number.NaN;
    r.futuresBid = fOk ? f.bid : Number.NaN;
    r.futuresAsk = fOk ? f.ask : Number.NaN;
    r.spotAgeMs = sOk ? Math.max(0, Math.round((mono - s.recvMono) / 1000)) : Number.NaN;
    r.futuresAgeMs = fOk ? Math.max(0, Math.round((mono - f.recvMono) / 1000)) : Number.NaN;
    // Not live: unreadable, flagged stale (by its feed, or its feed is not publishing), older than its source's
    // bound, or a crossed / zero quote (a broken book is no price).
    const sStale = !sOk || (s.flags & PriceFlag.stale) !== 0 || r.spotAgeMs > this.cfg.staleAfterMs[t.spotSource]! || !quoteUsable(s.bid, s.ask);
    const fStale = !fOk || (f.flags & PriceFlag.stale) !== 0 || r.futuresAgeMs > this.cfg.staleAfterMs[t.futuresSource]! || !quoteUsable(f.bid, f.ask);
    r.state = (sStale ? (fStale ? RowState.bothStale : RowState.spotStale) : fStale ? RowState.futuresStale : RowState.live) as RowStateName;
    if (sOk && fOk && s.ask > 0) {
      const g = this.math.grossPct(s.ask, f.bid);
      r.grossPct = roundPct(g);
      r.netPct = roundPct(this.math.netPct(t.directionId, g));
      r.netRtPct = roundPct(this.math.netRoundTripPct(t.directionId, g));
    } else {
      r.grossPct = r.netPct = r.netRtPct = Number.NaN;
    }
    // The futures leg's funding when fresh (valid, not stale: a dead feed's entries read as stale); next time in
    // whole ms as written, so recovery detects the same settlements from the file.
    const fv = this.fv;
    if (this.funding && this.funding.read(t.futuresSource, t.symbolId, fv) && (fv.flags & (FundingFlag.valid | FundingFlag.stale)) === FundingFlag.valid && Number.isFinite(fv.rate)) {
      r.fundingRate = fv.rate;
      r.nextFundingAtMs = fv.nextFundingAt > 0 ? Math.floor(fv.nextFundingAt / 1000) : Number.NaN;
    } else {
      r.fundingRate = r.nextFundingAtMs = Number.NaN;
    }
    return r;
  }

  /** Ends a tracking: close row, summary row, file closed, pair free for a new signal at once. */
  close(t: Tracking, reason: CloseReason, atMs: number): void {
    this.writePaused(t);
    this.disk.append(t.file, formatCloseRow(t.names, atMs, reason, t.legacyRows));
    this.disk.close(t.file);
    const summary = t.summary(atMs, reason);
    this.appendSummary(summary);
    if (this.remove(t)) this.pairs.free(t.directionId, t.symbolId);
    this.counters.closes[reason]++;
    this.recent.push({ ...summary, directionId: t.directionId });
    if (this.recent.length > this.cfg.recentClosed) this.recent.splice(0, this.recent.length - this.cfg.recentClosed);
  }

  /** Appends a summary row to the file of its close day (synced at once: it is what stats are built from). */
  appendSummary(s: SummaryValues): void {
    const rel = summaryRelPath(s.closedAtMs);
    let f = this.summaries.get(rel);
    if (!f || f.closed) {
      for (const [k, old] of this.summaries) if (k !== rel) this.disk.close(old), this.summaries.delete(k);
      f = this.disk.open(rel, SUMMARY_HEADER);
      f.syncAfterWrite = true;
      this.summaries.set(rel, f);
      // A day file begun by a pre-funding tracker keeps its 21 columns, so the file stays one table.
      if (this.disk.headLine(rel) === LEGACY_SUMMARY_HEADER) this.legacySummaries.add(rel);
    }
    this.disk.append(f, formatSummary(s, this.legacySummaries.has(rel)));
  }

  /** Forgets an active tracking; false when it was not the pair's tracking (closed during recovery). */
  private remove(t: Tracking): boolean {
    const idx = pairIndex(t.directionId, t.symbolId);
    const owned = this.byPair[idx] === t;
    if (owned) this.byPair[idx] = null;
    const i = this.active.indexOf(t);
    if (i >= 0) this.active.splice(i, 1);
    return owned;
  }

  /**
   * A new generation: trackings whose pair is gone are closed as DELISTED; a symbol whose id moved follows it
   * (the shared state is moved with it). `listed(direction, symbolId)` = the pair is in the new directions.bin.
   */
  reload(names: readonly string[], listed: (directionId: number, symbolId: number) => boolean, nowMs: number): void {
    const ids = new Map<string, number>();
    names.forEach((n, i) => ids.set(n, i));
    this.names = names;
    const moved: [Tracking, number][] = [];
    for (const t of [...this.active]) {
      const id = ids.get(t.symbol);
      if (id === undefined || !listed(t.directionId, id)) this.close(t, "DELISTED", nowMs);
      else if (id !== t.symbolId) moved.push([t, id]);
    }
    // Two steps, so ids that swap between trackings never overwrite each other.
    for (const [t] of moved) {
      this.byPair[pairIndex(t.directionId, t.symbolId)] = null;
      this.pairs.free(t.directionId, t.symbolId);
    }
    for (const [t, id] of moved) {
      t.symbolId = id;
      this.byPair[pairIndex(t.directionId, id)] = t;
      this.pairs.markTracked(t.directionId, id);
    }
  }
}
