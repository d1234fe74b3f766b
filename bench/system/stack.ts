// The whole system for bench/system.bench.ts: the exchange simulator in its own process (not part of the system's
// figures), `spread-ctl up` on it (shm-init → pair-discovery → feeds → engine → tracker → web) with an isolated shm
// prefix and temp dir, and per-process CPU (schedstat) and memory (PSS) over a window at a given update rate.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { errorMessage, HealthSlot, loadAppConfig, loadSourceSymbols, SOURCE_NAMES } from "@spread/common";
import { HealthRecord, HealthState, openAll, unlinkAll, type Shm } from "@spread/shm";
import { cpuSample, killChildren, killChildrenSync, machineBusyNs, memSample, schedDelta, simState, spawnLogged, stopChild, tail, waitReadyLine, type CpuSample, type MemSample } from "../feed-procs.ts";
import { teardownOnExit, type Teardown } from "../teardown.ts";
import { toToml } from "../../tests/feed/harness.ts";
import { alive } from "../../tests/ops/helpers.ts";

/** One feed process per source (the default, A.7) or several sources per process (`[feed] groups`). */
export type FeedMode = { readonly name: "per-source" } | { readonly name: "grouped"; readonly groups: readonly (readonly string[])[] };

/** "one feed process per source", "grouped feeds (2 processes: binance+bybit, mexc+okx)". */
export function modeLabel(m: FeedMode): string {
  if (m.name === "per-source") return "one feed process per source";
  // An exchange whose spot and futures share the group is named once.
  const short = (g: readonly string[]) => g.filter((s) => !(s.endsWith("_futures") && g.includes(s.replace(/_futures$/, "_spot")))).map((s) => (s.endsWith("_spot") && g.includes(s.replace(/_spot$/, "_futures")) ? s.replace(/_spot$/, "") : s)).join("+");
  const alone = SOURCE_NAMES.length - m.groups.flat().length;
  return `grouped feeds (${m.groups.length} process${m.groups.length === 1 ? "" : "es"}: ${m.groups.map(short).join(", ")}${alone ? `; ${alone} source${alone === 1 ? "" : "s"} alone` : ""})`;
}

export interface Sim {
  readonly proc: Subprocess;
  readonly control: string;
  readonly exchangesFile: string;
}

/** The simulator's default scenario (A.4-sized universe, real venue limits, repeating spread episodes) in its own process. */
export async function startSim(root: string, dir: string): Promise<Sim> {
  const exchangesFile = join(dir, "exchanges.toml");
  const log = join(dir, "sim.log");
  const proc = spawnLogged([process.execPath, join(root, "bins/exchange-sim.ts"), "--ephemeral", "--control-port", "0", "--scenario", join(root, "packages/sim/scenarios/default.toml"), "--exchanges-out", exchangesFile], log, { SPREAD_SCANNER_LOG_LEVEL: "warn" });
  const ready = await waitReadyLine(log, proc, 30_000);
  await Bun.sleep(100); // --exchanges-out lands right before the ready line
  return { proc, control: ready.control as string, exchangesFile };
}

/** Can this checkout run `mode`? null when it can, else why not (the config loader's own message). */
export function modeSupport(mode: FeedMode, root: string, dir: string): string | null {
  if (mode.name === "per-source") return null;
  const file = join(dir, "probe-groups.toml");
  writeFileSync(file, toToml({ paths: { directions: join(root, "config/directions.toml") }, feed: { groups: mode.groups.map((g) => [...g]) } }));
  try {
    loadAppConfig(file);
    return null;
  } catch (err) {
    return errorMessage(err).split("\n")[0]!.slice(0, 200);
  }
}

export interface StackConfig {
  readonly root: string;
  readonly dir: string;
  readonly prefix: string;
  readonly exchangesFile: string;
  readonly mode: FeedMode;
  /** spread-web's port (default 0: any free port, which the bench then cannot name). */
  readonly webPort?: number;
}

/** config.toml for one stack run; discovery with the demo's shorter WS-validation windows (config.sim.toml). */
export function writeStackConfig(c: StackConfig): string {
  const file = join(c.dir, `config-${c.mode.name}.toml`);
  writeFileSync(file, toToml({
    paths: { exchanges: c.exchangesFile, directions: join(c.root, "config/directions.toml"), generated: join(c.dir, "generated"), data: join(c.dir, "data") },
    shm: { prefix: c.prefix },
    log: { level: "warn" },
    discovery: { min_sources: 8, batch_timeout_s: 20, collect_s: 8, idle_s: 3 },
    feed: { funding_poll_ms: 10000, ...(c.mode.name === "grouped" ? { groups: c.mode.groups.map((g) => [...g]) } : {}) },
    web: { port: c.webPort ?? 0 },
  }));
  return file;
}

const SERVICE_SLOTS = [...SOURCE_NAMES.map((_, i) => i), HealthSlot.engine, HealthSlot.tracker, HealthSlot.alerts, HealthSlot.web];
const REQUIRED_SLOTS = [...SOURCE_NAMES.map((_, i) => i), HealthSlot.engine, HealthSlot.tracker, HealthSlot.web];

function slotName(slot: number): string {
  if (slot < SOURCE_NAMES.length) return SOURCE_NAMES[slot]!;
  return ({ [HealthSlot.engine]: "spread-engine", [HealthSlot.tracker]: "spread-tracker", [HealthSlot.alerts]: "spread-alerts", [HealthSlot.web]: "spread-web" } as Record<number, string>)[slot] ?? `slot ${slot}`;
}

export class Stack {
  private readonly h = new HealthRecord();
  /** Every pid a Health slot of this prefix ever named (the exit handler kills those still running under our dir). */
  static readonly seenPids = new Set<number>();
  private constructor(readonly ctl: Subprocess, readonly shm: Shm, readonly log: string, readonly config: string) {}

  /** `spread-ctl up` (compiled when `binDir` is given, as on the box) until every service reports running. */
  static async up(c: StackConfig, binDir: string | null, skipDiscovery: boolean, timeoutMs: number): Promise<{ stack: Stack; upMs: number }> {
    const config = writeStackConfig(c);
    const log = join(c.dir, `spread-ctl-${c.mode.name}.log`);
    const argv = binDir ? [join(binDir, "spread-ctl")] : [process.execPath, join(c.root, "bins/spread-ctl.ts")];
    const t0 = performance.now();
    const ctl = spawnLogged([...argv, "up", "--config", config, ...(skipDiscovery ? ["--skip-discovery"] : [])], log, {
      SPREAD_SCANNER_RUN_DIR: join(c.dir, "run"), SPREAD_SCANNER_CONFIG: "", SPREAD_SCANNER_SHM_PREFIX: "",
    });
    let shm: Shm | null = null;
    for (;;) {
      if (ctl.exitCode !== null) throw new Error(`spread-ctl up exited ${ctl.exitCode}:\n${tail(log)}`);
      if (performance.now() - t0 > timeoutMs) throw new Error(`the system was not running after ${timeoutMs / 1000} s:\n${tail(log)}`);
      await Bun.sleep(200);
      try {
        shm ??= openAll(c.prefix);
      } catch {
        continue; // shm-init has not run yet
      }
      const stack = new Stack(ctl, shm, log, config);
      if (stack.running()) return { stack, upMs: performance.now() - t0 };
    }
  }

  private slot(s: number): HealthRecord {
    this.shm.health.read(s, this.h);
    if (this.h.pid > 0) Stack.seenPids.add(this.h.pid);
    return this.h;
  }

  /** Every required service running (feeds connected). */
  running(): boolean {
    return REQUIRED_SLOTS.every((s) => {
      const h = this.slot(s);
      const up = h.pid > 0 && (h.state === HealthState.running || h.state === HealthState.degraded) && alive(h.pid);
      return up && (s >= SOURCE_NAMES.length || h.connectionsUp > 0);
    });
  }

  /** The system's processes: pid → name ("feed binance_spot", "feed bybit_spot+bybit_futures", "spread-engine"). */
  processes(): Map<number, string> {
    const bySlot = new Map<number, number[]>();
    for (const s of SERVICE_SLOTS) {
      const h = this.slot(s);
      if (h.pid > 0 && alive(h.pid)) bySlot.set(h.pid, [...(bySlot.get(h.pid) ?? []), s]);
    }
    const out = new Map<number, string>();
    for (const [pid, slots] of bySlot) out.set(pid, slots[0]! < SOURCE_NAMES.length ? `feed ${slots.map(slotName).join("+")}` : slotName(slots[0]!));
    return out;
  }

  /** Σ over the feed slots of (frames received, Price Store writes). */
  feedCounters(): { frames: number; writes: number } {
    let frames = 0;
    let writes = 0;
    for (let s = 0; s < SOURCE_NAMES.length; s++) {
      const h = this.slot(s);
      frames += h.messages;
      writes += h.updates;
    }
    return { frames, writes };
  }

  engineExamined(): number {
    return this.slot(HealthSlot.engine).messages;
  }

  /** SIGTERM to spread-ctl (it stops everything in reverse order); SIGKILL after `graceMs`. */
  async down(graceMs = 20_000): Promise<number | null> {
    await stopChild(this.ctl, graceMs);
    return this.ctl.exitCode;
  }
}

/** Synchronous last-resort cleanup (process exit): every process of the run killed, its shm unlinked, `dir` removed. */
export function removeScratch(dir: string, prefix: string): void {
  killLeftovers(dir);
  killChildrenSync();
  try {
    unlinkAll(prefix);
  } catch {
    // never created
  }
  rmSync(dir, { recursive: true, force: true });
}

/**
 * The teardown of a bench that holds one stack up on the simulator (system.bench, prof-hold, web-clients):
 * `before` (its own clients, a sub-benchmark) stops first, then the stack (spread-ctl stops its services in
 * reverse order), the simulator, any other child; then the scratch goes. `parts` names what runs at that time.
 */
export function heldStackTeardown(tag: string, dir: string, prefix: string, parts: () => { stack: Stack | null; sim: Sim | null }, before?: () => void | Promise<void>): Teardown {
  const remove = () => removeScratch(dir, prefix);
  return teardownOnExit(
    tag,
    async () => {
      await before?.();
      const { stack, sim } = parts();
      await stack?.down(15_000);
      if (sim) await stopChild(sim.proc, 3000);
      await killChildren();
      remove();
    },
    remove,
  );
}

/** SIGKILL every process a Health slot named that still runs with an argument under `dir` (not a reused pid). */
export function killLeftovers(dir: string): number {
  let n = 0;
  for (const pid of Stack.seenPids) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(dir)) continue;
      process.kill(pid, "SIGKILL");
      n++;
    } catch {
      // gone
    }
  }
  return n;
}

/** Subscriptions of the generated/ set the stack runs on: per source, and their sum. */
export function subscriptions(generatedDir: string): { perSource: Record<string, number>; total: number } {
  const perSource: Record<string, number> = {};
  let total = 0;
  SOURCE_NAMES.forEach((n, s) => {
    const k = loadSourceSymbols(generatedDir, s).entries.length;
    perSource[n] = k;
    total += k;
  });
  return { perSource, total };
}

// ---- one load window ---------------------------------------------------------------------------------------

export interface ProcFigures {
  readonly name: string;
  readonly pid: number;
  /** schedstat run time of all live threads, % of one core. */
  readonly cpuPct: number;
  /** utime+stime (10 ms ticks; dead threads included), % of one core. */
  readonly statPct: number;
  /** Share of that CPU in the kernel (stime / (utime+stime)). */
  readonly kernelShare: number;
  /** Main-thread voluntary context switches per second: wake-ups. */
  readonly wakeupsPerSec: number;
  /** Runnable but waiting for a CPU, % of wall time (contention, not the process's own cost). */
  readonly runqWaitPct: number;
  /** The part of cpuPct spent in the JIT compiler threads (high right after start, ~0 in the steady state). */
  readonly jitPct?: number;
  readonly mem: MemSample;
}

export interface LoadResult {
  /** The simulator's configured update rate over all sources (updates/s). */
  readonly rate: number;
  readonly seconds: number;
  readonly loadAvg: string;
  readonly procs: ProcFigures[];
  readonly supervisor: ProcFigures | null;
  readonly sim: ProcFigures | null;
  readonly framesPerSec: number;
  readonly writesPerSec: number;
  readonly simFramesPerSec: number;
  readonly simUpdatesPerSec: number;
  readonly engineExaminedPerSec: number;
  readonly totalCpuPct: number;
  readonly totalPss: number;
  readonly totalRss: number;
  /** Busy CPU of the whole machine not accounted for by the system, the simulator and the bench, in % of one core. */
  readonly foreignPct: number;
}

const loadAvg = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");

function procFigures(name: string, pid: number, a: CpuSample, b: CpuSample): ProcFigures {
  const sec = (b.at - a.at) / 1e9;
  const stat = b.statNs - a.statNs;
  const sched = schedDelta(a, b);
  return {
    name, pid,
    cpuPct: (sched.run / 1e9 / sec) * 100,
    statPct: (stat / 1e9 / sec) * 100,
    kernelShare: stat > 0 ? (b.sysNs - a.sysNs) / stat : 0,
    wakeupsPerSec: (b.vcsw - a.vcsw) / sec,
    runqWaitPct: (sched.wait / 1e9 / sec) * 100,
    jitPct: (sched.jit / 1e9 / sec) * 100,
    mem: memSample(pid),
  };
}

function safeCpu(pid: number): CpuSample | null {
  try {
    return cpuSample(pid);
  } catch {
    return null;
  }
}

/** The simulator's total update rate, its per-source weights (the scenario's) unchanged. */
export async function setSimRate(control: string, total: number): Promise<void> {
  const r = await fetch(`${control}/rate`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ total }) });
  if (!r.ok) throw new Error(`POST /rate ${total}: ${r.status} ${await r.text()}`);
}

async function simTotals(control: string): Promise<{ frames: number; updates: number }> {
  const st = await simState(control);
  let frames = 0;
  for (const n of SOURCE_NAMES) frames += st.sources[n]?.frames_out ?? 0;
  return { frames, updates: st.updates_total ?? 0 };
}

/** Sets the simulator to `rate`, waits `warmS`, then measures every process over `windowS`. */
export async function measureLoad(stack: Stack, sim: Sim, rate: number, warmS: number, windowS: number): Promise<LoadResult> {
  await setSimRate(sim.control, rate);
  await Bun.sleep(warmS * 1000);
  const procs = stack.processes();
  const a = new Map([...procs.keys()].map((pid) => [pid, safeCpu(pid)]));
  const ctlA = safeCpu(stack.ctl.pid);
  const simA = safeCpu(sim.proc.pid);
  const selfA = cpuSample(process.pid);
  const mA = machineBusyNs();
  const fA = stack.feedCounters();
  const eA = stack.engineExamined();
  const sA = await simTotals(sim.control);
  const t0 = performance.now();
  await Bun.sleep(windowS * 1000);
  const seconds = (performance.now() - t0) / 1000;
  const fB = stack.feedCounters();
  const eB = stack.engineExamined();
  const sB = await simTotals(sim.control);
  const mB = machineBusyNs();
  const selfB = cpuSample(process.pid);
  const out: ProcFigures[] = [];
  for (const [pid, name] of procs) {
    const ca = a.get(pid);
    const cb = safeCpu(pid);
    if (!ca || !cb) throw new Error(`${name} (pid ${pid}) exited during the window (a restart is a failed run):\n${tail(stack.log)}`);
    out.push(procFigures(name, pid, ca, cb));
  }
  out.sort((x, y) => order(x.name) - order(y.name) || x.name.localeCompare(y.name));
  const ctlB = safeCpu(stack.ctl.pid);
  const simB = safeCpu(sim.proc.pid);
  const supervisor = ctlA && ctlB ? procFigures("spread-ctl up (supervisor)", stack.ctl.pid, ctlA, ctlB) : null;
  const simF = simA && simB ? procFigures("exchange-sim", sim.proc.pid, simA, simB) : null;
  const sum = (f: (p: ProcFigures) => number) => out.reduce((acc, p) => acc + f(p), 0);
  const totalCpuPct = sum((p) => p.cpuPct);
  const machinePct = ((mB.busy - mA.busy) / 1e9 / seconds) * 100;
  const known = totalCpuPct + (supervisor?.cpuPct ?? 0) + (simF?.cpuPct ?? 0) + (schedDelta(selfA, selfB).run / 1e9 / seconds) * 100;
  return {
    rate, seconds, loadAvg: loadAvg(), procs: out, supervisor, sim: simF,
    framesPerSec: (fB.frames - fA.frames) / seconds,
    writesPerSec: (fB.writes - fA.writes) / seconds,
    simFramesPerSec: (sB.frames - sA.frames) / seconds,
    simUpdatesPerSec: (sB.updates - sA.updates) / seconds,
    engineExaminedPerSec: (eB - eA) / seconds,
    totalCpuPct,
    totalPss: sum((p) => p.mem.pss),
    totalRss: sum((p) => p.mem.rss),
    foreignPct: Math.max(0, machinePct - known),
  };
}

const order = (name: string) => (name.startsWith("feed") ? 0 : name === "spread-engine" ? 1 : name === "spread-tracker" ? 2 : 3);

