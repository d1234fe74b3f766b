// bins/spread-engine as a process: the loop in its Worker woken by the futex channel, the full scan at start,
// Health and Control (pause/resume, shutdown), SIGTERM exit 0, hot reload with remapped ids, and a restart that
// does not re-signal a tracked pair. The test process plays the feeds (prices, bitmap, wake, Health slots).
import { afterEach, describe, expect, test } from "bun:test";
import type { Subprocess } from "bun";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Command, EventFlag, GlobalFlag, HealthRecord, HealthState, TrackedPairState, createAll, unlinkAll, type Shm } from "@spread/shm";
import { uniquePrefix } from "../shm/helpers/scratch.ts";
import { waitFor } from "../shm/helpers/procs.ts";
import { drain, fakeFeeds, quote, tempDir, writeGenerated } from "./helpers.ts";

const ROOT = join(import.meta.dir, "../..");
const BIN = join(ROOT, "bins/spread-engine.ts");
const ENGINE_SLOT = 8;

let prefix = "";
let cleanupDir: (() => void) | null = null;
let heartbeat: ReturnType<typeof setInterval> | null = null;
const procs = new Set<Subprocess>();

afterEach(async () => {
  if (heartbeat) clearInterval(heartbeat);
  heartbeat = null;
  for (const p of procs) p.kill(9);
  await Promise.all([...procs].map((p) => p.exited));
  procs.clear();
  if (prefix) unlinkAll(prefix);
  prefix = "";
  cleanupDir?.();
  cleanupDir = null;
});

/**
 * config.sim.toml with a 10-minute leg age bound: these tests write each quote once, and on a loaded 2-core box an
 * engine start can take longer than the default 5 s (staleness itself is tested in engine.test.ts).
 */
function testConfig(dir: string): string {
  const file = join(dir, "engine-test.toml");
  const text = readFileSync(join(ROOT, "config/config.sim.toml"), "utf8").replace(/^stale_after_ms = 5000/m, "stale_after_ms = 600000");
  if (!text.includes("stale_after_ms = 600000")) throw new Error("config.sim.toml: stale_after_ms line not found");
  writeFileSync(file, text);
  return file;
}

function startEngine(generated: string, config = testConfig(generated)): Subprocess<"ignore", "pipe", "pipe"> {
  const p = Bun.spawn(["bun", BIN, "--prefix", prefix, "--generated", generated, "--config", config], {
    cwd: ROOT,
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, SPREAD_SCANNER_LOG_LEVEL: "warn" },
  });
  procs.add(p);
  return p;
}

function engineHealth(shm: Shm): HealthRecord {
  const h = new HealthRecord();
  shm.health.read(ENGINE_SLOT, h);
  return h;
}

/** Feeds "running" on `generation`, heartbeats refreshed while the test runs. */
function feedsAlive(shm: Shm, generation: () => number): void {
  fakeFeeds(shm, generation());
  heartbeat = setInterval(() => fakeFeeds(shm, generation()), 300);
}

async function setup(bases: string[]): Promise<{ shm: Shm; dir: string; ids: Map<string, number> }> {
  prefix = uniquePrefix();
  const shm = createAll(prefix).shm;
  const t = tempDir("proc");
  cleanupDir = t.cleanup;
  const ids = await writeGenerated(t.dir, bases);
  return { shm, dir: t.dir, ids };
}

async function nextEvents(shm: Shm, n: number, ms = 10_000) {
  const got: ReturnType<typeof drain> = [];
  await waitFor(`${n} event(s)`, () => {
    got.push(...drain(shm));
    return got.length >= n;
  }, ms);
  return got;
}

describe("spread-engine process", () => {
  test("full scan at start, event-driven signals, Health, SIGTERM exit 0", async () => {
    const { shm, dir, ids } = await setup(["AAA", "BBB"]);
    feedsAlive(shm, () => 0);
    const aaa = ids.get("AAA")!;
    const bbb = ids.get("BBB")!;
    // An AAA spread already open before the engine starts: okx_spot (6) → bybit_futures (3) = direction 1.
    quote(shm, 6, aaa, 9.9, 10);
    quote(shm, 3, aaa, 10.3, 10.31);
    const p = startEngine(dir);
    const [scan] = await nextEvents(shm, 1);
    expect([scan!.directionId, scan!.symbolId, scan!.flags]).toEqual([1, aaa, EventFlag.scan]);
    await waitFor("Health running", () => engineHealth(shm).state === HealthState.running, 10_000);
    const h = engineHealth(shm);
    expect([h.kind, h.pid, h.connectionsUp]).toEqual([2, p.pid, 8]);

    // A price change: bybit_spot (2) → binance_futures (1) = direction 8.
    quote(shm, 2, bbb, 99, 100);
    quote(shm, 1, bbb, 101, 101.1);
    const [tick] = await nextEvents(shm, 1);
    expect([tick!.directionId, tick!.symbolId, tick!.flags, tick!.spotAsk, tick!.futuresBid]).toEqual([8, bbb, 0, 100, 101]);
    expect(shm.tracked.state(8, bbb)).toBe(TrackedPairState.signalled);
    await waitFor("Health counts the signals", () => engineHealth(shm).updates === 2, 5_000);
    expect(shm.events.readStats().evaluated).toBeGreaterThan(0);

    p.kill("SIGTERM");
    expect(await p.exited).toBe(0);
    expect(engineHealth(shm).state).toBe(HealthState.stopped);
  }, 40_000);

  test("pause stops signalling; resume finds what opened meanwhile; shutdown command exits 0", async () => {
    const { shm, dir, ids } = await setup(["CCC"]);
    feedsAlive(shm, () => 0);
    const p = startEngine(dir);
    await waitFor("Health running", () => engineHealth(shm).state === HealthState.running, 10_000);
    shm.control.sendCommand(ENGINE_SLOT, Command.pause);
    await waitFor("Health paused", () => engineHealth(shm).state === HealthState.paused, 5_000);
    const ccc = ids.get("CCC")!;
    quote(shm, 0, ccc, 99, 100); // binance_spot → okx_futures (direction 9) and more
    quote(shm, 7, ccc, 102, 102.1);
    quote(shm, 7, ccc, 102.01, 102.1);
    await Bun.sleep(300); // a window, not a wait: a paused engine must not signal what just opened
    expect(drain(shm)).toEqual([]);
    shm.control.sendCommand(ENGINE_SLOT, Command.resume);
    const [ev] = await nextEvents(shm, 1);
    expect([ev!.directionId, ev!.symbolId]).toEqual([9, ccc]);
    shm.control.sendCommand(ENGINE_SLOT, Command.shutdown);
    expect(await p.exited).toBe(0);
  }, 40_000);

  test("hot reload with remapped ids; the engine waits for each feed to run the new generation", async () => {
    const { shm, dir, ids } = await setup(["MMM"]);
    let feedGen = 0;
    feedsAlive(shm, () => feedGen);
    const p = startEngine(dir);
    await waitFor("Health running", () => engineHealth(shm).state === HealthState.running, 10_000);
    expect(ids.get("MMM")).toBe(0);
    // Pair Discovery adds AAA: MMM moves from id 0 to id 1.
    const next = await writeGenerated(dir, ["AAA", "MMM"]);
    expect(next.get("MMM")).toBe(1);
    shm.control.bumpConfigGeneration();
    await waitFor("engine on generation 1", () => engineHealth(shm).configGeneration === 1, 10_000);
    // Feeds still on generation 0 write MMM under its new id: not trusted yet.
    quote(shm, 6, 1, 9.9, 10);
    quote(shm, 5, 1, 10.5, 10.51); // okx_spot → mexc_futures = direction 0
    await waitFor("no source trusted until the feeds run generation 1", () => engineHealth(shm).connectionsUp === 0, 10_000);
    await Bun.sleep(300); // a window, not a wait: no signal from feeds still on the old generation
    expect(drain(shm)).toEqual([]);
    feedGen = 1; // the feeds reload; the engine rescans when they report the generation
    fakeFeeds(shm, 1);
    const evs = await nextEvents(shm, 1);
    expect(evs.map((e) => [e.directionId, e.symbolId, e.flags])).toEqual([[0, 1, EventFlag.scan]]);
    p.kill("SIGTERM");
    expect(await p.exited).toBe(0);
  }, 40_000);

  test("a restarted engine does not re-signal a tracked pair; the tracker's release lets it signal again", async () => {
    const { shm, dir, ids } = await setup(["RRR"]);
    feedsAlive(shm, () => 0);
    const rrr = ids.get("RRR")!;
    // Only direction 11 (binance_spot → bybit_futures) is open.
    quote(shm, 0, rrr, 99, 100);
    quote(shm, 3, rrr, 101, 101.1);
    const first = startEngine(dir);
    const [ev] = await nextEvents(shm, 1);
    expect([ev!.directionId, ev!.symbolId]).toEqual([11, rrr]);
    shm.tracked.markTracked(11, rrr, shm.tracked.attachTracker());
    first.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    const second = startEngine(dir);
    await waitFor("Health running", () => engineHealth(shm).state === HealthState.running && engineHealth(shm).pid === second.pid, 10_000);
    quote(shm, 0, rrr, 99, 100); // both legs fresh again (the restart can take longer than stale_after_ms on a loaded box)
    quote(shm, 3, rrr, 101.2, 101.3);
    await waitFor("the new engine evaluated the tracked pair", () => shm.events.readStats().suppressed > 0, 10_000);
    expect(drain(shm)).toEqual([]);
    shm.tracked.release(11, rrr); // the tracker closes the tracking
    quote(shm, 3, rrr, 101.3, 101.4);
    const [again] = await nextEvents(shm, 1);
    expect([again!.directionId, again!.symbolId, again!.futuresBid]).toEqual([11, rrr, 101.3]);
    second.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  }, 40_000);

  test("refusals: a second engine on the prefix exits 4; the global shutdown flag exits 3", async () => {
    const { shm, dir } = await setup(["SSS"]);
    feedsAlive(shm, () => 0);
    const first = startEngine(dir);
    await waitFor("Health running", () => engineHealth(shm).state === HealthState.running, 10_000);
    const second = startEngine(dir);
    expect(await second.exited).toBe(4);
    expect(await new Response(second.stderr).text()).toContain(String(first.pid));
    first.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    shm.control.setGlobalFlag(GlobalFlag.shutdown, true);
    const third = startEngine(dir);
    expect(await third.exited).toBe(3);
    expect(shm.events.producerPid()).toBe(first.pid); // refused before touching the bus
  }, 40_000);

  test("[cpu] pin = true, engine = [N] pins every thread, the loop's Worker included", async () => {
    const { shm, dir } = await setup(["PPP"]);
    feedsAlive(shm, () => 0);
    const cpu = Math.max(0, navigator.hardwareConcurrency - 1);
    const text = readFileSync(join(ROOT, "config/config.sim.toml"), "utf8").replace(/^pin = false/m, "pin = true").replace(/^engine = \[\]/m, `engine = [${cpu}]`);
    expect(text).toContain(`engine = [${cpu}]`);
    const cfg = join(dir, "config.toml"); // generated/ comes from --generated; the engine reads no other path
    writeFileSync(cfg, text);
    {
      const p = startEngine(dir, cfg);
      await waitFor("Health running", () => engineHealth(shm).state === HealthState.running, 10_000);
      const tasks = readdirSync(`/proc/${p.pid}/task`);
      expect(tasks.length).toBeGreaterThan(2); // main, the loop's Worker, JIT/GC helpers
      for (const tid of tasks) {
        const allowed = /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync(`/proc/${p.pid}/task/${tid}/status`, "utf8"))?.[1];
        expect({ tid, allowed }).toEqual({ tid, allowed: String(cpu) });
      }
      p.kill("SIGTERM");
      expect(await p.exited).toBe(0);
    }
  }, 40_000);

  test("--help exits 0; missing generated/ or shared memory is a one-line usage error (exit 2)", async () => {
    const help = Bun.spawnSync(["bun", BIN, "--help"], { cwd: ROOT });
    expect(help.exitCode).toBe(0);
    expect(help.stdout.toString()).toContain("spread-engine");
    prefix = uniquePrefix();
    const noGen = Bun.spawnSync(["bun", BIN, "--prefix", prefix, "--generated", "/nonexistent-dir"], { cwd: ROOT });
    expect(noGen.exitCode).toBe(2);
    expect(noGen.stderr.toString()).toContain("generated/ is missing or unusable");
    const t = tempDir("noshm");
    cleanupDir = t.cleanup;
    await writeGenerated(t.dir, ["XXX"]);
    const noShm = Bun.spawnSync(["bun", BIN, "--prefix", prefix, "--generated", t.dir], { cwd: ROOT });
    expect(noShm.exitCode).toBe(2);
    expect(noShm.stderr.toString()).toContain("run shm-init");
  }, 40_000);
});
