// Feed grouping (opt-in, issue 17): several sources in ONE feed process (`feed --source a,b,c`, `[feed] groups`
// under spread-ctl up). Each source keeps its own Health slot (pid = the group's), pool and Control: pausing one
// leaves the others live; `shutdown <source>` restarts that source inside the process; `kill <source>` ends the
// process; SIGTERM exits 0 and leaves every source stale; kill -9 of the group under spread-ctl up is restarted.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ProcessKind, SOURCE_NAMES, SourceId, wallMicros, type Generation } from "@spread/common";
import { Command, GlobalFlag, HealthState, PriceFlag, REGIONS, SourceLiveness, statRegion } from "@spread/shm";
import { buildPlan, programLocator, type Launched } from "@spread/ctl";
import { FeedBed, waitFor } from "./harness.ts";
import { alive, OpsBed } from "../ops/helpers.ts";

const GROUP: number[] = [SourceId.bybit_spot, SourceId.bybit_futures, SourceId.okx_futures];
// Bybit re-sends unchanged books, so every one of its symbols is fresh within a second or two.
const FULL = [SourceId.bybit_spot, SourceId.bybit_futures];

async function exitOf(p: { exited: Promise<number> }, ms: number): Promise<number | "timeout"> {
  return Promise.race([p.exited, Bun.sleep(ms).then(() => "timeout" as const)]);
}

describe("a feed group process (feed --source a,b,c)", () => {
  const bed = new FeedBed();
  let gen: Generation;
  const ids = new Map<number, number[]>();
  let group: Launched;

  const flags = (src: number, id: number) => bed.shm.prices.readFlags(src, id);
  const fresh = (src: number, id: number) => (flags(src, id) & (PriceFlag.valid | PriceFlag.stale)) === PriceFlag.valid;
  const allFresh = (src: number) => ids.get(src)!.every((id) => fresh(src, id));
  const anyFresh = (src: number) => ids.get(src)!.some((id) => fresh(src, id));
  const allStale = (src: number) => ids.get(src)!.every((id) => (flags(src, id) & PriceFlag.stale) !== 0);
  const running = (src: number, pid: number) => {
    const h = bed.health(src);
    return h.pid === pid && (h.state === HealthState.running || h.state === HealthState.degraded);
  };

  async function startGroup(): Promise<Launched> {
    group = bed.startGroup(GROUP);
    const pid = group.proc.pid!;
    await waitFor("every source of the group running with prices", () => {
      if (group.proc.exitCode !== null) throw new Error(`feed group exited ${group.proc.exitCode}`);
      return GROUP.every((s) => running(s, pid) && anyFresh(s)) && FULL.every(allFresh);
    }, 30_000);
    return group;
  }

  beforeAll(async () => {
    await bed.start({
      scenario: { sim: { seed: 11 }, universe: { scale: 0.06, silent_per_source: 0, anomalies_per_source: 0 }, rate: { total: 3000 }, episodes: [] },
      endpoints: Object.fromEntries(SOURCE_NAMES.map((n) => [n, { symbol_stale_ms: 5000 }])),
      // The group reads in coalesced windows (the small-box setting): every behaviour below holds with it.
      feed: { read_coalesce_ms: 5 },
    });
    gen = await bed.discover();
    for (const s of GROUP) ids.set(s, gen.sources[s]!.entries.map((e) => e.symbolId));
  }, 90_000);

  afterAll(async () => {
    await bed.cleanup();
  }, 30_000);

  test("publishes every source into the Price Store; one Health slot per source, each with the group's pid", async () => {
    for (const s of GROUP) expect(ids.get(s)!.length).toBeGreaterThan(3);
    await startGroup();
    const pid = group.proc.pid!;
    for (const s of GROUP) {
      const h = bed.health(s);
      expect([h.pid, h.kind]).toEqual([pid, ProcessKind.feed]);
    }
    // Its own pool: connectionsUp is published by the Health timer, which may lag the first prices by a tick.
    await waitFor("every source's pool reports a connection up", () => GROUP.every((s) => bed.health(s).connectionsUp > 0), 10_000);
    // The sources outside the group were never touched by it.
    for (let s = 0; s < SOURCE_NAMES.length; s++) if (!GROUP.includes(s)) expect(bed.health(s).pid).toBe(0);
    const log = await Bun.file(`${bed.dir}/feed-group.log`).text();
    expect(log).toContain('"msg":"feed group: one process for these sources"');
  }, 60_000);

  test("a source of the group cannot be started twice: a second feed for it refuses (exit 4), the group is untouched", async () => {
    const pid = group.proc.pid!;
    const second = bed.startFeed(SourceId.bybit_futures);
    expect(await exitOf(second.proc, 15_000)).toBe(4);
    expect(await bed.log(SourceId.bybit_futures)).toContain(`Health slot ${SourceId.bybit_futures} is held by pid ${pid}`);
    expect(GROUP.every((s) => running(s, pid))).toBe(true);
  }, 30_000);

  test("pause of one source: its entries go stale, the other sources stay live; resume brings it back", async () => {
    const pid = group.proc.pid!;
    const [paused, other] = FULL as [number, number];
    const before = bed.health(other).updates;
    bed.shm.control.sendCommand(paused, Command.pause);
    await waitFor("the paused source stale, Health paused", () => allStale(paused) && bed.health(paused).state === HealthState.paused, 5000);
    await waitFor("the other source keeps publishing", () => bed.health(other).updates > before + 20, 10_000);
    expect(allFresh(other)).toBe(true);
    expect(running(other, pid)).toBe(true);
    const live = new SourceLiveness(bed.shm.health);
    live.refresh(wallMicros());
    expect([live.sourceLive(paused), live.sourceLive(other)]).toEqual([false, true]);
    bed.shm.control.sendCommand(paused, Command.resume);
    await waitFor("fresh again after resume", () => allFresh(paused) && running(paused, pid), 15_000);
  }, 60_000);

  test("shutdown <source>: that source stops and restarts inside the group (same pid); the others never stop", async () => {
    const pid = group.proc.pid!;
    const [target, other] = FULL as [number, number];
    const started = bed.health(target).startedAt;
    const otherStarted = bed.health(other).startedAt;
    bed.shm.control.sendCommand(target, Command.shutdown);
    await waitFor("restarted in the process", () => bed.health(target).startedAt > started && running(target, pid), 15_000);
    await waitFor("its prices fresh again", () => allFresh(target), 15_000);
    expect(group.proc.exitCode).toBeNull();
    expect(bed.health(other).startedAt).toBe(otherStarted);
    expect(running(other, pid)).toBe(true);
    const log = await Bun.file(`${bed.dir}/feed-group.log`).text();
    expect(log).toContain('"msg":"feed group: restarting this source in the process"');
  }, 60_000);

  test("kill <source>: the whole group exits 1 and every one of its sources is stale", async () => {
    bed.shm.control.sendCommand(SourceId.okx_futures, Command.kill);
    expect(await exitOf(group.proc, 5000)).toBe(1);
    for (const s of GROUP) expect(allStale(s)).toBe(true);
  }, 30_000);

  test("SIGTERM: exit 0, every source stale, every slot stopped; readers see all of them dead", async () => {
    await startGroup();
    group.proc.kill("SIGTERM");
    expect(await exitOf(group.proc, 5000)).toBe(0);
    for (const s of GROUP) {
      expect(allStale(s)).toBe(true);
      expect(bed.health(s).state).toBe(HealthState.stopped);
    }
    const live = new SourceLiveness(bed.shm.health);
    live.refresh(wallMicros());
    expect(GROUP.map((s) => live.sourceLive(s))).toEqual(GROUP.map(() => false));
  }, 60_000);

  test("kill -9: readers see every source of the group dead at once (one pid, gone)", async () => {
    await startGroup();
    group.proc.kill("SIGKILL");
    await group.proc.exited;
    const live = new SourceLiveness(bed.shm.health);
    live.refresh(wallMicros());
    for (const s of GROUP) {
      expect(live.sourceLive(s)).toBe(false);
      expect(ids.get(s)!.some((id) => live.fresh(s, flags(s, id)))).toBe(false);
    }
  }, 60_000);

  test("a group with one busy slot refuses as a whole (exit 4) and leaves its other slots free", async () => {
    const single = bed.startFeed(SourceId.bybit_spot);
    await waitFor("the single feed running", () => running(SourceId.bybit_spot, single.proc.pid!), 20_000);
    const before = bed.health(SourceId.bybit_futures);
    const g = bed.startGroup([SourceId.bybit_futures, SourceId.bybit_spot]);
    expect(await exitOf(g.proc, 15_000)).toBe(4);
    const after = bed.health(SourceId.bybit_futures);
    expect([after.pid, after.seq]).toEqual([before.pid, before.seq]);
    // bybit_futures' slot was given back: a feed of its own takes it.
    const f = bed.startFeed(SourceId.bybit_futures);
    await waitFor("bybit_futures served by its own feed", () => running(SourceId.bybit_futures, f.proc.pid!), 20_000);
    await Promise.all([single.stop(3000), f.stop(3000)]);
  }, 60_000);

  test("global shutdown flag: the group exits 0 with every source stale and stopped", async () => {
    await startGroup();
    bed.shm.control.setGlobalFlag(GlobalFlag.shutdown, true);
    try {
      expect(await exitOf(group.proc, 5000)).toBe(0);
      for (const s of GROUP) expect([allStale(s), bed.health(s).state]).toEqual([true, HealthState.stopped]);
    } finally {
      bed.shm.control.setGlobalFlag(GlobalFlag.shutdown, false);
    }
  }, 60_000);

  test("usage errors: a source named twice, --source with --group, a group the config does not have (exit 2)", async () => {
    for (const extra of [["--source", "okx_spot,okx_spot"], ["--source", "okx_spot", "--group", "1"], ["--group", "1"], ["--source", "okx_spot,kraken"]]) {
      const p = Bun.spawn([process.execPath, `${import.meta.dir}/../../bins/feed.ts`, ...extra, "--config", bed.configFile], { stdout: "pipe", stderr: "pipe", env: { ...process.env, SPREAD_SCANNER_SHM_PREFIX: bed.prefix } });
      const [code, err] = await Promise.all([p.exited, new Response(p.stderr).text()]);
      expect({ extra, code }).toEqual({ extra, code: 2 });
      expect(err).toMatch(/named twice|exclude each other|has no groups|kraken/);
    }
  }, 30_000);
});

describe("feed groups under spread-ctl up ([feed] groups)", () => {
  const ops = new OpsBed();
  const GROUPS = [["binance_spot", "binance_futures", "bybit_spot", "bybit_futures"], ["mexc_spot", "mexc_futures", "okx_spot"]];
  let up: Launched;
  const groupOf = (name: string) => GROUPS.findIndex((g) => g.includes(name));
  const pidOf = (slot: number) => ops.health(slot).pid;
  const running = (slot: number) => {
    const h = ops.health(slot);
    return h.pid > 0 && alive(h.pid) && (h.state === HealthState.running || h.state === HealthState.degraded);
  };

  beforeAll(async () => {
    await ops.startSim({ sections: { feed: { health_interval_ms: 200, reconnect_base_ms: 50, reconnect_max_ms: 1000, shutdown_grace_ms: 1000, groups: GROUPS } } });
    up = ops.ctl(["up", "--config", ops.configFile]);
    await waitFor("every feed slot running", () => {
      if (up.proc.exitCode !== null) throw new Error(`spread-ctl up exited with ${up.proc.exitCode}`);
      // Every region complete (shm-init writes each header, magic last) before the test maps them.
      return REGIONS.every((r) => statRegion(ops.prefix, r).state === "ok") && SOURCE_NAMES.every((_, s) => running(s));
    }, 90_000, 200).catch((err) => {
      throw new Error(`${(err as Error).message}\nspread-ctl up output:\n${up.lines.slice(-30).join("\n")}`);
    });
  }, 120_000);

  afterAll(async () => {
    await ops.cleanup();
  }, 30_000);

  test("the plan: one `feed --group N` per group, a process of its own for each source in no group", () => {
    const plan = buildPlan(programLocator(), "c.toml", { feedGroups: GROUPS });
    const feeds = plan.services.filter((s) => s.stage === 0);
    expect(feeds.map((s) => s.name)).toEqual(["feed-group1", "feed-group2", "feed-okx_futures"]);
    expect(feeds[0]!.argv.slice(-4)).toEqual(["--group", "1", "--config", "c.toml"]);
    expect(feeds[1]!.slots).toEqual([4, 5, 6]);
    expect(buildPlan(programLocator(), "c.toml").services.filter((s) => s.stage === 0).length).toBe(8);
  });

  test("the grouped sources report the group's pid; 3 feed processes serve the 8 sources", () => {
    const pids = SOURCE_NAMES.map((_, s) => pidOf(s));
    for (const name of SOURCE_NAMES) {
      const g = groupOf(name);
      if (g >= 0) expect(pidOf(SOURCE_NAMES.indexOf(name))).toBe(pidOf(SOURCE_NAMES.indexOf(GROUPS[g]![0] as (typeof SOURCE_NAMES)[number])));
    }
    expect(new Set(pids).size).toBe(3);
  });

  test("kill -9 of a group: the supervisor restarts it; every source of it comes back under one new pid", async () => {
    const slots = GROUPS[0]!.map((n) => SOURCE_NAMES.indexOf(n as (typeof SOURCE_NAMES)[number]));
    const old = pidOf(slots[0]!);
    const others = [4, 5, 6, 7].map(pidOf);
    process.kill(old, "SIGKILL");
    await waitFor("group 1 restarted", () => slots.every((s) => pidOf(s) !== old && running(s)) && new Set(slots.map(pidOf)).size === 1, 40_000, 100);
    // The other processes were not touched.
    expect([4, 5, 6, 7].map(pidOf)).toEqual(others);
    expect(up.lines.some((l) => l.includes('"process":"feed-group1"') && l.includes("signal SIGKILL"))).toBe(true);
  }, 60_000);
});
