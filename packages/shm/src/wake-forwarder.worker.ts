// Worker side of startWakeForwarder: blocks in futex_wait and posts a message per burst of wake-ups.
import { parentPort, workerData } from "node:worker_threads";
import { regionSpec } from "./layout.ts";
import { openRegion } from "./region.ts";
import { WakeWaiter } from "./wake.ts";
import { FWD_PENDING, FWD_STOP, type WakeForwarderData } from "./wake-forwarder.ts";

const { prefix, channel, pollMs, flags, startSeq } = workerData as WakeForwarderData;
const waiter = new WakeWaiter(openRegion(prefix, regionSpec("control")), channel);
let last = startSeq ?? waiter.prepare();
while (Atomics.load(flags, FWD_STOP) === 0) {
  const seen = waiter.prepare();
  if (seen !== last) {
    last = seen;
    if (Atomics.exchange(flags, FWD_PENDING, 1) === 0) parentPort!.postMessage(0);
    continue;
  }
  waiter.wait(seen, pollMs);
}
