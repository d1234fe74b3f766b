// Child process for multi-process tests and benches: `bun child.ts <mode> <prefix> ...`.
// Every mode is bounded in time and exits on its own; the parent also SIGKILLs it on cleanup.
import { Worker } from "node:worker_threads";
import { join } from "node:path";
import { Command, EventRecord, HealthRecord, HealthState, openAll } from "@spread/shm";
import { W, openScratch } from "./scratch.ts";
import { fillEvent, fillHealth, setterSymbol, writeFundingPattern, writePricePattern } from "./patterns.ts";

const [mode, prefix, a1, a2] = process.argv.slice(2);
if (!mode || !prefix) throw new Error("usage: child.ts <mode> <prefix> [args]");
const shm = openAll(prefix);
const scratch = openScratch(prefix).u32;
const deadline = (seconds: number) => Date.now() + seconds * 1000;
const stopped = () => Atomics.load(scratch, W.stop) !== 0;

switch (mode) {
  case "seqlock-writer": {
    // Writes (source 1, symbol 7) as fast as possible until told to stop or the time bound.
    const end = deadline(Number(a1 ?? 30));
    Atomics.store(scratch, W.ready, 1);
    let n = 0;
    while (!stopped() && Date.now() < end) {
      for (let k = 0; k < 10_000; k++) writePricePattern(shm.prices, 1, 7, ++n);
    }
    Atomics.store(scratch, W.result, n >>> 0);
    break;
  }
  case "funding-writer": {
    // Writes the funding of (source 3, symbol 9) as fast as possible until told to stop or the time bound.
    const end = deadline(Number(a1 ?? 30));
    Atomics.store(scratch, W.ready, 1);
    let n = 0;
    while (!stopped() && Date.now() < end) {
      for (let k = 0; k < 10_000; k++) writeFundingPattern(shm.funding, 3, 9, ++n);
    }
    Atomics.store(scratch, W.result, n >>> 0);
    break;
  }
  case "events-producer": {
    // Pushes `count` events, retrying on a full ring (lossless producer for the ordering test).
    const count = Number(a1);
    const end = deadline(Number(a2 ?? 60));
    const ev = new EventRecord();
    shm.events.attachProducer();
    Atomics.store(scratch, W.ready, 1);
    for (let i = 0; i < count; i++) {
      fillEvent(ev, i);
      while (!shm.events.tryPush(ev)) {
        if (Date.now() > end) throw new Error(`producer timed out at event ${i}`);
      }
    }
    break;
  }
  case "bitmap-setter": {
    // Writes a price then sets its bit, `count` times; reports how many 0→1 transitions it made.
    const source = Number(a1);
    const count = Number(a2);
    let newly = 0;
    Atomics.store(scratch, W.ready, 1);
    for (let t = 0; t < count; t++) {
      const sym = setterSymbol(t);
      writePricePattern(shm.prices, source, sym, t);
      if (shm.bitmap.set(source, sym)) newly++;
    }
    Atomics.store(scratch, W.result + source, newly);
    break;
  }
  case "tracked-claimer": {
    // Races the parent for every tracked entry, 20 passes; reports how many claims it won.
    let won = 0;
    Atomics.store(scratch, W.ready, 1);
    for (let round = 0; round < 20; round++) {
      for (let e = 0; e < 12 * 1024; e++) if (shm.tracked.tryClaim((e / 1024) | 0, e % 1024, 1_800_000_000)) won++;
    }
    Atomics.store(scratch, W.result, won);
    break;
  }
  case "health-writer": {
    // Rewrites its Health slot continuously; obeys Control commands (pause/resume/shutdown).
    const slot = Number(a1);
    const end = deadline(Number(a2 ?? 30));
    const h = new HealthRecord();
    let n = 0;
    let state: number = HealthState.running;
    Atomics.store(scratch, W.ready, 1);
    while (Date.now() < end) {
      const cmd = shm.control.takeCommands(slot);
      if (cmd & Command.pause) state = HealthState.paused;
      if (cmd & Command.resume) state = HealthState.running;
      fillHealth(h, ++n);
      h.state = cmd & Command.shutdown ? HealthState.stopping : state;
      shm.health.write(slot, h);
      if (cmd & Command.shutdown) break;
    }
    break;
  }
  case "wake-host": {
    // Runs the blocking WakeWaiter in a Worker (as production consumers must) until told to stop.
    const worker = new Worker(join(import.meta.dir, "wake-worker.ts"), {
      workerData: { prefix, channel: Number(a1), timeoutMs: Number(a2 ?? 2000), kind: process.argv[6] ?? "futex" },
    });
    const code = await new Promise<number>((resolve) => worker.once("exit", resolve));
    process.exit(code);
  }
  default:
    throw new Error(`unknown child mode ${mode}`);
}
