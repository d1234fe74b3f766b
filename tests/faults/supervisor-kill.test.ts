// Fault matrix, process kills: kill -9 of `spread-ctl up` itself. Its services learn its pid
// (SPREAD_SCANNER_SUPERVISOR_PID) and check their parent on their Health tick: orphaned, each logs one line and stops
// through its SIGTERM path (exit 0, Health slot stopped), so nothing of the prefix keeps running unsupervised and a
// new `spread-ctl up` starts cleanly; the tracker resumes the open tracking in its same file.
// up runs under tests/faults/subreaper.ts, which adopts the orphans and reports their exit codes (init would reap
// them unseen).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { HealthSlot, loadGeneration, SUPERVISOR_PID_ENV } from "@spread/common";
import { buildPlan, launch, programLocator, type Launched } from "@spread/ctl";
import { HealthState } from "@spread/shm";
import { readStatus } from "@spread/tracker";
import { waitFor } from "../wait.ts";
import { alive, BUN, OpsBed, ROOT } from "../ops/helpers.ts";
import { Receiver } from "../alerts/receiver.ts";
import { episode, expectTicksOnce, isPair, openedAlerts as sysOpenedAlerts, plainSymbol, rows, startAlertedSpreadSim, tracks, waitUp, type Pick } from "../e2e/system.ts";

/** Two sources in one process: the feed-group path (one Health tick for both) is covered too. */
const GROUPS = [["okx_spot", "okx_futures"]];
/** Every service of `spread-ctl up` with [alerts] and the group: 6 feeds, a feed group, engine, tracker, alerts, web. */
const SERVICES = buildPlan(programLocator(), "x", { alerts: true, feedGroups: GROUPS }).services.map((s) => ({ name: s.name, slot: s.slot, slots: s.slots ?? [s.slot] }));
/** Every Health slot they report in (the group: both of its sources). */
const SLOTS = SERVICES.flatMap((s) => s.slots);
/**
 * How long an orphan may take: its next Health tick (≤ 1 s) plus its clean stop (feeds ≤ 1 s grace here, the engine's
 * loop ≤ 1.5 s, the tracker's flush): ~1 s on a quiet box; the bound leaves room for a loaded CI box (not a benchmark).
 */
const EXIT_BOUND_MS = 10_000;

const bed = new OpsBed();
const rx = new Receiver();
/** Every pid this file saw (subreaper, up, services): afterAll kills whichever is left, whatever happened. */
const seen = new Set<number>();
let reaper: Launched;
let upPid = 0;
let held: Pick;
let heldFile = "";
/** The services' pids under the killed up. */
let before: number[] = [];
const t0 = performance.now();

const openOf = (p: Pick) => (readStatus(bed.dataDir)?.open ?? []).filter(isPair(p));
const openedAlerts = (p: Pick) => sysOpenedAlerts(rx, p);
const ppidOf = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
};
/** pids of running processes whose command line names this bed's directory (its config), except `but`. */
function bedProcesses(but: readonly number[]): number[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d) && !but.includes(Number(d)))
    .filter((d) => {
      try {
        return readFileSync(`/proc/${d}/cmdline`, "utf8").includes(bed.dir) && !readFileSync(`/proc/${d}/stat`, "utf8").includes(") Z ");
      } catch {
        return false;
      }
    })
    .map(Number);
}
const reaped = () =>
  reaper.lines.flatMap((l) => {
    if (!l.startsWith('{"reaped"')) return [];
    return [JSON.parse(l) as { reaped: number; code: number | null; signal: number | null; at: number }];
  });

beforeAll(async () => {
  await startAlertedSpreadSim(bed, rx, "supervisor-kill", { feed: { groups: GROUPS } });
  reaper = launch("subreaper", [BUN, join(ROOT, "tests/faults/subreaper.ts"), BUN, join(ROOT, "bins/spread-ctl.ts"), "up", "--config", bed.configFile], { env: bed.env(), cwd: bed.dir });
  bed.children.push(reaper);
  seen.add(reaper.proc.pid);
  upPid = JSON.parse(await reaper.waitForLine(/^\{"subreaper":"child"/, 10_000)).pid;
  seen.add(upPid);
  await waitUp(bed, reaper, SLOTS);
  for (const s of SLOTS) seen.add(bed.health(s).pid);
  console.log(`supervisor-kill: system up in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}, 120_000);

afterAll(async () => {
  console.log(`supervisor-kill: whole file ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  rx.stop();
  try {
    for (const s of SLOTS) seen.add(bed.health(s).pid);
  } catch {
    // no shm
  }
  await bed.cleanup();
  for (const pid of seen) {
    if (pid > 0 && alive(pid) && existsSync(`/proc/${pid}/cmdline`) && readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(bed.dir)) process.kill(pid, "SIGKILL");
  }
}, 30_000);

describe("kill -9 of spread-ctl up: no orphans, a clean restart", () => {
  test("a held spread is tracked", async () => {
    held = plainSymbol(loadGeneration(bed.generatedDir), 0, new Set(["GAS-USDT", "PEPE-USDT"]));
    await episode(bed, held, { converge: false, hold_s: 120 });
    await waitFor("the held pair tracked", () => openOf(held).length === 1, 20_000, 100);
    heldFile = openOf(held)[0]!.file;
    await waitFor("its opening alerted", () => openedAlerts(held).length === 1, 20_000, 100);
  }, 45_000);

  test("every service stops through its SIGTERM path: exit 0, Health stopped, one log line naming the supervisor", async () => {
    const pids = SERVICES.map((s) => ({ ...s, pid: bed.health(s.slot).pid }));
    before = pids.map((p) => p.pid);
    for (const p of pids) {
      expect(p.pid).toBeGreaterThan(0);
      expect(ppidOf(p.pid)).toBe(upPid); // up's own children, told its pid
      expect(readFileSync(`/proc/${p.pid}/environ`, "utf8").split("\0")).toContain(`${SUPERVISOR_PID_ENV}=${upPid}`);
    }
    const killedAt = Date.now();
    process.kill(upPid, "SIGKILL");
    const gone = () => pids.every((p) => reaped().some((r) => r.reaped === p.pid));
    await waitFor("every orphan ended", gone, EXIT_BOUND_MS, 20).catch((err) => {
      const left = pids.filter((p) => !reaped().some((r) => r.reaped === p.pid)).map((p) => `${p.name} (pid ${p.pid})`);
      throw new Error(`${(err as Error).message}; still there: ${left.join(", ")}`);
    });
    const times = pids.map((p) => ({ ...p, r: reaped().find((r) => r.reaped === p.pid)! }));
    console.log(`supervisor-kill: orphans ended after ${times.map((t) => `${t.name} ${t.r.at - killedAt} ms`).join(", ")}`);
    for (const t of times) {
      expect({ name: t.name, code: t.r.code, signal: t.r.signal }).toEqual({ name: t.name, code: 0, signal: null });
      for (const slot of t.slots) {
        const h = bed.health(slot);
        expect({ name: t.name, slot, pid: h.pid, state: h.state }).toEqual({ name: t.name, slot, pid: t.pid, state: HealthState.stopped });
      }
      const log = readFileSync(join(bed.dataDir, "logs", `${t.name}.log`), "utf8").split("\n").filter((l) => l.includes(`"pid":${t.pid},`) && l.includes(`supervisor spread-ctl up (pid ${upPid}) is gone`));
      expect({ name: t.name, lines: log.length }).toEqual({ name: t.name, lines: 1 });
    }
    // Nothing of this prefix runs any more (the subreaper, which only waits, aside).
    expect(bedProcesses([reaper.proc.pid])).toEqual([]);
    await waitFor("the subreaper ended", () => reaper.proc.exitCode !== null, 5000, 20);
  }, 30_000);

  test("a new spread-ctl up starts cleanly; the tracker resumes the open tracking in its same file", async () => {
    const restartAt = Date.now();
    const up = await waitUp(bed, bed.ctl(["up", "--config", bed.configFile]), SLOTS, 60_000);
    for (const s of SLOTS) {
      const pid = bed.health(s).pid;
      seen.add(pid);
      expect(before).not.toContain(pid);
      expect(ppidOf(pid)).toBe(up.proc.pid); // the new up's children, not survivors of the old one
    }
    const tracker = bed.health(HealthSlot.tracker).pid;
    await waitFor("the new tracker wrote its status", () => readStatus(bed.dataDir)?.pid === tracker, 10_000, 100);
    console.log(`supervisor-kill: up again in ${((Date.now() - restartAt) / 1000).toFixed(1)} s`);
    expect(up.proc.exitCode).toBeNull();
    expect(readStatus(bed.dataDir)!.counters.resumed).toBeGreaterThanOrEqual(1);
    expect(openOf(held).map((t) => t.file)).toEqual([heldFile]); // same tracking, same file
    await waitFor("rows after the restart", () => rows(heldFile).some((r) => Date.parse(r.ts!) > restartAt + 1000), 10_000, 200);
    const ts = (await tracks(bed)).filter(isPair(held));
    expect(ts.map((t) => [t.file, t.state])).toEqual([[heldFile, "open"]]);
    expectTicksOnce(rows(heldFile));
    expect(openedAlerts(held).length).toBe(1); // the new spread-alerts only noted the open tracking
  }, 90_000);
});
