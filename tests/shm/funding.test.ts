// Funding region: single-process semantics (values, stale flag, odd-seq recovery, id checks) and a two-process
// torn-read stress like the Price Store's (SHM_STRESS_SECONDS, default 2).
import { describe, expect, test } from "bun:test";
import { FundingFlag, FundingValue, HEADER_SIZE, createAll, openAll, seqWriteBegin } from "@spread/shm";
import { expectExit, prefixPerTest, spawnChild, STRESS_S, waitFor } from "./helpers/procs.ts";
import { BASE_US, fundingPatternOk, writeFundingPattern } from "./helpers/patterns.ts";
import { W, createScratch } from "./helpers/scratch.ts";

const freshPrefix = prefixPerTest();

describe("Funding region, one process", () => {
  test("unwritten entries read flags 0; write then read returns every field; seq +2 per write", () => {
    const prefix = freshPrefix();
    const { funding } = createAll(prefix).shm;
    const v = new FundingValue();
    expect(funding.read(1, 0, v)).toBe(true);
    expect(v.flags).toBe(0);
    writeFundingPattern(funding, 7, 1023, 42);
    expect(funding.readSeq(7, 1023)).toBe(2);
    expect(funding.read(7, 1023, v)).toBe(true);
    expect(fundingPatternOk(v)).toBe(true);
    expect([v.rate, v.intervalMin, v.nextFundingAt, v.seq]).toEqual([42e-6, 240, BASE_US + 42 * 13, 2]);
    expect(funding.readSeq(5, 1023)).toBe(0);
  });

  test("stale is set and cleared only on written entries; the next write clears it", () => {
    const prefix = freshPrefix();
    const { funding } = createAll(prefix).shm;
    const v = new FundingValue();
    expect(funding.setStale(3, 4, true)).toBe(false);
    writeFundingPattern(funding, 3, 4, 1);
    expect(funding.setStale(3, 4, true)).toBe(true);
    funding.read(3, 4, v);
    expect(v.flags).toBe(FundingFlag.valid | FundingFlag.stale);
    writeFundingPattern(funding, 3, 4, 2);
    funding.read(3, 4, v);
    expect(v.flags).toBe(FundingFlag.valid);
  });

  test("a reader fails while the seq is odd (a writer died mid-write); the owner's next write recovers it", () => {
    const prefix = freshPrefix();
    const shm = createAll(prefix).shm;
    writeFundingPattern(shm.funding, 1, 2, 5);
    seqWriteBegin(shm.regions.funding.u32, (HEADER_SIZE + (2 * 8 + 1) * 64) / 4);
    const v = new FundingValue();
    expect(shm.funding.read(1, 2, v)).toBe(false);
    writeFundingPattern(shm.funding, 1, 2, 6);
    expect(shm.funding.read(1, 2, v) && v.rate === 6e-6).toBe(true);
  });

  test("ids out of range are rejected", () => {
    const prefix = freshPrefix();
    const { funding } = createAll(prefix).shm;
    expect(() => funding.write(8, 0, 0, 0, 0, 0, 0, 0, 0)).toThrow(RangeError);
    expect(() => funding.read(1, 1024, new FundingValue())).toThrow(RangeError);
  });
});

describe("Funding region across processes", () => {
  test(
    `two-process stress: a child rewrites one entry back to back, the parent never reads a torn copy (${STRESS_S} s)`,
    async () => {
      const prefix = freshPrefix();
      createAll(prefix);
      const scratch = createScratch(prefix).u32;
      const shm = openAll(prefix);
      writeFundingPattern(shm.funding, 3, 9, 1);
      const child = spawnChild("funding-writer", prefix, STRESS_S * 2 + 30);
      await waitFor("writer ready", () => Atomics.load(scratch, W.ready) === 1, 30_000); // a bun child starts in seconds on a loaded box
      const v = new FundingValue();
      let checked = 0;
      let torn = 0;
      let failed = 0;
      let changes = 0;
      let last = -1;
      const end = Date.now() + STRESS_S * 1000;
      while (Date.now() < end) {
        for (let k = 0; k < 20_000; k++) {
          if (!shm.funding.read(3, 9, v)) {
            failed++;
            continue;
          }
          checked++;
          if (!fundingPatternOk(v)) torn++;
          if (v.seq !== last) {
            changes++;
            last = v.seq;
          }
        }
      }
      Atomics.store(scratch, W.stop, 1);
      await expectExit(child, 30_000);
      const writes = Atomics.load(scratch, W.result);
      console.log(`funding stress: ${checked} reads checked, ${torn} torn, ${failed} gave up, ${changes} distinct values seen; writer made ${writes} writes`);
      expect(torn).toBe(0);
      expect(checked).toBeGreaterThan(100_000);
      // The reads really raced the writer: they saw many different values.
      expect(changes).toBeGreaterThan(100);
      expect(writes).toBeGreaterThan(100_000);
    },
    STRESS_S * 2 * 1000 + 60_000,
  );
});
