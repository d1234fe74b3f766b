// [engine] skip_if_funding_erases: a spread whose open measure plus the futures leg's funding over the horizon is
// at or below 0 is not signalled, counted once per episode; off by default; stale or missing funding never holds
// a spread back; the horizon decides how many settlements count.
import { describe, expect, test } from "bun:test";
import { DIRECTIONS, wallMicros } from "@spread/common";
import { Decision } from "@spread/engine";
import { TrackedPairState, type Shm } from "@spread/shm";
import { allDirections, drain, freshShm, makeEngine, quote } from "./helpers.ts";

const fresh = freshShm();

const D = DIRECTIONS[0]!; // okx_spot → mexc_futures
const SYM = 3;
const GROSS = { open_on: "gross", open_spread_pct: 0.5 }; // the spread below is 1 % gross

/** Spot ask 100, futures bid 101 (1 % gross) and the futures leg's funding: `rate` per `intervalMin`, next in `inMin`. */
function setup(shm: Shm, rate: number, intervalMin = 480, inMin = 30): void {
  quote(shm, D.spot, SYM, 99.9, 100);
  quote(shm, D.futures, SYM, 101, 101.1);
  const now = wallMicros();
  shm.funding.write(D.futures, SYM, rate, Number.NaN, now + inMin * 60e6, intervalMin, now, now, 1);
}

describe("skip_if_funding_erases", () => {
  test("on: funding that erases the spread holds it back, counted once per episode; a milder rate signals", () => {
    const shm = fresh();
    setup(shm, -0.012); // the short leg pays 1.2 % at the next settlement: 1 % − 1.2 % < 0
    const e = makeEngine(shm, allDirections([SYM]), { ...GROSS, skip_if_funding_erases: true });
    expect(e.evaluatePair(D.id, SYM, D.spot, D.futures, 0)).toBe(Decision.withheld);
    expect(e.evaluatePair(D.id, SYM, D.spot, D.futures, 0)).toBe(Decision.withheld);
    expect(e.counters.fundingWithheld).toBe(1);
    expect(drain(shm).length).toBe(0);
    expect(shm.tracked.state(D.id, SYM)).toBe(TrackedPairState.free);
    // The spread falls below the threshold and comes back: a new episode, counted again.
    quote(shm, D.futures, SYM, 100.1, 100.2);
    expect(e.evaluatePair(D.id, SYM, D.spot, D.futures, 0)).toBe(Decision.below);
    quote(shm, D.futures, SYM, 101, 101.1);
    expect(e.evaluatePair(D.id, SYM, D.spot, D.futures, 0)).toBe(Decision.withheld);
    expect(e.counters.fundingWithheld).toBe(2);
    // Funding that only trims the spread (1 % − 0.3 %) lets it through.
    setup(shm, -0.003);
    expect(e.evaluatePair(D.id, SYM, D.spot, D.futures, 0)).toBe(Decision.signalled);
    const evs = drain(shm);
    expect(evs.length).toBe(1);
    expect([evs[0]!.futuresSource, evs[0]!.symbolId]).toEqual([D.futures, SYM]);
  });

  test("exactly erased (measure + funding = 0) is held back; positive funding never is", () => {
    const shm = fresh();
    quote(shm, D.spot, SYM, 99.9, 100);
    quote(shm, D.futures, SYM, 100.5, 100.6); // gross 0.5 %
    const now = wallMicros();
    shm.funding.write(D.futures, SYM, -0.005, Number.NaN, now + 60e6, 480, now, now, 1);
    const e = makeEngine(shm, allDirections([SYM]), { ...GROSS, skip_if_funding_erases: true });
    expect(e.evaluatePair(D.id, SYM, D.spot, D.futures, 0)).toBe(Decision.withheld);
    shm.funding.write(D.futures, SYM, 0.01, Number.NaN, now + 60e6, 480, now, now, 1);
    expect(e.evaluatePair(D.id, SYM, D.spot, D.futures, 0)).toBe(Decision.signalled);
  });

  test("off (the default): the same spread is signalled", () => {
    const shm = fresh();
    setup(shm, -0.012);
    const e = makeEngine(shm, allDirections([SYM]), GROSS);
    expect(e.evaluatePair(D.id, SYM, D.spot, D.futures, 0)).toBe(Decision.signalled);
    expect(e.counters.fundingWithheld).toBe(0);
  });

  test("stale or never collected: the engine cannot know, and signals", () => {
    for (const kind of ["stale", "none"] as const) {
      const shm = fresh();
      if (kind === "none") {
        quote(shm, D.spot, SYM, 99.9, 100);
        quote(shm, D.futures, SYM, 101, 101.1);
      } else setup(shm, -0.012);
      if (kind === "stale") shm.funding.setStale(D.futures, SYM, true);
      const e = makeEngine(shm, allDirections([SYM]), { ...GROSS, skip_if_funding_erases: true });
      expect(e.evaluatePair(D.id, SYM, D.spot, D.futures, 0)).toBe(Decision.signalled);
      expect(e.counters.fundingWithheld).toBe(0);
    }
  });

  test("the horizon decides how many settlements count: one by default, every one within N hours", () => {
    const shm = fresh();
    setup(shm, -0.003, 60, 30); // −0.3 % every hour, next in 30 min
    const next = makeEngine(shm, allDirections([SYM]), { ...GROSS, skip_if_funding_erases: true });
    expect(next.evaluatePair(D.id, SYM, D.spot, D.futures, 0)).toBe(Decision.signalled); // 1 − 0.3 > 0
    drain(shm);
    shm.tracked.release(D.id, SYM);
    const fourHours = makeEngine(shm, allDirections([SYM]), { ...GROSS, skip_if_funding_erases: true, funding_horizon: 4 });
    expect(fourHours.evaluatePair(D.id, SYM, D.spot, D.futures, 0)).toBe(Decision.withheld); // 4 × 0.3 > 1
    const quarterHour = makeEngine(shm, allDirections([SYM]), { ...GROSS, skip_if_funding_erases: true, funding_horizon: 0.25 });
    expect(quarterHour.evaluatePair(D.id, SYM, D.spot, D.futures, 0)).toBe(Decision.signalled); // no settlement in 15 min
  });
});
