// PLACEHOLDER until @spread/shm exports TrackedState (issue 11): the tracker's view of the shared tracked state.
import type { Shm } from "@spread/shm";
import type { PairState } from "./tracker.ts";

export interface ShmPairState extends PairState {
  /** After recovery and draining the bus: TRACKED pairs the tracker does not know are freed. */
  reconcile(known: (directionId: number, symbolId: number) => boolean, nowMs: number): { freed: number };
}

export function shmPairState(_shm: Shm, _signalledTimeoutMs: number): ShmPairState {
  return {
    markTracked() {},
    free() {},
    reconcile: () => ({ freed: 0 }),
  };
}
