// Wake-ups for a main thread: a Worker blocks in futex_wait (WakeWaiter) and posts one message per
// burst of wake-ups, so the main thread keeps its timers and signal handlers. Costs ~20 µs of
// postMessage latency (platform notes); latency-critical consumers run their loop in a Worker instead.
import { Worker } from "node:worker_threads";

export interface WakeForwarder {
  /** Stops the worker (within one poll interval) and resolves when it has exited. */
  stop(): Promise<void>;
}

/** Shared words between the main thread and the forwarding worker. */
export const FWD_PENDING = 0;
export const FWD_STOP = 1;

export interface WakeForwarderData {
  readonly prefix: string;
  readonly channel: number;
  readonly pollMs: number;
  readonly flags: Int32Array;
  /** Wake sequence the worker compares with first (undefined: its own first read). */
  readonly startSeq: number | undefined;
}

/**
 * Calls onWake() on the main thread after producers wake `channel` of the regions of `prefix`.
 * Wake-ups that arrive while a call is pending are merged into it; onWake must then look for all the
 * work there is (e.g. drain the Event Bus), and the caller should look once itself after starting
 * (wake-ups before the worker is up are not replayed, unless `startSeq` is given: the channel's seq read
 * before that own look, e.g. Control.wakeChannelStats(channel).seq; then any wake-up after that read reaches
 * onWake even if it came before the worker started). pollMs (default 100) bounds how long stop()
 * waits for the worker. Worker errors (e.g. the control region is missing) go to onError, else throw.
 */
export function startWakeForwarder(
  prefix: string,
  channel: number,
  onWake: () => void,
  opts: { pollMs?: number; onError?: (err: Error) => void; startSeq?: number } = {},
): WakeForwarder {
  const pollMs = opts.pollMs ?? 100;
  const flags = new Int32Array(new SharedArrayBuffer(8));
  const data: WakeForwarderData = { prefix, channel, pollMs, flags, startSeq: opts.startSeq };
  const worker = new Worker(new URL("./wake-forwarder.worker.ts", import.meta.url), { workerData: data });
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  worker.on("message", () => {
    // Cleared before onWake runs: a wake-up during onWake then posts a fresh message.
    Atomics.store(flags, FWD_PENDING, 0);
    onWake();
  });
  worker.on("error", (err: Error) => {
    if (opts.onError) opts.onError(err);
    else throw err;
  });
  return {
    async stop() {
      Atomics.store(flags, FWD_STOP, 1);
      await exited;
    },
  };
}
