// Test/bench-only scratch region (/dev/shm/<prefix>-scratch): coordination words between a test
// process and its children, separate from the six system regions under test.
import { createRegion, defineRegion, openRegion, unlinkAll, unlinkRegion, type Region } from "@spread/shm";

export const SCRATCH = defineRegion("scratch", "SSTS", 4096);

/** u32 word indexes (after the 64-byte header). */
export const W = {
  stop: 16,
  ready: 17,
  round: 18,
  ack: 19,
  lost: 20,
  done: 21,
  /** Per-child results, e.g. bits newly set by setter k at result + k. */
  result: 24,
} as const;
/** f64 indexes (after the header and the u32 words). */
export const F = { tSend: 32, tRecv: 33 } as const;

export function createScratch(prefix: string): Region {
  return createRegion(prefix, SCRATCH, { force: true }).region;
}

export function openScratch(prefix: string): Region {
  return openRegion(prefix, SCRATCH);
}

/** A prefix no other test run uses: t-<pid>-<random>. */
export function uniquePrefix(): string {
  return `t-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

export function unlinkEverything(prefix: string): void {
  unlinkAll(prefix);
  unlinkRegion(prefix, SCRATCH);
}
