// u64 layout fields (µs timestamps) as two little-endian u32 halves, so no BigInt is created on any read or
// write. Every value the system stores is an integer below 2^53 (µs since the epoch), which the two halves carry
// exactly. Plain accesses: callers order them with their SeqLock (seqlock.ts). Tiny on purpose: JSC inlines them.
const TWO32 = 4294967296;

/** Stores v at u32[w] (low half) and u32[w + 1] (high half). */
export function putU64(u32: Uint32Array, w: number, v: number): void {
  u32[w] = v >>> 0;
  u32[w + 1] = (v / TWO32) >>> 0;
}

/** The value putU64 stored at u32[w]. */
export function getU64(u32: Uint32Array, w: number): number {
  return u32[w + 1]! * TWO32 + u32[w]!;
}
