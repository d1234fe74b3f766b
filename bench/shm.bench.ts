// @spread/shm hot paths (in-process) and cross-process wake-up latency (futex vs a named FIFO).
// Run: bun bench/shm.bench.ts   (or `bun run bench shm`). Results: docs/shm-layout.md §Measurements.
import { closeSync, constants, openSync, writeSync } from "node:fs";
import { blackhole, measure, percentile, report } from "./harness.ts";
import { monoNanos } from "@spread/common";
import { EventRecord, PriceRecord, WakeChannel, createAll, unlinkAll, type Shm } from "@spread/shm";
import { CHILD } from "../tests/shm/helpers/procs.ts";
import { F, W, createScratch, unlinkEverything } from "../tests/shm/helpers/scratch.ts";

function hotPaths(shm: Shm): void {
  const prices = shm.prices;
  const rec = new PriceRecord();
  for (let s = 0; s < 1024; s++) for (let src = 0; src < 8; src++) prices.write(src, s, 100 + s, 100.5 + s, 1, 2, 1.7e15, 1.7e15, 5e6);
  measure("price readQuote (seqlock cached read, hot entry)", () => { prices.readQuote(1, 7, rec); blackhole(rec.ask); }, { target: "≤ 15 ns" });
  measure("price read (all fields, hot entry)", () => { prices.read(1, 7, rec); blackhole(rec.ask); });
  measure("price read (all fields, 8192 entries in turn)", (i) => { prices.read(i & 7, (i >> 3) & 1023, rec); blackhole(rec.ask); });
  measure("price readSeq (change check)", () => blackhole(prices.readSeq(1, 7)));
  measure("price write (seqlock)", (i) => prices.write(1, 7, 100 + (i & 7), 101, 3, 4, 1.7e15, 1.7e15 + i, 5e6 + i));

  const bm = shm.bitmap;
  const out = new Uint32Array(32);
  measure("bitmap set (bit already pending)", () => blackhole(bm.set(2, 5) ? 1 : 0));
  measure("bitmap set (fresh bit; block taken every 1024)", (i) => {
    const s = i & 1023;
    if (s === 0) bm.take(3, out);
    blackhole(bm.set(3, s) ? 1 : 0);
  });
  measure("bitmap set + take of that block", () => { bm.set(4, 77); blackhole(bm.take(4, out)); });

  const ev = new EventRecord();
  const got = new EventRecord();
  ev.type = 1;
  measure("event bus push+pop", (i) => { ev.spotBid = i; shm.events.push(ev); shm.events.pop(got); blackhole(got.spotBid); }, { target: "≤ 50 ns" });

  const waker = shm.waker(WakeChannel.spare);
  measure("waker.wake (consumer awake: no syscall)", () => waker.wake());
}

/** Parent wakes a Worker blocked in a child process; latency = child's wake time − parent's send time. */
async function wakeLatency(prefix: string, shm: Shm, kind: "futex" | "fifo", rounds: number): Promise<void> {
  const scratch = createScratch(prefix);
  const u32 = scratch.u32;
  const f64 = scratch.f64;
  const fifo = `/dev/shm/${prefix}-fifo`;
  if (kind === "fifo" && Bun.spawnSync(["mkfifo", fifo]).exitCode !== 0) throw new Error(`mkfifo ${fifo} failed`);
  const child = Bun.spawn(["bun", CHILD, "wake-host", prefix, String(WakeChannel.spare), "2000", kind], { stdout: "inherit", stderr: "inherit" });
  try {
    const readyBy = Date.now() + 10_000;
    while (Atomics.load(u32, W.ready) === 0) {
      if (Date.now() > readyBy) throw new Error("wake child did not start");
      await Bun.sleep(1);
    }
    const waker = shm.waker(WakeChannel.spare);
    // The bench has no signal handlers, so blocking its main thread in futex_wait is fine here.
    const acks = shm.waiter(WakeChannel.tracker, { allowMainThread: true });
    const fd = kind === "fifo" ? openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK) : -1;
    const one = new Uint8Array(1);
    const lat: number[] = [];
    for (let r = 1; r <= rounds; r++) {
      await Bun.sleep(1); // let the consumer go back to sleep: measure a real wake from a blocking wait
      const t0 = monoNanos();
      f64[F.tSend] = t0;
      Atomics.store(u32, W.round, r);
      if (kind === "futex") waker.wake();
      else writeSync(fd, one);
      // Sleep (not spin) until the ack so this process does not compete for the VM's cores.
      const end = Date.now() + 1000;
      for (;;) {
        const seen = acks.prepare();
        if (Atomics.load(u32, W.ack) === r) break;
        if (Date.now() > end) throw new Error(`round ${r}: no ack within 1 s`);
        acks.wait(seen, 100);
      }
      lat.push(f64[F.tRecv]! - t0);
    }
    Atomics.store(u32, W.stop, 1);
    if (kind === "futex") waker.wake();
    else {
      writeSync(fd, one);
      closeSync(fd);
    }
    lat.sort((a, b) => a - b);
    const p50 = percentile(lat, 50);
    const p99 = percentile(lat, 99);
    report({ name: `cross-process wake latency ${kind} p50`, nsPerOp: p50, opsPerSec: 1e9 / p50, target: kind === "futex" ? "≤ 20 µs" : "", note: `${rounds} rounds, child waits in a Worker` });
    report({ name: `cross-process wake latency ${kind} p99`, nsPerOp: p99, opsPerSec: 1e9 / p99, target: kind === "futex" ? "≤ 100 µs" : "", note: `max ${(lat[lat.length - 1]! / 1000).toFixed(0)} µs` });
  } finally {
    child.kill(9);
    await child.exited;
    unlinkEverything(prefix);
    Bun.spawnSync(["rm", "-f", fifo]);
  }
}

const prefix = `bench-${process.pid}`;
try {
  const { shm } = createAll(prefix);
  hotPaths(shm);
  const rounds = Number(process.env.SHM_WAKE_ROUNDS ?? 2000);
  await wakeLatency(prefix, shm, "futex", rounds);
  const again = createAll(prefix).shm;
  await wakeLatency(prefix, again, "fifo", rounds);
} finally {
  unlinkAll(prefix);
}
