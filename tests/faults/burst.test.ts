// Fault matrix, load (issue 17): the simulator at 5× its normal update rate for 60 s under `spread-ctl up`.
// No process falls behind for good (no restart, the engine's heartbeat and its update counter advance throughout,
// the Bitmap is drained, the simulator stops dropping frames for slow readers once the burst ends, the engine's
// intake returns to its pre-burst pace); no signal is lost (every spread scripted during the burst is tracked and
// closes CONVERGED); latency recovers (a spread after the burst is tracked within a bound); the Event Bus never
// blocks the engine (drops would be counted; a full ring is tests/engine/engine.test.ts). Figures are printed,
// never asserted tightly: the box is shared.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { DIRECTIONS, HealthSlot, loadGeneration, NUM_SOURCES, type Generation } from "@spread/common";
import { HealthState } from "@spread/shm";
import { readStatus } from "@spread/tracker";
import { waitFor } from "../wait.ts";
import { OpsBed } from "../ops/helpers.ts";
import { control, episode, ofPair, plainSymbol, running, SLOTS, startSpreadSim, trackedSinceStart as sysTrackedSinceStart, tracks, upAndWait, type Pick } from "../e2e/system.ts";

const NORMAL = 3000; // updates/s over all sources (the bed's small universe)
const BURST = 5 * NORMAL;
const BURST_S = 60;
const bed = new OpsBed();
let gen: Generation;
const used = new Set<string>(["GAS-USDT", "PEPE-USDT"]);
const t0 = performance.now();

interface SimState {
  updates_total: number;
  sources: Record<string, { dropped_backlog: number; frames_out: number }>;
}
const simState = async (): Promise<SimState> => (await (await fetch(`${bed.sim!.controlUrl}/state?conns=0`)).json()) as SimState;
const dropped = (s: SimState) => Object.values(s.sources).reduce((a, x) => a + x.dropped_backlog, 0);

/** Samples every 250 ms: engine heartbeat gaps and loop progress, bus drops, pids, Bitmap backlog. */
class Sampler {
  maxHeartbeatAgeMs = 0;
  /** Longest time the engine's update counter did not move. */
  maxStallMs = 0;
  drainedSamples = 0;
  samples = 0;
  private lastMessages = -1;
  private lastMove = Date.now();
  private timer: ReturnType<typeof setInterval> | null = null;
  readonly pids = SLOTS.map((s) => bed.health(s).pid);
  busDropped0 = bed.shm.events.dropped();

  start(): void {
    this.timer = setInterval(() => this.sample(), 250);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  resetDrain(): void {
    this.drainedSamples = 0;
  }

  private sample(): void {
    const now = Date.now();
    const h = bed.health(HealthSlot.engine);
    this.samples++;
    this.maxHeartbeatAgeMs = Math.max(this.maxHeartbeatAgeMs, now - h.heartbeatAt / 1000);
    if (h.messages !== this.lastMessages) {
      this.lastMessages = h.messages;
      this.lastMove = now;
    }
    this.maxStallMs = Math.max(this.maxStallMs, now - this.lastMove);
    let pending = false;
    for (let s = 0; s < NUM_SOURCES; s++) pending ||= bed.shm.bitmap.pending(s);
    if (!pending) this.drainedSamples++;
  }
}

/** Engine updates consumed per second over `ms`, with the simulator's updates per second over the same window. */
async function pace(ms: number): Promise<{ engine: number; sim: number; dropped: number }> {
  const e0 = bed.health(HealthSlot.engine).messages;
  const s0 = await simState();
  const a = performance.now();
  await Bun.sleep(ms); // a window, not a wait: the pace is counted over it
  const e1 = bed.health(HealthSlot.engine).messages;
  const s1 = await simState();
  const dt = (performance.now() - a) / 1000;
  return { engine: (e1 - e0) / dt, sim: (s1.updates_total - s0.updates_total) / dt, dropped: dropped(s1) - dropped(s0) };
}

const trackedSinceStart = (p: Pick) => sysTrackedSinceStart(bed, p);

beforeAll(async () => {
  await startSpreadSim(bed, { rate: { total: NORMAL }, tracker: { max_duration_s: 60 } });
  await upAndWait(bed);
  gen = loadGeneration(bed.generatedDir);
  console.log(`burst: system up in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}, 120_000);

afterAll(async () => {
  console.log(`burst: whole file ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  await bed.cleanup();
}, 30_000);

describe(`${BURST_S} s at 5× the update rate`, () => {
  test("nothing falls behind for good, no signal lost, latency recovers, the Event Bus never blocks the engine", async () => {
    // Let every feed settle (REST seeds, first frames) before measuring the normal pace.
    await waitFor("every feed running", () => SLOTS.every((s) => running(bed, s)), 30_000, 200);
    const before = await pace(5000);
    console.log(`burst: before: sim ${before.sim.toFixed(0)} updates/s, engine took ${before.engine.toFixed(0)}/s, sim dropped ${before.dropped} frames for slow readers`);

    const sampler = new Sampler();
    sampler.start();
    const picks: Pick[] = [];
    try {
      await control(bed, "/rate", { total: BURST });
      const b0 = performance.now();
      const sim0 = await simState();
      const e0 = bed.health(HealthSlot.engine).messages;
      // Spreads scripted through the burst: two every 12 s on distinct pairs of different directions.
      for (let round = 0; round < 4; round++) {
        await Bun.sleep(Math.max(0, b0 + (5 + 12 * round) * 1000 - performance.now())); // pacing: the script's timetable
        for (const d of [(2 * round) % DIRECTIONS.length, (2 * round + 1) % DIRECTIONS.length]) {
          const p = plainSymbol(gen, d, used);
          picks.push(p);
          await episode(bed, p);
        }
      }
      await Bun.sleep(Math.max(0, b0 + BURST_S * 1000 - performance.now())); // a window: the burst lasts BURST_S
      const sim1 = await simState();
      const dt = (performance.now() - b0) / 1000;
      const burstRate = (sim1.updates_total - sim0.updates_total) / dt;
      const engineRate = (bed.health(HealthSlot.engine).messages - e0) / dt;
      console.log(`burst: during: sim ${burstRate.toFixed(0)} updates/s (${(burstRate / before.sim).toFixed(1)}× before), engine took ${engineRate.toFixed(0)}/s, ${dropped(sim1) - dropped(sim0)} frames dropped for slow readers; engine heartbeat max age ${sampler.maxHeartbeatAgeMs.toFixed(0)} ms, update counter still for at most ${sampler.maxStallMs} ms, bitmap empty in ${sampler.drainedSamples}/${sampler.samples} samples`);
      expect(burstRate).toBeGreaterThan(3 * before.sim); // the load really went up
    } finally {
      await control(bed, "/rate", { total: NORMAL });
    }

    // Nobody fell over or hung during the burst.
    expect(SLOTS.map((s) => bed.health(s).pid)).toEqual(sampler.pids);
    expect(SLOTS.every((s) => running(bed, s))).toBe(true);
    expect(sampler.maxHeartbeatAgeMs).toBeLessThan(5000); // the HUNG bound of spread-ctl status
    expect(sampler.maxStallMs).toBeLessThan(5000); // the engine's loop kept consuming updates
    expect(bed.shm.events.dropped()).toBe(sampler.busDropped0);
    expect(bed.health(HealthSlot.engine).reconnects).toBe(0); // engine-side bus drops

    // Caught up after the burst: the Bitmap drains, the simulator stops dropping frames for slow readers, the
    // engine's intake is back at its pre-burst pace.
    sampler.resetDrain();
    await waitFor("the Bitmap drained (no pending bit on any source)", () => sampler.drainedSamples > 0, 15_000, 100);
    await Bun.sleep(2000); // pacing: the post-burst pace is measured from 2 s after the drain, not across it
    const after = await pace(5000);
    console.log(`burst: after: sim ${after.sim.toFixed(0)} updates/s, engine took ${after.engine.toFixed(0)}/s, sim dropped ${after.dropped} frames`);
    sampler.stop();
    expect(after.dropped).toBe(0);
    expect(after.engine).toBeGreaterThan(0.5 * before.engine * (after.sim / before.sim));
    expect(bed.health(HealthSlot.engine).state).toBe(HealthState.running);

    // Latency recovers: a spread after the burst is tracked within a (loose) bound.
    const late = plainSymbol(gen, 11, used);
    await episode(bed, late);
    const ms = await waitFor("a spread after the burst tracked", () => trackedSinceStart(late), 15_000, 50);
    console.log(`burst: a spread after the burst tracked ${ms.toFixed(0)} ms after it was scripted (ramp 300 ms)`);

    // No signal lost: every spread of the burst was tracked and closed CONVERGED.
    let ts = await tracks(bed);
    await waitFor("every burst spread CONVERGED", async () => {
      ts = await tracks(bed);
      return picks.every((p) => ofPair(ts, p).some((t) => t.state === "CONVERGED"));
    }, 30_000, 500).catch((err) => {
      const missing = picks.filter((p) => !ofPair(ts, p).some((t) => t.state === "CONVERGED")).map((p) => `${DIRECTIONS[p.d]!.name} ${p.sym}: ${ofPair(ts, p).map((t) => t.state).join(",") || "never tracked"}`);
      throw new Error(`${(err as Error).message}\n${missing.join("\n")}`);
    });
    expect(picks.length).toBe(8);
    // Every signal the engine pushed reached the tracker (both count since their start; nothing restarted).
    await waitFor("tracker consumed every engine signal", () => readStatus(bed.dataDir)!.counters.events_consumed === bed.health(HealthSlot.engine).updates, 10_000, 200);
    expect(readStatus(bed.dataDir)!.counters.events_invalid).toBe(0);
  }, 200_000);
});
