// The spread-alerts process: every poll_ms it reads the tracker's status file (opened / closed trackings) and
// Health (system events), and hands what it finds to the Dispatcher, which delivers on its own timers. It owns
// Health slot 14 (HealthSlot.alerts) and touches no hot path: no Event Bus, no Price Store, no tracker state.
import {
  ConfigError, createLogger, exitOnStopSignals, HealthSlot, loadAppConfig, type LoadedAppConfig, type Logger, ProcessKind, recalibrateWall, RefusalExit, RefusedError, wallMicros,
  watchSupervisor,
} from "@spread/common";
import {
  Control, FundingStore, Health, HealthError, HealthState, ShmError, SlotBusyError, SlotCommands, SourceLiveness, beaconSlot, heartbeatBoundMs, openRegion, regionSpec,
  type SlotBeacon,
} from "@spread/shm";
import { FundingLookup } from "./funding.ts";
import { buildTargets, hasChannels, type Target } from "./channels.ts";
import { Dispatcher, type DeliveryOptions, type DeliveryReport } from "./dispatcher.ts";
import { SystemWatch } from "./system-watch.ts";
import { TrackerWatch } from "./tracker-watch.ts";

export interface AlertsOptions {
  readonly config: string;
  readonly data?: string;
  readonly generated?: string;
  /** Tests: the environment secrets are read from. */
  readonly env?: Record<string, string | undefined>;
}

const SLOT = HealthSlot.alerts;

export function deliveryOptions(app: LoadedAppConfig): DeliveryOptions {
  const a = app.alerts;
  return { queueMax: a.queue_max, burstMax: a.burst_max, digestWindowS: a.digest_window_s, timeoutMs: a.timeout_ms, retries: a.retries, backoffMs: a.backoff_ms };
}

/** One log line per delivery outcome; the target label never holds a secret and errors are redacted. */
export function reportLogger(log: Logger): (r: DeliveryReport) => void {
  return (r) => {
    if (r.outcome === "sent") log.debug({ target: r.target, kind: r.kind, attempt: r.attempt }, "alert delivered");
    else if (r.outcome === "retry") log.warn({ target: r.target, kind: r.kind, attempt: r.attempt, status: r.result.status, err: r.result.ok ? undefined : r.result.error }, "alert delivery will be retried");
    else log.error({ target: r.target, kind: r.kind, attempt: r.attempt, status: r.result.status, err: r.result.ok ? undefined : r.result.error }, "alert delivery failed; message dropped");
  };
}

export class AlertsRuntime {
  readonly dispatcher: Dispatcher;
  readonly trackerWatch: TrackerWatch;
  readonly systemWatch: SystemWatch;
  private timers: ReturnType<typeof setInterval>[] = [];
  /** Feed liveness for the funding check (null without a Funding region). */
  private liveness: SourceLiveness | null = null;
  private stopping = false;
  private troubleSeen = 0;
  private readonly commands: SlotCommands;
  private readonly supervised: () => boolean;

  private constructor(
    readonly app: LoadedAppConfig,
    private readonly targets: readonly Target[],
    private readonly health: Health,
    control: Control,
    private readonly beacon: SlotBeacon,
    private readonly log: Logger,
    root: string,
    generated: string,
    fundingStore: FundingStore | null,
  ) {
    const a = app.alerts;
    this.supervised = watchSupervisor(log);
    this.commands = new SlotCommands(control, SLOT, { log, killed: () => beacon.finish(), shutdown: (reason) => this.shutdown(reason) });
    this.commands.discardStale();
    this.dispatcher = new Dispatcher(targets, deliveryOptions(app), reportLogger(log));
    if (fundingStore) {
      const live = (this.liveness = new SourceLiveness(health, heartbeatBoundMs(app.feed.health_interval_ms)));
      const funding = new FundingLookup(fundingStore, live, generated);
      this.trackerWatch = new TrackerWatch(root, a, (src, sym) => funding.pct(src, sym));
    } else {
      this.trackerWatch = new TrackerWatch(root, a);
    }
    this.systemWatch = new SystemWatch(health, {
      afterMs: a.system_after_s * 1000,
      heartbeatMaxAgeMs: heartbeatBoundMs(app.feed.health_interval_ms),
      minSources: app.discovery.min_sources,
      generatedDir: generated,
    });
  }

  static create(opts: AlertsOptions): AlertsRuntime {
    const app = loadAppConfig(opts.config);
    const log = createLogger("spread-alerts", app.log.level);
    if (!hasChannels(app.alerts)) throw new ConfigError(`${app.file}: [alerts] has no channel ([[alerts.telegram]] or [[alerts.webhook]]); nothing to send to`);
    const targets = buildTargets(app.alerts, opts.env);
    let health: Health;
    let control: Control;
    try {
      health = new Health(openRegion(app.shm.prefix, regionSpec("health"), { allowForeignOwner: app.shm.allow_foreign_owner }));
      control = new Control(openRegion(app.shm.prefix, regionSpec("control"), { allowForeignOwner: app.shm.allow_foreign_owner }));
    } catch (err) {
      if (err instanceof ShmError) throw new ConfigError(`shared memory "${app.shm.prefix}" is missing or incompatible (run shm-init): ${err.message}`);
      throw err;
    }
    if (control.shutdownRequested()) {
      throw new RefusedError(`the global shutdown flag is set on shm prefix "${app.shm.prefix}" (spread-ctl shutdown); not starting`, RefusalExit.shutdownFlag);
    }
    let beacon: SlotBeacon;
    try {
      beacon = beaconSlot(app.shm.prefix, SLOT, ProcessKind.alerts, health, app.alerts.health_interval_ms);
    } catch (err) {
      if (err instanceof SlotBusyError) throw new RefusedError(err.message, RefusalExit.slotBusy);
      throw err;
    }
    // Funding arrived with shm layout 3; on a system without it funding reads "n/a".
    let funding: FundingStore | null = null;
    try {
      funding = new FundingStore(openRegion(app.shm.prefix, regionSpec("funding"), { allowForeignOwner: app.shm.allow_foreign_owner }));
    } catch (err) {
      if (!(err instanceof ShmError)) throw err;
      log.warn({ err: err.message }, "no Funding region: opened alerts say funding n/a");
    }
    return new AlertsRuntime(app, targets, health, control, beacon, log, opts.data ?? app.resolved.data, opts.generated ?? app.resolved.generated, funding);
  }

  /** The first poll only notes what is already open or closed; "running" is logged after it. */
  start(): void {
    this.poll();
    this.timers.push(setInterval(() => this.poll(), this.app.alerts.poll_ms));
    this.log.info({ targets: this.targets.map((t) => t.label), prefix: this.app.shm.prefix, open: this.trackerWatch.open }, "spread-alerts running");
  }

  /** One round: read the sources, queue what they produced, publish Health. Never waits on a delivery. */
  poll(): void {
    if (this.stopping || !this.supervised()) return;
    if (!this.commands.act()) return;
    // Heartbeats are wall µs of the writers' calibrated clock: compare with the same clock, following NTP steps.
    recalibrateWall();
    const nowUs = wallMicros();
    const now = Math.floor(nowUs / 1000);
    const d = this.dispatcher;
    try {
      this.liveness?.refresh(nowUs);
      for (const e of this.trackerWatch.poll(now)) d.publish(e, now);
      for (const e of this.systemWatch.poll(now)) {
        this.log.info({ key: e.key, problem: e.problem, text: e.text }, "system event");
        d.publish(e, now);
      }
    } catch (err) {
      this.log.error({ err: (err as Error).message }, "reading the tracker files or Health failed; trying again next poll");
      this.beacon.record.lastError = HealthError.internal;
    }
    d.tick(now);
    this.writeHealth();
  }

  private writeHealth(): void {
    const h = this.beacon.record;
    const c = this.dispatcher.counters;
    h.messages = c.published;
    h.updates = c.sent;
    h.invalid = Math.min(0xffffffff, c.dropped);
    h.reconnects = Math.min(0xffffffff, c.failed);
    h.connectionsUp = Math.min(0xffff, this.trackerWatch.open);
    h.symbolsLive = Math.min(0xffff, this.dispatcher.pending());
    h.symbolsStale = Math.min(0xffff, this.systemWatch.problems());
    h.symbolsRejected = Math.min(0xffff, c.digested);
    // Degraded while deliveries fail or the queues overflow; running again after a clean round.
    const trouble = c.failed + c.dropped;
    if (trouble > this.troubleSeen) h.lastError = HealthError.venue;
    h.state = trouble > this.troubleSeen ? HealthState.degraded : HealthState.running;
    this.troubleSeen = trouble;
  }

  /** Stops polling and delivering; queued messages are not kept (alerts are about now). */
  shutdown(reason: string): void {
    if (this.stopping) return;
    this.stopping = true;
    for (const t of this.timers) clearInterval(t);
    this.dispatcher.stop();
    this.log.info({ reason, pending: this.dispatcher.pending(), ...this.dispatcher.counters }, "spread-alerts stopping");
    this.beacon.finish();
  }
}

export function runAlerts(opts: AlertsOptions): AlertsRuntime {
  const rt = AlertsRuntime.create(opts);
  exitOnStopSignals((sig) => rt.shutdown(sig), 1000);
  rt.start();
  return rt;
}
