// Fault matrix, process kills (issue 17): kill -9 of every process kind under `spread-ctl up` on the simulator, one
// after another in one stack. Each is restarted by the supervisor (a new pid in its Health slot, "restart #1" in
// up's log) and nothing is lost: spread-alerts does not re-send what it already sent; the tracker resumes the open
// tracking in the same file with rows continuing after the gap (no duplicate tracking); the engine rescans (a new
// episode is signalled, the already tracked pair is not signalled again); a killed feed's prices read stale while
// it is dead, and after its restart an episode on one of its pairs is tracked again.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { DIRECTIONS, HealthSlot, loadGeneration, NUM_SOURCES, SOURCE_NAMES, type Generation } from "@spread/common";
import type { Launched } from "@spread/ctl";
import { HealthState, SourceLiveness } from "@spread/shm";
import { readStatus, type TrackerStatus } from "@spread/tracker";
import { waitFor } from "../wait.ts";
import { OpsBed } from "../ops/helpers.ts";
import { Receiver } from "../alerts/receiver.ts";
import {
  episode, expectTicksOnce, isPair, openedAlerts as sysOpenedAlerts, plainSymbol, rows, running, SLOTS, startAlertedSpreadSim, trackedSinceStart as sysTrackedSinceStart, tracks, upAndWait,
  type Pick,
} from "../e2e/system.ts";

const bed = new OpsBed();
const rx = new Receiver();
let up: Launched;
let gen: Generation;
const used = new Set<string>(["GAS-USDT", "PEPE-USDT"]);
let held: Pick;
const t0 = performance.now();

const status = (): TrackerStatus => readStatus(bed.dataDir)!;
const openOf = (p: Pick) => (readStatus(bed.dataDir)?.open ?? []).filter(isPair(p));
const trackedSinceStart = (p: Pick) => sysTrackedSinceStart(bed, p);
const openedAlerts = (p: Pick) => sysOpenedAlerts(rx, p);

/** kill -9 of the process in `slot`; resolves with the new pid once the supervisor restarted it and it runs. */
async function killAndAwaitRestart(slot: number, name: string): Promise<{ oldPid: number; newPid: number; ms: number }> {
  const oldPid = bed.health(slot).pid;
  expect(oldPid).toBeGreaterThan(0);
  const restarts = () => up.lines.filter((l) => l.includes(`"process":"${name}"`) && /restart #\d+/.test(l)).length;
  const before = restarts();
  const k0 = performance.now();
  process.kill(oldPid, "SIGKILL");
  await waitFor(`${name} restarted with a new pid`, () => bed.health(slot).pid !== oldPid && running(bed, slot), 30_000, 50);
  const ms = performance.now() - k0;
  expect(restarts()).toBe(before + 1);
  const line = up.lines.findLast((l) => l.includes(`"process":"${name}"`) && /restart #/.test(l))!;
  expect(line).toContain("signal SIGKILL");
  console.log(`kill: ${name} back (pid ${oldPid} → ${bed.health(slot).pid}) in ${(ms / 1000).toFixed(1)} s`);
  return { oldPid, newPid: bed.health(slot).pid, ms };
}

beforeAll(async () => {
  await startAlertedSpreadSim(bed, rx, "kill-test");
  up = await upAndWait(bed, [...SLOTS, HealthSlot.alerts]);
  gen = loadGeneration(bed.generatedDir);
  console.log(`kill: system up in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}, 120_000);

afterAll(async () => {
  console.log(`kill: whole file ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  rx.stop();
  await bed.cleanup();
}, 30_000);

describe("kill -9 under spread-ctl up: restarted, nothing lost", () => {
  test("a held spread is tracked and alerted once", async () => {
    held = plainSymbol(gen, 0, used);
    await episode(bed, held, { converge: false, hold_s: 240 });
    await waitFor("the held pair tracked", () => openOf(held).length === 1, 20_000, 100);
    await waitFor("its opening alerted", () => openedAlerts(held).length === 1, 20_000, 100);
  }, 45_000);

  test("spread-web and spread-alerts: restarted; alerts sends nothing twice", async () => {
    await killAndAwaitRestart(HealthSlot.web, "spread-web");
    await killAndAwaitRestart(HealthSlot.alerts, "spread-alerts");
    // The restarted spread-alerts only notes the tracking that is already open: a second "opened" would be a
    // duplicate message. Give it a few polls to (wrongly) send one.
    const hb = bed.health(HealthSlot.alerts).heartbeatAt;
    await waitFor("the new spread-alerts ran a few polls", () => bed.health(HealthSlot.alerts).heartbeatAt - hb >= 1_000_000, 10_000, 100);
    expect(openedAlerts(held).length).toBe(1);
  }, 60_000);

  test("spread-tracker: resumes the open tracking from its file; rows continue after the gap; no duplicate", async () => {
    const before = openOf(held)[0]!;
    const rowsBefore = rows(before.file).length;
    const { newPid } = await killAndAwaitRestart(HealthSlot.tracker, "spread-tracker");
    const killedAt = Date.now();
    await waitFor("the restarted tracker wrote its status", () => status().pid === newPid, 10_000, 100);
    const s = status();
    expect(s.counters.resumed).toBeGreaterThanOrEqual(1);
    expect(openOf(held).map((t) => t.file)).toEqual([before.file]); // same tracking, same file
    await waitFor("rows after the restart", () => rows(before.file).some((r) => Date.parse(r.ts!) > killedAt + 1000), 10_000, 200);
    const rs = rows(before.file);
    expect(rs.length).toBeGreaterThan(rowsBefore);
    expectTicksOnce(rs);
    expect(rs.every((r) => !/^[A-Z_]+$/.test(r.state!))).toBe(true); // not closed
  }, 60_000);

  test("spread-engine: rescans; a new episode is signalled, the tracked pair is not signalled again", async () => {
    const dup0 = status().counters.events_duplicate;
    const { newPid } = await killAndAwaitRestart(HealthSlot.engine, "spread-engine");
    await waitFor("the new engine ran its full scan", () => bed.health(HealthSlot.engine).pid === newPid && bed.health(HealthSlot.engine).state === HealthState.running, 10_000, 100);
    const fresh = plainSymbol(gen, 0, used);
    await episode(bed, fresh);
    await waitFor("the new episode tracked", () => trackedSinceStart(fresh), 20_000, 100);
    await waitFor("the new engine counted its signal in Health", () => bed.health(HealthSlot.engine).pid === newPid && bed.health(HealthSlot.engine).updates >= 1, 5_000, 100);
    expect(status().counters.events_duplicate).toBe(dup0);
    expect(openOf(held).length).toBe(1);
  }, 60_000);

  test("a feed: stale while dead, live after its restart; an episode on its pairs is tracked again", async () => {
    const d0 = DIRECTIONS[held.d]!;
    const s = [...Array(NUM_SOURCES).keys()].find((x) => x !== d0.spot && x !== d0.futures && DIRECTIONS.some((d) => d.spot === x || d.futures === x))!;
    const name = `feed-${SOURCE_NAMES[s]}`;
    const live = new SourceLiveness(bed.shm.health);
    const nowUs = () => Date.now() * 1000;
    live.refresh(nowUs());
    expect(live.sourceLive(s)).toBe(true);
    const oldPid = bed.health(s).pid;
    let sawStale = false;
    const watch = (async () => {
      // While the old pid is in the slot and gone, readers must not trust the source.
      while (bed.health(s).pid === oldPid) {
        live.refresh(nowUs());
        if (!live.sourceLive(s)) sawStale = true;
        await Bun.sleep(10); // a sampler, not a wait: it runs until the restart, which killAndAwaitRestart bounds
      }
    })();
    await killAndAwaitRestart(s, name);
    await watch;
    expect(sawStale).toBe(true);
    await waitFor(`${name} publishes again`, () => {
      live.refresh(nowUs());
      const h = bed.health(s);
      return live.sourceLive(s) && h.state === HealthState.running && h.symbolsLive > 0;
    }, 20_000, 100);
    const d = DIRECTIONS.find((x) => (x.spot === s || x.futures === s) && gen.directions.directions[x.id]!.symbols.length > 0)!;
    const p = plainSymbol(gen, d.id, used, d.spot === s ? "spot" : "futures");
    await episode(bed, p);
    await waitFor(`an episode on ${d.name} tracked`, () => trackedSinceStart(p), 20_000, 100);
    expect(openOf(held).length).toBe(1); // the held spread's tracking never noticed
  }, 60_000);

  test("at the end: one tracking of the held pair over the whole run, every tick once", async () => {
    const ts = (await tracks(bed)).filter(isPair(held));
    expect(ts.length).toBe(1);
    expect(ts[0]!.state).toBe("open");
    expectTicksOnce(rows(ts[0]!.file));
    expect(openedAlerts(held).length).toBe(1);
    for (const slot of [...SLOTS, HealthSlot.alerts]) expect(running(bed, slot)).toBe(true);
  }, 30_000);
});
