// Engine stand-in for bench/feed.bench.ts (runs in a Worker of the bench process): the real consumer loop of
// the engine wake channel — futex wait, take the source's Bitmap block, SeqLock-read every changed price —
// so the feed pays its real wake-up cost, and every read yields a latency sample:
//   recvToStore: store updated_at (local receipt, wall µs) − exchange time (sim tick wall ms, see lagUs)
//   storeToEngine: wall µs when this consumer read the price − updated_at
import { wallMicros } from "@spread/common";
import { openAll, PriceFlag, PriceRecord, WakeChannel } from "@spread/shm";
import { histAdd } from "./feed-procs.ts";

interface Init {
  prefix: string;
  source: number;
  /** Added to the stored exchange time: the sim stamps T = E − 2 ms on binance_futures, E = its tick time. */
  lagUs: number;
  recvToStore: Int32Array;
  storeToEngine: Int32Array;
  /** [0] = stop flag, [1] = takes, [2] = prices read, [3] = reads that found the entry busy, [4] = pause flag. */
  ctl: Int32Array;
  /** Further sources whose Bitmap blocks are taken (and prices read) like the engine's, without latency samples. */
  others?: number[];
}

declare const self: Worker;

self.onmessage = (ev: MessageEvent<Init>) => {
  const { prefix, source, lagUs, recvToStore, storeToEngine, ctl } = ev.data;
  const others = ev.data.others ?? [];
  const shm = openAll(prefix);
  const waiter = shm.waiter(WakeChannel.engine);
  const out = new Uint32Array(32);
  const rec = new PriceRecord();
  postMessage("started");
  while (Atomics.load(ctl, 0) === 0) {
    if (Atomics.load(ctl, 4) !== 0) {
      // Paused: no consumer. Bits stay set, so the feed's bitmap.set() returns false and it never wakes anyone.
      Atomics.wait(ctl, 4, 1, 50);
      continue;
    }
    const observed = waiter.prepare();
    let rest = 0;
    for (const o of others) {
      if (shm.bitmap.take(o, out) === 0) continue;
      rest++;
      for (let j = 0; j < 32; j++) {
        let w = out[j]!;
        while (w !== 0) {
          const b = 31 - Math.clz32(w & -w);
          w &= w - 1;
          shm.prices.read(o, j * 32 + b, rec);
        }
      }
    }
    const n = shm.bitmap.take(source, out);
    if (n === 0 && rest === 0) {
      waiter.wait(observed, 50);
      continue;
    }
    Atomics.add(ctl, 1, 1);
    const now = wallMicros();
    for (let j = 0; j < 32; j++) {
      let w = out[j]!;
      while (w !== 0) {
        const b = 31 - Math.clz32(w & -w);
        w &= w - 1;
        if (!shm.prices.read(source, j * 32 + b, rec)) {
          Atomics.add(ctl, 3, 1);
          continue;
        }
        Atomics.add(ctl, 2, 1);
        if (!(rec.flags & PriceFlag.valid) || rec.exchangeTs === 0) continue;
        histAdd(recvToStore, rec.updatedAt - (rec.exchangeTs + lagUs));
        histAdd(storeToEngine, now - rec.updatedAt);
      }
    }
  }
  postMessage("stopped");
};
