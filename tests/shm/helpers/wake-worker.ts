// Worker of the wake-host child: waits for rounds announced by the parent, records when it woke and
// acknowledges on the tracker channel (so a parent can sleep instead of spinning for the ack).
// kind "futex": WakeWaiter on a Control wake channel. kind "fifo": blocking read() on a named FIFO
// (<prefix> FIFO path in /dev/shm), the alternative the wake bench compares against.
import { openSync, readSync } from "node:fs";
import { workerData } from "node:worker_threads";
import { monoNanos } from "@spread/common";
import { WaitResult, WakeChannel, openAll } from "@spread/shm";
import { F, W, openScratch } from "./scratch.ts";

const { prefix, channel, timeoutMs, kind } = workerData as { prefix: string; channel: number; timeoutMs: number; kind: string };
const scratchRegion = openScratch(prefix);
const u32 = scratchRegion.u32;
const f64 = scratchRegion.f64;
let last = Atomics.load(u32, W.round);
const shm = openAll(prefix);
const ackWaker = shm.waker(WakeChannel.tracker);

/** A round the parent announced since the last one seen: note when it was seen, acknowledge it, true. */
function ackNewRound(): boolean {
  const r = Atomics.load(u32, W.round);
  if (r === last) return false;
  last = r;
  f64[F.tRecv] = monoNanos();
  Atomics.store(u32, W.ack, r);
  ackWaker.wake();
  return true;
}

if (kind === "fifo") {
  const fd = openSync(`/dev/shm/${prefix}-fifo`, "r+");
  const buf = new Uint8Array(64);
  Atomics.store(u32, W.ready, 1);
  while (Atomics.load(u32, W.stop) === 0) {
    readSync(fd, buf, 0, 64, null);
    ackNewRound();
  }
} else {
  const waiter = shm.waiter(channel);
  Atomics.store(u32, W.ready, 1);
  while (Atomics.load(u32, W.stop) === 0) {
    const seen = waiter.prepare();
    if (ackNewRound()) continue;
    const res = waiter.wait(seen, timeoutMs);
    // Timed out although a round was announced before we slept: that would be a lost wake-up.
    if (res === WaitResult.timeout && Atomics.load(u32, W.round) !== last) Atomics.add(u32, W.lost, 1);
  }
}
