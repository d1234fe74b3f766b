// The soak's verdict rules (bench/soak-analysis.ts) on synthetic memory series shaped like what a Bun process
// shows: flat with a GC sawtooth, a one-off step, warm-up then flat, and a steady leak.
import { describe, expect, test } from "bun:test";
import { memoryGrowth, median, pidChanges, slope, supervisorRestarts } from "../../bench/soak-analysis.ts";

/** A 30-minute run sampled every 5 s. */
const T = Array.from({ length: 361 }, (_, i) => i * 5);
/** A GC sawtooth: climbs `amp` MB over `periodS`, then drops back. */
const saw = (t: number, amp: number, periodS: number) => ((t % periodS) / periodS) * amp;

describe("memoryGrowth", () => {
  test("a flat heap with a 6 MB garbage-collection sawtooth is not growing", () => {
    const g = memoryGrowth(T, T.map((t) => 40 + saw(t, 6, 170)));
    expect(g.tooShort).toBe(false);
    expect(g.growing).toBe(false);
  });

  test("a sawtooth caught rising at the end (steep slope) but below the first half's peaks is not growing", () => {
    // Last quarter: one slow sawtooth cycle rising; its median stays under the first half's max.
    const g = memoryGrowth(T, T.map((t) => 40 + saw(t, 8, 450)));
    expect(g.slopeMbPerH).toBeGreaterThan(6);
    expect(g.growing).toBe(false);
  });

  test("a one-off step (the discovery reload at 50 %) that stays flat is not growing", () => {
    const g = memoryGrowth(T, T.map((t) => (t < 900 ? 40 : 52) + saw(t, 2, 60)));
    expect(g.lastQuarterMedianMb).toBeGreaterThan(g.firstHalfMaxMb + 3);
    expect(Math.abs(g.slopeMbPerH)).toBeLessThan(6);
    expect(g.growing).toBe(false);
  });

  test("warm-up growth in the first minutes then flat is not growing", () => {
    const g = memoryGrowth(T, T.map((t) => 30 + 15 * (1 - Math.exp(-t / 120)) + saw(t, 2, 90)));
    expect(g.growing).toBe(false);
  });

  test("a steady 30 MB/h leak under the sawtooth is growing", () => {
    const g = memoryGrowth(T, T.map((t) => 40 + (30 * t) / 3600 + saw(t, 4, 170)));
    expect(g.slopeMbPerH).toBeGreaterThan(20);
    expect(g.slopeMbPerH).toBeLessThan(40);
    expect(g.growing).toBe(true);
  });

  test("a leak that starts after the reload (second half only) is growing", () => {
    const g = memoryGrowth(T, T.map((t) => 40 + (t > 900 ? (40 * (t - 900)) / 3600 : 0) + saw(t, 2, 120)));
    expect(g.growing).toBe(true);
  });

  test("too few samples are never judged growing; missing samples are skipped", () => {
    expect(memoryGrowth([0, 5, 10], [1, 100, 1000]).tooShort).toBe(true);
    const withGaps = T.map((t) => (t % 100 === 0 ? Number.NaN : 40 + (30 * t) / 3600));
    expect(memoryGrowth(T, withGaps).growing).toBe(true);
  });
});

test("slope and median", () => {
  expect(slope([0, 1, 2, 3], [1, 3, 5, 7])).toBeCloseTo(2, 12);
  expect(slope([1, 1], [0, 5])).toBeNaN();
  expect(median([5, 1, 3])).toBe(3);
  expect(median([4, 1, 3, 2])).toBe(2.5);
});

test("pidChanges counts a new pid in a slot, not the gaps while it restarts", () => {
  expect(pidChanges([10, 10, 10])).toBe(0);
  expect(pidChanges([10, 0, 0, 11, 11, 12])).toBe(2);
  expect(pidChanges([0, 0, 7])).toBe(0);
});

test("supervisorRestarts reads spread-ctl up's JSON log lines", () => {
  const text = [
    '{"level":30,"process":"feed-okx_spot","msg":"started (pid 10)"}',
    '{"level":40,"process":"feed-okx_spot","msg":"exit 1 after 3.0 s; restart #1 in 500 ms"}',
    '{"level":30,"process":"spread-engine","msg":"exit 0 after 60.0 s; restart #1 in 500 ms"}',
    '{"level":40,"process":"feed-okx_spot","msg":"signal SIGKILL after 1.0 s; restart #2 in 1000 ms"}',
    "restart #9 not json",
  ].join("\n");
  expect(Object.fromEntries(supervisorRestarts(text))).toEqual({ "feed-okx_spot": 2, "spread-engine": 1 });
});
