// Futex wake-ups: waiter semantics, coalescing (no syscall for an awake consumer), many rounds
// across processes with the waiter in a Worker of a child process (no lost wake-up), a consumer
// restart, and the main-thread forwarder.
import { describe, expect, test } from "bun:test";
import { WaitResult, WakeChannel, createAll, openAll, startWakeForwarder, type Shm } from "@spread/shm";
import { prefixPerTest, spawnChild, waitFor } from "./helpers/procs.ts";
import { W, createScratch } from "./helpers/scratch.ts";

const freshPrefix = prefixPerTest();

function spinUntil(what: string, cond: () => boolean, ms: number): void {
  const end = Date.now() + ms;
  for (let k = 0; !cond(); k++) {
    if ((k & 1023) === 0 && Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
  }
}

describe("wake, one process", () => {
  test("WakeWaiter refuses the main thread unless allowed", () => {
    const prefix = freshPrefix();
    const shm = createAll(prefix).shm;
    expect(() => shm.waiter(WakeChannel.spare)).toThrow(/Worker/);
  });

  test("wait: changed when seq moved, timeout otherwise; an awake consumer costs no syscall", () => {
    const prefix = freshPrefix();
    const shm = createAll(prefix).shm;
    const waiter = shm.waiter(WakeChannel.engine, { allowMainThread: true });
    const waker = shm.waker(WakeChannel.engine);
    const seen = waiter.prepare();
    waker.wake();
    expect(waiter.wait(seen, 1000)).toBe(WaitResult.changed);
    const t0 = performance.now();
    expect(waiter.wait(waiter.prepare(), 20)).toBe(WaitResult.timeout);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(15);
    for (let i = 0; i < 100_000; i++) waker.wake();
    const st = shm.control.wakeChannelStats(WakeChannel.engine);
    expect(st).toEqual({ seq: 100_001, waiters: 0, wakes: 0, sleeps: 2, consumerPid: process.pid });
  });
});

describe("wake across processes", () => {
  async function startHost(shmPrefix: string, scratch: Uint32Array): Promise<ReturnType<typeof spawnChild>> {
    Atomics.store(scratch, W.ready, 0);
    const child = spawnChild("wake-host", shmPrefix, WakeChannel.engine, 2000);
    await waitFor("wake host ready", () => Atomics.load(scratch, W.ready) === 1, 10_000);
    return child;
  }

  /**
   * Announces rounds from..to, each followed by a wake, and waits for each ack. A lost wake-up shows
   * as the consumer's 2 s futex timeout with a round pending (it counts W.lost and acks anyway), so
   * the ack wait must outlast that timeout: a consumer merely descheduled on a busy box for a second
   * is not a lost wake-up and must not fail the test.
   */
  async function rounds(shm: Shm, scratch: Uint32Array, from: number, to: number): Promise<void> {
    const waker = shm.waker(WakeChannel.engine);
    for (let r = from; r <= to; r++) {
      // Vary the gap so the consumer is sometimes asleep, sometimes still awake or about to sleep.
      if (r % 4 === 0) await Bun.sleep(1); // pacing (here and below): the gap varies on purpose
      else if (r % 4 === 2) spinUntil("gap", () => Math.random() < 0.01, 1000);
      else if (r % 4 === 3) await Bun.sleep(0);
      Atomics.store(scratch, W.round, r);
      waker.wake();
      spinUntil(`ack of round ${r} (lost so far: ${Atomics.load(scratch, W.lost)})`, () => Atomics.load(scratch, W.ack) === r, 5000);
    }
  }

  test("3,000 rounds: every wake-up arrives, none lost, at most one futex_wake per sleep", async () => {
    const prefix = freshPrefix();
    createAll(prefix);
    const scratch = createScratch(prefix).u32;
    const shm = openAll(prefix);
    const child = await startHost(prefix, scratch);
    await rounds(shm, scratch, 1, 3000);
    const st = shm.control.wakeChannelStats(WakeChannel.engine);
    Atomics.store(scratch, W.stop, 1);
    shm.waker(WakeChannel.engine).wake();
    const code = await child.exited;
    // Printed before the checks so a failure in CI (which shows only the test's name) says which one.
    console.log(`wake: exit ${code}, lost ${Atomics.load(scratch, W.lost)}, stats ${JSON.stringify(st)}, child pid ${child.pid}`);
    if (code !== 0) console.log(`wake host stderr: ${await new Response(child.stderr).text()}`);
    expect(code).toBe(0);
    expect(Atomics.load(scratch, W.lost)).toBe(0);
    expect(st.wakes).toBeLessThanOrEqual(st.sleeps);
    expect(st.sleeps).toBeGreaterThan(500); // the consumer really slept between rounds
    expect(st.consumerPid).toBe(child.pid);
    console.log(`wake: 3000 rounds, ${st.sleeps} sleeps, ${st.wakes} futex_wake syscalls`);
  }, 60_000);

  test("a consumer killed while asleep is replaced; wake-ups reach the new one", async () => {
    const prefix = freshPrefix();
    createAll(prefix);
    const scratch = createScratch(prefix).u32;
    const shm = openAll(prefix);
    const first = await startHost(prefix, scratch);
    await rounds(shm, scratch, 1, 50);
    await waitFor("consumer asleep", () => shm.control.wakeChannelStats(WakeChannel.engine).waiters === 1, 5000);
    first.kill(9);
    await first.exited;
    // Producers keep going while nobody listens (a wake-up with no consumer is harmless).
    for (let i = 0; i < 10; i++) shm.waker(WakeChannel.engine).wake();
    const second = await startHost(prefix, scratch);
    await rounds(shm, scratch, 51, 300);
    Atomics.store(scratch, W.stop, 1);
    shm.waker(WakeChannel.engine).wake();
    expect(await second.exited).toBe(0);
    expect(Atomics.load(scratch, W.lost)).toBe(0);
  }, 60_000);
});

describe("startWakeForwarder", () => {
  test("calls onWake on the main thread, merges bursts, stops on request", async () => {
    const prefix = freshPrefix();
    const shm = createAll(prefix).shm;
    let calls = 0;
    const fwd = startWakeForwarder(prefix, WakeChannel.tracker, () => calls++, { pollMs: 20 });
    const waker = shm.waker(WakeChannel.tracker);
    await waitFor("forwarder consumer", () => shm.control.wakeChannelStats(WakeChannel.tracker).consumerPid === process.pid, 5000);
    for (let round = 1; round <= 20; round++) {
      const before = calls;
      for (let i = 0; i < 100; i++) waker.wake(); // a burst: at most a few calls
      await waitFor(`onWake after burst ${round}`, () => calls > before, 10000);
    }
    expect(calls).toBeGreaterThanOrEqual(20);
    expect(calls).toBeLessThan(20 * 100);
    const t0 = Date.now();
    await fwd.stop();
    expect(Date.now() - t0).toBeLessThan(1000);
  }, 30_000);

  test("startSeq: a wake-up between the caller's own look and the worker's start is not lost", async () => {
    const prefix = freshPrefix();
    const shm = createAll(prefix).shm;
    let calls = 0;
    const startSeq = shm.control.wakeChannelStats(WakeChannel.tracker).seq;
    const fwd = startWakeForwarder(prefix, WakeChannel.tracker, () => calls++, { pollMs: 20, startSeq });
    shm.waker(WakeChannel.tracker).wake(); // before the worker can have read the channel
    await waitFor("onWake for the early wake-up", () => calls > 0, 5000);
    await fwd.stop();
  }, 30_000);
});
