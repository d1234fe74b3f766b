#!/usr/bin/env bun
// `bun run soak -- --minutes N` (default 30; never run by CI or `bun run bench`): the whole system through
// `spread-ctl up` on the exchange simulator for N minutes at a realistic load (the A.4 universe, ~10k updates/s over
// the 8 sources, ~3,400 subscriptions), with forced disconnects of every source several times (the simulator's
// fault API), one discovery reload in the middle (`spread-ctl discover`: a new pair-discovery run, then every
// process hot-reloads) and ~100 trackings open at once (scripted simulator episodes, topped up as they close).
// Every few seconds it samples each process's RSS and PSS (/proc/<pid>/smaps_rollup) and CPU (/proc/<pid>/stat,
// schedstat). It FAILS (exit 1) when a product process's memory keeps growing (bench/soak-analysis.ts) or any
// process restarted, and writes a markdown report with per-process tables and an SVG plot of memory and CPU.
//
// Everything runs under a temp dir and its own shm prefix; the simulator, spread-ctl up and every process it
// started are stopped, the shared memory unlinked and the temp dir removed on exit, SIGINT/SIGTERM and failure.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join, relative, resolve } from "node:path";
import { defineCommand, runMain } from "citty";
import { DIRECTIONS, HealthSlot, loadGeneration, SOURCE_NAMES, type SourceName } from "@spread/common";
import { buildPlan, programLocator } from "@spread/ctl";
import { HealthRecord, HealthState, openAll, REGIONS, statRegion, unlinkAll, type Shm } from "@spread/shm";
import { readStatus, type TrackerStatus } from "@spread/tracker";
import { cpuSample, killChildren, killChildrenSync, machineBusyNs, memSample, removeScratch, schedDelta, simState, spawnLogged, stopChild, tail, waitReadyLine, type CpuSample } from "./feed-procs.ts";
import { GROWTH_RULE, MIN_MEMORY_JUDGED_MINUTES, median, memoryGrowth, pidChanges, supervisorRestarts, type Growth } from "./soak-analysis.ts";
import { renderChart, type Marker, type Series } from "./soak-svg.ts";
import { teardownOnExit } from "./teardown.ts";
import { toToml } from "../tests/feed/harness.ts";

const ROOT = resolve(import.meta.dir, "..");
const BUN = process.execPath;

// ---- arguments -------------------------------------------------------------------------------------------

interface Opts {
  minutes: number;
  intervalS: number;
  rate: number;
  trackings: number;
  seed: number;
  out: string;
  name: string;
  /** [feed] groups (several sources per feed process); [] = one process per source (the default). */
  feedGroups: string[][];
}

// ---- scratch and cleanup ---------------------------------------------------------------------------------

const dir = mkdtempSync(join(tmpdir(), "soak-"));
const prefix = `soak-${process.pid}-${Math.floor(Math.random() * 1e9).toString(36)}`;
const configFile = join(dir, "config.toml");
const dataDir = join(dir, "data");
const generatedDir = join(dataDir, "generated");
const runDirPath = join(dir, "run");
const upLog = join(dir, "spread-ctl-up.log");
/** Every pid a Health slot of our prefix ever showed: killed at the end if a killed supervisor left it behind. */
const seenPids = new Set<number>();
let up: ReturnType<typeof spawnLogged> | null = null;
let sim: ReturnType<typeof spawnLogged> | null = null;
let shm: Shm | null = null;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
/** True when `pid` runs with an argument under our temp dir (ours, not a reused pid). */
const ours = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(dir);
  } catch {
    return false;
  }
};
function killLeftovers(): void {
  for (const pid of seenPids) if (alive(pid) && ours(pid)) process.kill(pid, "SIGKILL");
}
const removeScratchDir = () => removeScratch(dir, prefix, unlinkAll); // spread-ctl up --rm-shm may have unlinked it already

const teardown = teardownOnExit(
  "soak",
  async () => {
    if (up && up.exitCode === null) await stopChild(up, 20_000); // spread-ctl up stops its children in reverse order
    killLeftovers();
    if (sim) await stopChild(sim, 3000);
    await killChildren();
    removeScratchDir();
  },
  () => {
    killChildrenSync();
    killLeftovers();
    removeScratchDir();
  },
);

const log = (msg: string) => console.log(`${new Date().toISOString().slice(11, 19)} soak: ${msg}`);

// ---- the sampled processes -------------------------------------------------------------------------------

interface Sample {
  readonly tS: number;
  readonly pid: number;
  readonly rssKb: number;
  readonly pssKb: number;
  /** CPU over the interval ending here, % of one core (utime+stime); NaN on a process's first sample. */
  readonly cpuPct: number;
  /** Time its threads were runnable but waiting for a CPU over the interval, % of wall time (schedstat). */
  readonly waitPct: number;
}

class Proc {
  readonly samples: Sample[] = [];
  readonly pids: number[] = [];
  private last: { pid: number; cpu: CpuSample } | null = null;
  constructor(
    readonly name: string,
    /** Health slot (product processes), or null (simulator, spread-ctl up: pid known here). */
    readonly slot: number | null,
    /** Judged by the verdicts (the simulator is the load generator, not the product). */
    readonly judged: boolean,
  ) {}

  sample(tS: number, pid: number): void {
    const live = pid > 0 && alive(pid);
    this.pids.push(live ? pid : 0);
    if (!live) return;
    try {
      const m = memSample(pid);
      const c = cpuSample(pid);
      const prev = this.last?.pid === pid ? this.last.cpu : null;
      const dt = prev ? c.at - prev.at : 0;
      this.samples.push({
        tS,
        pid,
        rssKb: m.rss / 1024,
        pssKb: m.pss / 1024,
        cpuPct: prev && dt > 0 ? ((c.statNs - prev.statNs) / dt) * 100 : Number.NaN,
        waitPct: prev && dt > 0 ? (schedDelta(prev, c).wait / dt) * 100 : Number.NaN,
      });
      this.last = { pid, cpu: c };
    } catch {
      // exited between the check and the read
    }
  }
}

// ---- the run ---------------------------------------------------------------------------------------------

interface FaultRec {
  readonly tS: number;
  readonly source: SourceName;
  readonly kind: string;
  readonly ok: boolean;
}
interface ReloadRec {
  tS: number;
  endS: number;
  code: number | null;
  output: string;
}
interface Episode {
  readonly id: number;
  readonly asset: string;
  readonly expected: number;
  readonly startedS: number;
  readonly endS: number;
  readonly converge: boolean;
  deleted: boolean;
}
interface Candidate {
  readonly asset: string;
  readonly spot: SourceName;
  readonly futures: SourceName;
  readonly leg: "spot" | "futures";
  /** Directions the offset leg is part of for this asset: trackings the episode opens. */
  readonly expected: number;
}

const FAULT_KINDS = ["drop", "close", "shutdown"] as const;

/** Seeded PRNG so two runs script the same episodes and faults. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => ((s = (Math.imul(s ^ (s >>> 15), 2246822507) + 0x9e3779b9) >>> 0) / 2 ** 32);
}

async function post(control: string, path: string, body: unknown): Promise<any> {
  const r = await fetch(`${control}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), signal: AbortSignal.timeout(5000) });
  const j = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(`POST ${path}: ${r.status} ${JSON.stringify(j)}`);
  return j;
}

/** Every (asset, leg) an episode can move: plain USDT symbols, multiplier 1 on both legs of the direction. */
function candidates(): Candidate[] {
  const gen = loadGeneration(generatedDir);
  const syms = gen.symbols.symbols;
  const dirs = gen.directions.directions;
  const out: Candidate[] = [];
  for (const d of DIRECTIONS) {
    for (const id of dirs[d.id]!.symbols) {
      const s = syms[id]!;
      if (!/^[A-Z]+-USDT$/.test(s.name) || s.name === "GAS-USDT") continue;
      if (s.listings[d.spot]?.multiplier !== 1 || s.listings[d.futures]?.multiplier !== 1) continue;
      for (const leg of ["futures", "spot"] as const) {
        const expected = DIRECTIONS.filter((o) => (leg === "spot" ? o.spot === d.spot : o.futures === d.futures) && dirs[o.id]!.symbols.includes(id)).length;
        out.push({ asset: s.name.replace(/-USDT$/, ""), spot: SOURCE_NAMES[d.spot]!, futures: SOURCE_NAMES[d.futures]!, leg, expected });
      }
    }
  }
  return out;
}

async function run(o: Opts): Promise<number> {
  for (const k of Object.keys(process.env)) if (k.startsWith("SPREAD_SCANNER_")) delete process.env[k];
  const runS = o.minutes * 60;
  const random = rng(o.seed);
  mkdirSync(runDirPath, { recursive: true });
  const env = { SPREAD_SCANNER_RUN_DIR: runDirPath };

  // 1. The simulator in its own process: the A.4 universe (scale 1), the target rate.
  const scenarioFile = join(dir, "scenario.toml");
  const exchangesFile = join(dir, "exchanges.toml");
  writeFileSync(scenarioFile, `name = "soak"\ndescription = "bench/soak.ts"\n[sim]\nseed = ${o.seed}\n[rate]\ntotal = ${o.rate}\n`);
  const simLog = join(dir, "exchange-sim.log");
  sim = spawnLogged([BUN, join(ROOT, "bins/exchange-sim.ts"), "--ephemeral", "--control-port", "0", "--scenario", scenarioFile, "--exchanges-out", exchangesFile], simLog, { SPREAD_SCANNER_LOG_LEVEL: "warn" });
  const ready = await waitReadyLine(simLog, sim, 60_000);
  const control: string = ready.control;
  await Bun.sleep(200); // --exchanges-out is written right before the ready line

  // 2. The config: the demo's discovery settings, production defaults elsewhere; EXPIRED reachable within the run.
  const maxDurationS = Math.round(Math.min(300, Math.max(60, runS / 4)));
  writeFileSync(
    configFile,
    toToml({
      paths: { exchanges: exchangesFile, directions: join(ROOT, "config/directions.toml"), generated: generatedDir, data: dataDir },
      shm: { prefix },
      discovery: { batch_timeout_s: 20, collect_s: 8, idle_s: 3 },
      tracker: { max_duration_s: maxDurationS },
      ...(o.feedGroups.length ? { feed: { groups: o.feedGroups } } : {}),
      web: { port: 0 },
    }),
  );

  // 3. spread-ctl up: discovery → shm-init → 8 feeds → engine → tracker → web.
  const plan = buildPlan(programLocator(), configFile, { feedGroups: o.feedGroups }).services;
  const procs = [
    ...plan.map((s) => new Proc(s.name, s.slot, true)),
    new Proc("spread-ctl up", null, true),
    new Proc("exchange-sim", null, false),
    // The mid-run discovery (a short-lived process in its Health slot): plotted, not judged.
    new Proc("pair-discovery", HealthSlot.discovery, false),
  ];
  log(`temp dir ${dir}, shm prefix ${prefix}; starting spread-ctl up (discovery on the full universe takes a minute)`);
  const tStart = Date.now();
  up = spawnLogged([BUN, join(ROOT, "bins/spread-ctl.ts"), "up", "--config", configFile, "--rm-shm"], upLog, env);
  const h = new HealthRecord();
  const health = (slot: number) => (shm!.health.read(slot, h), h);
  const running = (slot: number) => {
    const r = health(slot);
    return r.pid > 0 && alive(r.pid) && (r.state === HealthState.running || r.state === HealthState.degraded);
  };
  for (;;) {
    if (up.exitCode !== null) throw new Error(`spread-ctl up exited with ${up.exitCode}:\n${tail(upLog)}`);
    if (Date.now() - tStart > 300_000) throw new Error(`the system was not up after 300 s:\n${tail(upLog)}`);
    if (REGIONS.every((r) => statRegion(prefix, r).state === "ok")) {
      shm ??= openAll(prefix);
      if (plan.every((s) => running(s.slot)) && readStatus(dataDir) !== null) break;
    }
    await Bun.sleep(500);
  }
  const startupS = (Date.now() - tStart) / 1000;
  log(`system up in ${startupS.toFixed(0)} s; soaking for ${o.minutes} min`);
  const cands = candidates();
  const st0 = await simState(control);

  // The schedule: forced disconnects round-robin over the sources, several per source, 5-95 % of the run.
  const perSource = Math.max(3, Math.round(o.minutes / 6));
  const faultPlan = Array.from({ length: perSource * SOURCE_NAMES.length }, (_, i) => ({
    tS: runS * 0.05 + (i * runS * 0.9) / (perSource * SOURCE_NAMES.length),
    source: SOURCE_NAMES[(i * 3) % SOURCE_NAMES.length]!, // stride 3: consecutive faults hit different exchanges
    kind: FAULT_KINDS[Math.floor(i / SOURCE_NAMES.length) % FAULT_KINDS.length]!,
  }));
  // At half time: the first half (whose maximum the growth rule compares with) ends before the reload's garbage.
  const reloadAtS = runS * 0.5;
  const holdMin = Math.min(60, runS / 8);
  const holdMax = Math.min(240, runS / 3, maxDurationS * 0.75);

  const faults: FaultRec[] = [];
  const episodes: Episode[] = [];
  const busy = new Map<string, number>(); // asset → free again at (s)
  const openTs: { tS: number; open: number }[] = [];
  const machine: { tS: number; load1: number; busyCores: number; oursCores: number }[] = [];
  const reconnects0 = SOURCE_NAMES.map((_, s) => health(s).reconnects);
  const updates0 = SOURCE_NAMES.reduce((a, _, s) => a + health(s).updates, 0);
  let reload: ReloadRec | null = null;
  let reloadP: Promise<void> | null = null;
  let episodeErrors = 0;
  let lastStatus: TrackerStatus | null = null;
  let lastMachine = machineBusyNs();
  let nextSample = 0;
  let nextTopUp = 0;
  let failure: string | null = null;
  const t0 = Date.now();
  const nowS = () => (Date.now() - t0) / 1000;

  const topUp = async (tS: number) => {
    for (const e of episodes) {
      if (!e.converge && !e.deleted && tS >= e.endS) {
        e.deleted = true;
        await fetch(`${control}/episode/${e.id}`, { method: "DELETE", signal: AbortSignal.timeout(5000) }).catch(() => {});
      }
    }
    lastStatus = readStatus(dataDir) ?? lastStatus;
    const open = lastStatus?.open.length ?? 0;
    // Episodes started in the last 5 s have not shown in the status file yet (ramp, persistence, 1 s rewrite).
    const inflight = episodes.filter((e) => tS - e.startedS < 5).reduce((a, e) => a + e.expected, 0);
    let want = o.trackings - open - inflight;
    for (let tries = 0; want > 0 && tries < 40; tries++) {
      const c = cands[Math.floor(random() * cands.length)]!;
      if ((busy.get(c.asset) ?? 0) > tS || c.expected > Math.max(1, want)) continue;
      const converge = random() >= 0.05;
      const hold = holdMin + random() * (holdMax - holdMin);
      const body = { asset: c.asset, spot: c.spot, futures: c.futures, leg: c.leg, spread_pct: 1.5 + random() * 2, ramp_s: 1, hold_s: converge ? hold : 1e6, converge_s: 3, converge };
      try {
        const r = await post(control, "/episode", body);
        const endS = converge ? tS + 4 + hold : tS + maxDurationS + 10;
        episodes.push({ id: r.episode.id, asset: c.asset, expected: c.expected, startedS: tS, endS, converge, deleted: false });
        busy.set(c.asset, endS + 10);
        want -= c.expected;
      } catch {
        episodeErrors++;
      }
    }
    openTs.push({ tS, open });
  };

  while (nowS() < runS && !failure) {
    const tS = nowS();
    if (tS >= nextSample) {
      nextSample += o.intervalS;
      for (const p of procs) {
        const pid = p.slot !== null ? health(p.slot).pid : p.name === "exchange-sim" ? sim!.pid : up!.pid;
        if (p.slot !== null && pid > 0 && alive(pid)) seenPids.add(pid);
        p.sample(tS, pid);
      }
      const m = machineBusyNs();
      const ours = procs.reduce((a, p) => {
        const s = p.samples.at(-1);
        return a + (s && s.tS === tS && Number.isFinite(s.cpuPct) ? s.cpuPct / 100 : 0);
      }, 0);
      machine.push({ tS, load1: Number(readFileSync("/proc/loadavg", "utf8").split(" ")[0]), busyCores: (m.busy - lastMachine.busy) / ((m.total - lastMachine.total) / cpus().length), oursCores: ours });
      lastMachine = m;
    }
    if (tS >= nextTopUp) {
      nextTopUp = tS + 2;
      await topUp(tS);
    }
    while (faults.length < faultPlan.length && tS >= faultPlan[faults.length]!.tS) {
      const f = faultPlan[faults.length]!;
      const body = f.kind === "drop" ? { source: f.source, kind: "drop", duration_s: 2 } : f.kind === "close" ? { source: f.source, kind: "close", code: 1001 } : { source: f.source, kind: "shutdown" };
      const ok = await post(control, "/fault", body).then(() => true, () => false);
      faults.push({ tS, source: f.source, kind: f.kind, ok });
      log(`fault ${faults.length}/${faultPlan.length}: ${f.kind} ${f.source}${ok ? "" : " (refused)"}`);
    }
    if (!reloadP && tS >= reloadAtS) {
      log("discovery reload: spread-ctl discover (pair-discovery, then every process hot-reloads)");
      const rec: ReloadRec = { tS, endS: Number.NaN, code: null, output: "" };
      reload = rec;
      const discLog = join(dir, "discover.log");
      const p = spawnLogged([BUN, join(ROOT, "bins/spread-ctl.ts"), "discover", "--config", configFile], discLog, env);
      reloadP = p.exited.then((code) => {
        rec.endS = nowS();
        rec.code = code;
        rec.output = tail(discLog, 100_000).split("\n").filter((l) => !l.startsWith("{")).join("\n").trim();
        log(`discovery reload done in ${(rec.endS - rec.tS).toFixed(0)} s (exit ${code}): ${rec.output.replace(/\n/g, "; ")}`);
      });
    }
    if (up.exitCode !== null) failure = `spread-ctl up exited (${up.exitCode}) during the run`;
    else if (sim.exitCode !== null) failure = `the simulator exited (${sim.exitCode}) during the run`;
    await Bun.sleep(250);
  }
  if (reloadP) await Promise.race([reloadP, Bun.sleep(120_000)]);
  const endS = nowS();
  const st1 = await simState(control).catch(() => null);
  const updates1 = SOURCE_NAMES.reduce((a, _, s) => a + health(s).updates, 0);
  const reconnects = SOURCE_NAMES.map((_, s) => health(s).reconnects - reconnects0[s]!);
  lastStatus = readStatus(dataDir) ?? lastStatus;
  const generation = shm!.control.configGeneration();
  const configGens = plan.map((s) => ({ name: s.name, gen: health(s.slot).configGeneration }));

  log("stopping the system");
  await stopChild(up, 20_000);
  const upText = (() => {
    try {
      return readFileSync(upLog, "utf8");
    } catch {
      return "";
    }
  })();
  const supRestarts = supervisorRestarts(upText);
  const restartLogs = new Map<string, string>();
  for (const p of procs) {
    if (p.slot !== null && (pidChanges(p.pids) > 0 || (supRestarts.get(p.name) ?? 0) > 0)) restartLogs.set(p.name, tail(join(dataDir, "logs", `${p.name}.log`), 1500));
  }

  const result = analyse(procs, supRestarts, o.minutes >= MIN_MEMORY_JUDGED_MINUTES);
  const verdict = failure ? [failure, ...result.reasons] : result.reasons;
  const files = writeReport(o, {
    procs, result, verdict, faults, reload, episodes, episodeErrors, openTs, machine, startupS, endS, st0, st1, updates: (updates1 - updates0) / endS,
    reconnects, status: lastStatus, generation, configGens, restartLogs, maxDurationS, candidates: cands.length, hold: [holdMin, holdMax],
  });
  log(`report: ${files.md}`);
  log(`verdict: ${verdict.length ? `FAIL — ${verdict.join("; ")}` : "PASS"}`);
  return verdict.length ? 1 : 0;
}

// ---- analysis --------------------------------------------------------------------------------------------

interface ProcResult {
  readonly p: Proc;
  readonly growth: Growth;
  readonly restarts: number;
  readonly cpuMean: number;
  readonly cpuP95: number;
  readonly waitMean: number;
}

function analyse(procs: Proc[], sup: Map<string, number>, judgeMemory: boolean): { rows: ProcResult[]; reasons: string[] } {
  const rows = procs.map((p) => {
    const cpu = p.samples.map((s) => s.cpuPct).filter(Number.isFinite);
    const wait = p.samples.map((s) => s.waitPct).filter(Number.isFinite);
    const sorted = [...cpu].sort((a, b) => a - b);
    return {
      p,
      growth: memoryGrowth(p.samples.map((s) => s.tS), p.samples.map((s) => s.pssKb / 1024)),
      restarts: Math.max(pidChanges(p.pids), sup.get(p.name) ?? 0),
      cpuMean: cpu.reduce((a, b) => a + b, 0) / Math.max(1, cpu.length),
      cpuP95: sorted[Math.floor(sorted.length * 0.95)] ?? Number.NaN,
      waitMean: wait.reduce((a, b) => a + b, 0) / Math.max(1, wait.length),
    };
  });
  const reasons: string[] = [];
  for (const r of rows) {
    if (!r.p.judged) continue;
    if (judgeMemory && r.growth.growing) reasons.push(`${r.p.name}: PSS keeps growing (${r.growth.slopeMbPerH.toFixed(1)} MB/h over the second half; last-quarter median ${r.growth.lastQuarterMedianMb.toFixed(1)} MB vs first-half max ${r.growth.firstHalfMaxMb.toFixed(1)} MB)`);
    if (r.restarts > 0) reasons.push(`${r.p.name}: restarted ${r.restarts}×`);
    if (r.p.samples.length === 0) reasons.push(`${r.p.name}: never sampled (not running)`);
  }
  return { rows, reasons };
}

// ---- report ----------------------------------------------------------------------------------------------

interface ReportData {
  procs: Proc[];
  result: { rows: ProcResult[] };
  verdict: string[];
  faults: FaultRec[];
  reload: ReloadRec | null;
  episodes: Episode[];
  episodeErrors: number;
  openTs: { tS: number; open: number }[];
  machine: { tS: number; load1: number; busyCores: number; oursCores: number }[];
  startupS: number;
  endS: number;
  st0: any;
  st1: any;
  updates: number;
  reconnects: number[];
  status: TrackerStatus | null;
  generation: number;
  configGens: { name: string; gen: number }[];
  restartLogs: Map<string, string>;
  maxDurationS: number;
  candidates: number;
  hold: [number, number];
}

const mb = (kb: number | undefined) => (kb === undefined || !Number.isFinite(kb) ? "–" : (kb / 1024).toFixed(1));
const pct = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : "–");
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const quant = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : Number.NaN;
};

function machineLine(): string {
  let model = "unknown CPU";
  try {
    model = /model name\s*:\s*(.+)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1]?.trim() ?? model;
  } catch {
    // no /proc/cpuinfo
  }
  let kernel = "";
  try {
    kernel = readFileSync("/proc/sys/kernel/osrelease", "utf8").trim();
  } catch {
    // not Linux
  }
  return `${cpus().length} × ${model}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Linux ${kernel}, Bun ${Bun.version}`;
}

function gitHead(): string {
  const r = Bun.spawnSync(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"]);
  return r.exitCode === 0 ? r.stdout.toString().trim() : "unknown";
}

function writeReport(o: Opts, d: ReportData): { md: string; svg: string; csv: string } {
  mkdirSync(o.out, { recursive: true });
  const base = join(o.out, o.name);
  const files = { md: `${base}.md`, svg: `${base}.svg`, csv: `${base}.csv` };
  const judged = d.result.rows.filter((r) => r.p.judged);
  const product = judged.filter((r) => r.p.name !== "spread-ctl up");

  // CSV of every sample (the plot's data).
  const csv = ["t_s,process,pid,rss_kb,pss_kb,cpu_pct,runq_wait_pct"];
  for (const p of d.procs) for (const s of p.samples) csv.push(`${s.tS.toFixed(1)},${p.name},${s.pid},${Math.round(s.rssKb)},${Math.round(s.pssKb)},${pct(s.cpuPct)},${pct(s.waitPct)}`);
  writeFileSync(files.csv, csv.join("\n") + "\n");

  // The plot: PSS and CPU per process, the machine, open trackings.
  const series = (f: (s: Sample) => number) => d.procs.map((p): Series => ({ name: p.name, t: p.samples.map((s) => s.tS), v: smooth(p.samples.map(f), f === cpuOf ? 3 : 1) }));
  const markers: Marker[] = [
    ...d.faults.map((f): Marker => ({ tS: f.tS, label: `${f.kind} ${f.source}`, kind: "minor" })),
    ...(d.reload ? [{ tS: d.reload.tS, label: "discovery reload", kind: "major" as const }] : []),
  ];
  const svg = renderChart(
    `spread-scanner soak: ${o.minutes} min, ${o.rate.toLocaleString("en-US")} updates/s target, ${o.trackings} trackings target — ${new Date().toISOString().slice(0, 16)}Z`,
    [
      { title: "PSS per process", unit: "MB", series: series((s) => s.pssKb / 1024) },
      { title: `CPU per process (${3 * o.intervalS} s moving average)`, unit: "% of one core", series: series(cpuOf) },
      {
        title: `Machine load average (1 min; ${cpus().length} cores, shared with other work)`,
        unit: "runnable tasks",
        ownLegend: true,
        series: [{ name: "load average", t: d.machine.map((m) => m.tS), v: d.machine.map((m) => m.load1) }],
      },
      { title: "Open trackings", unit: "count", ownLegend: true, series: [{ name: "open trackings", t: d.openTs.map((x) => x.tS), v: d.openTs.map((x) => x.open) }] },
    ],
    markers,
    { panelHeight: 230 },
  );
  writeFileSync(files.svg, svg);

  const steady = d.openTs.filter((x) => x.tS >= 60).map((x) => x.open);
  const loads = d.machine.map((m) => m.load1);
  const busy = d.machine.map((m) => m.busyCores).filter(Number.isFinite);
  const oursC = d.machine.map((m) => m.oursCores).filter((x) => x > 0);
  const subs0 = d.st0 ? sum(Object.values(d.st0.sources as Record<string, any>).map((s) => s.subscriptions)) : Number.NaN;
  const subs1 = d.st1 ? sum(Object.values(d.st1.sources as Record<string, any>).map((s) => s.subscriptions)) : Number.NaN;
  const simUpd = d.st0 && d.st1 ? (d.st1.updates_total - d.st0.updates_total) / d.endS : Number.NaN;
  const c = d.status?.counters;
  const faultsBy = SOURCE_NAMES.map((s, i) => ({ s, kinds: d.faults.filter((f) => f.source === s).map((f) => f.kind + (f.ok ? "" : " (refused)")), reconnects: d.reconnects[i]! }));
  const totalPss = (pick: (r: ProcResult) => number | undefined) => sum(product.map((r) => pick(r) ?? 0));
  const first = (r: ProcResult) => r.p.samples[0]?.pssKb;
  const last = (r: ProcResult) => r.p.samples.at(-1)?.pssKb;
  const rel = (f: string) => relative(o.out, f);

  const lines: string[] = [];
  lines.push(`# Soak: ${o.minutes} minutes — ${d.verdict.length ? "FAIL" : "PASS"}`);
  lines.push("");
  lines.push(`\`bun run soak -- --minutes ${o.minutes}\` (bench/soak.ts) on ${new Date().toISOString().slice(0, 10)}, commit ${gitHead()}. The whole system through \`spread-ctl up\` on the exchange simulator${o.feedGroups.length ? `, feeds in ${o.feedGroups.length} groups ([feed] groups = ${JSON.stringify(o.feedGroups)})` : ", one feed process per source"}; every product process sampled every ${o.intervalS} s.`);
  lines.push("");
  lines.push(`**Verdict: ${d.verdict.length ? "FAIL" : "PASS"}.** ${d.verdict.length ? d.verdict.map((v) => `\n- ${v}`).join("") : `No product process restarted (same pid in every Health slot all along, no supervisor restart)${o.minutes >= MIN_MEMORY_JUDGED_MINUTES ? " and none kept growing in memory (rule below)" : "; memory not judged (shorter than " + MIN_MEMORY_JUDGED_MINUTES + " min)"}.`}`);
  lines.push("");
  lines.push(`**Machine:** ${machineLine()}. Shared with other sessions' work while this ran: load average (1 min) min ${pct(Math.min(...loads))} / median ${pct(median(loads))} / max ${pct(Math.max(...loads))}; the machine's busy CPU median ${pct(median(busy))} cores of ${cpus().length}, of which the soaked processes (simulator included) ${pct(median(oursC))}. CPU figures below are therefore upper bounds disturbed by contention (the run-queue wait column shows how long each process waited for a CPU); memory growth and restarts are the verdicts that matter here.`);
  lines.push("");
  lines.push("![memory and CPU per process over time](" + rel(files.svg) + ")");
  lines.push("");
  lines.push(`Raw samples: [${rel(files.csv)}](${rel(files.csv)}).`);
  lines.push("");
  lines.push("## Load");
  lines.push("");
  lines.push(`- Simulator: A.4 universe (seed ${o.seed}), rate target ${o.rate.toLocaleString("en-US")} updates/s over the 8 sources; measured ${Number.isFinite(simUpd) ? Math.round(simUpd).toLocaleString("en-US") : "–"} updates/s generated, ${Math.round(d.updates).toLocaleString("en-US")} Price Store writes/s by the 8 feeds; ${subs0.toLocaleString("en-US")} subscriptions at the start, ${subs1.toLocaleString("en-US")} at the end.`);
  lines.push(`- System up (discovery on the full universe, shm-init, 8 feeds, engine, tracker, web) in ${d.startupS.toFixed(0)} s before the soak clock started; soak ${(d.endS / 60).toFixed(1)} min.`);
  lines.push(`- Forced disconnects: ${d.faults.length} (${FAULT_KINDS.map((k) => `${d.faults.filter((f) => f.kind === k).length} ${k}`).join(", ")}), every source ${Math.min(...faultsBy.map((f) => f.kinds.length))}+ times, one every ${d.faults.length > 1 ? ((d.faults.at(-1)!.tS - d.faults[0]!.tS) / (d.faults.length - 1)).toFixed(0) : "–"} s. drop = TCP gone without a close frame (new connections refused for 2 s), close = close frame 1001, shutdown = the venue's own notice then its forced close.`);
  lines.push("");
  lines.push("  | source | faults | feed reconnects (Health) |");
  lines.push("  |---|---|---:|");
  for (const f of faultsBy) lines.push(`  | ${f.s} | ${f.kinds.join(", ") || "–"} | ${f.reconnects} |`);
  lines.push("");
  if (d.reload) {
    lines.push(`- Discovery reload at ${(d.reload.tS / 60).toFixed(1)} min: \`spread-ctl discover\` (a new pair-discovery run on the live simulator, then a config-generation bump every process must hot-reload within 15 s, else it is restarted) took ${(d.reload.endS - d.reload.tS).toFixed(0)} s, exit ${d.reload.code}:`);
    lines.push("");
    lines.push("  ```text");
    for (const l of d.reload.output.split("\n")) lines.push(`  ${l}`);
    lines.push("  ```");
    const listed = d.reload.output.split("\n").flatMap((l) => /^(?:hot-reloaded|restarting \(.*?\)|reload failed, [^:]*): ([^(]*)/.exec(l)?.[1]?.split(",").map((x) => x.trim()) ?? []);
    const reloadable = d.configGens.map((g) => g.name).filter((n) => n.startsWith("feed-") || n === "spread-engine" || n === "spread-tracker");
    const unlisted = reloadable.filter((n) => !listed.includes(n) && !listed.includes(n.replace(/^spread-/, "")));
    if (unlisted.length) lines.push(`  **Not listed by \`spread-ctl discover\`:** ${unlisted.join(", ")} (neither hot-reloaded nor restarted in its report).`);
    lines.push(`  At the end every process reported config generation ${d.configGens.every((g) => g.gen === d.generation) ? d.generation : d.configGens.map((g) => `${g.name} ${g.gen}`).join(", ")} (Control: ${d.generation}).`);
  } else {
    lines.push("- Discovery reload: not reached.");
  }
  lines.push(`- Trackings: ${d.episodes.length} simulator episodes (1.5-3.5 % spreads held ${Math.round(d.hold[0])}-${Math.round(d.hold[1])} s, 5 % never converging and removed after max_duration_s = ${d.maxDurationS} s; ${d.episodeErrors} refused; ${d.candidates} candidate (asset, leg) pairs), topped up every 2 s towards ${o.trackings} open trackings. Open trackings after the first minute: min ${Math.min(...steady)}, median ${median(steady)}, max ${Math.max(...steady)}.`);
  if (c) lines.push(`  Tracker counters: ${c.opens} opened, closed ${Object.entries(c.closes).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`).join(", ") || "none"}; ${c.rows_written.toLocaleString("en-US")} rows, ${(c.bytes_written / 2 ** 20).toFixed(1)} MB written (${((c.bytes_written / 2 ** 20) * (3600 / d.endS)).toFixed(0)} MB/h), ${c.missed_ticks} missed ticks, ${c.write_errors} write errors, ${c.events_invalid} invalid events.`);
  lines.push("");
  lines.push("## Per process");
  lines.push("");
  lines.push("Memory in MB (start = first sample once the system was up; peak over the run; end = last sample). CPU in % of one core over each interval (utime+stime from /proc/<pid>/stat), mean and 95th percentile of the intervals; run-queue wait = time runnable but not running (schedstat), % of wall time. Growth = least-squares PSS slope over the second half.");
  lines.push("");
  lines.push("| process | pid | restarts | RSS start | RSS peak | RSS end | PSS start | PSS peak | PSS end | PSS growth MB/h | CPU mean % | CPU p95 % | run-queue wait % |");
  lines.push("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const r of d.result.rows) {
    const s = r.p.samples;
    const peak = (f: (x: Sample) => number) => (s.length ? Math.max(...s.map(f)) : Number.NaN);
    const pids = [...new Set(s.map((x) => x.pid))].join(" → ") || "–";
    const name = r.p.judged ? r.p.name : `${r.p.name} (${r.p.name === "exchange-sim" ? "load generator" : "short-lived"}, not judged)`;
    lines.push(`| ${name} | ${pids} | ${r.restarts} | ${mb(s[0]?.rssKb)} | ${mb(peak((x) => x.rssKb))} | ${mb(s.at(-1)?.rssKb)} | ${mb(s[0]?.pssKb)} | ${mb(peak((x) => x.pssKb))} | ${mb(s.at(-1)?.pssKb)} | ${pct(r.growth.slopeMbPerH)}${r.growth.growing ? (o.minutes >= MIN_MEMORY_JUDGED_MINUTES ? " **GROWING**" : " (rising; not judged)") : ""} | ${pct(r.cpuMean)} | ${pct(r.cpuP95)} | ${pct(r.waitMean)} |`);
  }
  lines.push(`| **product total** (feeds, engine, tracker, web) | | ${sum(product.map((r) => r.restarts))} | | | | ${mb(totalPss(first))} | | ${mb(totalPss(last))} | | ${pct(sum(product.map((r) => r.cpuMean)))} | | |`);
  lines.push("");
  lines.push("## How the verdict is decided");
  lines.push("");
  lines.push(`- **Restart**: any change of the pid in a process's Health slot between samples, or any "restart #N" event in \`spread-ctl up\`'s log (a crash, or a process that did not hot-reload and was restarted by \`spread-ctl discover\`). One is a failure.`);
  lines.push(`- **Memory keeps growing** (bench/soak-analysis.ts, per judged process, on PSS): the least-squares slope over the second half of the run is above ${GROWTH_RULE.slopeMbPerH} MB/h AND the median of the last quarter is above the maximum of the first half by more than max(${GROWTH_RULE.marginMb} MB, ${GROWTH_RULE.marginFrac * 100} %). The slope alone would fire on a garbage-collected heap's sawtooth caught rising; the quarter-vs-half comparison alone on a one-off step (the discovery reload at half time loads a new generation) that then stays flat. A climb that continues through the second half satisfies both. Over 30 minutes this catches a steady leak of roughly 15 MB/h or more (the growth must clear the margin within ~20 minutes); slower leaks need a longer run (\`--minutes 120\`).`);
  if (o.minutes < MIN_MEMORY_JUDGED_MINUTES) lines.push(`- **This run is shorter than ${MIN_MEMORY_JUDGED_MINUTES} minutes: memory growth is reported, not judged** (a feed's heap saws ~7 MB over ~30 s and the reload's garbage lasts until the next major collection; a few minutes of samples cannot tell either from a leak). Restarts are judged.`);
  lines.push("- The simulator (the load generator) and the mid-run pair-discovery (a short-lived process) are sampled and plotted, never judged.");
  if (d.restartLogs.size) {
    lines.push("");
    lines.push("## Logs of restarted processes (tail)");
    for (const [name, text] of d.restartLogs) {
      lines.push("");
      lines.push(`### ${name}`);
      lines.push("");
      lines.push("```text");
      lines.push(text.trim());
      lines.push("```");
    }
  }
  writeFileSync(files.md, lines.join("\n") + "\n");
  return files;
}

const cpuOf = (s: Sample) => s.cpuPct;

/** Centered moving average over `w` samples (NaN kept where the input is NaN). */
function smooth(v: number[], w: number): number[] {
  if (w <= 1) return v;
  const h = w >> 1;
  return v.map((x, i) => {
    if (!Number.isFinite(x)) return x;
    const win = v.slice(Math.max(0, i - h), i + h + 1).filter(Number.isFinite);
    return sum(win) / win.length;
  });
}

// ---- CLI -------------------------------------------------------------------------------------------------

const positive = (name: string, v: string, min: number): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) {
    console.error(`soak: --${name} must be a number >= ${min}, got "${v}"`);
    process.exit(2);
  }
  return n;
};

const main = defineCommand({
  meta: { name: "soak", description: "Soak the whole system (spread-ctl up on the simulator) under load, faults, a discovery reload and ~100 trackings; fail on memory growth or restarts" },
  args: {
    minutes: { type: "string", description: "soak duration after the system is up", default: "30" },
    interval: { type: "string", description: "seconds between samples", default: "5" },
    rate: { type: "string", description: "simulator updates/s over the 8 sources", default: "10000" },
    trackings: { type: "string", description: "open trackings to keep", default: "100" },
    seed: { type: "string", description: "simulator seed (also scripts the episodes)", default: "1" },
    out: { type: "string", description: "report directory", default: ".bench-results/soak" },
    name: { type: "string", description: "report file stem (default soak-<date>-<N>min)" },
    "feed-groups": { type: "string", description: "run the feeds in groups, e.g. \"binance_spot,binance_futures,bybit_spot,bybit_futures;mexc_spot,mexc_futures,okx_spot,okx_futures\" ([feed] groups)", default: "" },
  },
  async run({ args }) {
    const minutes = positive("minutes", args.minutes, 1);
    const o: Opts = {
      minutes,
      intervalS: positive("interval", args.interval, 1),
      rate: positive("rate", args.rate, 100),
      trackings: positive("trackings", args.trackings, 1),
      seed: positive("seed", args.seed, 1),
      out: resolve(args.out),
      name: args.name ?? `soak-${new Date().toISOString().slice(0, 10)}-${minutes}min`,
      feedGroups: args["feed-groups"] ? args["feed-groups"].split(";").map((g) => g.split(",").map((x) => x.trim()).filter(Boolean)) : [],
    };
    teardown.deadline((minutes + 20) * 60_000, "20 minutes longer than asked");
    let code = 1;
    try {
      code = await run(o);
    } catch (err) {
      console.error(`soak: ${(err as Error).stack ?? err}`);
    }
    await teardown.stop();
    process.exit(code);
  },
});

await runMain(main);
