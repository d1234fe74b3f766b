// Helpers for bench/feed.bench.ts: child processes that are always cleaned up, per-process CPU time and memory
// (PSS) from /proc, simulator control over HTTP, and latency histograms shared with a Worker.
import { closeSync, openSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { dlopen, FFIType } from "bun:ffi";
import type { Subprocess } from "bun";
import { ProcessKind, wallMicros } from "@spread/common";
import { HealthState, type Health, type HealthRecord } from "@spread/shm";

// ---- CPU time from /proc ----------------------------------------------------------------------------------

const libc = dlopen("libc.so.6", { sysconf: { args: [FFIType.i32], returns: FFIType.i64_fast } });
/** sysconf(_SC_CLK_TCK): the unit of utime/stime in /proc/<pid>/stat (100 on Linux). */
export const CLK_TCK = Number(libc.symbols.sysconf(2)) || 100;

export interface CpuSample {
  /** utime + stime of the whole process (all threads, dead ones included), in ns (CLK_TCK resolution). */
  readonly statNs: number;
  /** The stime part of statNs (kernel: syscalls, softirq work charged to the process). */
  readonly sysNs: number;
  /** Voluntary context switches of the main thread (each = one sleep in epoll/futex, i.e. one wake-up). */
  readonly vcsw: number;
  /** Sum of /proc/<pid>/task/<tid>/schedstat run time over the live threads, in ns (exact). */
  readonly schedNs: number;
  /** Sum over live threads of the time spent runnable but waiting for a CPU (scheduler contention), ns. */
  readonly waitNs: number;
  /** Per live thread (tid) [run, wait] ns: schedDelta() of two samples survives threads that exit in between. */
  readonly threads: ReadonlyMap<number, readonly [number, number]>;
  /** The live threads that are JavaScriptCore's JIT compilers (comm "JITWorker"): start-up cost, not steady work. */
  readonly jitThreads: ReadonlySet<number>;
  /** Wall clock when sampled, ns (this process's monotonic clock). */
  readonly at: number;
}

function statTimes(pid: number): { total: number; sys: number } {
  const s = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Field 2 (comm) is parenthesised and may hold spaces: split after the last ')'. utime/stime are fields 14/15.
  const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
  return { total: ((Number(f[11]) + Number(f[12])) * 1e9) / CLK_TCK, sys: (Number(f[12]) * 1e9) / CLK_TCK };
}

function mainThreadVcsw(pid: number): number {
  const m = /voluntary_ctxt_switches:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/task/${pid}/status`, "utf8"));
  return m ? Number(m[1]) : 0;
}

/** /proc/<pid>/task/<tid>/schedstat of every live thread: tid → [time on CPU, time runnable but waiting for a CPU], ns. */
function threadSched(pid: number): { threads: Map<number, readonly [number, number]>; jit: Set<number> } {
  const threads = new Map<number, readonly [number, number]>();
  const jit = new Set<number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const f = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ");
      threads.set(Number(tid), [Number(f[0]), Number(f[1])]);
      if (readFileSync(`/proc/${pid}/task/${tid}/comm`, "utf8").startsWith("JITWorker")) jit.add(Number(tid));
    } catch {
      // thread exited between readdir and read
    }
  }
  return { threads, jit };
}

export function cpuSample(pid: number): CpuSample {
  const t = statTimes(pid);
  const { threads, jit } = threadSched(pid);
  let run = 0;
  let wait = 0;
  for (const [r, w] of threads.values()) {
    run += r;
    wait += w;
  }
  return { statNs: t.total, sysNs: t.sys, vcsw: mainThreadVcsw(pid), schedNs: run, waitNs: wait, threads, jitThreads: jit, at: Bun.nanoseconds() };
}

/**
 * Run and wait time between two samples of one process, per thread: a thread alive at both by difference, one born
 * in between in full. A thread that exited in between is missing (Bun's pool threads come and go), so this is a
 * lower bound, but never negative as `b.schedNs - a.schedNs` can be; utime+stime (statNs) keeps dead threads.
 */
export function schedDelta(a: CpuSample, b: CpuSample): { run: number; wait: number; jit: number } {
  let run = 0;
  let wait = 0;
  let jit = 0;
  for (const [tid, [r, w]] of b.threads) {
    const before = a.threads.get(tid);
    run += r - (before?.[0] ?? 0);
    wait += w - (before?.[1] ?? 0);
    if (b.jitThreads.has(tid)) jit += r - (before?.[0] ?? 0);
  }
  return { run, wait, jit };
}

// ---- memory from /proc ------------------------------------------------------------------------------------

export interface MemSample {
  /** Resident set, bytes (shared pages counted in full in every process that maps them). */
  readonly rss: number;
  /** Proportional set, bytes: each shared page divided among the processes mapping it (sums to the real total). */
  readonly pss: number;
  /** PSS of anonymous memory (JS heap, malloc), bytes. */
  readonly pssAnon: number;
  /** PSS of file-backed pages (the bun / compiled binary, libraries), bytes. */
  readonly pssFile: number;
  /** PSS of shared memory (the /dev/shm regions this process has mapped and touched), bytes. */
  readonly pssShmem: number;
}

/** PSS/RSS of a whole process from /proc/<pid>/smaps_rollup (one read, kB fields; Linux ≥ 4.14). */
export function memSample(pid: number): MemSample {
  const text = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
  const kb = (field: string) => {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text);
    return m ? Number(m[1]) * 1024 : 0;
  };
  return { rss: kb("Rss"), pss: kb("Pss"), pssAnon: kb("Pss_Anon"), pssFile: kb("Pss_File"), pssShmem: kb("Pss_Shmem") };
}

/** Threads of a process and their names (to say where the CPU went). */
export function threadCpu(pid: number): { name: string; ns: number }[] {
  const out: { name: string; ns: number }[] = [];
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, "utf8").trim();
      out.push({ name, ns: Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]) });
    } catch {
      // gone
    }
  }
  return out;
}

/** Whole-machine busy time (all CPUs) from /proc/stat, ns. */
export function machineBusyNs(): { busy: number; total: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = line.reduce((a, b) => a + b, 0);
  const idle = line[3]! + (line[4] ?? 0);
  return { busy: ((total - idle) * 1e9) / CLK_TCK, total: (total * 1e9) / CLK_TCK };
}

// ---- children --------------------------------------------------------------------------------------------

const children = new Set<Subprocess>();

/** Spawns a child whose stdout+stderr go to `logFile`; it is killed by killChildren() whatever happens. */
export function spawnLogged(cmd: string[], logFile: string, env: Record<string, string> = {}, cwd?: string): Subprocess {
  const fd = openSync(logFile, "a");
  const p = Bun.spawn(cmd, { stdin: "ignore", stdout: fd, stderr: fd, env: { ...process.env, ...env }, ...(cwd ? { cwd } : {}) });
  closeSync(fd);
  children.add(p);
  void p.exited.then(() => children.delete(p));
  return p;
}

/** Spawns a child with piped stdin/stdout (line protocol), stderr to `logFile`. */
export function spawnPiped(cmd: string[], logFile: string, env: Record<string, string> = {}): Subprocess<"pipe", "pipe", number> {
  const fd = openSync(logFile, "a");
  const p = Bun.spawn(cmd, { stdin: "pipe", stdout: "pipe", stderr: fd, env: { ...process.env, ...env } });
  closeSync(fd);
  children.add(p);
  void p.exited.then(() => children.delete(p));
  return p as Subprocess<"pipe", "pipe", number>;
}

/** SIGTERM, then SIGKILL after `graceMs`; only the processes this bench started, by pid. */
export async function stopChild(p: Subprocess, graceMs = 2000): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  p.kill("SIGTERM");
  const done = await Promise.race([p.exited.then(() => true), Bun.sleep(graceMs).then(() => false)]);
  if (!done) {
    p.kill("SIGKILL");
    await p.exited;
  }
}

export async function killChildren(): Promise<void> {
  await Promise.all([...children].map((p) => stopChild(p, 1500).catch(() => {})));
}

/** Synchronous last resort (process exit handlers cannot await). */
export function killChildrenSync(): void {
  for (const p of children) {
    try {
      p.kill("SIGKILL");
    } catch {
      // already gone
    }
  }
}

/** Waits until `file` contains a JSON line with msg "ready" (the exchange-sim protocol) and returns it. */
export async function waitReadyLine(file: string, p: Subprocess, timeoutMs: number): Promise<Record<string, any>> {
  const t0 = performance.now();
  while (performance.now() - t0 < timeoutMs) {
    if (p.exitCode !== null) throw new Error(`process exited (${p.exitCode}) before it was ready:\n${tail(file)}`);
    for (const line of (await Bun.file(file).text().catch(() => "")).split("\n")) {
      if (!line.includes('"ready"')) continue;
      try {
        const j = JSON.parse(line);
        if (j.msg === "ready") return j;
      } catch {
        // partial line
      }
    }
    await Bun.sleep(50);
  }
  throw new Error(`not ready after ${timeoutMs} ms:\n${tail(file)}`);
}

export function tail(file: string, chars = 3000): string {
  try {
    return readFileSync(file, "utf8").slice(-chars);
  } catch {
    return "(no log)";
  }
}

// ---- simulator control -----------------------------------------------------------------------------------

export async function simState(control: string): Promise<any> {
  const r = await fetch(`${control}/state?conns=0`);
  return r.json();
}

export async function simRate(control: string, total: number, weights: Record<string, number>): Promise<any> {
  const r = await fetch(`${control}/rate`, { method: "POST", body: JSON.stringify({ total, source_weights: weights }) });
  const j = await r.json();
  if (!r.ok) throw new Error(`POST /rate: ${JSON.stringify(j)}`);
  return j;
}

// ---- latency histogram (µs, 10 µs buckets up to 1 s, shared with a Worker) --------------------------------

export const HIST_BUCKET_US = 10;
export const HIST_BUCKETS = 100_000;

export function newHistogram(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * (HIST_BUCKETS + 2)));
}

/** Adds one sample; index HIST_BUCKETS counts overflow, HIST_BUCKETS+1 counts negative samples. */
export function histAdd(h: Int32Array, us: number): void {
  if (us < 0) Atomics.add(h, HIST_BUCKETS + 1, 1);
  else Atomics.add(h, Math.min(HIST_BUCKETS, Math.floor(us / HIST_BUCKET_US)), 1);
}

export interface LatencyStats {
  readonly n: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
  readonly negative: number;
}

/** Percentiles (µs, bucket upper edge) of a histogram snapshot. */
export function histStats(h: Int32Array): LatencyStats {
  let n = 0;
  for (let i = 0; i <= HIST_BUCKETS; i++) n += h[i]!;
  const at = (p: number) => {
    if (n === 0) return Number.NaN;
    const want = Math.ceil((p / 100) * n);
    let c = 0;
    for (let i = 0; i <= HIST_BUCKETS; i++) {
      c += h[i]!;
      if (c >= want) return (i + 1) * HIST_BUCKET_US;
    }
    return Number.NaN;
  };
  let max = 0;
  for (let i = HIST_BUCKETS; i >= 0; i--) if (h[i]) {
    max = (i + 1) * HIST_BUCKET_US;
    break;
  }
  return { n, p50: at(50), p90: at(90), p99: at(99), p999: at(99.9), max, negative: h[HIST_BUCKETS + 1]! };
}

export function histSnapshotReset(h: Int32Array): Int32Array {
  const out = new Int32Array(h.length);
  for (let i = 0; i < h.length; i++) out[i] = Atomics.exchange(h, i, 0);
  return out;
}

/** Samples (µs) → the same histogram shape (for the ccxt worker's array of samples). */
export function histFrom(samples: ArrayLike<number>): Int32Array {
  const h = new Int32Array(HIST_BUCKETS + 2);
  for (let i = 0; i < samples.length; i++) {
    const us = samples[i]!;
    if (us < 0) h[HIST_BUCKETS + 1]!++;
    else h[Math.min(HIST_BUCKETS, Math.floor(us / HIST_BUCKET_US))]!++;
  }
  return h;
}

/** Unlinks a bench's shm prefix (if it was ever created) and removes its temp dir. */
export function removeScratch(dir: string, prefix: string, unlink: (prefix: string) => void): void {
  try {
    unlink(prefix);
  } catch {
    // never created, or already removed
  }
  rmSync(dir, { recursive: true, force: true });
}

/**
 * A process benchmark's scratch: removes its children, shared memory and temp dir on exit (signals included) and
 * ends the run with exit 1 after `deadlineS` so a stuck bench never hangs `bun run bench`.
 */
export function benchScratch(tag: string, dir: string, prefix: string, deadlineS: number, unlink: (prefix: string) => void): void {
  process.on("exit", () => {
    killChildrenSync();
    removeScratch(dir, prefix, unlink);
  });
  for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => process.exit(130));
  setTimeout(() => {
    console.error(`${tag}: deadline passed`);
    process.exit(1);
  }, deadlineS * 1000).unref();
}

/** Stands in for the 8 feeds' Health (running, this pid, a fresh heartbeat), so readers trust the bench's prices. */
export function fakeFeedHeartbeats(health: Health, h: HealthRecord): void {
  for (let s = 0; s < 8; s++) {
    h.kind = ProcessKind.feed;
    h.state = HealthState.running;
    h.pid = process.pid;
    h.heartbeatAt = wallMicros();
    health.write(s, h);
  }
}
