// Price Store (A.8): split seq/data regions, symbol-major, one SeqLock per (symbol_id, source_id).
// Feeds write their own source's entries; the engine, tracker and ctl read any entry.
// Every method takes (source_id, symbol_id) in that order, like Bitmap.set.
import {
  HEADER_SIZE, MAX_SYMBOLS, NUM_SOURCES, PRICE_ENTRY_SIZE, PriceDataEntry, PriceFlag, PriceSeqEntry,
  RegionHeader, SEQLOCK_READ_ATTEMPTS,
} from "./layout.ts";
import type { Region } from "./region.ts";
import { seqSetFlag, seqWriteBegin, seqWriteEnd } from "./seqlock.ts";
import { getU64, putU64 } from "./u64.ts";

// Element indexes inside one entry (offset / element size), so hot paths use constant additions.
const D = PriceDataEntry.off;
const F_BID = D.best_bid / 8;
const F_ASK = D.best_ask / 8;
const F_BID_QTY = D.bid_qty / 8;
const F_ASK_QTY = D.ask_qty / 8;
const W_UPDATED = D.updated_at / 4;
const W_EXCHANGE = D.exchange_ts / 4;
const W_MONO = D.recv_mono / 4;
const W_FLAGS = D.flags / 4;
const SEQ_WORD = PriceSeqEntry.off.seq / 4;
const ENTRY_WORDS = PRICE_ENTRY_SIZE / 4;
const ENTRY_F64S = PRICE_ENTRY_SIZE / 8;
const BASE_WORDS = HEADER_SIZE / 4;
const BASE_F64S = HEADER_SIZE / 8;

/** Caller-owned copy of one entry; read() fills it in place (no allocation per read). */
export class PriceRecord {
  bid = 0;
  ask = 0;
  bidQty = 0;
  askQty = 0;
  /** CLOCK_REALTIME µs since the epoch at local receipt. */
  updatedAt = 0;
  /** Exchange event time, µs since the epoch (0 = none). */
  exchangeTs = 0;
  /** CLOCK_MONOTONIC µs at local receipt. */
  recvMono = 0;
  /** PriceFlag bits; 0 = never written. */
  flags = 0;
  /** The even sequence value the copy is consistent with. */
  seq = 0;
}

/** The id check of every (source, symbol) entry region (Price Store, Funding); `region` names it in the error. */
export function checkEntryIds(source: number, symbol: number, region = "price store"): void {
  if (symbol >>> 0 >= MAX_SYMBOLS || source >>> 0 >= NUM_SOURCES) {
    throw new RangeError(`${region}: source_id ${source} / symbol_id ${symbol} out of range (max ${NUM_SOURCES - 1} / ${MAX_SYMBOLS - 1})`);
  }
}

export class PriceStore {
  private readonly seq: Uint32Array;
  private readonly f64: Float64Array;
  private readonly u32: Uint32Array;

  constructor(
    readonly seqs: Region,
    readonly data: Region,
  ) {
    this.seq = seqs.u32;
    this.f64 = data.f64;
    this.u32 = data.u32;
  }

  /** Entry index of (source_id, symbol_id) in both regions: symbol_id × 8 + source_id. */
  static entry(source: number, symbol: number): number {
    return symbol * NUM_SOURCES + source;
  }

  /**
   * Publishes a quote (the owning feed only: one writer per source). Timestamps are integer µs.
   * u64 fields are stored as two u32 halves so no BigInt is created.
   */
  write(source: number, symbol: number, bid: number, ask: number, bidQty: number, askQty: number, exchangeTs: number, updatedAt: number, recvMono: number): void {
    checkEntryIds(source, symbol);
    const e = symbol * NUM_SOURCES + source;
    const si = BASE_WORDS + e * ENTRY_WORDS + SEQ_WORD;
    const f = BASE_F64S + e * ENTRY_F64S;
    const w = BASE_WORDS + e * ENTRY_WORDS;
    const f64 = this.f64;
    const u32 = this.u32;
    const even = seqWriteBegin(this.seq, si);
    f64[f + F_BID] = bid;
    f64[f + F_ASK] = ask;
    putU64(u32, w + W_UPDATED, updatedAt);
    f64[f + F_BID_QTY] = bidQty;
    f64[f + F_ASK_QTY] = askQty;
    putU64(u32, w + W_EXCHANGE, exchangeTs);
    putU64(u32, w + W_MONO, recvMono);
    u32[w + W_FLAGS] = PriceFlag.valid;
    seqWriteEnd(this.seq, si, even);
  }

  /**
   * Sets or clears the stale flag of an entry that has a price (owning feed only), e.g. for every
   * symbol of a connection that just dropped. Returns false when the entry was never written.
   */
  setStale(source: number, symbol: number, stale: boolean): boolean {
    checkEntryIds(source, symbol);
    const w = BASE_WORDS + (symbol * NUM_SOURCES + source) * ENTRY_WORDS;
    return seqSetFlag(this.seq, w + SEQ_WORD, this.u32, w + W_FLAGS, PriceFlag.valid, PriceFlag.stale, stale);
  }

  /**
   * Consistent copy of an entry into `out`. Returns false if no consistent copy was obtained within
   * SEQLOCK_READ_ATTEMPTS (a writer kept the entry busy); `out` is then unspecified.
   */
  read(source: number, symbol: number, out: PriceRecord): boolean {
    return this.copy(source, symbol, out, true);
  }

  /**
   * The engine's cached read: like read() but copies only bid, ask, updatedAt, flags and seq
   * (the other fields of `out` keep old values). ~25% cheaper than read().
   */
  readQuote(source: number, symbol: number, out: PriceRecord): boolean {
    return this.copy(source, symbol, out, false);
  }

  /** read() (all) and readQuote() (not all): one SeqLock read loop; `all` is a constant at each call site. */
  private copy(source: number, symbol: number, out: PriceRecord, all: boolean): boolean {
    checkEntryIds(source, symbol);
    const e = symbol * NUM_SOURCES + source;
    const si = BASE_WORDS + e * ENTRY_WORDS + SEQ_WORD;
    const f = BASE_F64S + e * ENTRY_F64S;
    const w = BASE_WORDS + e * ENTRY_WORDS;
    const seq = this.seq;
    const f64 = this.f64;
    const u32 = this.u32;
    for (let attempt = 0; attempt < SEQLOCK_READ_ATTEMPTS; attempt++) {
      const s1 = Atomics.load(seq, si);
      if ((s1 & 1) !== 0) continue;
      out.bid = f64[f + F_BID]!;
      out.ask = f64[f + F_ASK]!;
      out.updatedAt = getU64(u32, w + W_UPDATED);
      out.flags = u32[w + W_FLAGS]!;
      if (all) {
        out.bidQty = f64[f + F_BID_QTY]!;
        out.askQty = f64[f + F_ASK_QTY]!;
        out.exchangeTs = getU64(u32, w + W_EXCHANGE);
        out.recvMono = getU64(u32, w + W_MONO);
      }
      if (Atomics.load(seq, si) === s1) {
        out.seq = s1;
        return true;
      }
    }
    return false;
  }

  /** The entry's PriceFlag bits (one aligned u32: no SeqLock needed for a single word). */
  readFlags(source: number, symbol: number): number {
    checkEntryIds(source, symbol);
    return Atomics.load(this.u32, BASE_WORDS + (symbol * NUM_SOURCES + source) * ENTRY_WORDS + W_FLAGS);
  }

  /** The entry's sequence word (even = stable). Unchanged value ⇒ unchanged entry. */
  readSeq(source: number, symbol: number): number {
    return Atomics.load(this.seq, BASE_WORDS + (symbol * NUM_SOURCES + source) * ENTRY_WORDS + SEQ_WORD);
  }

  /** Header num_symbols of the seqs region (both headers carry the same value). */
  get numSymbols(): number {
    return Atomics.load(this.seqs.u16, RegionHeader.off.num_symbols / 2);
  }

  /** Records how many symbol ids are in use (whoever loads generated/ after Pair Discovery). */
  setNumSymbols(n: number): void {
    if (!Number.isInteger(n) || n < 0 || n > MAX_SYMBOLS) throw new RangeError(`num_symbols ${n} is outside 0..${MAX_SYMBOLS}`);
    Atomics.store(this.seqs.u16, RegionHeader.off.num_symbols / 2, n);
    Atomics.store(this.data.u16, RegionHeader.off.num_symbols / 2, n);
  }
}
