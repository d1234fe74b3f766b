// One source of a feed process: generated/ + its Price Store column + its own connection pool, its Health slot
// refreshed every tick, its Control commands, hot reload on a config generation bump. The process around it (one
// source, or a feed group of several) is FeedProcess (process.ts): signals, CPU pinning, the Health timer.
import {
  ConfigError, createLogger, MAX_SYMBOLS, monoMicros, ProcessKind, recalibrateWall, SOURCE_NAMES, wallMicros, type Logger, type SourceEndpoint,
} from "@spread/common";
import { adapterFor, ConnectionPool, FeedError, FeedSymbols, fundingFor, type PriceSink } from "@spread/exchanges";
import {
  claimSlotOwner, HealthError, SlotCommands, HealthRecord, HealthState, PriceFlag, type Shm, type SlotClaim,
} from "@spread/shm";
import { openFeedContext, type FeedContext, type FeedContextOptions } from "./context.ts";
import { loadFeedSymbols } from "./load-symbols.ts";
import { seedFromRest } from "./rest-seed.ts";
import { FundingPoller } from "./funding-poller.ts";
import { ShmPriceSink } from "./shm-sink.ts";

export interface FeedOptions extends FeedContextOptions {
  readonly source: number;
}

/** What the process around a FeedRuntime decides. */
export interface FeedHost {
  /**
   * Called once this source has stopped on a Control command: 1 after kill (nothing cleaned up but its prices
   * flagged stale), 0 after a graceful shutdown. Default: process.exit (a process of one source).
   */
  readonly exit?: (code: number) => void;
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

/** Every symbol_id of the feed's Price Store column: what a stopping feed marks stale. */
const ALL_SYMBOL_IDS = Uint16Array.from({ length: MAX_SYMBOLS }, (_, i) => i);

interface RuntimeDeps {
  readonly source: number;
  readonly shm: Shm;
  readonly claim: SlotClaim;
  readonly pool: ConnectionPool;
  readonly sink: PriceSink;
  readonly endpoint: SourceEndpoint;
  readonly generatedDir: string;
  readonly log: Logger;
  readonly healthIntervalMs: number;
  readonly graceMs: number;
  readonly restSeed: boolean;
  readonly generation: string;
  /** Futures feeds with [feed] funding_poll_ms > 0: the funding collector; null otherwise. */
  readonly funding: FundingPoller | null;
  readonly exit: (code: number) => void;
}

export class FeedRuntime {
  private readonly health = new HealthRecord();
  private healthTimer: ReturnType<typeof setInterval> | null = null;
  private generation: string;
  /** The Control config generation whose generated/ this feed serves (reported in Health). */
  private configGen: number;
  /** The last Control generation acted on: a failed reload is not retried every tick, only on the next bump. */
  private seenGen: number;
  /** The last hot reload failed: the feed keeps serving configGen's symbols and reports degraded + config error. */
  private reloadFailed = false;
  private stopped: Promise<void> | null = null;
  private readonly commands: SlotCommands;
  private paused = false;

  private readonly source: number;
  private readonly shm: Shm;
  private readonly claim: SlotClaim;
  private readonly pool: ConnectionPool;
  private readonly sink: PriceSink;
  private readonly endpoint: SourceEndpoint;
  private readonly generatedDir: string;
  private readonly log: Logger;
  private readonly healthIntervalMs: number;
  private readonly graceMs: number;
  private readonly restSeed: boolean;
  private readonly funding: FundingPoller | null;

  private constructor(d: RuntimeDeps) {
    this.source = d.source;
    this.shm = d.shm;
    this.claim = d.claim;
    this.pool = d.pool;
    this.sink = d.sink;
    this.endpoint = d.endpoint;
    this.generatedDir = d.generatedDir;
    this.log = d.log;
    this.healthIntervalMs = d.healthIntervalMs;
    this.graceMs = d.graceMs;
    this.restSeed = d.restSeed;
    this.funding = d.funding;
    this.generation = d.generation;
    this.configGen = d.shm.control.configGeneration();
    this.seenGen = this.configGen;
    this.commands = new SlotCommands(d.shm.control, d.source, {
      log: this.log,
      killed: () => {
        this.stopped = Promise.resolve();
        this.markAllStale();
        this.health.state = HealthState.stopped;
        this.writeHealth();
      },
      shutdown: (reason) => this.shutdown(reason),
    }, d.exit);
  }

  /** A process of one source (tests, tools): maps the regions itself. Throws like createIn. */
  static create(opts: FeedOptions, host: FeedHost = {}): FeedRuntime {
    return FeedRuntime.createIn(openFeedContext(opts), opts.source, host);
  }

  /**
   * Validates this source's generated/ and claims its Health slot before touching the network; throws ConfigError
   * with one clear line, RefusedError when the shutdown flag is set or another process serves the source.
   */
  static createIn(ctx: FeedContext, source: number, host: FeedHost = {}): FeedRuntime {
    const { app, exchanges, shm } = ctx;
    const name = SOURCE_NAMES[source]!;
    const log = createLogger(`feed-${name.replace("_", "-")}`, app.log.level);
    let loaded;
    try {
      loaded = loadFeedSymbols(ctx.generatedDir, source);
    } catch (err) {
      throw new ConfigError(`generated/ is missing or unusable (run pair-discovery first): ${(err as Error).message}`);
    }
    // Refusals come before this source writes anything into shared memory.
    const { claim } = claimSlotOwner(shm, app.shm.prefix, source, "the feeds");
    if (loaded.numSymbols > shm.prices.numSymbols) shm.prices.setNumSymbols(loaded.numSymbols);
    const sink = new ShmPriceSink(shm, source, ctx.wake);
    const pool = new ConnectionPool({
      adapter: adapterFor(source),
      endpoint: exchanges[name],
      timings: app.feed,
      symbols: new FeedSymbols(loaded.defs),
      sink,
      log,
      connectIntervalMs: exchanges[name].connect_interval_ms ?? app.feed.connect_interval_ms,
      rejectRetry: { baseMs: app.feed.reject_retry_ms, maxMs: app.feed.reject_retry_max_ms },
      ...(ctx.socketFactory ? { socketFactory: ctx.socketFactory } : {}),
    });
    log.info({ symbols: loaded.defs.length, generation: loaded.generation, prefix: app.shm.prefix, url: adapterFor(source).wsUrl(exchanges[name].ws_url) }, "feed starting");
    const fundingHooks = fundingFor(source);
    const funding = fundingHooks !== null && app.feed.funding_poll_ms > 0
      ? new FundingPoller({ source, adapter: fundingHooks, endpoint: exchanges[name], store: shm.funding, symbols: () => pool.symbols, pollMs: app.feed.funding_poll_ms, log, wallUs: wallMicros, monoUs: monoMicros })
      : null;
    return new FeedRuntime({
      source,
      shm,
      claim,
      pool,
      sink,
      endpoint: exchanges[name],
      generatedDir: ctx.generatedDir,
      log,
      healthIntervalMs: app.feed.health_interval_ms,
      graceMs: app.feed.shutdown_grace_ms,
      restSeed: app.feed.rest_seed,
      generation: loaded.generation,
      funding,
      exit: host.exit ?? ((code) => process.exit(code)),
    });
  }

  /** `ownTimer` false: the process ticks this source itself (one timer for every source of a feed group). */
  start(opts: { ownTimer?: boolean } = {}): void {
    const h = this.health;
    h.kind = ProcessKind.feed;
    h.pid = process.pid;
    h.startedAt = wallMicros();
    h.heartbeatAt = h.startedAt; // readers judge liveness by it from the first write on
    h.state = HealthState.starting;
    h.configGeneration = this.configGen;
    this.shm.health.write(this.source, h);
    this.commands.discardStale();
    // Whatever this column holds was written by an earlier run (possibly killed -9, possibly under another
    // generation's ids): nothing in it is fresh until this run writes it again.
    this.markAllStale();
    this.pool.start();
    if (this.restSeed) void seedFromRest(this.pool.adapter, this.endpoint, this.pool, this.log);
    this.funding?.start();
    if (opts.ownTimer !== false) this.healthTimer = setInterval(() => this.tick(), this.healthIntervalMs);
  }

  get sourceId(): number {
    return this.source;
  }

  get isStopping(): boolean {
    return this.stopped !== null;
  }

  /** Closes sockets, marks the slot stopped and resolves once done (every caller gets the same promise). */
  shutdown(reason: string): Promise<void> {
    this.stopped ??= this.stop(reason);
    return this.stopped;
  }

  private async stop(reason: string): Promise<void> {
    this.log.info({ reason }, "feed stopping");
    if (this.healthTimer) clearInterval(this.healthTimer);
    this.health.state = HealthState.stopping;
    this.writeHealth();
    this.pool.stop();
    this.funding?.stop();
    await new Promise((r) => setTimeout(r, Math.min(200, this.graceMs)));
    this.markAllStale();
    this.health.state = HealthState.stopped;
    this.health.connectionsUp = 0;
    this.writeHealth();
    this.claim.release();
  }

  /** Gives the Health slot back without having started (a feed group whose other source failed to start). */
  abandon(): void {
    this.claim.release();
  }

  /** Flags every entry of this source stale: nothing this process wrote is fresh once it stops publishing. */
  markAllStale(): void {
    this.sink.markStale(ALL_SYMBOL_IDS);
    this.funding?.markStale(ALL_SYMBOL_IDS);
  }

  /** The funding collector (futures feeds with funding_poll_ms > 0), for tests and tools. */
  get fundingPoller(): FundingPoller | null {
    return this.funding;
  }

  get connectionPool(): ConnectionPool {
    return this.pool;
  }

  /** One Health tick: Control commands, pause, hot reload, the Health slot. */
  tick(): void {
    if (this.stopped) return;
    recalibrateWall();
    const ctl = this.shm.control;
    if (!this.commands.act()) return;
    const paused = this.commands.paused();
    this.pool.setPaused(paused);
    if (this.funding) this.funding.paused = paused;
    // A paused feed drops updates, so the prices it left would age unflagged; they become fresh again one by one
    // as updates arrive after the resume.
    if (paused && !this.paused) this.markAllStale();
    this.paused = paused;
    const gen = ctl.configGeneration();
    if (gen !== this.seenGen) {
      this.seenGen = gen;
      this.reloadFailed = !this.reload();
      if (!this.reloadFailed) this.configGen = gen;
    }
    this.health.state = paused ? HealthState.paused : HealthState.running;
    this.writeHealth();
  }

  /** Loads generated/ again; false when that failed (the current symbols stay in service). */
  private reload(): boolean {
    // A reload is also the operator's way to say "try the refused symbols again" (the venue may list them now).
    const retried = this.pool.retryRejected();
    if (retried > 0) this.log.info({ symbols: retried }, "reload: subscribing refused symbols again");
    try {
      const loaded = loadFeedSymbols(this.generatedDir, this.source);
      if (loaded.generation === this.generation) return true;
      if (loaded.numSymbols > this.shm.prices.numSymbols) this.shm.prices.setNumSymbols(loaded.numSymbols);
      const next = new FeedSymbols(loaded.defs);
      const remapped = remappedIds(this.pool.symbols, next);
      const r = this.pool.reload(next);
      if (this.restSeed && r.added > 0) void seedFromRest(this.pool.adapter, this.endpoint, this.pool, this.log);
      // symbol_ids are assigned in sorted order, so one listing more or less shifts the ids after it: an entry
      // whose id now means another symbol must not be read as that symbol until this feed writes it again.
      this.sink.markStale(remapped);
      this.funding?.markStale(remapped);
      this.log.info({ generation: loaded.generation, ...r, remapped: remapped.length }, "hot reload: subscriptions updated");
      this.generation = loaded.generation;
      return true;
    } catch (err) {
      this.log.error({ err: (err as Error).message, config_generation: this.seenGen, serving: this.configGen }, "hot reload failed; keeping the current symbols");
      return false;
    }
  }

  /**
   * Live/stale counts from the same Price Store flags this feed writes, so Health cannot disagree with the store.
   * A symbol of a venue that re-sends unchanged books and has been silent past symbol_stale_ms is flagged stale
   * here first. A symbol with no price yet counts as stale once symbol_stale_ms passed since its subscription.
   * `oneSided`: stale ones whose venue book has an empty side right now (no quote): stale in the store and in
   * Health, but a market state, so they alone do not make the feed degraded.
   */
  private countSymbols(): { live: number; stale: number; oneSided: number } {
    const syms = this.pool.symbols;
    const prices = this.shm.prices;
    const bound = this.endpoint.symbol_stale_ms;
    const resends = this.pool.adapter.traits.resendsUnchangedMs > 0;
    const now = performance.now();
    let live = 0;
    let stale = 0;
    let oneSided = 0;
    for (let i = 0; i < syms.size; i++) {
      if (syms.rejected[i]) continue;
      const id = syms.symbolIds[i]!;
      let f = prices.readFlags(this.source, id);
      const last = syms.lastUpdate[i]!;
      if ((f & (PriceFlag.valid | PriceFlag.stale)) === PriceFlag.valid && resends && last > 0 && now - last > bound) {
        prices.setStale(this.source, id, true);
        f |= PriceFlag.stale;
      }
      if ((f & (PriceFlag.valid | PriceFlag.stale)) === PriceFlag.valid) live++;
      else if ((f & PriceFlag.valid) !== 0 || now - syms.subscribedAt[i]! > bound) {
        stale++;
        if (syms.oneSided[i]) oneSided++;
      }
    }
    return { live, stale, oneSided };
  }

  private writeHealth(): void {
    const h = this.health;
    const c = this.pool.counters;
    const s = this.pool.symbolHealth();
    const counted = this.countSymbols();
    h.heartbeatAt = wallMicros();
    h.messages = c.messages;
    h.updates = c.updates;
    h.invalid = Math.min(0xffffffff, c.invalid + c.malformed);
    h.reconnects = c.reconnects;
    h.connectionsUp = s.connectionsUp;
    h.symbolsLive = counted.live;
    h.symbolsStale = counted.stale;
    h.symbolsRejected = s.rejected;
    // Until a reload succeeds the slot says which generation really runs and that the newer one failed.
    h.lastError = this.reloadFailed ? HealthError.config : (HEALTH_ERROR[c.lastError] ?? 0);
    h.configGeneration = this.configGen;
    const idle = this.pool.symbols.size === 0; // nothing to serve (the source failed in discovery)
    if (h.state === HealthState.running && (idle || this.reloadFailed || s.connectionsUp < this.pool.connections().length || counted.stale > counted.oneSided)) h.state = HealthState.degraded;
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
