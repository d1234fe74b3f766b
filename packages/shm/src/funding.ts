// Funding region (issue 14): one SeqLock entry per (source_id, symbol_id), written only by the futures feed of
// that source, read by anyone (engine, tracker, ctl). Same protocol as the Price Store (seqlock.ts), with the
// seq word inside the entry. Every method takes (source_id, symbol_id) in that order, like PriceStore.
import { FUNDING_ENTRY_SIZE, FundingEntry, FundingFlag, HEADER_SIZE, NUM_SOURCES, SEQLOCK_READ_ATTEMPTS } from "./layout.ts";
import type { Region } from "./region.ts";
import { checkEntryIds } from "./price-store.ts";
import { seqSetFlag, seqWriteBegin, seqWriteEnd } from "./seqlock.ts";
import { getU64, putU64 } from "./u64.ts";

const O = FundingEntry.off;
const W_SEQ = O.seq / 4;
const W_FLAGS = O.flags / 4;
const F_RATE = O.rate / 8;
const F_PRED = O.predicted_rate / 8;
const W_NEXT = O.next_funding_at / 4;
const W_UPDATED = O.updated_at / 4;
const W_EXCHANGE = O.exchange_ts / 4;
const W_MONO = O.recv_mono / 4;
const W_INTERVAL = O.interval_min / 4;
const ENTRY_WORDS = FUNDING_ENTRY_SIZE / 4;
const ENTRY_F64S = FUNDING_ENTRY_SIZE / 8;
const BASE_WORDS = HEADER_SIZE / 4;
const BASE_F64S = HEADER_SIZE / 8;

/** Caller-owned copy of one entry; read() fills it in place. Times in µs like the rest of the layout. */
export class FundingValue {
  rate = Number.NaN;
  predictedRate = Number.NaN;
  /** Upcoming settlement, wall µs; 0 = unknown. */
  nextFundingAt = 0;
  /** Minutes between settlements; 0 = the venue has not said. */
  intervalMin = 0;
  /** Wall µs of local receipt. */
  updatedAt = 0;
  /** Venue's time of the value, wall µs; 0 = none. */
  exchangeTs = 0;
  recvMono = 0;
  /** FundingFlag bits; 0 = never written. */
  flags = 0;
  seq = 0;
}

export class FundingStore {
  private readonly u32: Uint32Array;
  private readonly f64: Float64Array;

  constructor(readonly region: Region) {
    this.u32 = region.u32;
    this.f64 = region.f64;
  }

  /**
   * Publishes one symbol's funding (the owning futures feed only). Times are integer µs; intervalMin an integer
   * (0 = unknown); predictedRate NaN where the venue gives none. Clears stale.
   */
  write(source: number, symbol: number, rate: number, predictedRate: number, nextFundingAt: number, intervalMin: number, exchangeTs: number, updatedAt: number, recvMono: number): void {
    checkEntryIds(source, symbol, "funding");
    const e = symbol * NUM_SOURCES + source;
    const w = BASE_WORDS + e * ENTRY_WORDS;
    const f = BASE_F64S + e * ENTRY_F64S;
    const u32 = this.u32;
    const f64 = this.f64;
    const even = seqWriteBegin(u32, w + W_SEQ);
    f64[f + F_RATE] = rate;
    f64[f + F_PRED] = predictedRate;
    putU64(u32, w + W_NEXT, nextFundingAt);
    putU64(u32, w + W_UPDATED, updatedAt);
    putU64(u32, w + W_EXCHANGE, exchangeTs);
    putU64(u32, w + W_MONO, recvMono);
    u32[w + W_INTERVAL] = intervalMin >>> 0;
    u32[w + W_FLAGS] = FundingFlag.valid;
    seqWriteEnd(u32, w + W_SEQ, even);
  }

  /** Sets or clears stale on an entry that has a value (owning feed only); false when never written. */
  setStale(source: number, symbol: number, stale: boolean): boolean {
    checkEntryIds(source, symbol, "funding");
    const w = BASE_WORDS + (symbol * NUM_SOURCES + source) * ENTRY_WORDS;
    return seqSetFlag(this.u32, w + W_SEQ, this.u32, w + W_FLAGS, FundingFlag.valid, FundingFlag.stale, stale);
  }

  /** Consistent copy into `out`; false when a writer kept the entry busy for SEQLOCK_READ_ATTEMPTS tries. */
  read(source: number, symbol: number, out: FundingValue): boolean {
    checkEntryIds(source, symbol, "funding");
    const e = symbol * NUM_SOURCES + source;
    const w = BASE_WORDS + e * ENTRY_WORDS;
    const f = BASE_F64S + e * ENTRY_F64S;
    const u32 = this.u32;
    const f64 = this.f64;
    for (let attempt = 0; attempt < SEQLOCK_READ_ATTEMPTS; attempt++) {
      const s1 = Atomics.load(u32, w + W_SEQ);
      if ((s1 & 1) !== 0) continue;
      out.flags = u32[w + W_FLAGS]!;
      out.rate = f64[f + F_RATE]!;
      out.predictedRate = f64[f + F_PRED]!;
      out.nextFundingAt = getU64(u32, w + W_NEXT);
      out.updatedAt = getU64(u32, w + W_UPDATED);
      out.exchangeTs = getU64(u32, w + W_EXCHANGE);
      out.recvMono = getU64(u32, w + W_MONO);
      out.intervalMin = u32[w + W_INTERVAL]!;
      if (Atomics.load(u32, w + W_SEQ) === s1) {
        out.seq = s1;
        return true;
      }
    }
    return false;
  }

  /** The entry's sequence word (even = stable); unchanged ⇒ entry unchanged. */
  readSeq(source: number, symbol: number): number {
    return Atomics.load(this.u32, BASE_WORDS + (symbol * NUM_SOURCES + source) * ENTRY_WORDS + W_SEQ);
  }
}
