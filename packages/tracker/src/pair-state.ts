// The tracker's side of the shared tracked state (@spread/shm TrackedState, docs/shm-layout.md): a signal
// taken from the bus turns the engine's SIGNALLED claim into TRACKED, a tracking recovered from its files is
// adopted (TRACKED whatever the state, e.g. a recreated region), a close releases the pair (FREE) at once.
import { wallSeconds, type TrackedState } from "@spread/shm";
import type { PairState } from "./tracker.ts";

export class ShmPairState implements PairState {
  readonly epoch: number;
  /** Signals for pairs the engine had not claimed (a test producer, or an engine without the claim). */
  unclaimed = 0;

  constructor(
    private readonly tracked: TrackedState,
    private readonly signalledTimeoutS: number,
  ) {
    this.epoch = tracked.attachTracker();
  }

  markTracked(directionId: number, symbolId: number): void {
    if (this.tracked.markTracked(directionId, symbolId, this.epoch)) return;
    if (this.tracked.adopt(directionId, symbolId, this.epoch) === 0) this.unclaimed++;
  }

  free(directionId: number, symbolId: number): void {
    this.tracked.release(directionId, symbolId);
  }

  /** After recovery and draining the bus: what no open tracking owns is freed (no pair stays blocked). */
  reconcile(owns: (directionId: number, symbolId: number) => boolean): { freedTracked: number; freedSignalled: number; kept: number } {
    return this.tracked.reconcile(owns, wallSeconds(), this.signalledTimeoutS);
  }
}
