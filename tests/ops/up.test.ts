// `spread-ctl up` against the simulator: the whole system starts in A.7 order, a second up refuses, spread-ctl
// finds the running system without --config, kill -9 of every process kind is restarted, discover/reload move
// every process to the new generation (hot reload or restart), `down` stops everything and releases the lock.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { HealthSlot, SOURCE_NAMES } from "@spread/common";
import { buildPlan, programLocator, type Launched } from "@spread/ctl";
import { HealthState, REGIONS, statRegion } from "@spread/shm";
import { waitFor } from "../feed/harness.ts";
import { alive, OpsBed } from "./helpers.ts";

const bed = new OpsBed();
let up: Launched;
/** Slots of the long-running services of the plan: 8 feeds, plus engine and tracker once they exist. */
const SLOTS = buildPlan(programLocator(), "x").services.map((s) => s.slot);
const running = (slot: number) => {
  const h = bed.health(slot);
  return h.pid > 0 && alive(h.pid) && (h.state === HealthState.running || h.state === HealthState.degraded);
};

beforeAll(async () => {
  await bed.startSim();
  up = bed.ctl(["up", "--config", bed.configFile]);
  await waitFor("every service running", () => {
    if (up.proc.exitCode !== null) throw new Error(`spread-ctl up exited with ${up.proc.exitCode}`);
    // Every region complete (shm-init writes each header, magic last) before the test maps them.
    return REGIONS.every((r) => statRegion(bed.prefix, r).state === "ok") && SLOTS.every(running);
  }, 90_000, 200).catch((err) => {
    throw new Error(`${(err as Error).message}\nspread-ctl up output:\n${up.lines.slice(-30).join("\n")}`);
  });
}, 120_000);

afterAll(async () => {
  await bed.cleanup();
}, 30_000);

describe("spread-ctl up", () => {
  test("runs the 8 feeds (and engine/tracker when built) with live prices, logs per process", () => {
    expect(SLOTS.slice(0, 8)).toEqual(SOURCE_NAMES.map((_, i) => i));
    for (let s = 0; s < 8; s++) expect(bed.health(s).symbolsLive).toBeGreaterThanOrEqual(0);
    const logs = readdirSync(join(bed.dataDir, "logs"));
    for (const s of SOURCE_NAMES) expect(logs).toContain(`feed-${s}.log`);
    expect(logs).toContain("pair-discovery.log");
    expect(existsSync(join(bed.generatedDir, "directions.bin"))).toBe(true);
    expect(up.proc.exitCode).toBeNull();
  });

  test("a second up on the same prefix refuses (exit 2) and leaves the running system alone", async () => {
    const before = bed.pids();
    const r = await bed.ctlRun(["up", "--config", bed.configFile], 20_000);
    expect(r.code).toBe(2);
    expect(r.out).toContain("already run by spread-ctl up");
    expect(bed.pids()).toEqual(before);
  }, 30_000);

  test("spread-ctl finds the running system without --config (state file)", async () => {
    const r = await bed.ctlRun(["status"], 20_000);
    expect([0, 1]).toContain(r.code!); // 1 = a process degraded (exit codes of status, docs/operations.md)
    expect(r.out).toContain(`using ${bed.configFile} of the running spread-ctl up`);
    expect(r.out).toContain(bed.prefix);
  }, 30_000);

  test("kill -9 of each process kind is restarted with a new pid", async () => {
    const kinds = [0, SLOTS.includes(HealthSlot.engine) ? HealthSlot.engine : -1, SLOTS.includes(HealthSlot.tracker) ? HealthSlot.tracker : -1].filter((s) => s >= 0);
    for (const slot of kinds) {
      const old = bed.health(slot).pid;
      process.kill(old, "SIGKILL");
      await waitFor(`slot ${slot} restarted`, () => bed.health(slot).pid !== old && running(slot), 40_000, 100);
    }
  }, 130_000);

  test("discover: a new generation; every process hot-reloads it or is restarted on it", async () => {
    const gen0 = bed.shm.control.configGeneration();
    const r = await bed.ctlRun(["discover", "--config", bed.configFile, "--wait", "20"], 90_000);
    expect(r.code).toBe(0);
    const gen = bed.shm.control.configGeneration();
    expect(gen).toBeGreaterThan(gen0);
    expect(r.out).toContain(`config generation ${gen}`);
    await waitFor("every service on the new generation", () => SLOTS.every((s) => running(s) && bed.health(s).configGeneration >= gen), 60_000, 100);
  }, 120_000);

  test("reload --restart restarts every process through the supervisor", async () => {
    // spread-web follows reloads (generated/ is all it reads of them) and takes no Control command: not restarted.
    const restarted = SLOTS.filter((s) => s !== HealthSlot.web);
    const before = restarted.map((s) => bed.health(s).pid);
    const r = await bed.ctlRun(["reload", "--config", bed.configFile, "--restart"], 20_000);
    expect(r.code).toBe(0);
    expect(r.out).toContain("restarting");
    await waitFor("every service restarted", () => restarted.every((s, i) => bed.health(s).pid !== before[i] && running(s)), 60_000, 100);
  }, 90_000);

  test("down stops everything in reverse order, releases the lock and removes the state file", async () => {
    const pids = SLOTS.map((s) => bed.health(s).pid);
    const r = await bed.ctlRun(["down", "--config", bed.configFile], 40_000);
    expect(r.code).toBe(0);
    expect(r.out).toContain("stopped spread-ctl up");
    expect(await up.proc.exited).toBe(0);
    for (const pid of pids) expect(alive(pid)).toBe(false);
    for (const s of SLOTS) expect(bed.health(s).state).toBe(HealthState.stopped);
    expect(readdirSync(bed.runDir).filter((f) => f.endsWith(".up.json"))).toEqual([]);
    const again = await bed.ctlRun(["down", "--config", bed.configFile], 20_000);
    expect(again.code).toBe(1);
    expect(again.out).toContain("no spread-ctl up runs prefix");
  }, 60_000);

  test("the demo's way: --view --rm-shm; Ctrl-C stops everything and removes the shared memory", async () => {
    const view = bed.ctl(["up", "--config", bed.configFile, "--view", "--rm-shm", "--skip-discovery", "--refresh", "300"]);
    await view.waitForLine(/both legs (live|fresh)/, 60_000);
    await waitFor("feeds running", () => SLOTS.slice(0, 8).every(running), 30_000, 100);
    const pids = SLOTS.map((s) => bed.health(s).pid);
    view.proc.kill("SIGINT");
    expect(await view.proc.exited).toBe(0);
    for (const pid of pids) expect(alive(pid)).toBe(false);
    expect(readdirSync("/dev/shm").filter((f) => f.startsWith(`${bed.prefix}-`))).toEqual([]);
    const out = view.lines.join("\n");
    expect(out).toContain(`logs ${join(bed.dataDir, "logs")}`);
    expect(out).toContain(`stopped; logs in ${join(bed.dataDir, "logs")}, tracker files in ${bed.dataDir}, shared memory "${bed.prefix}" removed`);
  }, 90_000);
});
