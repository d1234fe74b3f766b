// Cross-process wake-ups: a futex eventcount on a u32 in the Control region (one per wake channel).
//
// Producer (feeds → engine channel, engine → tracker channel), after publishing its work:
//   Atomics.add(seq, 1); if waiters != 0 and CAS(waiters, 1 → 0) succeeds: futex_wake(&seq, all)
// Consumer (exactly one per channel):
//   observed = load(seq); look for work; none → store(waiters, 1);
//   load(seq) != observed → store(waiters, 0), look again;  else futex_wait(&seq, observed, timeout);
//   store(waiters, 0)
// Atomics are sequentially consistent, so either the producer sees waiters = 1 (and wakes) or the
// consumer sees the new seq (and does not sleep); futex_wait itself re-checks seq == observed inside
// the kernel, closing the window between the check and the sleep. No wake-up is ever lost. An awake
// consumer costs producers an atomic add and a load, no syscall; a sleeping one costs at most one
// futex_wake per sleep (the CAS elects one producer). Both sides only need the shm file: either may
// restart at any time (a restarting consumer clears a stale waiters flag).
//
// futex_wait BLOCKS THE CALLING THREAD. On a main thread with signal handlers (SIGTERM) the signal is
// not handled until the wait returns (platform notes): use WakeWaiter inside a Bun Worker, or
// startWakeForwarder() (wake-forwarder.ts) which does that for you.
import { isMainThread } from "node:worker_threads";
import { ptr } from "bun:ffi";
import { WakeChannelEntry } from "./layout.ts";
import { EAGAIN, EINTR, ETIMEDOUT, errnoText, futexWait, futexWake } from "./libc.ts";
import type { Region } from "./region.ts";
import { wakeChannelOffset } from "./control.ts";

const W = WakeChannelEntry.off;
const WAKE_ALL = 0x7fffffff;

export const WaitResult = {
  /** seq had already moved: there is new work (no sleep happened). */
  changed: 0,
  /** Slept and was woken (or interrupted by a signal). */
  woken: 1,
  /** Slept for the whole timeout. */
  timeout: 2,
} as const;
export type WaitResultValue = (typeof WaitResult)[keyof typeof WaitResult];

/** Producer side. Cheap enough to call once per published update. */
export class Waker {
  private readonly u32: Uint32Array;
  private readonly seq: number;
  private readonly waiters: number;
  private readonly wakes: number;
  private readonly addr: number;

  constructor(control: Region, channel: number) {
    const base = wakeChannelOffset(channel);
    this.u32 = control.u32;
    this.seq = (base + W.seq) / 4;
    this.waiters = (base + W.waiters) / 4;
    this.wakes = (base + W.wakes) / 4;
    this.addr = control.address + base + W.seq;
  }

  /** Signals new work. Makes a syscall only if the consumer is asleep (and then only once per sleep). */
  wake(): void {
    const u32 = this.u32;
    Atomics.add(u32, this.seq, 1);
    if (Atomics.load(u32, this.waiters) !== 0 && Atomics.compareExchange(u32, this.waiters, 1, 0) === 1) {
      futexWake(this.addr, WAKE_ALL);
      Atomics.add(u32, this.wakes, 1);
    }
  }
}

/** Consumer side: exactly one WakeWaiter per channel, used from a Worker thread (see file header). */
export class WakeWaiter {
  private readonly u32: Uint32Array;
  private readonly seq: number;
  private readonly waiters: number;
  private readonly sleeps: number;
  private readonly addr: number;
  // struct timespec { i64 tv_sec; i64 tv_nsec; }, filled through u32 halves (no BigInt).
  private readonly ts = new Uint32Array(4);
  private readonly tsPtr: number;

  constructor(control: Region, channel: number, opts: { allowMainThread?: boolean } = {}) {
    if (isMainThread && !opts.allowMainThread) {
      throw new Error("WakeWaiter blocks its thread in futex_wait: create it inside a Worker (or use startWakeForwarder); pass allowMainThread only in processes without signal handlers");
    }
    const base = wakeChannelOffset(channel);
    this.u32 = control.u32;
    this.seq = (base + W.seq) / 4;
    this.waiters = (base + W.waiters) / 4;
    this.sleeps = (base + W.sleeps) / 4;
    this.addr = control.address + base + W.seq;
    this.tsPtr = ptr(this.ts);
    // A previous consumer may have died asleep; producers would otherwise keep making syscalls.
    Atomics.store(this.u32, this.waiters, 0);
    Atomics.store(this.u32, (base + W.consumer_pid) / 4, process.pid);
  }

  /** Current wake sequence. Take it BEFORE looking for work and pass it to wait(). */
  prepare(): number {
    return Atomics.load(this.u32, this.seq);
  }

  /**
   * Sleeps until a producer wakes the channel, unless seq moved since `observed` (then returns at once).
   * timeoutMs bounds the sleep so the caller can check stop flags; spurious returns are possible, so
   * always look for work after it returns.
   */
  wait(observed: number, timeoutMs: number): WaitResultValue {
    const u32 = this.u32;
    // Counted per announcement: each one enables at most one producer's futex_wake (wakes <= sleeps).
    Atomics.add(u32, this.sleeps, 1);
    Atomics.store(u32, this.waiters, 1);
    if (Atomics.load(u32, this.seq) !== observed) {
      Atomics.store(u32, this.waiters, 0);
      return WaitResult.changed;
    }
    const ms = Math.max(0, timeoutMs);
    this.ts[0] = Math.floor(ms / 1000);
    this.ts[2] = Math.floor((ms % 1000) * 1e6);
    const r = futexWait(this.addr, observed, this.tsPtr);
    Atomics.store(u32, this.waiters, 0);
    if (r === 0 || r === EINTR) return WaitResult.woken;
    if (r === EAGAIN) return WaitResult.changed;
    if (r === ETIMEDOUT) return WaitResult.timeout;
    throw new Error(`futex_wait failed: ${errnoText(r)}`);
  }
}
