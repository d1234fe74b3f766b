// The feed process around one source (A.7's default) or a feed group (several sources in one process, opt-in):
// one shm mapping, one Health timer that ticks every source, CPU pinning, signals. Each source keeps its own
// connection pool, Health slot (pid = this process) and Control commands. In a group, a graceful `shutdown <source>`
// restarts that source inside the process (what a supervisor does for a process of its own); `kill <source>` ends
// the whole process (it is a process-level action: every source of the group goes stale, the supervisor restarts it).
import { createLogger, errorMessage, exitOnStopSignals, type Logger, RefusalExit, RefusedError, SOURCE_NAMES, watchSupervisor } from "@spread/common";
import { pinProcess } from "@spread/shm";
import { openFeedContext, type FeedContext, type FeedContextOptions } from "./context.ts";
import { FeedRuntime, type FeedHost } from "./runtime.ts";

export interface FeedProcessOptions extends FeedContextOptions {
  /** Source ids, each at most once. */
  readonly sources: readonly number[];
}

/** In-process restart of one source of a group: 0.5 s, doubled per failed start, at most 30 s (as spread-ctl up). */
const RESTART_BASE_MS = 500;
const RESTART_MAX_MS = 30_000;

export class FeedProcess {
  private readonly runtimes = new Map<number, FeedRuntime>();
  private readonly restarts = new Map<number, ReturnType<typeof setTimeout>>();
  private readonly failures = new Map<number, number>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private stopped: Promise<void> | null = null;
  private readonly supervised: () => boolean;

  private constructor(
    private readonly ctx: FeedContext,
    readonly sources: readonly number[],
    private readonly log: Logger,
  ) {
    this.supervised = watchSupervisor(log);
  }

  /** Creates every source (claims every slot) before any touches the network; all or none. Throws like FeedRuntime.createIn. */
  static create(opts: FeedProcessOptions): FeedProcess {
    if (opts.sources.length === 0 || new Set(opts.sources).size !== opts.sources.length) throw new RangeError(`FeedProcess: sources must be distinct and non-empty, got [${opts.sources.join(", ")}]`);
    const ctx = openFeedContext(opts);
    const log = createLogger("feed", ctx.app.log.level);
    const p = new FeedProcess(ctx, [...opts.sources], log);
    try {
      for (const s of p.sources) p.runtimes.set(s, FeedRuntime.createIn(ctx, s, p.hostFor(s)));
    } catch (err) {
      for (const rt of p.runtimes.values()) rt.abandon();
      throw err;
    }
    const cpus = ctx.app.cpu.feeds;
    if (ctx.app.cpu.pin && cpus.length) {
      const n = pinProcess(cpus);
      log.info({ cpus, threads: n }, "pinned every thread of the process");
      // Threads Bun starts later (JIT, GC helpers) inherit from their creator, not from us: pin once more.
      setTimeout(() => pinProcess(cpus), 2000).unref?.();
    }
    if (p.sources.length > 1) log.info({ sources: p.sources.map((s) => SOURCE_NAMES[s]) }, "feed group: one process for these sources");
    return p;
  }

  private hostFor(source: number): FeedHost {
    return this.sources.length === 1 ? {} : { exit: (code) => this.onSourceExit(source, code) };
  }

  start(): void {
    for (const rt of this.runtimes.values()) rt.start({ ownTimer: false });
    this.timer = setInterval(() => this.tick(), this.ctx.app.feed.health_interval_ms);
  }

  private tick(): void {
    if (!this.supervised()) return;
    for (const rt of [...this.runtimes.values()]) rt.tick();
  }

  /** The runtime serving `source` right now (undefined while a group restarts it). */
  runtime(source: number): FeedRuntime | undefined {
    return this.runtimes.get(source);
  }

  /** Stops every source (in parallel); the same promise for every caller. */
  shutdown(reason: string): Promise<void> {
    this.stopped ??= (async () => {
      if (this.timer) clearInterval(this.timer);
      for (const t of this.restarts.values()) clearTimeout(t);
      this.restarts.clear();
      await Promise.all([...this.runtimes.values()].map((rt) => rt.shutdown(reason)));
    })();
    return this.stopped;
  }

  markAllStale(): void {
    for (const rt of this.runtimes.values()) rt.markAllStale();
  }

  /** A source of a group stopped on a Control command (kill: code 1, shutdown: 0). */
  private onSourceExit(source: number, code: number): void {
    if (code !== 0) process.exit(code);
    if (this.stopped) return;
    this.runtimes.delete(source);
    if (this.ctx.shm.control.shutdownRequested()) {
      void this.shutdown("global shutdown flag").then(() => process.exit(0));
      return;
    }
    this.scheduleRestart(source);
  }

  private scheduleRestart(source: number): void {
    const n = this.failures.get(source) ?? 0;
    const delay = Math.min(RESTART_MAX_MS, RESTART_BASE_MS * 2 ** n);
    this.log.info({ source: SOURCE_NAMES[source], delay_ms: delay }, "feed group: restarting this source in the process");
    this.restarts.set(source, setTimeout(() => this.restart(source), delay));
  }

  private restart(source: number): void {
    this.restarts.delete(source);
    if (this.stopped) return;
    try {
      const rt = FeedRuntime.createIn(this.ctx, source, this.hostFor(source));
      this.runtimes.set(source, rt);
      rt.start({ ownTimer: false });
      this.failures.delete(source);
    } catch (err) {
      if (err instanceof RefusedError && err.exitCode === RefusalExit.shutdownFlag) {
        void this.shutdown("global shutdown flag").then(() => process.exit(0));
        return;
      }
      this.failures.set(source, (this.failures.get(source) ?? 0) + 1);
      this.log.error({ source: SOURCE_NAMES[source], err: errorMessage(err) }, "feed group: restarting this source failed; trying again");
      this.scheduleRestart(source);
    }
  }
}

/** Process entry: create, wire signals, start. Returns only on startup failure (thrown). */
export function runFeedProcess(opts: FeedProcessOptions): FeedProcess {
  const p = FeedProcess.create(opts);
  exitOnStopSignals((sig) => p.shutdown(sig), 1900);
  // Every exit this process gets to see (clean, kill command, hard timeout, uncaught error) leaves its prices
  // stale; kill -9 cannot be seen, so the next start and the readers' liveness rule (pid gone) cover it.
  process.on("exit", () => p.markAllStale());
  p.start();
  return p;
}
