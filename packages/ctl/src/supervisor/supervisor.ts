// The supervisor behind `spread-ctl up`: runs the plan in A.7's order, restarts a crashed service with backoff
// (never one that exited with a no-restart code), and stops everything in reverse order.
import { join } from "node:path";
import { HealthRecord, type Shm } from "@spread/shm";
import { launch, type Launched } from "../launch.ts";
import { NO_RESTART_EXIT_CODES, type Plan, type ServiceSpec } from "./plan.ts";

export interface SupervisorEvent {
  readonly at: number;
  readonly name: string;
  readonly level: "info" | "warn" | "error";
  readonly msg: string;
}

export interface Backoff {
  readonly baseMs: number;
  readonly maxMs: number;
  /** A service that ran this long is healthy again: its next restart starts from baseMs. */
  readonly resetAfterMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { baseMs: 500, maxMs: 30_000, resetAfterMs: 60_000 };

export interface SupervisorOptions {
  readonly logsDir: string;
  readonly env: Record<string, string | undefined>;
  readonly onEvent: (e: SupervisorEvent) => void;
  readonly backoff?: Backoff;
  /** SIGTERM → SIGKILL after this (the binaries exit within ~2 s). */
  readonly stopGraceMs?: number;
  /** How long a stage may take to report in Health before the next stage starts anyway. */
  readonly stageTimeoutMs?: number;
  /** Pair discovery writes to the terminal (its progress view) instead of its log file. */
  readonly discoveryToTerminal?: boolean;
}

export type ServiceState = "starting" | "running" | "backoff" | "failed" | "stopped";

export interface ServiceStatus {
  readonly name: string;
  readonly slot: number;
  /** Every Health slot it reports in (a feed group: one per source). */
  readonly slots: readonly number[];
  readonly state: ServiceState;
  readonly pid: number;
  readonly restarts: number;
  readonly lastExit: string;
}

class Managed {
  child: Launched | null = null;
  state: ServiceState = "stopped";
  restarts = 0;
  quickFailures = 0;
  startedAt = 0;
  lastExit = "";
  timer: ReturnType<typeof setTimeout> | null = null;
  constructor(readonly spec: ServiceSpec) {}
}

export class Supervisor {
  private readonly services: Managed[];
  private readonly backoff: Backoff;
  private stopping = false;
  private sim: Launched | null = null;
  private discoveryRun: { kill(sig?: number | NodeJS.Signals): void; exited: Promise<number> } | null = null;

  constructor(
    readonly plan: Plan,
    private readonly opts: SupervisorOptions,
  ) {
    this.services = plan.services.map((s) => new Managed(s));
    this.backoff = opts.backoff ?? DEFAULT_BACKOFF;
  }

  private event(name: string, level: SupervisorEvent["level"], msg: string): void {
    this.opts.onEvent({ at: Date.now(), name, level, msg });
  }

  private log(name: string): string {
    return join(this.opts.logsDir, `${name}.log`);
  }

  /** Starts the simulator (demo) and waits for its "ready" line. */
  async startSim(): Promise<void> {
    if (!this.plan.sim) return;
    const sim = launch("exchange-sim", this.plan.sim, { env: this.opts.env });
    this.sim = sim;
    await sim.waitForLine(/"msg":"ready"/, 30_000);
    this.event("exchange-sim", "info", `listening (pid ${sim.proc.pid})`);
  }

  /** shm-init; throws with its output when it fails (exit 2 = config error). */
  async shmInit(): Promise<void> {
    const init = launch("shm-init", this.plan.shmInit, { env: this.opts.env });
    const code = await init.proc.exited;
    const out = init.lines.join("\n").trim();
    if (code !== 0) throw new StartError(`shm-init failed (exit ${code}): ${out}`, code);
    this.event("shm-init", "info", out.split("\n").slice(-1)[0] ?? "ok");
  }

  /** One pair-discovery run; resolves with its exit code. */
  async discover(): Promise<number> {
    const toTerm = this.opts.discoveryToTerminal === true;
    this.event("pair-discovery", "info", toTerm ? "running" : `running (log ${this.log("pair-discovery")})`);
    let code: number;
    if (toTerm) {
      const p = Bun.spawn([...this.plan.discovery], { stdin: "ignore", stdout: "inherit", stderr: "inherit", env: { ...process.env, ...this.opts.env } as Record<string, string> });
      this.discoveryRun = p;
      code = await p.exited;
    } else {
      const l = launch("pair-discovery", this.plan.discovery, { env: this.opts.env, logFile: this.log("pair-discovery") });
      this.discoveryRun = l.proc;
      code = await l.proc.exited;
    }
    this.discoveryRun = null;
    this.event("pair-discovery", code === 0 ? "info" : "error", code === 0 ? "generated/ written" : `failed (exit ${code})`);
    return code;
  }

  /** Starts the services stage by stage; each stage waits (bounded) until its services report in Health. */
  async startServices(shm: Shm): Promise<void> {
    const stages = [...new Set(this.services.map((m) => m.spec.stage))].sort((a, b) => a - b);
    const timeout = this.opts.stageTimeoutMs ?? 15_000;
    for (const stage of stages) {
      const group = this.services.filter((m) => m.spec.stage === stage);
      for (const m of group) this.spawn(m);
      const deadline = Date.now() + timeout;
      const reported = (m: Managed) => m.child === null || m.child.proc.exitCode !== null || (m.spec.slots ?? [m.spec.slot]).every((s) => slotPid(shm, s) === m.child!.proc.pid);
      while (!this.stopping && Date.now() < deadline && !group.every(reported)) await Bun.sleep(50);
      if (this.stopping) return;
      const late = group.filter((m) => !reported(m)).map((m) => m.spec.name);
      if (late.length) this.event("supervisor", "warn", `not reporting in Health after ${timeout} ms: ${late.join(", ")} (starting the next stage anyway)`);
    }
  }

  private spawn(m: Managed): void {
    if (this.stopping) return;
    m.timer = null;
    m.state = "starting";
    m.startedAt = Date.now();
    const child = launch(m.spec.name, m.spec.argv, { env: this.opts.env, logFile: this.log(m.spec.name) });
    m.child = child;
    m.state = "running";
    this.event(m.spec.name, "info", `started (pid ${child.proc.pid})`);
    void child.proc.exited.then(() => this.onExit(m, child));
  }

  private onExit(m: Managed, child: Launched): void {
    if (m.child !== child) return;
    const p = child.proc;
    m.lastExit = p.signalCode ? `signal ${p.signalCode}` : `exit ${p.exitCode}`;
    if (this.stopping) {
      m.state = "stopped";
      return;
    }
    if (p.exitCode !== null && NO_RESTART_EXIT_CODES.includes(p.exitCode)) {
      m.state = "failed";
      this.event(m.spec.name, "error", `${m.lastExit}: not restarted (a config error or a refusal to start; see ${this.log(m.spec.name)})`);
      return;
    }
    const ranMs = Date.now() - m.startedAt;
    // A clean exit is a requested restart (spread-ctl reload / shutdown <name>), not a failure to back off from.
    if (ranMs >= this.backoff.resetAfterMs || p.exitCode === 0) m.quickFailures = 0;
    const delay = Math.min(this.backoff.maxMs, this.backoff.baseMs * 2 ** m.quickFailures);
    if (p.exitCode !== 0) m.quickFailures++;
    m.restarts++;
    m.state = "backoff";
    this.event(m.spec.name, p.exitCode === 0 ? "info" : "warn", `${m.lastExit} after ${(ranMs / 1000).toFixed(1)} s; restart #${m.restarts} in ${delay} ms`);
    m.timer = setTimeout(() => this.spawn(m), delay);
  }

  /** Stops everything in reverse order of start: tracker, engine, feeds, a running discovery, the simulator. */
  async stop(): Promise<void> {
    this.stopping = true;
    const grace = this.opts.stopGraceMs ?? 5000;
    for (const m of this.services) {
      if (m.timer) clearTimeout(m.timer);
      m.timer = null;
    }
    const stages = [...new Set(this.services.map((m) => m.spec.stage))].sort((a, b) => b - a);
    for (const stage of stages) {
      await Promise.all(
        this.services
          .filter((m) => m.spec.stage === stage && m.child)
          .map(async (m) => {
            const code = await m.child!.stop(grace);
            m.state = "stopped";
            this.event(m.spec.name, code === 0 ? "info" : "warn", code === null ? `killed after ${grace} ms` : `stopped (exit ${code})`);
          }),
      );
    }
    if (this.discoveryRun) {
      this.discoveryRun.kill("SIGTERM");
      await Promise.race([this.discoveryRun.exited, Bun.sleep(grace)]);
      this.discoveryRun?.kill("SIGKILL");
    }
    if (this.sim) await this.sim.stop(grace);
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  status(): ServiceStatus[] {
    return this.services.map((m) => ({
      name: m.spec.name,
      slot: m.spec.slot,
      slots: m.spec.slots ?? [m.spec.slot],
      state: m.state,
      pid: m.child && m.child.proc.exitCode === null && m.child.proc.signalCode === null ? m.child.proc.pid : 0,
      restarts: m.restarts,
      lastExit: m.lastExit,
    }));
  }
}

/** A start step failed; `code` is the step's exit code (2 = config error). */
export class StartError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

const rec = new HealthRecord();
/** The pid a Health slot reports (0 = none or busy). */
function slotPid(shm: Shm, slot: number): number {
  return shm.health.read(slot, rec) ? rec.pid : 0;
}
