// CPU pinning (A.9: feeds → E-cores, engine → P-core 0). sched_setaffinity pins one THREAD; Bun runs
// several (JIT, GC helpers, pool), so pinning a process means applying it to every task in /proc/self/task.
import { readdirSync } from "node:fs";
import { errno, errnoText, gettid, libc } from "./libc.ts";

const MASK_BYTES = 128; // cpu_set_t: 1024 CPUs

function cpuMask(cpus: readonly number[]): Uint8Array {
  if (cpus.length === 0) throw new RangeError("affinity: empty CPU list");
  const mask = new Uint8Array(MASK_BYTES);
  for (const c of cpus) {
    if (!Number.isInteger(c) || c < 0 || c >= MASK_BYTES * 8) throw new RangeError(`affinity: bad CPU number ${c}`);
    mask[c >> 3]! |= 1 << (c & 7);
  }
  return mask;
}

/** Pins one thread (default: the calling one). */
export function pinThread(cpus: readonly number[], tid = gettid()): void {
  if (libc.sched_setaffinity(tid, MASK_BYTES, cpuMask(cpus)) !== 0) {
    throw new Error(`sched_setaffinity(tid ${tid}, [${cpus.join(",")}]) failed: ${errnoText(errno())}`);
  }
}

/**
 * Pins every current thread of this process; threads created later inherit their creator's mask.
 * Returns the number of threads pinned (threads that exit meanwhile are skipped).
 */
export function pinProcess(cpus: readonly number[]): number {
  const mask = cpuMask(cpus);
  let n = 0;
  for (const name of readdirSync("/proc/self/task")) {
    const tid = Number(name);
    if (libc.sched_setaffinity(tid, MASK_BYTES, mask) === 0) n++;
    else if (errno() !== 3 /* ESRCH: the thread exited */) {
      throw new Error(`sched_setaffinity(tid ${tid}, [${cpus.join(",")}]) failed: ${errnoText(errno())}`);
    }
  }
  return n;
}
