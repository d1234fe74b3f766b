// A feed process: generated/ + shared memory + the connection engine, a Health slot refreshed every second,
// Control commands, hot reload on a config generation bump, CPU pinning, and a clean SIGTERM exit.
import {
  ConfigError, createLogger, loadAppConfig, loadExchangesConfig, MAX_SYMBOLS, ProcessKind, recalibrateWall, requireConfigFiles, SOURCE_NAMES,
  wallMicros, type Logger, type SourceEndpoint,
} from "@spread/common";
import { adapterFor, ConnectionPool, FeedError, FeedSymbols, type PriceSink, type SocketFactory } from "@spread/exchanges";
import { Command, HealthError, HealthRecord, HealthState, openAll, pinProcess, WakeChannel, type Shm } from "@spread/shm";
import { loadFeedSymbols } from "./load-symbols.ts";
import { seedFromRest } from "./rest-seed.ts";
import { ShmPriceSink } from "./shm-sink.ts";

export interface FeedOptions {
  readonly source: number;
  readonly config: string;
  readonly exchanges?: string;
  readonly generated?: string;
  readonly socketFactory?: SocketFactory;
}

/** FeedError → the Health region's HealthError codes, so spread-ctl can name the last error. */
const HEALTH_ERROR: Record<number, number> = {
  [FeedError.None]: HealthError.none,
  [FeedError.ConnectFailed]: HealthError.connect,
  [FeedError.SubscriptionRejected]: HealthError.subscribe,
  [FeedError.ClosedByServer]: HealthError.venue,
  [FeedError.PongTimeout]: HealthError.timeout,
  [FeedError.DataTimeout]: HealthError.timeout,
  [FeedError.MalformedFrame]: HealthError.parse,
  [FeedError.ServerNotice]: HealthError.venue,
  [FeedError.StoreWrite]: HealthError.shm,
};

interface RuntimeDeps {
  readonly source: number;
  readonly shm: Shm;
  readonly pool: ConnectionPool;
  readonly sink: PriceSink;
  readonly endpoint: SourceEndpoint;
  readonly generatedDir: string;
  readonly log: Logger;
  readonly healthIntervalMs: number;
  readonly graceMs: number;
  readonly restSeed: boolean;
  readonly generation: string;
}

export class FeedRuntime {
  private readonly health = new HealthRecord();
  private healthTimer: ReturnType<typeof setInterval> | null = null;
  private generation: string;
  private configGen: number;
  private stopping = false;
  private pausedByCommand = false;

  private readonly source: number;
  private readonly shm: Shm;
  private readonly pool: ConnectionPool;
  private readonly sink: PriceSink;
  private readonly endpoint: SourceEndpoint;
  private readonly generatedDir: string;
  private readonly log: Logger;
  private readonly healthIntervalMs: number;
  private readonly graceMs: number;
  private readonly restSeed: boolean;

  private constructor(d: RuntimeDeps) {
    this.source = d.source;
    this.shm = d.shm;
    this.pool = d.pool;
    this.sink = d.sink;
    this.endpoint = d.endpoint;
    this.generatedDir = d.generatedDir;
    this.log = d.log;
    this.healthIntervalMs = d.healthIntervalMs;
    this.graceMs = d.graceMs;
    this.restSeed = d.restSeed;
    this.generation = d.generation;
    this.configGen = d.shm.control.configGeneration();
  }

  /** Validates everything before touching the network; throws ConfigError with one clear line. */
  static create(opts: FeedOptions): FeedRuntime {
    const app = loadAppConfig(opts.config);
    const name = SOURCE_NAMES[opts.source]!;
    const log = createLogger(`feed-${name.replace("_", "-")}`, app.log.level);
    if (opts.exchanges === undefined) requireConfigFiles(app, ["exchanges"]);
    const exchanges = loadExchangesConfig(opts.exchanges ?? app.resolved.exchanges);
    const generatedDir = opts.generated ?? app.resolved.generated;
    let loaded;
    try {
      loaded = loadFeedSymbols(generatedDir, opts.source);
    } catch (err) {
      throw new ConfigError(`generated/ is missing or unusable (run pair-discovery first): ${(err as Error).message}`);
    }
    let shm: Shm;
    try {
      shm = openAll(app.shm.prefix);
    } catch (err) {
      throw new ConfigError(`shared memory "${app.shm.prefix}" is missing or incompatible (run shm-init): ${(err as Error).message}`);
    }
    if (loaded.numSymbols > shm.prices.numSymbols) shm.prices.setNumSymbols(loaded.numSymbols);
    if (app.cpu.pin && app.cpu.feeds.length) {
      const n = pinProcess(app.cpu.feeds);
      log.info({ cpus: app.cpu.feeds, threads: n }, "pinned every thread of the process");
    }
    const sink = new ShmPriceSink(shm, opts.source, shm.waker(WakeChannel.engine));
    const pool = new ConnectionPool({
      adapter: adapterFor(opts.source),
      endpoint: exchanges[name],
      timings: app.feed,
      symbols: new FeedSymbols(loaded.defs),
      sink,
      log,
      connectIntervalMs: exchanges[name].connect_interval_ms ?? app.feed.connect_interval_ms,
      ...(opts.socketFactory ? { socketFactory: opts.socketFactory } : {}),
    });
    log.info({ symbols: loaded.defs.length, generation: loaded.generation, prefix: app.shm.prefix, url: adapterFor(opts.source).wsUrl(exchanges[name].ws_url) }, "feed starting");
    const rt = new FeedRuntime({
      source: opts.source,
      shm,
      pool,
      sink,
      endpoint: exchanges[name],
      generatedDir,
      log,
      healthIntervalMs: app.feed.health_interval_ms,
      graceMs: app.feed.shutdown_grace_ms,
      restSeed: app.feed.rest_seed,
      generation: loaded.generation,
    });
    if (app.cpu.pin && app.cpu.feeds.length) setTimeout(() => pinProcess(app.cpu.feeds), 2000).unref?.();
    return rt;
  }

  start(): void {
    const h = this.health;
    h.kind = ProcessKind.feed;
    h.pid = process.pid;
    h.startedAt = wallMicros();
    h.state = HealthState.starting;
    h.configGeneration = this.configGen;
    this.shm.health.write(this.source, h);
    this.shm.control.takeCommands(this.source); // commands addressed to a previous instance are void
    // Whatever this column holds was written by an earlier run, possibly under another generation's ids.
    this.sink.markStale(Uint16Array.from({ length: MAX_SYMBOLS }, (_, i) => i));
    this.pool.start();
    if (this.restSeed) void seedFromRest(this.pool.adapter, this.endpoint, this.pool, this.log);
    this.healthTimer = setInterval(() => this.onHealthTick(), this.healthIntervalMs);
  }

  /** Closes sockets, marks the slot stopped and resolves once done or after the grace period. */
  async shutdown(reason: string): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.log.info({ reason }, "feed stopping");
    if (this.healthTimer) clearInterval(this.healthTimer);
    this.health.state = HealthState.stopping;
    this.writeHealth();
    this.pool.stop();
    await new Promise((r) => setTimeout(r, Math.min(200, this.graceMs)));
    this.health.state = HealthState.stopped;
    this.health.connectionsUp = 0;
    this.writeHealth();
  }

  get connectionPool(): ConnectionPool {
    return this.pool;
  }

  private onHealthTick(): void {
    recalibrateWall();
    const ctl = this.shm.control;
    const cmds = ctl.takeCommands(this.source);
    if (cmds & Command.kill) {
      this.log.warn("kill command received");
      this.health.state = HealthState.stopped;
      this.writeHealth();
      process.exit(1);
    }
    if (cmds & Command.shutdown || ctl.shutdownRequested()) {
      void this.shutdown("shutdown command").then(() => process.exit(0));
      return;
    }
    if (cmds & Command.pause) this.pausedByCommand = true;
    if (cmds & Command.resume) this.pausedByCommand = false;
    const paused = this.pausedByCommand || ctl.pausedGlobally();
    this.pool.setPaused(paused);
    const gen = ctl.configGeneration();
    if (gen !== this.configGen) {
      this.configGen = gen;
      this.reload();
    }
    this.health.state = paused ? HealthState.paused : HealthState.running;
    this.writeHealth();
  }

  private reload(): void {
    try {
      const loaded = loadFeedSymbols(this.generatedDir, this.source);
      if (loaded.generation === this.generation) return;
      if (loaded.numSymbols > this.shm.prices.numSymbols) this.shm.prices.setNumSymbols(loaded.numSymbols);
      const next = new FeedSymbols(loaded.defs);
      const remapped = remappedIds(this.pool.symbols, next);
      const r = this.pool.reload(next);
      if (this.restSeed && r.added > 0) void seedFromRest(this.pool.adapter, this.endpoint, this.pool, this.log);
      // symbol_ids are assigned in sorted order, so one listing more or less shifts the ids after it: an entry
      // whose id now means another symbol must not be read as that symbol until this feed writes it again.
      this.sink.markStale(remapped);
      this.log.info({ generation: loaded.generation, ...r, remapped: remapped.length }, "hot reload: subscriptions updated");
      this.generation = loaded.generation;
    } catch (err) {
      this.log.error({ err: (err as Error).message }, "hot reload failed; keeping the current symbols");
    }
  }

  private writeHealth(): void {
    const h = this.health;
    const c = this.pool.counters;
    const s = this.pool.symbolHealth();
    h.heartbeatAt = wallMicros();
    h.messages = c.messages;
    h.updates = c.updates;
    h.invalid = Math.min(0xffffffff, c.invalid + c.malformed);
    h.reconnects = c.reconnects;
    h.connectionsUp = s.connectionsUp;
    h.symbolsLive = s.live;
    h.symbolsStale = s.stale;
    h.symbolsRejected = s.rejected;
    h.lastError = HEALTH_ERROR[c.lastError] ?? 0;
    h.configGeneration = this.configGen;
    const idle = this.pool.symbols.size === 0; // nothing to serve (the source failed in discovery)
    if (h.state === HealthState.running && (idle || s.connectionsUp < this.pool.connections().length || s.stale > 0)) h.state = HealthState.degraded;
    this.shm.health.write(this.source, h);
  }
}

/** symbol_ids whose exchange symbol differs between two generations of one source (either side). */
export function remappedIds(old: FeedSymbols, next: FeedSymbols): number[] {
  const before = new Map<number, string>();
  const after = new Map<number, string>();
  for (let i = 0; i < old.size; i++) before.set(old.symbolIds[i]!, old.exchangeSymbols[i]!);
  for (let i = 0; i < next.size; i++) after.set(next.symbolIds[i]!, next.exchangeSymbols[i]!);
  const out: number[] = [];
  for (const id of new Set([...before.keys(), ...after.keys()])) if (before.get(id) !== after.get(id)) out.push(id);
  return out.sort((a, b) => a - b);
}

/** Process entry: create, start, wire signals. Returns only on startup failure (thrown). */
export function runFeed(opts: FeedOptions): FeedRuntime {
  const rt = FeedRuntime.create(opts);
  const stop = (sig: string) => {
    const hard = setTimeout(() => process.exit(0), 1900);
    void rt.shutdown(sig).then(() => {
      clearTimeout(hard);
      process.exit(0);
    });
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  rt.start();
  return rt;
}
