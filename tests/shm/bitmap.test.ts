// Bitmap: set/take semantics, and two feed processes setting bits while this process takes them:
// every 0→1 transition is taken exactly once and the last price of every symbol is seen.
import { describe, expect, test } from "bun:test";
import { PriceRecord, createAll, openAll, popcount32 } from "@spread/shm";
import { expectExit, prefixPerTest, spawnChild, waitFor } from "./helpers/procs.ts";
import { setterSymbol } from "./helpers/patterns.ts";
import { W, createScratch } from "./helpers/scratch.ts";

const freshPrefix = prefixPerTest();

describe("Bitmap, one process", () => {
  test("set reports the 0→1 transition; take returns and clears one source's block only", () => {
    const prefix = freshPrefix();
    const bm = createAll(prefix).shm.bitmap;
    expect(bm.set(3, 0)).toBe(true);
    expect(bm.set(3, 0)).toBe(false);
    expect(bm.set(3, 1023)).toBe(true);
    expect(bm.set(4, 33)).toBe(true);
    const out = new Uint32Array(32);
    expect(bm.pending(3)).toBe(true);
    expect(bm.take(3, out)).toBe(2);
    expect([out[0], out[31]]).toEqual([1, 0x80000000]);
    expect(bm.pending(3)).toBe(false);
    expect(bm.take(3, out)).toBe(0);
    expect(out.every((w) => w === 0)).toBe(true);
    expect(bm.take(4, out)).toBe(1);
    expect(out[1]).toBe(2);
    expect(bm.set(3, 0)).toBe(true);
    expect(() => bm.set(8, 0)).toThrow(RangeError);
    expect(() => bm.set(0, 1024)).toThrow(RangeError);
  });

  test("popcount32", () => {
    expect([popcount32(0), popcount32(1), popcount32(0xffffffff), popcount32(0x80000001), popcount32(0x0f0f0f0f)]).toEqual([0, 1, 32, 2, 16]);
  });
});

describe("Bitmap across processes", () => {
  test("two feeds set, the engine takes: no lost bit, no double take, last price seen", async () => {
    const prefix = freshPrefix();
    createAll(prefix);
    const scratch = createScratch(prefix).u32;
    const shm = openAll(prefix);
    const COUNT = 2_000_000;
    const sources = [0, 5];
    const kids = sources.map((src) => spawnChild("bitmap-setter", prefix, src, COUNT));
    const taken = [0, 0];
    const lastSeen = sources.map(() => new Float64Array(1024).fill(-1));
    const out = new Uint32Array(32);
    const rec = new PriceRecord();
    const takeAll = () => {
      sources.forEach((src, k) => {
        taken[k]! += shm.bitmap.take(src, out);
        for (let j = 0; j < 32; j++) {
          for (let v = out[j]!; v !== 0; v &= v - 1) {
            const sym = j * 32 + (31 - Math.clz32(v & -v));
            // The price was written before the bit was set, so it is at least that new.
            for (let a = 0; !shm.prices.read(src, sym, rec); a++) if (a > 1e6) throw new Error("price unreadable");
            lastSeen[k]![sym] = rec.bid;
          }
        }
      });
    };
    const end = Date.now() + 50_000;
    while (kids.some((k) => k.exitCode === null)) {
      takeAll();
      if (Date.now() > end) throw new Error("setters did not finish");
      await Bun.sleep(0); // a yield, not a wait: the drain loop lets the children's exits be noticed
    }
    await Promise.all(kids.map((k) => expectExit(k, 10_000)));
    takeAll();

    // Final value each setter wrote per symbol.
    const finalT = new Float64Array(1024).fill(-1);
    for (let t = 0; t < COUNT; t++) finalT[setterSymbol(t)] = t;
    sources.forEach((src, k) => {
      const newly = Atomics.load(scratch, W.result + src);
      expect({ src, taken: taken[k] }).toEqual({ src, taken: newly });
      expect(Array.from(lastSeen[k]!)).toEqual(Array.from(finalT));
    });
    console.log(`bitmap: ${taken.join(" + ")} bits taken for ${COUNT} sets per feed`);
    await waitFor("nothing pending", () => !shm.bitmap.pending(0) && !shm.bitmap.pending(5), 5000);
  }, 70_000);
});
