// SeqLock: single-threaded semantics, and a two-process torn-read stress with a control run that
// proves the check detects tearing. SHM_STRESS_SECONDS (default 2) sets each stress phase's length.
import { describe, expect, test } from "bun:test";
import { HEADER_SIZE, PriceRecord, createAll, openAll, seqLoad, seqWriteBegin, seqWriteEnd, type Shm } from "@spread/shm";
import { expectExit, prefixPerTest, spawnChild, STRESS_S, waitFor } from "./helpers/procs.ts";
import { BASE_US, pricePatternOk, writePricePattern } from "./helpers/patterns.ts";
import { W, createScratch } from "./helpers/scratch.ts";

const freshPrefix = prefixPerTest();

describe("SeqLock, one process", () => {
  test("write then read returns the values; seq +2 per write; readSeq detects changes", () => {
    const prefix = freshPrefix();
    const { prices } = createAll(prefix).shm;
    const r = new PriceRecord();
    expect(prices.read(0, 0, r)).toBe(true);
    expect(r.flags).toBe(0);
    const s0 = prices.readSeq(2, 9);
    writePricePattern(prices, 2, 9, 123);
    expect(prices.readSeq(2, 9)).toBe(s0 + 2);
    expect(prices.read(2, 9, r)).toBe(true);
    expect(pricePatternOk(r) && r.bid === 123 && r.seq === s0 + 2).toBe(true);
    const q = new PriceRecord();
    expect(prices.readQuote(2, 9, q)).toBe(true);
    expect([q.bid, q.ask, q.updatedAt, q.flags, q.seq]).toEqual([123, 123.5, BASE_US + 123, 1, s0 + 2]);
    expect(prices.readSeq(2, 10)).toBe(0);
  });

  test("a reader fails (never returns torn data) while the seq is odd; the writer recovers an odd seq", () => {
    const prefix = freshPrefix();
    const shm: Shm = createAll(prefix).shm;
    writePricePattern(shm.prices, 1, 1, 5);
    const seq = shm.regions.seqs.u32;
    const idx = (HEADER_SIZE + (1 * 8 + 1) * 64) / 4;
    const even = seqWriteBegin(seq, idx); // simulate a writer that died mid-write
    expect(seqLoad(seq, idx) & 1).toBe(1);
    const r = new PriceRecord();
    expect(shm.prices.read(1, 1, r)).toBe(false);
    expect(shm.prices.readQuote(1, 1, r)).toBe(false);
    writePricePattern(shm.prices, 1, 1, 6); // the restarted owner's next write
    expect(seqLoad(seq, idx)).toBe(even + 4);
    expect(shm.prices.read(1, 1, r) && r.bid === 6).toBe(true);
    seqWriteEnd(seq, idx, even + 2);
  });

  test("seq wraps at 2^32 and stays usable", () => {
    const prefix = freshPrefix();
    const shm = createAll(prefix).shm;
    const idx = (HEADER_SIZE + (3 * 8 + 4) * 64) / 4;
    Atomics.store(shm.regions.seqs.u32, idx, 0xfffffffe);
    writePricePattern(shm.prices, 4, 3, 77);
    expect(shm.prices.readSeq(4, 3)).toBe(0);
    const r = new PriceRecord();
    expect(shm.prices.read(4, 3, r) && r.bid === 77).toBe(true);
  });

  test("ids out of range are rejected", () => {
    const prefix = freshPrefix();
    const { prices } = createAll(prefix).shm;
    expect(() => prices.write(8, 0, 1, 1, 1, 1, 0, 0, 0)).toThrow(RangeError);
    expect(() => prices.write(0, 1024, 1, 1, 1, 1, 0, 0, 0)).toThrow(RangeError);
    expect(() => prices.read(-1, 0, new PriceRecord())).toThrow(RangeError);
  });
});

describe("SeqLock across processes", () => {
  /** Reads (source 1, symbol 7) while a child rewrites it; returns [checked, torn, failed]. */
  function hammer(shm: Shm, seconds: number, withSeqlock: boolean, stopAtFirstTorn: boolean): [number, number, number] {
    const r = new PriceRecord();
    let checked = 0;
    let torn = 0;
    let failed = 0;
    const seq = shm.regions.seqs.u32;
    const f64 = shm.regions.data.f64;
    const u32 = shm.regions.data.u32;
    const sIdx = (HEADER_SIZE + (7 * 8 + 1) * 64) / 4;
    const f = (HEADER_SIZE + (7 * 8 + 1) * 64) / 8;
    const w = f * 2;
    const end = Date.now() + seconds * 1000;
    while (Date.now() < end) {
      for (let k = 0; k < 20_000; k++) {
        if (withSeqlock) {
          if (!shm.prices.read(1, 7, r)) {
            failed++;
            continue;
          }
        } else {
          // Control: the same copy without validation. The Atomics.load only stops the JIT from hoisting.
          Atomics.load(seq, sIdx);
          r.bid = f64[f]!;
          r.ask = f64[f + 1]!;
          r.updatedAt = u32[w + 5]! * 4294967296 + u32[w + 4]!;
          r.bidQty = f64[f + 3]!;
          r.askQty = f64[f + 4]!;
          r.exchangeTs = u32[w + 11]! * 4294967296 + u32[w + 10]!;
          r.recvMono = u32[w + 13]! * 4294967296 + u32[w + 12]!;
        }
        checked++;
        if (!pricePatternOk(r)) torn++;
      }
      if (stopAtFirstTorn && torn > 0) break;
    }
    return [checked, torn, failed];
  }

  test(
    `two-process stress: zero torn reads with the SeqLock; the control reader sees tearing (${STRESS_S} s each)`,
    async () => {
      const prefix = freshPrefix();
      createAll(prefix);
      const scratch = createScratch(prefix).u32;
      const shm = openAll(prefix);
      writePricePattern(shm.prices, 1, 7, 1);
      const child = spawnChild("seqlock-writer", prefix, STRESS_S * 3 + 30);
      await waitFor("writer ready", () => Atomics.load(scratch, W.ready) === 1, 30_000); // a bun child starts in seconds on a loaded box

      const [checked, torn, failed] = hammer(shm, STRESS_S, true, false);
      // Control run: must detect tearing, or the zero above proves nothing. Up to 3× the time.
      const [cChecked, cTorn] = hammer(shm, STRESS_S * 3, false, true);

      Atomics.store(scratch, W.stop, 1);
      await expectExit(child, 30_000);
      const writes = Atomics.load(scratch, W.result);
      console.log(`seqlock stress: ${checked} reads checked, ${torn} torn, ${failed} gave up after 4 attempts; writer made ${writes} writes; control: ${cTorn} torn in ${cChecked}`);
      expect(torn).toBe(0);
      expect(checked).toBeGreaterThan(100_000);
      expect(writes).toBeGreaterThan(100_000);
      expect(cTorn).toBeGreaterThan(0);
    },
    STRESS_S * 4 * 1000 + 60_000,
  );
});
