// SpreadEngine: changed (source, symbol) → the directions it takes part in (SourceSymbolIndex) → both legs
// read with the SeqLock → rules → at most one signal per (direction, symbol) while it is tracked.
// Synchronous and allocation-free per update; the loop that feeds it (loop.ts) runs in a Worker.
//
// Rules, in order, per evaluation of (direction d, symbol s) with spot leg S and futures leg F:
//   1. both legs readable (SeqLock), fresh (valid, not stale-flagged, feed live and on the current config
//      generation, younger than the source's bound) and sane (bid, ask > 0, not crossed)   else skip, count
//   2. gross = (bid_F − ask_S) / ask_S × 100 at most max_spread_pct                           else suspect, count
//   3. the open measure (gross, net or net round trip) at least open_spread_pct               else reset
//   4. held for persist_evals consecutive evaluations or persist_ms                           else pending
//   5. [engine] skip_if_funding_erases only: the open measure plus the futures leg's funding over the horizon
//      (Funding region, fresh values only) above 0                                           else withheld, count
//   6. not paused, the pair FREE in the tracked state and claimed (CAS)                        else suppressed
//   7. Event pushed on the bus (a full ring drops it, counts it and frees the claim), tracker woken.
// The Event (64 bytes, full) carries no funding: consumers read the futures leg's funding from the Funding region
// at the signal's time, keyed by the Event's futures_source and symbol_id (docs/architecture.md).
import { DIRECTIONS, MAX_SYMBOLS, NUM_DIRECTIONS, NUM_SOURCES, wallMicros } from "@spread/common";
import {
  EventFlag, EventRecord, EventType, FundingFlag, FundingValue, PriceFlag, PriceRecord, ProducerStats, TrackedPairState,
  type Bitmap, type EventBus, type PriceStore, type TrackedState, type Waker,
} from "@spread/shm";
import { fundingOverHorizonPct } from "./funding.ts";
import { MAX_DIRECTIONS_PER_SOURCE_SYMBOL, type SourceSymbolIndex } from "./source-symbol-index.ts";
import type { EngineSettings } from "./settings.ts";
import { grossPct, netEntryPct, openMeasureValue, quoteUsable } from "./spread.ts";

const DIRECTION_SPOT = Uint8Array.from(DIRECTIONS, (d) => d.spot);
const DIRECTION_FUTURES = Uint8Array.from(DIRECTIONS, (d) => d.futures);
const PAIRS = NUM_DIRECTIONS * MAX_SYMBOLS;
const FRESH_MASK = PriceFlag.valid | PriceFlag.stale;
const ABOVE_MAX = 0xffff;

/** Why a leg was not used (return values of legState). */
const LEG_OK = 0;
const LEG_STALE = 1;
const LEG_INVALID = 2;

/** What one evaluation decided. */
export const Decision = { skipped: 0, below: 1, suspect: 2, pending: 3, signalled: 4, suppressed: 5, dropped: 6, withheld: 7 } as const;

/** The Funding region as the engine reads it (FundingStore). */
export interface FundingReader {
  read(source: number, symbol: number, out: FundingValue): boolean;
}

export interface EngineDeps {
  readonly prices: PriceStore;
  readonly bitmap: Bitmap;
  readonly events: EventBus;
  readonly tracked: TrackedState;
  /** Wakes the tracker after a push. */
  readonly tracker: Waker;
  /** The futures legs' funding (skip_if_funding_erases); absent = the filter never holds a spread back. */
  readonly funding?: FundingReader;
}

/** Counters beyond the bus's ProducerStats (Health fields). */
export class EngineCounters {
  /** (source, symbol) bits taken from the Bitmap. */
  updates = 0;
  signals = 0;
  busDrops = 0;
  /** Legs with zero, negative, non-finite or crossed prices. */
  invalidQuotes = 0;
  scans = 0;
  /** Spreads held back by skip_if_funding_erases: once per episode above the threshold, not per evaluation. */
  fundingWithheld = 0;
}

export class SpreadEngine {
  readonly stats = new ProducerStats();
  readonly counters = new EngineCounters();
  /** 1 = legs of this source may be used (feed live, on the current generation); set by the loop. */
  readonly sourceUsable = new Uint8Array(NUM_SOURCES).fill(1);
  /** Paused: evaluate and keep state, never signal. */
  paused = false;

  private index: SourceSymbolIndex;
  private readonly words = new Uint32Array(32);
  private readonly legA = new PriceRecord();
  private readonly legB = new PriceRecord();
  private readonly ev = new EventRecord();
  private readonly fv = new FundingValue();
  // Per (direction, symbol) = direction × MAX_SYMBOLS + symbol.
  private readonly aboveCount = new Uint16Array(PAIRS);
  private readonly firstAboveUs = new Float64Array(PAIRS);
  // Leg sequences at the last counted evaluation: a pair evaluated twice on the same prices (from both legs in
  // one pass, by a scan or a re-check) counts once toward persist_evals; only a new tick confirms a spread.
  private readonly lastSpotSeq = new Uint32Array(PAIRS);
  private readonly lastFutSeq = new Uint32Array(PAIRS);
  /** EventFlag bits of the evaluation that first saw the spread above (a scan), carried to its signal. */
  private readonly originFlags = new Uint8Array(PAIRS);
  private readonly isSuspect = new Uint8Array(PAIRS);
  /** 1 while the pair's current episode above the threshold is held back by its funding (counted once). */
  private readonly fundingHeld = new Uint8Array(PAIRS);
  private readonly inPending = new Uint8Array(PAIRS);
  private readonly pending = new Int32Array(PAIRS);
  private pendingCount = 0;
  /** Clock of the current pass (set by beginPass). */
  private nowWall = 0;
  private nowMono = 0;

  constructor(
    private readonly deps: EngineDeps,
    private settings: EngineSettings,
    index: SourceSymbolIndex,
  ) {
    this.index = index;
  }

  get sourceSymbolIndex(): SourceSymbolIndex {
    return this.index;
  }

  /** A new generation: new index; per-pair state is dropped because symbol ids may name other symbols now. */
  setIndex(index: SourceSymbolIndex): void {
    this.index = index;
    this.aboveCount.fill(0);
    this.isSuspect.fill(0);
    this.fundingHeld.fill(0);
    this.inPending.fill(0);
    this.pendingCount = 0;
  }

  setSettings(settings: EngineSettings): void {
    this.settings = settings;
  }

  /** Takes the clock once per pass: every evaluation of the pass uses the same `now`. */
  beginPass(wallUs: number, monoUs: number): void {
    this.nowWall = wallUs;
    this.nowMono = monoUs;
  }

  /** Pairs currently above the open threshold (signalled, pending or suppressed), for Health. */
  pairsAbove(): number {
    let n = 0;
    for (let k = 0; k < PAIRS; k++) if (this.aboveCount[k] !== 0) n++;
    return n;
  }

  pairsSuspect(): number {
    let n = 0;
    for (let k = 0; k < PAIRS; k++) n += this.isSuspect[k]!;
    return n;
  }

  /**
   * Takes every source's Bitmap block and evaluates each changed (source, symbol) against its counterparts.
   * Returns how many (source, symbol) bits were taken (0 = nothing changed since the last take).
   */
  processChanged(): number {
    const words = this.words;
    const bitmap = this.deps.bitmap;
    let taken = 0;
    for (let src = 0; src < NUM_SOURCES; src++) {
      if (bitmap.take(src, words) === 0) continue;
      for (let w = 0; w < 32; w++) {
        let bits = words[w]!;
        while (bits !== 0) {
          const low = bits & -bits;
          bits ^= low;
          this.onUpdate(src, (w << 5) | (31 - Math.clz32(low)));
          taken++;
        }
      }
    }
    this.counters.updates += taken;
    return taken;
  }

  /** Every direction of one changed (source, symbol). */
  onUpdate(src: number, sym: number): void {
    const index = this.index;
    const n = index.count[src * MAX_SYMBOLS + sym]!;
    if (n === 0) return;
    const own = this.legA;
    if (!this.deps.prices.readQuote(src, sym, own)) {
      // A writer kept the entry busy; its write ends with a new bitmap bit, which brings us back here.
      this.stats.readFailures++;
      return;
    }
    const ownState = this.legState(src, own);
    const other = this.legB;
    const base = (src * MAX_SYMBOLS + sym) * MAX_DIRECTIONS_PER_SOURCE_SYMBOL;
    for (let i = 0; i < n; i++) {
      const e = base + i;
      const dir = index.directionId[e]!;
      const cp = index.counterpartSource[e]!;
      this.stats.evaluated++;
      if (ownState !== LEG_OK) {
        this.skip(dir, sym, ownState);
        continue;
      }
      if (!this.deps.prices.readQuote(cp, sym, other)) {
        this.stats.readFailures++; // the counterpart's writer will set its bit: evaluated again from there
        continue;
      }
      const cpState = this.legState(cp, other);
      if (cpState !== LEG_OK) {
        this.skip(dir, sym, cpState);
        continue;
      }
      if (index.isSpotSide[e] === 1) this.decide(dir, sym, src, own, cp, other, 0);
      else this.decide(dir, sym, cp, other, src, own, 0);
    }
  }

  /** Reads both legs of (direction, symbol) and decides; used by full scans and persistence re-checks. */
  evaluatePair(dir: number, sym: number, spotSrc: number, futSrc: number, flags: number): number {
    this.stats.evaluated++;
    const spot = this.legA;
    const fut = this.legB;
    const prices = this.deps.prices;
    if (!prices.readQuote(spotSrc, sym, spot) || !prices.readQuote(futSrc, sym, fut)) {
      this.stats.readFailures++;
      return Decision.skipped;
    }
    const a = this.legState(spotSrc, spot);
    if (a !== LEG_OK) return this.skip(dir, sym, a);
    const b = this.legState(futSrc, fut);
    if (b !== LEG_OK) return this.skip(dir, sym, b);
    return this.decide(dir, sym, spotSrc, spot, futSrc, fut, flags);
  }

  /**
   * Evaluates every (direction, symbol) of the index: at start, after a config reload, on resume and when a
   * source becomes usable again, so spreads that are already open are found without waiting for a price change.
   */
  scanAll(): void {
    this.counters.scans++;
    const lists = this.index.directionSymbols;
    for (let d = 0; d < NUM_DIRECTIONS; d++) {
      const syms = lists[d]!;
      const spotSrc = DIRECTION_SPOT[d]!;
      const futSrc = DIRECTION_FUTURES[d]!;
      for (let i = 0; i < syms.length; i++) this.evaluatePair(d, syms[i]!, spotSrc, futSrc, EventFlag.scan);
    }
  }

  /** Re-evaluates pairs waiting for persist_ms to pass. Returns how many are still waiting. */
  recheckPending(): number {
    const persistUs = this.settings.persistUs;
    let kept = 0;
    const n = this.pendingCount;
    for (let i = 0; i < n; i++) {
      const k = this.pending[i]!;
      if (this.aboveCount[k] === 0) {
        this.inPending[k] = 0;
        continue;
      }
      if (this.nowMono - this.firstAboveUs[k]! < persistUs) {
        this.pending[kept++] = k; // not due yet
        continue;
      }
      const dir = (k / MAX_SYMBOLS) | 0;
      const d = this.evaluatePair(dir, k % MAX_SYMBOLS, DIRECTION_SPOT[dir]!, DIRECTION_FUTURES[dir]!, 0);
      if (d === Decision.pending) this.pending[kept++] = k;
      else this.inPending[k] = 0;
    }
    this.pendingCount = kept;
    return kept;
  }

  /** µs (mono) until the earliest pending pair is due, or Infinity when none waits. */
  nextPendingDueUs(): number {
    let best = Infinity;
    const persistUs = this.settings.persistUs;
    for (let i = 0; i < this.pendingCount; i++) {
      const due = this.firstAboveUs[this.pending[i]!]! + persistUs - this.nowMono;
      if (due < best) best = due;
    }
    return best < 0 ? 0 : best;
  }

  get pendingPairs(): number {
    return this.pendingCount;
  }

  // ---------------------------------------------------------------------------------------------

  private legState(src: number, q: PriceRecord): number {
    if ((q.flags & FRESH_MASK) !== PriceFlag.valid || this.sourceUsable[src] === 0) return LEG_STALE;
    if (this.nowWall - q.updatedAt > this.settings.staleAfterUs[src]!) return LEG_STALE;
    return quoteUsable(q.bid, q.ask) ? LEG_OK : LEG_INVALID;
  }

  private skip(dir: number, sym: number, why: number): number {
    if (why === LEG_INVALID) this.counters.invalidQuotes++;
    else this.stats.staleSkips++;
    this.aboveCount[dir * MAX_SYMBOLS + sym] = 0;
    this.fundingHeld[dir * MAX_SYMBOLS + sym] = 0;
    return Decision.skipped;
  }

  private decide(dir: number, sym: number, spotSrc: number, spot: PriceRecord, futSrc: number, fut: PriceRecord, flags: number): number {
    const s = this.settings;
    const k = dir * MAX_SYMBOLS + sym;
    const gross = grossPct(spot.ask, fut.bid);
    if (gross > s.maxPct) {
      this.stats.suspects++;
      this.isSuspect[k] = 1;
      this.aboveCount[k] = 0;
      this.fundingHeld[k] = 0;
      return Decision.suspect;
    }
    this.isSuspect[k] = 0;
    const spotFee = s.feePct[spotSrc]!;
    const futFee = s.feePct[futSrc]!;
    const measure = openMeasureValue(s.openMeasure, gross, spotFee, futFee);
    if (!(measure >= s.openPct)) {
      this.aboveCount[k] = 0;
      this.fundingHeld[k] = 0;
      return Decision.below;
    }
    const seen = this.aboveCount[k]!;
    let count = seen;
    if (seen === 0) {
      this.firstAboveUs[k] = this.nowMono;
      this.originFlags[k] = flags;
      count = 1;
    } else if ((spot.seq !== this.lastSpotSeq[k] || fut.seq !== this.lastFutSeq[k]) && seen < ABOVE_MAX) {
      count = seen + 1;
    }
    this.lastSpotSeq[k] = spot.seq;
    this.lastFutSeq[k] = fut.seq;
    this.aboveCount[k] = count;
    if (count < s.persistEvals && !(s.persistUs > 0 && this.nowMono - this.firstAboveUs[k]! >= s.persistUs)) {
      if (s.persistUs > 0 && this.inPending[k] === 0) {
        this.inPending[k] = 1;
        this.pending[this.pendingCount++] = k;
      }
      return Decision.pending;
    }
    if (s.skipIfFundingErases && this.fundingErases(futSrc, sym, measure)) {
      if (this.fundingHeld[k] === 0) {
        this.fundingHeld[k] = 1;
        this.counters.fundingWithheld++;
      }
      return Decision.withheld;
    }
    this.fundingHeld[k] = 0;
    const d = this.signal(dir, sym, spotSrc, spot, futSrc, fut, gross, netEntryPct(gross, spotFee, futFee), flags | this.originFlags[k]!);
    // The scan that found it is credited once: a later signal of the same open spread (after the tracker freed
    // the pair) comes from a tick.
    if (d === Decision.signalled) this.originFlags[k] = 0;
    return d;
  }

  /**
   * The open measure plus what the short futures leg gets from funding over the horizon is at or below 0. Only a
   * fresh value counts (valid, not stale, its feed usable): without one the engine cannot know, and signals.
   */
  private fundingErases(futSrc: number, sym: number, measure: number): boolean {
    const reader = this.deps.funding;
    const v = this.fv;
    if (!reader || !reader.read(futSrc, sym, v)) return false;
    if ((v.flags & (FundingFlag.valid | FundingFlag.stale)) !== FundingFlag.valid || this.sourceUsable[futSrc] === 0) return false;
    if (!Number.isFinite(v.rate)) return false;
    return measure + fundingOverHorizonPct(v.rate, v.nextFundingAt, v.intervalMin, this.nowWall, this.settings.fundingHorizonUs) <= 0;
  }

  private signal(dir: number, sym: number, spotSrc: number, spot: PriceRecord, futSrc: number, fut: PriceRecord, gross: number, net: number, flags: number): number {
    const tracked = this.deps.tracked;
    if (this.paused || tracked.state(dir, sym) !== TrackedPairState.free) {
      this.stats.suppressed++;
      return Decision.suppressed;
    }
    const now = wallMicros();
    if (!tracked.tryClaim(dir, sym, Math.floor(now / 1e6))) {
      this.stats.suppressed++;
      return Decision.suppressed;
    }
    const ev = this.ev;
    ev.type = EventType.signal;
    ev.directionId = dir;
    ev.flags = flags;
    ev.spotSource = spotSrc;
    ev.futuresSource = futSrc;
    ev.symbolId = sym;
    ev.grossPct = gross;
    ev.netPct = net;
    ev.timestamp = now;
    ev.spotBid = spot.bid;
    ev.spotAsk = spot.ask;
    ev.futuresBid = fut.bid;
    ev.futuresAsk = fut.ask;
    ev.setLegTimes(spot.updatedAt, fut.updatedAt);
    if (!this.deps.events.push(ev)) {
      // Full ring: dropped and counted by the bus; free the pair so a later evaluation signals it again.
      tracked.unclaim(dir, sym);
      this.counters.busDrops++;
      return Decision.dropped;
    }
    this.counters.signals++;
    this.deps.tracker.wake();
    return Decision.signalled;
  }
}
