// The spread-engine process: validates config, generated/ and shared memory, starts the loop in a Worker
// (futex_wait blocks its thread), and keeps on the main thread what must stay responsive: SIGTERM/SIGINT,
// the Health slot (every [engine] health_interval_ms), Control commands and optional CPU pinning.
import { Worker } from "node:worker_threads";
import { ConfigError, createLogger, errorMessage, exitOnStopSignals, isCompiled, loadAppConfig, type Logger, ProcessKind, wallMicros, watchSupervisor } from "@spread/common";
import { attachSlotOwner, HealthError, SlotCommands, HealthRecord, HealthState, pinProcess, WakeChannel, type Shm, type SlotClaim } from "@spread/shm";
import { Ctl, CtlF, ENGINE_SLOT, LoopControl, loadIndex, type LoopMessage } from "./loop.ts";
import type { EngineWorkerData } from "./worker.ts";

export interface EngineOptions {
  readonly config: string;
  readonly generated?: string;
  /** Overrides [shm].prefix (tests, demo). */
  readonly prefix?: string;
}

export class EngineRuntime {
  private readonly health = new HealthRecord();
  private readonly ctl = new LoopControl();
  private worker: Worker | null = null;
  private healthTimer: ReturnType<typeof setInterval> | null = null;
  private stopping = false;
  private readonly commands: SlotCommands;
  private stopped!: Promise<void>;
  private workerFailed = false;
  private readonly supervised: () => boolean;

  private constructor(
    private readonly shm: Shm,
    private readonly claim: SlotClaim,
    private readonly log: Logger,
    private readonly configFile: string,
    private readonly generatedDir: string,
    private readonly healthIntervalMs: number,
    private readonly pinCpus: readonly number[],
  ) {
    this.supervised = watchSupervisor(log);
    this.commands = new SlotCommands(shm.control, ENGINE_SLOT, {
      log,
      killed: () => {
        this.health.state = HealthState.stopped;
        this.writeHealth();
      },
      shutdown: (reason) => this.shutdown(reason),
    });
  }

  /** Validates everything first; throws ConfigError with one clear line. */
  static create(opts: EngineOptions): EngineRuntime {
    const app = loadAppConfig(opts.config);
    const log = createLogger("spread-engine", app.log.level);
    const generatedDir = opts.generated ?? app.resolved.generated;
    let pairs: number;
    try {
      pairs = loadIndex(generatedDir).pairs;
    } catch (err) {
      throw new ConfigError(`generated/ is missing or unusable (run pair-discovery first): ${errorMessage(err)}`);
    }
    const prefix = opts.prefix ?? app.shm.prefix;
    // Refusals come before this process writes anything (the Event Bus producer side, claims in the tracked state).
    const { shm, claim } = attachSlotOwner(prefix, ENGINE_SLOT, "the engine", { allowForeignOwner: app.shm.allow_foreign_owner });
    log.info({ prefix, generated: generatedDir, pairs, open_on: app.engine.open_on, open_spread_pct: app.engine.open_spread_pct }, "spread-engine starting");
    return new EngineRuntime(shm, claim, log, opts.config, generatedDir, app.engine.health_interval_ms, app.cpu.pin ? app.cpu.engine : []);
  }

  start(): void {
    const h = this.health;
    h.kind = ProcessKind.engine;
    h.pid = process.pid;
    h.startedAt = wallMicros();
    h.state = HealthState.starting;
    h.configGeneration = this.shm.control.configGeneration();
    this.shm.health.write(ENGINE_SLOT, h);
    this.commands.discardStale();
    if (this.pinCpus.length) {
      // Before the Worker exists: threads inherit their creator's mask. Again later for JIT/GC threads.
      this.log.info({ cpus: this.pinCpus, threads: pinProcess(this.pinCpus) }, "pinned every thread of the process");
      setTimeout(() => pinProcess(this.pinCpus), 2000).unref?.();
    }
    Atomics.store(this.ctl.i32, Ctl.paused, this.shm.control.pausedGlobally() ? 1 : 0);
    const data: EngineWorkerData = { prefix: this.shm.prefix, config: this.configFile, generatedDir: this.generatedDir, control: this.ctl.buffer };
    const worker = new Worker(workerEntry(), { workerData: data });
    this.worker = worker;
    this.stopped = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
    worker.once("exit", (code) => {
      if (this.stopping || this.workerFailed) return;
      // The loop never ends on its own: without it nothing is signalled, so exit and let systemd restart us.
      this.log.error({ code }, "engine loop exited unexpectedly");
      this.health.lastError = HealthError.internal;
      void this.shutdown("engine loop exited").then(() => process.exit(1));
    });
    worker.on("message", (m: LoopMessage) => this.onLoopMessage(m));
    worker.on("error", (err: Error) => {
      this.workerFailed = true;
      this.log.error({ err: err.message }, "engine loop crashed");
      this.health.lastError = HealthError.internal;
      void this.shutdown("engine loop crashed").then(() => process.exit(1));
    });
    this.healthTimer = setInterval(() => this.onHealthTick(), this.healthIntervalMs);
  }

  /** Stops the loop (flag + wake), marks the slot stopped; resolves when the worker has exited (≤ 1.5 s). */
  async shutdown(reason: string): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.log.info({ reason }, "spread-engine stopping");
    if (this.healthTimer) clearInterval(this.healthTimer);
    this.health.state = HealthState.stopping;
    this.writeHealth();
    Atomics.store(this.ctl.i32, Ctl.stop, 1);
    this.shm.waker(WakeChannel.engine).wake();
    if (this.worker) await Promise.race([this.stopped, new Promise((r) => setTimeout(r, 1500))]);
    this.health.state = HealthState.stopped;
    this.writeHealth();
    this.claim.release();
  }

  private onLoopMessage(m: LoopMessage): void {
    if (m.type === "log") this.log[m.level](m.data ?? {}, m.msg);
    else if (m.type === "ready") {
      this.log.info({ generation: m.generation, pairs: m.pairs, num_symbols: m.numSymbols }, "engine running: full scan done");
      this.onHealthTick();
    }
  }

  private onHealthTick(): void {
    if (this.stopping || !this.supervised()) return;
    if (!this.commands.act()) return;
    const paused = this.commands.paused();
    const i32 = this.ctl.i32;
    if ((Atomics.load(i32, Ctl.paused) === 1) !== paused) {
      Atomics.store(i32, Ctl.paused, paused ? 1 : 0);
      this.shm.waker(WakeChannel.engine).wake(); // apply now, not at the loop's next timeout
      this.log.info({ paused }, paused ? "paused: evaluating, not signalling" : "resumed: full scan");
    }
    const ready = Atomics.load(i32, Ctl.state) === 1;
    const degraded = Atomics.load(i32, Ctl.reloadFailed) === 1 || Atomics.load(i32, Ctl.liveSources) < 2;
    this.health.state = !ready ? HealthState.starting : paused ? HealthState.paused : degraded ? HealthState.degraded : HealthState.running;
    this.health.lastError = Atomics.load(i32, Ctl.reloadFailed) === 1 ? HealthError.config : this.workerFailed ? HealthError.internal : HealthError.none;
    this.writeHealth();
  }

  private writeHealth(): void {
    const h = this.health;
    const i32 = this.ctl.i32;
    const f = this.ctl.f64;
    h.heartbeatAt = wallMicros();
    h.messages = f[CtlF.updates]!;
    h.updates = f[CtlF.signals]!;
    h.invalid = Math.min(0xffffffff, f[CtlF.invalidQuotes]!);
    h.reconnects = Math.min(0xffffffff, f[CtlF.busDrops]!);
    h.connectionsUp = Atomics.load(i32, Ctl.liveSources);
    h.symbolsLive = Math.min(0xffff, Atomics.load(i32, Ctl.pairsAbove));
    h.symbolsStale = Math.min(0xffff, f[CtlF.fundingWithheld]!);
    h.symbolsRejected = Math.min(0xffff, Atomics.load(i32, Ctl.pairsSuspect));
    h.configGeneration = Atomics.load(i32, Ctl.state) === 0 ? this.shm.control.configGeneration() : Atomics.load(i32, Ctl.generation);
    this.shm.health.write(ENGINE_SLOT, h);
  }
}

/**
 * The loop's entry point. A compiled binary (scripts/build.sh lists WORKER_ENTRY as an extra entrypoint) holds it
 * under its bundle root, where a path relative to the repository root finds it; from source it sits next to this file.
 */
export const WORKER_ENTRY = "packages/engine/src/worker.ts";
function workerEntry(): string | URL {
  return isCompiled() ? `./${WORKER_ENTRY}` : new URL("./worker.ts", import.meta.url);
}

/** Process entry: create, start, wire signals (SIGTERM/SIGINT → clean stop, exit 0). */
export function runEngine(opts: EngineOptions): EngineRuntime {
  const rt = EngineRuntime.create(opts);
  exitOnStopSignals((sig) => rt.shutdown(sig), 1900);
  rt.start();
  return rt;
}
