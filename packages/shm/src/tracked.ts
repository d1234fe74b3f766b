// Tracked state (A.1): one word per (direction_id, symbol_id) that engine and tracker share, so a pair
// is signalled once while it is tracked and can be signalled again the moment the tracker closes it.
//
//   FREE ──engine tryClaim (CAS)──▶ SIGNALLED ──tracker markTracked (CAS)──▶ TRACKED
//     ▲            │ push dropped: engine unclaim (CAS)                            │
//     └────────────┴──────────── tracker release (close), reconcile ◀──────────────┘
//
// The engine never touches a SIGNALLED or TRACKED entry except to undo its own claim, so an engine
// restart cannot re-signal a tracked pair. A tracker restart calls reconcile() after recovering its
// files and draining the bus, which frees what no live tracking owns: no pair stays blocked.
import {
  MAX_SYMBOLS, NUM_DIRECTIONS, TRACKED_ENTRIES, TRACKED_ENTRIES_OFFSET, TRACKED_ENTRY_SIZE, TRACKED_OWNERS_OFFSET,
  TrackedEntry, TrackedOwners, TrackedPairState,
} from "./layout.ts";
import type { Region } from "./region.ts";

const FREE = TrackedPairState.free;
const SIGNALLED = TrackedPairState.signalled;
const TRACKED = TrackedPairState.tracked;

const BASE = TRACKED_ENTRIES_OFFSET / 4;
const STRIDE = TRACKED_ENTRY_SIZE / 4;
const W_STATE = TrackedEntry.off.state / 4;
const W_CLAIMED_AT = TrackedEntry.off.claimed_at / 4;
const W_EPOCH = TrackedEntry.off.epoch / 4;
const W_CLAIMS = TrackedEntry.off.claims / 4;
const O_EPOCH = (TRACKED_OWNERS_OFFSET + TrackedOwners.off.tracker_epoch) / 4;
const O_TRACKER_PID = (TRACKED_OWNERS_OFFSET + TrackedOwners.off.tracker_pid) / 4;
const O_ENGINE_PID = (TRACKED_OWNERS_OFFSET + TrackedOwners.off.engine_pid) / 4;
const O_RECONCILED_AT = (TRACKED_OWNERS_OFFSET + TrackedOwners.off.reconciled_at) / 4;

/** Wall-clock seconds since the epoch, the unit of claimed_at and reconciled_at. */
export function wallSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export interface ReconcileResult {
  /** TRACKED entries no recovered tracking owns, set FREE. */
  readonly freedTracked: number;
  /** SIGNALLED entries claimed more than the bound ago (their event is gone), set FREE. */
  readonly freedSignalled: number;
  /** Entries left SIGNALLED or TRACKED. */
  readonly kept: number;
}

export class TrackedState {
  private readonly u32: Uint32Array;

  constructor(readonly region: Region) {
    this.u32 = region.u32;
  }

  /** Entry index of (direction_id, symbol_id): direction_id × MAX_SYMBOLS + symbol_id. */
  static entry(direction: number, symbol: number): number {
    return direction * MAX_SYMBOLS + symbol;
  }

  private word(direction: number, symbol: number): number {
    if (direction >>> 0 >= NUM_DIRECTIONS || symbol >>> 0 >= MAX_SYMBOLS) {
      throw new RangeError(`tracked state: direction_id ${direction} / symbol_id ${symbol} out of range (max ${NUM_DIRECTIONS - 1} / ${MAX_SYMBOLS - 1})`);
    }
    return BASE + (direction * MAX_SYMBOLS + symbol) * STRIDE;
  }

  /** TrackedPairState of the pair. */
  state(direction: number, symbol: number): number {
    return Atomics.load(this.u32, this.word(direction, symbol) + W_STATE);
  }

  /** Wall seconds of the pair's last claim (0 = never). */
  claimedAt(direction: number, symbol: number): number {
    return Atomics.load(this.u32, this.word(direction, symbol) + W_CLAIMED_AT);
  }

  /** Tracker epoch that marked the pair TRACKED (0 unless TRACKED). */
  epoch(direction: number, symbol: number): number {
    return Atomics.load(this.u32, this.word(direction, symbol) + W_EPOCH);
  }

  /** How many times the pair was claimed since the region was created (wraps at 2^32). */
  claims(direction: number, symbol: number): number {
    return Atomics.load(this.u32, this.word(direction, symbol) + W_CLAIMS);
  }

  // ---- engine (one process) -------------------------------------------------------------------

  /** Engine: records its pid (diagnostics). */
  attachEngine(pid = process.pid): void {
    Atomics.store(this.u32, O_ENGINE_PID, pid);
  }

  /**
   * Engine, just before pushing the signal Event: FREE → SIGNALLED. False when the pair is already
   * SIGNALLED or TRACKED (no second signal). claimed_at is stored before the CAS, so whoever sees
   * SIGNALLED also sees this claim's time (only the single engine writes a FREE entry's claimed_at).
   */
  tryClaim(direction: number, symbol: number, nowSeconds: number): boolean {
    const w = this.word(direction, symbol);
    const u32 = this.u32;
    if (Atomics.load(u32, w + W_STATE) !== FREE) return false;
    Atomics.store(u32, w + W_CLAIMED_AT, nowSeconds);
    if (Atomics.compareExchange(u32, w + W_STATE, FREE, SIGNALLED) !== FREE) return false;
    Atomics.add(u32, w + W_CLAIMS, 1);
    return true;
  }

  /** Engine, when the Event Bus dropped the signal: SIGNALLED → FREE, so the pair can be signalled again. */
  unclaim(direction: number, symbol: number): boolean {
    return Atomics.compareExchange(this.u32, this.word(direction, symbol) + W_STATE, SIGNALLED, FREE) === SIGNALLED;
  }

  // ---- tracker (one process) ------------------------------------------------------------------

  /** Tracker start: new epoch (never 0) and pid. Returns the epoch to pass to markTracked/adopt. */
  attachTracker(pid = process.pid): number {
    let epoch = (Atomics.add(this.u32, O_EPOCH, 1) + 1) >>> 0;
    if (epoch === 0) epoch = (Atomics.add(this.u32, O_EPOCH, 1) + 1) >>> 0;
    Atomics.store(this.u32, O_TRACKER_PID, pid);
    return epoch;
  }

  /** Tracker, on taking a signal Event: SIGNALLED → TRACKED. False if the pair was not SIGNALLED. */
  markTracked(direction: number, symbol: number, epoch: number): boolean {
    const w = this.word(direction, symbol);
    if (Atomics.compareExchange(this.u32, w + W_STATE, SIGNALLED, TRACKED) !== SIGNALLED) return false;
    Atomics.store(this.u32, w + W_EPOCH, epoch);
    return true;
  }

  /**
   * Tracker, for a tracking recovered from its files: makes the pair TRACKED whatever its state
   * (e.g. the region was recreated). Returns the previous state.
   */
  adopt(direction: number, symbol: number, epoch: number): number {
    const w = this.word(direction, symbol);
    Atomics.store(this.u32, w + W_EPOCH, epoch);
    return Atomics.exchange(this.u32, w + W_STATE, TRACKED);
  }

  /** Tracker, when a tracking closes (converged, expired, …): → FREE. Returns the previous state. */
  release(direction: number, symbol: number): number {
    const w = this.word(direction, symbol);
    Atomics.store(this.u32, w + W_EPOCH, 0);
    return Atomics.exchange(this.u32, w + W_STATE, FREE);
  }

  /**
   * Tracker restart, AFTER recovering its files (adopt) and draining the Event Bus (markTracked):
   * TRACKED entries for which `owns(direction, symbol)` is false → FREE; SIGNALLED entries claimed
   * more than `signalledBoundSeconds` before `nowSeconds` → FREE (their event was consumed by a dead
   * tracker or lost; a claim younger than the bound may belong to an event the engine is pushing now).
   */
  reconcile(owns: (direction: number, symbol: number) => boolean, nowSeconds: number, signalledBoundSeconds: number): ReconcileResult {
    const u32 = this.u32;
    let freedTracked = 0;
    let freedSignalled = 0;
    let kept = 0;
    for (let e = 0; e < TRACKED_ENTRIES; e++) {
      const w = BASE + e * STRIDE;
      const st = Atomics.load(u32, w + W_STATE);
      if (st === FREE) continue;
      const direction = (e / MAX_SYMBOLS) | 0;
      const symbol = e % MAX_SYMBOLS;
      if (st === TRACKED && !owns(direction, symbol)) {
        if (Atomics.compareExchange(u32, w + W_STATE, TRACKED, FREE) === TRACKED) {
          Atomics.store(u32, w + W_EPOCH, 0);
          freedTracked++;
          continue;
        }
      } else if (st === SIGNALLED && nowSeconds - Atomics.load(u32, w + W_CLAIMED_AT) > signalledBoundSeconds) {
        if (Atomics.compareExchange(u32, w + W_STATE, SIGNALLED, FREE) === SIGNALLED) {
          freedSignalled++;
          continue;
        }
      }
      kept++;
    }
    Atomics.store(u32, O_RECONCILED_AT, nowSeconds);
    return { freedTracked, freedSignalled, kept };
  }

  // ---- anyone ---------------------------------------------------------------------------------

  // The two scans below use plain loads: they also run on status snapshots, and an aligned u32 load is
  // single-copy atomic on x86-64 anyway. Each entry is a snapshot; the scan as a whole is not.

  /** Calls fn for every pair that is not FREE (a snapshot per entry; either side may move). */
  forEachClaimed(fn: (direction: number, symbol: number, state: number, claimedAt: number, epoch: number) => void): void {
    const u32 = this.u32;
    for (let e = 0; e < TRACKED_ENTRIES; e++) {
      const w = BASE + e * STRIDE;
      const st = u32[w + W_STATE]!;
      if (st !== FREE) fn((e / MAX_SYMBOLS) | 0, e % MAX_SYMBOLS, st, u32[w + W_CLAIMED_AT]!, u32[w + W_EPOCH]!);
    }
  }

  /** Entries per state. */
  counts(): { free: number; signalled: number; tracked: number } {
    let signalled = 0;
    let tracked = 0;
    const u32 = this.u32;
    for (let e = 0; e < TRACKED_ENTRIES; e++) {
      const st = u32[BASE + e * STRIDE + W_STATE]!;
      if (st === SIGNALLED) signalled++;
      else if (st === TRACKED) tracked++;
    }
    return { free: TRACKED_ENTRIES - signalled - tracked, signalled, tracked };
  }

  trackerEpoch(): number {
    return Atomics.load(this.u32, O_EPOCH);
  }

  trackerPid(): number {
    return Atomics.load(this.u32, O_TRACKER_PID);
  }

  enginePid(): number {
    return Atomics.load(this.u32, O_ENGINE_PID);
  }

  /** Wall seconds of the last tracker reconcile (0 = never). */
  reconciledAt(): number {
    return Atomics.load(this.u32, O_RECONCILED_AT);
  }
}
