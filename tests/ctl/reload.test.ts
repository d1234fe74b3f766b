// spread-ctl reload / discover (reloadAll): every process running when the reload starts is waited for until it
// reports the new config generation, even while its heartbeat is late (a process busy loading the new files or
// starved on a loaded box; found by the soak, bench/soak.ts: a feed was missing from discover's report).
import { afterEach, expect, test } from "bun:test";
import { ProcessKind, wallMicros } from "@spread/common";
import { reloadAll } from "@spread/ctl";
import { Command, HealthRecord, HealthState, createAll, unlinkAll, type Shm } from "@spread/shm";

let prefix = "";
afterEach(() => {
  if (prefix) unlinkAll(prefix);
  prefix = "";
});

function bed(): Shm {
  prefix = `t-${process.pid}-reload${Math.random().toString(36).slice(2, 8)}`;
  return createAll(prefix).shm;
}

/** Publishes a feed's Health slot as its owner would (this process's pid: alive). */
function feed(shm: Shm, slot: number, gen: number, heartbeatAgeMs = 0): void {
  const h = new HealthRecord();
  Object.assign(h, { kind: ProcessKind.feed, state: HealthState.running, pid: process.pid, heartbeatAt: wallMicros() - heartbeatAgeMs * 1000, configGeneration: gen });
  shm.health.write(slot, h);
}

test("a process whose heartbeat is late when the reload starts is still waited for, and reported hot-reloaded", async () => {
  const shm = bed();
  feed(shm, 0, 0);
  feed(shm, 1, 0, 6000); // busy for 6 s: older than the 5 s liveness bound
  const started = performance.now();
  const r = reloadAll(shm, { waitMs: 8000, restart: false });
  await Bun.sleep(200); // pacing: the reload is already waiting when the first feed reports
  feed(shm, 0, 1);
  await Bun.sleep(1000); // pacing: the late feed reports a second after the other one
  feed(shm, 1, 1); // back, on the new generation
  const res = await r;
  expect(res.generation).toBe(1);
  expect(res.reloaded.sort()).toEqual(["feed-binance_futures", "feed-binance_spot"]);
  expect(res.restarted).toEqual([]);
  expect(performance.now() - started).toBeLessThan(7000); // done when both reported, not at the deadline
  expect(shm.control.pendingCommands(1)).toBe(0);
});

test("a process that never reports the generation is restarted (graceful shutdown command) and reported so", async () => {
  const shm = bed();
  feed(shm, 0, 0);
  feed(shm, 2, 0, 6000);
  const r = reloadAll(shm, { waitMs: 800, restart: false });
  await Bun.sleep(100); // pacing: the reload is already waiting when the feed reports
  feed(shm, 0, 1);
  const res = await r;
  expect(res.reloaded).toEqual(["feed-binance_spot"]);
  expect(res.restarted).toEqual(["feed-bybit_spot"]);
  expect(shm.control.pendingCommands(2) & Command.shutdown).toBe(Command.shutdown);
  expect(shm.control.pendingCommands(0)).toBe(0);
});

test("stopped and dead slots are not waited for", async () => {
  const shm = bed();
  feed(shm, 0, 0);
  const h = new HealthRecord();
  Object.assign(h, { kind: ProcessKind.feed, state: HealthState.stopped, pid: process.pid, heartbeatAt: wallMicros(), configGeneration: 0 });
  shm.health.write(3, h);
  Object.assign(h, { state: HealthState.running, pid: 4194303 }); // no such pid
  shm.health.write(4, h);
  const r = reloadAll(shm, { waitMs: 5000, restart: false });
  await Bun.sleep(100); // pacing: the reload is already waiting when the feed reports
  feed(shm, 0, 1);
  const res = await r;
  expect(res.reloaded).toEqual(["feed-binance_spot"]);
  expect(res.restarted).toEqual([]);
});
