// Fault matrix, bad local state while the system runs (issue 17): generated/ becomes unreadable (metadata.json of
// another format version) and `spread-ctl reload` is run. Every process must keep running on the generation it
// serves (a restart would refuse the files with exit 2, which neither spread-ctl up nor systemd restarts): the
// feeds, the engine and the tracker report degraded + last_error config, reload says so and exits 1, spreads are
// still signalled and tracked. Once generated/ is good again the next reload brings everything to the new generation.
// A feed killed meanwhile refuses the files on its restart (exit 2) and stays down; nothing else is disturbed.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { GeneratedFile, HealthSlot, loadGeneration, SOURCE_NAMES, SourceId, type Generation } from "@spread/common";
import type { Launched } from "@spread/ctl";
import { HealthError, HealthState } from "@spread/shm";
import { readStatus } from "@spread/tracker";
import { waitFor } from "../wait.ts";
import { alive, OpsBed } from "../ops/helpers.ts";
import { episode, isPair, plainSymbol, rows, running, SLOTS, startSpreadSim, trackedSinceStart as sysTrackedSinceStart, upAndWait, type Pick } from "../e2e/system.ts";

const bed = new OpsBed();
let gen: Generation;
let up: Launched;
const used = new Set<string>(["GAS-USDT", "PEPE-USDT"]);
const RELOADED = [...SOURCE_NAMES.map((_, i) => i), HealthSlot.engine, HealthSlot.tracker];
const t0 = performance.now();

const trackedSinceStart = (p: Pick) => sysTrackedSinceStart(bed, p);

beforeAll(async () => {
  await startSpreadSim(bed, { tracker: { max_duration_s: 300 } });
  up = await upAndWait(bed);
  gen = loadGeneration(bed.generatedDir);
  console.log(`reload-corrupt: system up in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}, 120_000);

afterAll(async () => {
  console.log(`reload-corrupt: whole file ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  await bed.cleanup();
}, 30_000);

describe("generated/ unreadable during a reload", () => {
  test("every process keeps running on its generation, degraded (config); spreads are still tracked; a good reload recovers", async () => {
    const held = plainSymbol(gen, 0, used);
    await episode(bed, held, { converge: false, hold_s: 240 });
    await waitFor("the held pair tracked", () => (readStatus(bed.dataDir)?.open ?? []).some(isPair(held)), 20_000, 100);
    const file = readStatus(bed.dataDir)!.open.find(isPair(held))!.file;

    const metaFile = join(bed.generatedDir, GeneratedFile.metadata);
    const good = readFileSync(metaFile, "utf8");
    const meta = JSON.parse(good) as { format_version: number };
    writeFileSync(metaFile, JSON.stringify({ ...meta, format_version: meta.format_version + 1 }));
    const genBefore = bed.shm.control.configGeneration();
    const pids = SLOTS.map((s) => bed.health(s).pid);

    const r = await bed.ctlRun(["reload", "--config", bed.configFile, "--wait", "5"], 40_000);
    expect(r.out).toMatch(/reload failed, still running on the previous generation: .*feed-okx_spot.*engine.*tracker/);
    expect(r.out).not.toContain("restarting");
    expect(r.code).toBe(1);
    for (const slot of RELOADED) {
      const h = bed.health(slot);
      expect({ slot, state: h.state, err: h.lastError, cfg: h.configGeneration }).toEqual({ slot, state: HealthState.degraded, err: HealthError.config, cfg: genBefore });
    }
    expect(SLOTS.map((s) => bed.health(s).pid)).toEqual(pids); // nobody restarted
    expect(SLOTS.every((s) => running(bed, s))).toBe(true);

    // Still working on the old generation: the held tracking writes rows, a new spread is signalled and tracked.
    const n = rows(file).length;
    await waitFor("rows keep coming", () => rows(file).length > n + 5, 10_000, 200);
    const fresh = plainSymbol(gen, 0, used);
    await episode(bed, fresh);
    await waitFor("a new spread tracked while generated/ is unreadable", () => trackedSinceStart(fresh), 20_000, 100);

    writeFileSync(metaFile, good);
    const ok = await bed.ctlRun(["reload", "--config", bed.configFile, "--wait", "15"], 40_000);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/hot-reloaded: .*engine/);
    await waitFor("every process running on the new generation", () => RELOADED.every((s) => {
      const h = bed.health(s);
      return h.configGeneration === genBefore + 2 && h.lastError !== HealthError.config;
    }), 15_000, 100);
    expect(SLOTS.map((s) => bed.health(s).pid)).toEqual(pids);
    expect((readStatus(bed.dataDir)?.open ?? []).filter(isPair(held)).map((t) => t.file)).toEqual([file]);
  }, 120_000);
  test("a feed killed while generated/ is unreadable: its restart refuses the files (exit 2), spread-ctl up does not restart it again, the rest keeps running", async () => {
    const metaFile = join(bed.generatedDir, GeneratedFile.metadata);
    const good = readFileSync(metaFile, "utf8");
    const meta = JSON.parse(good) as { format_version: number };
    writeFileSync(metaFile, JSON.stringify({ ...meta, format_version: meta.format_version + 1 }));
    try {
      const victim = SourceId.bybit_spot;
      const others = SLOTS.filter((s) => s !== victim);
      const pids = others.map((s) => bed.health(s).pid);
      process.kill(bed.health(victim).pid, "SIGKILL");
      const name = `feed-${SOURCE_NAMES[victim]}`;
      await waitFor(`${name} refused to start and was left down`, () => up.lines.some((l) => l.includes(`"process":"${name}"`) && l.includes("exit 2: not restarted")), 30_000, 100);
      await Bun.sleep(1500); // no further restart attempt
      expect(up.lines.filter((l) => l.includes(`"process":"${name}"`) && /started \(pid/.test(l)).length).toBe(2); // the first start and the one restart
      expect(alive(bed.health(victim).pid)).toBe(false);
      expect(others.map((s) => bed.health(s).pid)).toEqual(pids);
      expect(others.every((s) => running(bed, s))).toBe(true);
      expect(up.proc.exitCode).toBeNull();
    } finally {
      writeFileSync(metaFile, good);
    }
  }, 60_000);
});
