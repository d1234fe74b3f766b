// Bitmap of changed prices: a 1024-bit block per source, bit symbol_id set by that source's feed after
// it wrote the price, taken (read and cleared atomically) by the engine. A set bit is never lost: each
// 0→1 transition made by a writer is returned by exactly one take.
import { BITMAP_BLOCK_SIZE, BITMAP_WORDS_PER_BLOCK, HEADER_SIZE, MAX_SYMBOLS, NUM_SOURCES } from "./layout.ts";
import type { Region } from "./region.ts";

const BASE_WORDS = HEADER_SIZE / 4;
const BLOCK_WORDS = BITMAP_BLOCK_SIZE / 4;

/** Number of set bits in a u32. */
export function popcount32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

export class Bitmap {
  private readonly words: Uint32Array;

  constructor(readonly region: Region) {
    this.words = region.u32;
  }

  /**
   * Marks symbol `symbol` of `source` as changed. Returns true when this call set the bit (the caller
   * should then wake the engine) and false when it was already pending (a wake is already owed by
   * whoever set it). The plain check first skips the locked RMW while the engine has not caught up.
   */
  set(source: number, symbol: number): boolean {
    if (source >>> 0 >= NUM_SOURCES || symbol >>> 0 >= MAX_SYMBOLS) {
      throw new RangeError(`bitmap: source_id ${source} / symbol_id ${symbol} out of range`);
    }
    const i = BASE_WORDS + source * BLOCK_WORDS + (symbol >>> 5);
    const bit = 1 << (symbol & 31);
    if ((Atomics.load(this.words, i) & bit) !== 0) return false;
    return (Atomics.or(this.words, i, bit) & bit) === 0;
  }

  /**
   * Takes the whole block of `source`: copies it into `out` (≥ 32 words, bit k of word j = symbol
   * j×32+k) and clears it, word by word with Atomics.exchange. Returns the number of bits taken.
   * Words that read as zero are not exchanged (no locked RMW on idle words).
   */
  take(source: number, out: Uint32Array): number {
    if (source >>> 0 >= NUM_SOURCES) throw new RangeError(`bitmap: source_id ${source} out of range`);
    const words = this.words;
    const base = BASE_WORDS + source * BLOCK_WORDS;
    let n = 0;
    for (let j = 0; j < BITMAP_WORDS_PER_BLOCK; j++) {
      let v = Atomics.load(words, base + j);
      if (v !== 0) {
        v = Atomics.exchange(words, base + j, 0);
        n += popcount32(v);
      }
      out[j] = v;
    }
    return n;
  }

  /** True if any bit of `source` is pending (no clearing). */
  pending(source: number): boolean {
    const base = BASE_WORDS + source * BLOCK_WORDS;
    for (let j = 0; j < BITMAP_WORDS_PER_BLOCK; j++) if (Atomics.load(this.words, base + j) !== 0) return true;
    return false;
  }
}
