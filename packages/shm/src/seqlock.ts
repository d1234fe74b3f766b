// SeqLock v2 (plan §1.2) on a u32 sequence word in shared memory: one writer per word, any readers.
//
// Writer: s even → Atomics.store(seq, s+1) → plain stores of the data → Atomics.store(seq, s+2).
// Reader: s1 = Atomics.load(seq); odd → retry; plain loads; Atomics.load(seq) === s1 else retry.
// The seq accesses MUST be Atomics: with plain loads the optimizing JIT hoists the load out of the retry
// loop (platform notes). Atomics are sequentially consistent, which orders the plain accesses around
// them on x86-64 (TSO). ARM64 would additionally need a load-load fence before the second seq load,
// which JavaScript cannot express: this protocol is verified on x86-64 only.
//
// These are tiny functions on purpose: JSC inlines them into the callers' hot loops.

/**
 * Starts a write and returns the even base value to pass to writeEnd.
 * An odd value left by a writer that died mid-write is rounded up, so the entry becomes readable
 * again on the owner's next write (until then readers fail rather than see torn data).
 */
export function seqWriteBegin(words: Uint32Array, index: number): number {
  const s = Atomics.load(words, index);
  const even = (s + (s & 1)) >>> 0;
  Atomics.store(words, index, (even + 1) >>> 0);
  return even;
}

export function seqWriteEnd(words: Uint32Array, index: number, even: number): void {
  Atomics.store(words, index, (even + 2) >>> 0);
}

/** The current sequence: equal values mean nothing was written in between (cheap change check). */
export function seqLoad(words: Uint32Array, index: number): number {
  return Atomics.load(words, index);
}

/**
 * Sets (on) or clears `bit` in the flags word flags[fw] of an entry guarded by seq[si] (its one writer only), e.g.
 * the stale bit of every (source, symbol) store. False when the entry was never written (no `valid` bit): there
 * is nothing to mark. Unchanged flags are not rewritten, so the seq word (readers' cheap change check) stays put.
 */
export function seqSetFlag(seq: Uint32Array, si: number, flags: Uint32Array, fw: number, valid: number, bit: number, on: boolean): boolean {
  const old = flags[fw]!;
  if ((old & valid) === 0) return false;
  const next = on ? old | bit : old & ~bit;
  if (next === old) return true;
  const even = seqWriteBegin(seq, si);
  flags[fw] = next;
  seqWriteEnd(seq, si, even);
  return true;
}
