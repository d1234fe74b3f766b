// The spread-tracker process: recovery from its files, Signal events woken through the tracker wake channel,
// one 200 ms wall-clock tick for every tracking, buffered asynchronous writes, Health slot 9, Control, hot
// reload (DELISTED), retention, and a clean exit on SIGTERM / shutdown (open trackings resume on restart).
import {
  ConfigError, createLogger, exitOnStopSignals, HealthSlot, loadAppConfig, type LoadedAppConfig, type Logger, monoMicros, ProcessKind, recalibrateWall, SOURCE_NAMES, wallMicros,
  watchSupervisor,
} from "@spread/common";
import {
  attachSlotOwner, EventRecord, EventType, heartbeatBoundMs, HealthError, HealthRecord, HealthState, pinProcess, SlotCommands,
  SourceLiveness, startWakeForwarder, WakeChannel, type Shm, type SlotClaim, type WakeForwarder,
} from "@spread/shm";
import { feeTable } from "@spread/engine";
import { DiskWriter, type WriteFault } from "./disk.ts";
import { loadTrackerGeneration, type TrackerGeneration } from "./generation.ts";
import { engineMath } from "./math.ts";
import { ShmPairState } from "./pair-state.ts";
import { STATUS_FILE } from "./paths.ts";
import { sweepRetention } from "./retention.ts";
import { scanTracks, type Threshold } from "./recover.ts";
import { resumeFromFiles } from "./resume.ts";
import { TickSchedule } from "./schedule.ts";
import { buildStatus } from "./status.ts";
import { Tracker, type FundingReader, type LegReader } from "./tracker.ts";

export interface TrackerOptions {
  readonly config: string;
  readonly generated?: string;
  readonly data?: string;
  /** Tests: injected write failures (ENOSPC). */
  readonly fault?: WriteFault;
}

const SLOT = HealthSlot.tracker;
const STATUS_MS = 1000;
const RETENTION_EVERY_MS = 3600_000;
/** Ticks kept for the jitter figures: one minute at 200 ms. */
const LATE_WINDOW = 300;

export class TrackerRuntime {
  readonly tracker: Tracker;
  readonly disk: DiskWriter;
  readonly schedule: TickSchedule;
  private readonly health = new HealthRecord();
  private readonly ev = new EventRecord();
  private readonly liveness: SourceLiveness;
  private readonly pairs: ShmPairState;
  private forwarder: WakeForwarder | null = null;
  private timers: ReturnType<typeof setInterval>[] = [];
  private flushing = false;
  private stopping = false;
  private readonly commands: SlotCommands;
  private readonly supervised: () => boolean;
  /** The Control config generation whose generated/ the tracker serves (Health cfg). */
  private configGen: number;
  /** The last Control generation acted on: a failed reload is retried on the next bump, not every second. */
  private seenGen: number;
  /** The last hot reload failed: the tracker keeps its symbols of configGen, reports degraded + config. */
  private reloadFailed = false;
  private lastRetentionMs = 0;
  private lastReconcileMs = Date.now();
  /** Schedule lateness (ms) of the last LATE_WINDOW ticks, for the status file's jitter figures. */
  private readonly late = new Float64Array(LATE_WINDOW);
  private lateCount = 0;
  /** Ticks between two feed-liveness refreshes (about one second). */
  private readonly livenessEvery: number;
  private get threshold(): Threshold {
    return { pct: this.app.engine.open_spread_pct, on: this.app.engine.open_on };
  }

  private constructor(
    readonly app: LoadedAppConfig,
    readonly root: string,
    private readonly generatedDir: string,
    private gen: TrackerGeneration,
    readonly shm: Shm,
    private readonly claim: SlotClaim,
    private readonly log: Logger,
    fault: WriteFault | undefined,
  ) {
    const c = app.tracker;
    this.configGen = shm.control.configGeneration();
    this.seenGen = this.configGen;
    this.supervised = watchSupervisor(log);
    this.commands = new SlotCommands(shm.control, SLOT, {
      log,
      killed: () => {
        this.health.state = HealthState.stopped;
        this.writeHealth();
      },
      shutdown: (reason) => this.shutdown(reason),
    });
    this.livenessEvery = Math.max(1, Math.round(1000 / c.interval_ms));
    this.liveness = new SourceLiveness(shm.health, heartbeatBoundMs(app.feed.health_interval_ms));
    this.pairs = new ShmPairState(shm.tracked, c.signalled_timeout_s);
    this.disk = new DiskWriter({
      root,
      fsyncIntervalMs: c.fsync_interval_s * 1000,
      maxBufferBytes: c.max_buffer_mb * 1024 * 1024,
      ...(fault ? { fault } : {}),
      onState: (failing, message) => {
        if (failing) log.error({ err: message }, "tracker files cannot be written; rows stay buffered, then ticks count as missed");
        else log.info({ bytes: this.disk.bytesWritten }, "tracker files are written again");
      },
    });
    const liveness = this.liveness;
    const prices: LegReader = {
      read: (src, sym, out) => {
        if (!shm.prices.read(src, sym, out)) return false;
        // A leg of a dead, hung or paused feed is as stale as a flagged one (reader-side rule).
        if (!liveness.sourceLive(src)) out.flags |= 2;
        return true;
      },
    };
    const funding: FundingReader = {
      read: (src, sym, out) => {
        if (!shm.funding.read(src, sym, out)) return false;
        if (!liveness.sourceLive(src)) out.flags |= 2; // FundingFlag.stale: same reader-side rule as prices
        return true;
      },
    };
    this.tracker = new Tracker(
      {
        intervalMs: c.interval_ms,
        maxDurationMs: c.max_duration_s * 1000,
        closeSpreadPct: c.close_spread_pct,
        threshold: this.threshold,
        staleAfterMs: SOURCE_NAMES.map((n) => app.engine.stale_after_ms_by_source[n] ?? c.stale_after_ms),
        feedLostAfterMs: c.feed_lost_after_s * 1000,
        recentClosed: c.recent_closed,
      },
      this.disk,
      prices,
      this.pairs,
      engineMath(feeTable(app.engine.taker_fee_pct)),
      gen.names,
      monoMicros,
      funding,
    );
    // Sub-millisecond wall clock (calibrated CLOCK_REALTIME) so the jitter figures are not rounded to 1 ms.
    this.schedule = new TickSchedule(c.interval_ms, { onTick: (k, _missed, lateMs) => this.onTick(k, lateMs) }, () => wallMicros() / 1000);
  }

  /** Validates config, generated/ and shared memory; throws ConfigError with one clear line. */
  static create(opts: TrackerOptions): TrackerRuntime {
    const app = loadAppConfig(opts.config);
    const log = createLogger("spread-tracker", app.log.level);
    const generatedDir = opts.generated ?? app.resolved.generated;
    let gen: TrackerGeneration;
    try {
      gen = loadTrackerGeneration(generatedDir);
    } catch (err) {
      throw new ConfigError(`generated/ is missing or unusable (run pair-discovery first): ${(err as Error).message}`);
    }
    // Refusals come before this process touches the bus, the tracked state or its files.
    const { shm, claim } = attachSlotOwner(app.shm.prefix, SLOT, "the tracker", { allowForeignOwner: app.shm.allow_foreign_owner });
    if (app.cpu.pin && app.cpu.tracker.length) pinProcess(app.cpu.tracker);
    return new TrackerRuntime(app, opts.data ?? app.resolved.data, generatedDir, gen, shm, claim, log, opts.fault);
  }

  /** Recovers from the files, drains the bus, reconciles the shared state, then runs. */
  async start(): Promise<void> {
    const h = this.health;
    h.kind = ProcessKind.tracker;
    h.pid = process.pid;
    h.startedAt = wallMicros();
    h.state = HealthState.starting;
    h.configGeneration = this.configGen;
    this.shm.health.write(SLOT, h);
    this.commands.discardStale();
    const c = this.app.tracker;
    const now = Date.now();
    const scan = await scanTracks(this.root, this.threshold, c.interval_ms, true);
    for (const s of scan.skipped) this.log.warn(s, "tracker file skipped during recovery");
    const r = resumeFromFiles(this.tracker, this.disk, scan, this.gen, now);
    this.log.info({ root: this.root, closedFiles: scan.closedFiles, ...r }, "recovered from files");
    this.shm.events.attachConsumer();
    this.liveness.refresh(wallMicros());
    const drained = this.drain();
    const rec = this.pairs.reconcile((d, s) => this.tracker.get(d, s) !== null);
    this.log.info({ drained, ...rec, open: this.tracker.active.length, prefix: this.shm.prefix }, "tracker running");
    // startSeq closes the window between this look at the bus and the worker's first read of the channel.
    const startSeq = this.shm.control.wakeChannelStats(WakeChannel.tracker).seq;
    this.forwarder = startWakeForwarder(this.shm.prefix, WakeChannel.tracker, () => this.drain(), {
      startSeq,
      onError: (err) => this.log.error({ err: err.message }, "wake-up worker failed"),
    });
    this.drain();
    this.schedule.start();
    this.timers.push(setInterval(() => void this.flush(), c.flush_interval_ms));
    this.timers.push(setInterval(() => this.onStatusTick(), STATUS_MS));
    this.onStatusTick();
  }

  /**
   * Re-reads generated/ once per config generation bump. Also called before every drain: an engine that reloaded
   * first signals under the new symbol ids, which must not be read with the old names.
   */
  private followGeneration(): void {
    const gen = this.shm.control.configGeneration();
    if (gen === this.seenGen) return;
    this.seenGen = gen;
    this.reloadFailed = !this.reload();
    if (!this.reloadFailed) this.configGen = gen;
  }

  /** Pops every pending event; each signal opens a tracking unless its pair is tracked. */
  drain(): number {
    this.followGeneration();
    const ev = this.ev;
    const bus = this.shm.events;
    const nowMs = Date.now();
    let n = 0;
    while (bus.pop(ev)) {
      n++;
      if (ev.type !== EventType.signal) {
        this.tracker.counters.eventsConsumed++;
        this.tracker.counters.eventsInvalid++;
        continue;
      }
      const at = ev.timestamp / 1000;
      // The signal's own time opens the tracking, unless it is implausible (clock trouble, garbage).
      const openedAt = Math.abs(at - nowMs) <= 10_000 ? Math.floor(at) : nowMs;
      this.tracker.onSignal(ev.directionId, ev.symbolId, ev.spotSource, ev.futuresSource, openedAt);
    }
    return n;
  }

  private onTick(k: number, lateMs: number): void {
    this.late[this.lateCount++ % LATE_WINDOW] = lateMs;
    this.pollControl();
    if (this.stopping) return;
    // Feed liveness (8 slot reads, 8 kill(pid, 0)) once a second: its own bound is 5 s of heartbeat.
    if (k % this.livenessEvery === 0) this.liveness.refresh(wallMicros());
    this.tracker.onTick(k);
  }

  private pollControl(): void {
    if (!this.commands.act()) return;
    this.tracker.paused = this.commands.paused();
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      await this.disk.flush();
    } catch (err) {
      this.log.error({ err: (err as Error).message }, "flush failed");
    } finally {
      this.flushing = false;
    }
  }

  private onStatusTick(): void {
    if (this.stopping || !this.supervised()) return;
    recalibrateWall();
    this.followGeneration();
    const now = Date.now();
    this.disk.replace(STATUS_FILE, JSON.stringify({ ...buildStatus(this.root, this.tracker, this.disk, now), schedule: this.jitter() }) + "\n");
    this.writeHealth();
    if (now - this.lastReconcileMs >= this.app.tracker.signalled_timeout_s * 1000) {
      // Frees a claim whose Event was lost (an engine killed between its claim and its push) without a restart.
      this.lastReconcileMs = now;
      this.drain();
      const r = this.pairs.reconcile((d, s) => this.tracker.get(d, s) !== null);
      if (r.freedSignalled || r.freedTracked) this.log.warn(r, "tracked state: freed pairs no tracking owns");
    }
    if (now - this.lastRetentionMs >= RETENTION_EVERY_MS) {
      this.lastRetentionMs = now;
      void this.retention(now);
    }
  }

  /** How late the ticks started over the last LATE_WINDOW ticks (ms after their due time). */
  jitter(): { ticks: number; late_p50_ms: number; late_p99_ms: number; late_max_ms: number } {
    const n = Math.min(this.lateCount, LATE_WINDOW);
    const v = this.late.slice(0, n).sort();
    const r = (x: number | undefined) => Math.round((x ?? 0) * 1000) / 1000;
    return { ticks: n, late_p50_ms: r(v[Math.floor(n * 0.5)]), late_p99_ms: r(v[Math.min(n - 1, Math.floor(n * 0.99))]), late_max_ms: r(v[n - 1]) };
  }

  /** Re-reads generated/; false when it cannot be loaded (the current symbols stay). */
  private reload(): boolean {
    try {
      const g = loadTrackerGeneration(this.generatedDir);
      if (g.generation === this.gen.generation) return true;
      const before = this.tracker.counters.closes.DELISTED;
      this.tracker.reload(g.names, g.listed, Date.now());
      this.gen = g;
      this.log.info({ generation: g.generation, delisted: this.tracker.counters.closes.DELISTED - before }, "hot reload: symbols re-read");
      return true;
    } catch (err) {
      this.log.error({ err: (err as Error).message, config_generation: this.seenGen, serving: this.configGen }, "hot reload failed; keeping the current symbols");
      return false;
    }
  }

  private async retention(nowMs: number): Promise<void> {
    const c = this.app.tracker;
    const r = await sweepRetention(this.root, nowMs, c.retention_days, c.summary_retention_days, (file, err) => this.log.warn({ err, file }, "retention: cannot delete"));
    if (r.length) this.log.info({ deleted: r }, "retention: old tracker files deleted");
  }

  private writeHealth(): void {
    const h = this.health;
    const t = this.tracker;
    const c = t.counters;
    h.heartbeatAt = wallMicros();
    h.messages = c.eventsConsumed;
    h.updates = c.rowsWritten;
    h.invalid = Math.min(0xffffffff, c.eventsInvalid);
    h.reconnects = Math.min(0xffffffff, this.disk.writeErrors);
    let live = 0;
    for (const tr of t.active) if (tr.lastState === "live") live++;
    h.connectionsUp = Math.min(0xffff, t.active.length);
    h.symbolsLive = Math.min(0xffff, live);
    h.symbolsStale = Math.min(0xffff, t.active.length - live);
    h.symbolsRejected = Math.min(0xffff, c.missedTicks);
    h.configGeneration = this.configGen;
    h.lastError = this.disk.failing ? HealthError.disk : this.reloadFailed ? HealthError.config : h.lastError === HealthError.config ? HealthError.none : h.lastError;
    if (!this.stopping) h.state = this.disk.failing || this.reloadFailed ? HealthState.degraded : t.paused ? HealthState.paused : HealthState.running;
    this.shm.health.write(SLOT, h);
  }

  /** Stops ticking, writes everything buffered, leaves open trackings to resume on the next start. */
  async shutdown(reason: string): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.log.info({ reason, open: this.tracker.active.length }, "tracker stopping");
    this.schedule.stop();
    for (const t of this.timers) clearInterval(t);
    this.health.state = HealthState.stopping;
    this.writeHealth();
    await this.forwarder?.stop();
    while (this.flushing) await Bun.sleep(5);
    await this.disk.closeAll().catch((err) => this.log.error({ err: (err as Error).message }, "final flush failed"));
    this.health.state = HealthState.stopped;
    this.writeHealth();
    this.claim.release();
  }
}

/** Process entry: create, start, wire signals. */
export async function runTracker(opts: TrackerOptions): Promise<TrackerRuntime> {
  const rt = TrackerRuntime.create(opts);
  exitOnStopSignals((sig) => rt.shutdown(sig), 5000);
  await rt.start();
  return rt;
}
