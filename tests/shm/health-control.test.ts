// Health slots and Control: round trips in one process, and a child that rewrites its slot while
// obeying pause/resume/shutdown commands sent from here.
import { describe, expect, test } from "bun:test";
import { HealthSlot, wallMicros } from "@spread/common";
import { Command, GlobalFlag, HealthRecord, HealthState, WakeChannel, createAll, openAll, renderStatus } from "@spread/shm";
import { expectExit, prefixPerTest, spawnChild, waitFor } from "./helpers/procs.ts";
import { fillHealth, healthPatternOk } from "./helpers/patterns.ts";
import { W, createScratch } from "./helpers/scratch.ts";

const freshPrefix = prefixPerTest();

describe("Health and Control, one process", () => {
  test("health slot round trip, including u64 times and f64 counters beyond 2^32", () => {
    const prefix = freshPrefix();
    const { health } = createAll(prefix).shm;
    const h = new HealthRecord();
    fillHealth(h, 2 ** 33 + 5);
    h.messages = 2 ** 52 + 1;
    health.write(HealthSlot.engine, h);
    const r = new HealthRecord();
    expect(health.read(HealthSlot.engine, r)).toBe(true);
    expect({ ...r, seq: 0 }).toEqual({ ...h, seq: 0 });
    expect(r.seq).toBe(2);
    expect(health.read(0, r)).toBe(true);
    expect([r.kind, r.state, r.pid]).toEqual([0, HealthState.stopped, 0]);
    expect(() => health.write(16, h)).toThrow(RangeError);
  });

  test("control flags, config generation, command mailbox semantics", () => {
    const prefix = freshPrefix();
    const { control } = createAll(prefix).shm;
    expect(control.globalFlags()).toBe(0);
    control.setGlobalFlag(GlobalFlag.pause, true);
    control.setGlobalFlag(GlobalFlag.shutdown, true);
    expect([control.pausedGlobally(), control.shutdownRequested()]).toEqual([true, true]);
    control.setGlobalFlag(GlobalFlag.pause, false);
    expect(control.globalFlags()).toBe(GlobalFlag.shutdown);

    expect(control.configGeneration()).toBe(0);
    expect(control.bumpConfigGeneration(1_700_000_000_000_001)).toBe(1);
    expect(control.bumpConfigGeneration(1_700_000_000_000_002)).toBe(2);
    expect(control.configUpdatedAt()).toBe(1_700_000_000_000_002);

    control.sendCommand(3, Command.pause);
    control.sendCommand(3, Command.resume); // cancels the pending pause
    expect(control.pendingCommands(3)).toBe(Command.resume);
    control.sendCommand(3, Command.pause);
    control.sendCommand(3, Command.kill);
    expect(control.takeCommands(3)).toBe(Command.pause | Command.kill);
    expect(control.takeCommands(3)).toBe(0);
    expect(control.pendingCommands(4)).toBe(0);
  });

  test("renderStatus shows slots, states, commands, generation and event positions", () => {
    const prefix = freshPrefix();
    const shm = createAll(prefix).shm;
    const h = new HealthRecord();
    fillHealth(h, 10);
    h.state = HealthState.degraded;
    h.heartbeatAt = wallMicros();
    shm.health.write(HealthSlot.tracker, h);
    h.heartbeatAt -= 60e6; // SIGSTOPped or wedged: pid alive, heartbeat a minute old
    shm.health.write(HealthSlot.engine, h);
    h.heartbeatAt += 60e6;
    h.pid = 4194303; // killed -9: the slot still says running, the pid is gone
    h.state = HealthState.running;
    shm.health.write(HealthSlot.discovery, h);
    shm.control.sendCommand(2, Command.shutdown);
    shm.control.bumpConfigGeneration();
    shm.waker(WakeChannel.engine).wake();
    const text = renderStatus(prefix);
    expect(text).toContain(`shm prefix "${prefix}"`);
    expect(text).toMatch(/9\s+tracker\s+feed\s+degraded\s+\d+\s+alive/);
    expect(text).toMatch(/8\s+engine\s+feed\s+degraded\s+\d+\s+HUNG \(no heartbeat for 60\.\ds\)/);
    expect(text).toMatch(/10\s+discovery\s+feed\s+running\s+4194303\s+DEAD \(pid gone\)/);
    expect(text).toContain("bybit_spot=shutdown");
    expect(text).toContain("config generation 1");
    expect(text).toContain("wake engine: seq 1");
    expect(text).toContain("events: head 0, tail 0, backlog 0, dropped 0");
    for (const key of ["seqs", "data", "bitmap", "events", "health", "control"]) expect(text).toContain(`/dev/shm/${prefix}-${key}`);
  });
});

describe("Health and Control across processes", () => {
  test("a child's slot is always read consistently and follows pause/resume/shutdown", async () => {
    const prefix = freshPrefix();
    createAll(prefix);
    const scratch = createScratch(prefix).u32;
    const shm = openAll(prefix);
    const slot = 2;
    const child = spawnChild("health-writer", prefix, slot, 30);
    await waitFor("writer ready", () => Atomics.load(scratch, W.ready) === 1, 30_000); // a bun child starts in seconds on a loaded box
    const r = new HealthRecord();
    let reads = 0;
    let busy = 0;
    // The child rewrites its slot back to back (real owners write once a second), so a read may give
    // up ("busy"); what must never happen is a successful read of a torn slot.
    const readState = (): number => {
      if (!shm.health.read(slot, r)) {
        busy++;
        return -1;
      }
      reads++;
      if (r.heartbeatAt > 0 && !healthPatternOk(r)) throw new Error(`torn health slot: ${JSON.stringify(r)}`);
      return r.state;
    };
    const end = Date.now() + 500;
    while (Date.now() < end) readState();

    shm.control.sendCommand(slot, Command.pause);
    await waitFor("paused", () => readState() === HealthState.paused, 5000);
    shm.control.sendCommand(slot, Command.resume);
    await waitFor("running", () => readState() === HealthState.running, 5000);
    shm.control.sendCommand(slot, Command.shutdown);
    await expectExit(child, 5000);
    expect(readState()).toBe(HealthState.stopping);
    expect(r.pid).toBe(child.pid);
    expect(reads).toBeGreaterThan(1000);
    console.log(`health: ${reads} consistent cross-process slot reads, ${busy} gave up against a back-to-back writer`);
  }, 30_000);
});
