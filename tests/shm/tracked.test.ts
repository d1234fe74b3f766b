// Tracked state (engine ↔ tracker): one signal per pair while tracked, free again on close, and the
// restart rules (engine restart never re-signals; tracker restart reconciles so nothing stays blocked).
// Restarts are modelled by mapping the regions again (a new process sees only what is in shm).
import { describe, expect, test } from "bun:test";
import { TRACKED_ENTRIES, TrackedPairState as S, createAll, openAll } from "@spread/shm";
import { expectExit, prefixPerTest, spawnChild, waitFor } from "./helpers/procs.ts";
import { W, createScratch } from "./helpers/scratch.ts";

const freshPrefix = prefixPerTest();

const NOW = 1_800_000_000;

describe("TrackedState", () => {
  test("claim once; no second claim while signalled or tracked; free again right after release", () => {
    const prefix = freshPrefix();
    const t = createAll(prefix).shm.tracked;
    expect(t.state(3, 17)).toBe(S.free);
    expect(t.tryClaim(3, 17, NOW)).toBe(true);
    expect([t.state(3, 17), t.claimedAt(3, 17), t.claims(3, 17)]).toEqual([S.signalled, NOW, 1]);
    expect(t.tryClaim(3, 17, NOW + 1)).toBe(false);
    expect(t.claimedAt(3, 17)).toBe(NOW); // a refused claim leaves the entry alone
    const epoch = t.attachTracker(111);
    expect(t.markTracked(3, 17, epoch)).toBe(true);
    expect(t.markTracked(3, 17, epoch)).toBe(false);
    expect([t.state(3, 17), t.epoch(3, 17)]).toEqual([S.tracked, epoch]);
    expect(t.tryClaim(3, 17, NOW + 2)).toBe(false);
    expect(t.release(3, 17)).toBe(S.tracked);
    expect([t.state(3, 17), t.epoch(3, 17)]).toEqual([S.free, 0]);
    expect(t.tryClaim(3, 17, NOW + 3)).toBe(true);
    expect(t.claims(3, 17)).toBe(2);
    // Neighbours are independent.
    expect([t.state(3, 16), t.state(3, 18), t.state(4, 17), t.state(2, 17)]).toEqual([0, 0, 0, 0]);
  });

  test("a dropped push is undone: unclaim only from signalled", () => {
    const prefix = freshPrefix();
    const t = createAll(prefix).shm.tracked;
    expect(t.unclaim(0, 0)).toBe(false);
    expect(t.tryClaim(0, 0, NOW)).toBe(true);
    expect(t.unclaim(0, 0)).toBe(true);
    expect(t.state(0, 0)).toBe(S.free);
    t.tryClaim(0, 0, NOW);
    t.markTracked(0, 0, t.attachTracker());
    expect(t.unclaim(0, 0)).toBe(false); // the engine cannot free a tracked pair
    expect(t.state(0, 0)).toBe(S.tracked);
  });

  test("ids out of range throw; the last entry is usable", () => {
    const prefix = freshPrefix();
    const t = createAll(prefix).shm.tracked;
    expect(() => t.state(12, 0)).toThrow("direction_id 12");
    expect(() => t.tryClaim(0, 1024, NOW)).toThrow("symbol_id 1024");
    expect(() => t.state(-1, 0)).toThrow(RangeError);
    expect(t.tryClaim(11, 1023, NOW)).toBe(true);
    expect(t.counts()).toEqual({ free: TRACKED_ENTRIES - 1, signalled: 1, tracked: 0 });
  });

  test("engine restart: a new engine sees signalled and tracked pairs and cannot claim them", () => {
    const prefix = freshPrefix();
    const first = createAll(prefix).shm.tracked;
    first.attachEngine(1);
    first.tryClaim(1, 10, NOW);
    first.tryClaim(2, 20, NOW);
    first.markTracked(2, 20, first.attachTracker());
    const restarted = openAll(prefix).tracked;
    restarted.attachEngine(2);
    expect(restarted.tryClaim(1, 10, NOW + 5)).toBe(false);
    expect(restarted.tryClaim(2, 20, NOW + 5)).toBe(false);
    expect(restarted.tryClaim(3, 30, NOW + 5)).toBe(true);
    expect(restarted.enginePid()).toBe(2);
    const seen: string[] = [];
    restarted.forEachClaimed((d, s, st, at) => seen.push(`${d}/${s}:${st}@${at - NOW}`));
    expect(seen).toEqual(["1/10:1@0", "2/20:2@0", "3/30:1@5"]);
  });

  test("tracker restart: reconcile frees unknown tracked pairs and old signalled ones, keeps the rest", () => {
    const prefix = freshPrefix();
    const t = createAll(prefix).shm.tracked;
    const e1 = t.attachTracker(100);
    for (const [d, s] of [[0, 1], [0, 2], [5, 3]] as const) {
      t.tryClaim(d, s, NOW - 100);
      t.markTracked(d, s, e1);
    }
    t.tryClaim(6, 6, NOW - 100); // its event was consumed by the tracker that died
    t.tryClaim(7, 7, NOW - 1); // the engine is pushing its event right now

    const restarted = openAll(prefix).tracked;
    const e2 = restarted.attachTracker(200);
    expect(e2).toBe(e1 + 1);
    expect(restarted.trackerPid()).toBe(200);
    // Recovered from its files: (0,1) and a pair whose entry was lost (region recreated, say).
    expect(restarted.adopt(0, 1, e2)).toBe(S.tracked);
    expect(restarted.adopt(9, 9, e2)).toBe(S.free);
    const owned = new Set(["0/1", "9/9"]);
    const r = restarted.reconcile((d, s) => owned.has(`${d}/${s}`), NOW, 10);
    expect(r).toEqual({ freedTracked: 2, freedSignalled: 1, kept: 3 });
    expect([restarted.state(0, 1), restarted.epoch(0, 1), restarted.state(9, 9)]).toEqual([S.tracked, e2, S.tracked]);
    expect([restarted.state(0, 2), restarted.state(5, 3), restarted.state(6, 6), restarted.state(7, 7)]).toEqual([S.free, S.free, S.free, S.signalled]);
    expect(restarted.reconciledAt()).toBe(NOW);
    // Freed pairs can be signalled again at once.
    expect(restarted.tryClaim(0, 2, NOW)).toBe(true);
    expect(restarted.tryClaim(6, 6, NOW)).toBe(true);
  });

  test("two processes racing on the same pairs: every pair is claimed exactly once", async () => {
    const prefix = freshPrefix();
    const t = createAll(prefix).shm.tracked;
    const scratch = createScratch(prefix).u32;
    const child = spawnChild("tracked-claimer", prefix, 1, 30);
    await waitFor("claimer ready", () => Atomics.load(scratch, W.ready) === 1, 10_000);
    let mine = 0;
    for (let round = 0; round < 20; round++) {
      for (let e = 0; e < TRACKED_ENTRIES; e++) if (t.tryClaim((e / 1024) | 0, e % 1024, NOW)) mine++;
    }
    await expectExit(child, 20_000);
    const theirs = Atomics.load(scratch, W.result);
    expect(mine + theirs).toBe(TRACKED_ENTRIES);
    expect(t.counts().signalled).toBe(TRACKED_ENTRIES);
  }, 40_000);
});
