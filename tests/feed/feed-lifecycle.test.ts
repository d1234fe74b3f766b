// Every way a feed stops publishing leaves its prices stale (issue 9 §2), Health agrees with the Price Store
// and with whether the process lives, one feed per source, and a feed refuses to start into a shut-down system.
// Real feed processes against the simulator; one source (bybit_spot: re-sends unchanged books) does the work.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { SOURCE_NAMES, SourceId, wallMicros, type Generation } from "@spread/common";
import { Command, GlobalFlag, HealthState, PriceFlag, SourceLiveness, renderStatus } from "@spread/shm";
import { FeedBed, waitFor } from "./harness.ts";

const bed = new FeedBed();
const SRC = SourceId.bybit_spot;
let gen: Generation;
let ids: number[] = [];

const flags = (id: number) => bed.shm.prices.readFlags(SRC, id);
const fresh = (id: number) => (flags(id) & (PriceFlag.valid | PriceFlag.stale)) === PriceFlag.valid;
const allStale = () => ids.every((id) => (flags(id) & PriceFlag.stale) !== 0);
const allFresh = () => ids.every(fresh);

async function startAndFill(): Promise<void> {
  bed.startFeed(SRC);
  await waitFor("every served symbol has a fresh price", allFresh, 20_000);
  await waitFor("Health running with every symbol live", () => {
    const h = bed.health(SRC);
    return h.state === HealthState.running && h.symbolsLive === ids.length && h.symbolsStale === 0;
  }, 10_000);
}

async function exitOf(p: { exited: Promise<number> }, ms: number): Promise<number | "timeout"> {
  return Promise.race([p.exited, Bun.sleep(ms).then(() => "timeout" as const)]);
}

beforeAll(async () => {
  await bed.start({
    scenario: { sim: { seed: 11 }, universe: { scale: 0.06, silent_per_source: 0, anomalies_per_source: 0 }, rate: { total: 3000 }, episodes: [] },
    endpoints: Object.fromEntries(SOURCE_NAMES.map((n) => [n, { symbol_stale_ms: 5000 }])),
  });
  gen = await bed.discover();
  ids = gen.sources[SRC]!.entries.map((e) => e.symbolId);
}, 90_000);

afterAll(async () => {
  await bed.cleanup();
}, 30_000);

describe("a feed that stops publishing leaves its prices stale", () => {
  test("a second feed for the same source refuses to start (exit 4) and names the pid that holds it", async () => {
    expect(ids.length).toBeGreaterThan(3);
    await startAndFill();
    const first = bed.feeds.get(SRC)!;
    const second = bed.startFeed(SRC);
    expect(await exitOf(second.proc, 15_000)).toBe(4);
    const log = await bed.log(SRC);
    expect(log).toContain(`bybit_spot is already running on shm prefix "${bed.prefix}": Health slot ${SRC} is held by pid ${first.proc.pid}`);
    bed.feeds.set(SRC, first);
    // The refused instance touched nothing: the holder keeps publishing, its prices stay fresh.
    expect(first.proc.exitCode).toBeNull();
    expect(bed.health(SRC).pid).toBe(first.proc.pid!);
    expect(allFresh()).toBe(true);
  }, 90_000);

  test("pause: every entry is flagged stale and Health counts them stale; resume makes them fresh again", async () => {
    bed.shm.control.sendCommand(SRC, Command.pause);
    await waitFor("all entries stale after pause", allStale, 5000);
    await waitFor("Health paused, live 0", () => {
      const h = bed.health(SRC);
      return h.state === HealthState.paused && h.symbolsLive === 0 && h.symbolsStale === ids.length;
    }, 5000);
    const live = new SourceLiveness(bed.shm.health);
    live.refresh(wallMicros());
    expect(live.sourceLive(SRC)).toBe(false);
    bed.shm.control.sendCommand(SRC, Command.resume);
    await waitFor("fresh again after resume", allFresh, 15_000);
    await waitFor("Health running, all live", () => bed.health(SRC).symbolsLive === ids.length, 10_000);
  }, 60_000);

  test("SIGTERM: exit 0, every entry stale, slot stopped", async () => {
    const f = bed.feeds.get(SRC)!;
    f.proc.kill("SIGTERM");
    expect(await exitOf(f.proc, 5000)).toBe(0);
    expect(allStale()).toBe(true);
    expect(bed.health(SRC).state).toBe(HealthState.stopped);
  }, 30_000);

  test("Control kill: exit 1, every entry stale", async () => {
    await startAndFill();
    const f = bed.feeds.get(SRC)!;
    bed.shm.control.sendCommand(SRC, Command.kill);
    expect(await exitOf(f.proc, 5000)).toBe(1);
    expect(allStale()).toBe(true);
  }, 60_000);

  test("kill -9: readers see the source dead at once; the next start marks the dead writer's entries stale", async () => {
    await startAndFill();
    const f = bed.feeds.get(SRC)!;
    // An entry only the dead writer ever wrote (no symbol of this generation uses id 1000).
    bed.shm.prices.write(SRC, 1000, 1, 2, 1, 1, 0, wallMicros(), 0);
    f.proc.kill("SIGKILL");
    await f.proc.exited;
    expect(allFresh()).toBe(true); // nobody could flag them…
    const live = new SourceLiveness(bed.shm.health);
    live.refresh(wallMicros());
    expect(live.sourceLive(SRC)).toBe(false); // …but the reader-side rule refuses them
    expect(ids.some((id) => live.fresh(SRC, flags(id)))).toBe(false);
    expect(bed.health(SRC).state).toBe(HealthState.running); // what the dead process left
    const status = renderStatus(bed.prefix);
    expect(status).toMatch(new RegExp(`\\b${SRC}\\s+bybit_spot\\s+feed\\s+running\\s+${f.proc.pid}\\s+DEAD \\(pid gone\\)`));
    expect(status).toContain(`bybit_spot ${ids.length} (${ids.length} stale: feed not publishing)`);
    bed.startFeed(SRC);
    await waitFor("the new instance flags the old entry stale", () => (flags(1000) & PriceFlag.stale) !== 0, 15_000);
    await waitFor("fresh again from the new writer", allFresh, 20_000);
    live.refresh(wallMicros());
    expect(live.sourceLive(SRC)).toBe(true);
  }, 90_000);

  test("SIGSTOP: the heartbeat ages past the bound and readers stop trusting the source", async () => {
    const f = bed.feeds.get(SRC)!;
    const live = new SourceLiveness(bed.shm.health, 1500);
    // The feed beats every 200 ms; on a loaded box a beat can be late, so wait for a live reading first.
    await waitFor("source live before SIGSTOP", () => live.refresh(wallMicros()) >= 0 && live.sourceLive(SRC), 10_000);
    f.proc.kill("SIGSTOP");
    try {
      await waitFor("source no longer live", () => live.refresh(wallMicros()) >= 0 && !live.sourceLive(SRC), 10_000);
      // spread-ctl status uses the default bound (5 s).
      await waitFor("status shows the feed HUNG", () => /HUNG \(no heartbeat for \d/.test(renderStatus(bed.prefix)), 10_000, 250);
    } finally {
      f.proc.kill("SIGCONT");
    }
    await waitFor("live again after SIGCONT", () => live.refresh(wallMicros()) >= 0 && live.sourceLive(SRC), 10_000);
  }, 60_000);

  test("global shutdown flag: the running feed exits 0, a new one refuses at once with exit 3 and writes nothing", async () => {
    const f = bed.feeds.get(SRC)!;
    bed.shm.control.setGlobalFlag(GlobalFlag.shutdown, true);
    try {
      expect(await exitOf(f.proc, 5000)).toBe(0);
      expect(allStale()).toBe(true);
      const before = bed.health(SRC);
      const again = bed.startFeed(SRC);
      expect(await exitOf(again.proc, 15_000)).toBe(3);
      expect(await bed.log(SRC)).toContain("the global shutdown flag is set");
      const after = bed.health(SRC);
      expect([after.pid, after.state, after.seq]).toEqual([before.pid, HealthState.stopped, before.seq]);
      expect(allStale()).toBe(true);
    } finally {
      bed.shm.control.setGlobalFlag(GlobalFlag.shutdown, false);
    }
  }, 30_000);
});
