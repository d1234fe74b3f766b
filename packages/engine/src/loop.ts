// The engine's event-driven loop. It runs in a Worker (worker.ts) because futex_wait blocks its thread; the
// main thread (runtime.ts) keeps signals, timers, Health and Control and talks to the loop through a small
// SharedArrayBuffer (LoopControl) plus a wake of the engine channel.
//
// No busy polling and no lost update: `seen = prepare()` is taken BEFORE the bitmaps are taken, and the loop
// sleeps only after a pass that found nothing; wait(seen) returns at once if any feed woke the channel since
// (docs/shm-layout.md, wake protocol). Whatever changed while a pass was running sets bits again and is taken
// by the next pass.
import { HealthSlot, loadDirections, monoMicros, NUM_SOURCES, recalibrateWall, wallMicros, type EngineConfig } from "@spread/common";
import { HealthRecord, SourceLiveness, WakeChannel, heartbeatBoundMs, type Shm, type WakeWaiter } from "@spread/shm";
import { SpreadEngine } from "./engine.ts";
import { engineSettings } from "./settings.ts";
import { SourceSymbolIndex } from "./source-symbol-index.ts";

/** Int32 words of the control block shared by the main thread and the loop. */
export const Ctl = {
  /** main → loop: 1 = leave the loop. */
  stop: 0,
  /** main → loop: 1 = paused (evaluate, never signal). */
  paused: 1,
  /** loop → main: 1 once the first full scan is done; 2 after the loop ended. */
  state: 2,
  /** loop → main: Control config_generation of the loaded index (the generation the loop runs). */
  generation: 3,
  /** loop → main: 1 while the last reload of generated/ failed (Health error config). */
  reloadFailed: 4,
  /** loop → main: sources whose legs are used (feed live and on the engine's generation). */
  liveSources: 5,
  /** loop → main: pairs currently above the threshold / currently suspect (refreshed every health tick). */
  pairsAbove: 6,
  pairsSuspect: 7,
  /** loop → main: pairs in the index and symbols in use. */
  indexPairs: 8,
  numSymbols: 9,
} as const;
/** Float64 slots after the Int32 words: the engine's cumulative counters (loop → main). */
export const CtlF = { updates: 0, signals: 1, busDrops: 2, invalidQuotes: 3, scans: 4, fundingWithheld: 5 } as const;
const CTL_INTS = 16;
const CTL_F64S = 8;
export const LOOP_CONTROL_BYTES = CTL_INTS * 4 + CTL_F64S * 8;

export class LoopControl {
  readonly i32: Int32Array;
  readonly f64: Float64Array;
  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(LOOP_CONTROL_BYTES)) {
    this.i32 = new Int32Array(buffer, 0, CTL_INTS);
    this.f64 = new Float64Array(buffer, CTL_INTS * 4, CTL_F64S);
  }
}

export type LoopMessage =
  | { type: "log"; level: "info" | "warn" | "error"; msg: string; data?: Record<string, unknown> }
  | { type: "ready"; generation: string; pairs: number; numSymbols: number }
  | { type: "stopped" };

export interface LoopOptions {
  readonly shm: Shm;
  readonly engine: EngineConfig;
  readonly generatedDir: string;
  /** The feeds' [feed] health_interval_ms: their heartbeat bound for liveness. */
  readonly feedHealthIntervalMs: number;
  readonly control: LoopControl;
  readonly post: (m: LoopMessage) => void;
  /** Longest sleep between checks of stop/pause/reload flags (ms). */
  readonly maxWaitMs?: number;
  /** How often feed liveness and generations are re-read (ms). */
  readonly livenessEveryMs?: number;
}

/** Builds the index of generated/directions.bin. Throws GeneratedFileError naming the file. */
export function loadIndex(generatedDir: string): SourceSymbolIndex {
  return new SourceSymbolIndex(loadDirections(generatedDir));
}

export class EngineLoop {
  readonly engine: SpreadEngine;
  private readonly waiter: WakeWaiter;
  private readonly liveness: SourceLiveness;
  private readonly rec = new HealthRecord();
  private generation: number;
  private readonly maxWaitUs: number;
  private readonly livenessEveryUs: number;
  private lastLivenessMono = -Infinity;
  private lastHealthMono = -Infinity;
  private lastFailedGeneration = -1;
  private wasPaused = false;

  constructor(private readonly o: LoopOptions) {
    const shm = o.shm;
    this.waiter = shm.waiter(WakeChannel.engine);
    this.liveness = new SourceLiveness(shm.health, heartbeatBoundMs(o.feedHealthIntervalMs));
    this.generation = shm.control.configGeneration();
    const index = loadIndex(o.generatedDir);
    this.engine = new SpreadEngine(
      { prices: shm.prices, bitmap: shm.bitmap, events: shm.events, tracked: shm.tracked, tracker: shm.waker(WakeChannel.tracker), funding: shm.funding },
      engineSettings(o.engine),
      index,
    );
    this.maxWaitUs = (o.maxWaitMs ?? 100) * 1000;
    this.livenessEveryUs = (o.livenessEveryMs ?? 250) * 1000;
    shm.events.attachProducer();
    shm.tracked.attachEngine();
    shm.events.writeStats(this.engine.stats);
    this.publishIndex(index);
  }

  /** Runs until the stop flag is set. */
  run(): void {
    const ctl = this.o.control.i32;
    const engine = this.engine;
    this.engine.paused = Atomics.load(ctl, Ctl.paused) === 1;
    this.wasPaused = this.engine.paused;
    this.tick(true);
    engine.scanAll();
    Atomics.store(ctl, Ctl.state, 1);
    const idx = engine.sourceSymbolIndex;
    this.o.post({ type: "ready", generation: idx.generation, pairs: idx.pairs, numSymbols: idx.numSymbols });
    while (Atomics.load(ctl, Ctl.stop) === 0) {
      const seen = this.waiter.prepare();
      const rescan = this.tick(false);
      if (rescan) engine.scanAll();
      const taken = engine.processChanged();
      if (engine.pendingPairs > 0) engine.recheckPending();
      if (taken > 0) {
        engine.stats.wakeups++;
        this.publishCounters();
        continue; // more may have changed while this pass ran: look again before sleeping
      }
      this.publishCounters();
      const dueUs = engine.pendingPairs > 0 ? engine.nextPendingDueUs() : Infinity;
      const waitUs = dueUs < this.maxWaitUs ? dueUs : this.maxWaitUs;
      this.waiter.wait(seen, Math.ceil(waitUs / 1000));
    }
    this.publishCounters();
    Atomics.store(ctl, Ctl.state, 2);
    this.o.post({ type: "stopped" });
  }

  /**
   * Clock, pause, config generation and feed liveness. Returns true when a full scan is due: on resume, after
   * a reload, and when a source became usable (its quiet pairs were never evaluated while it was not).
   */
  private tick(first: boolean): boolean {
    const engine = this.engine;
    const mono = monoMicros();
    engine.beginPass(wallMicros(), mono);
    let rescan = false;
    const paused = Atomics.load(this.o.control.i32, Ctl.paused) === 1;
    if (paused !== this.wasPaused) {
      this.wasPaused = paused;
      engine.paused = paused;
      if (!paused) rescan = true;
    }
    const gen = this.o.shm.control.configGeneration();
    if (gen !== this.generation && gen !== this.lastFailedGeneration) rescan = this.reload(gen) || rescan;
    if (first || mono - this.lastLivenessMono >= this.livenessEveryUs) {
      this.lastLivenessMono = mono;
      rescan = this.refreshSources() || rescan;
    }
    if (mono - this.lastHealthMono >= 1_000_000) {
      this.lastHealthMono = mono;
      recalibrateWall();
      const ctl = this.o.control.i32;
      Atomics.store(ctl, Ctl.pairsAbove, engine.pairsAbove());
      Atomics.store(ctl, Ctl.pairsSuspect, engine.pairsSuspect());
    }
    return rescan && !first;
  }

  private reload(gen: number): boolean {
    try {
      const index = loadIndex(this.o.generatedDir);
      this.engine.setIndex(index);
      this.generation = gen;
      this.lastFailedGeneration = -1;
      Atomics.store(this.o.control.i32, Ctl.reloadFailed, 0);
      this.publishIndex(index);
      // Until each feed reports this generation its legs are not used (refreshSources), because a feed that
      // has not reloaded yet writes under the old ids.
      this.lastLivenessMono = -Infinity;
      this.refreshSources();
      this.o.post({ type: "log", level: "info", msg: "hot reload: index rebuilt, full scan", data: { generation: index.generation, config_generation: gen, pairs: index.pairs, num_symbols: index.numSymbols } });
      return true;
    } catch (err) {
      // Keep the old index and the generation it belongs to: refreshSources uses only feeds that report that
      // generation (a feed that loaded the new files writes under new ids and is left out; no signal is better
      // than a signal on the wrong symbol), so when generated/ is unreadable for everyone the system keeps
      // working on the previous set. Retried at the next generation bump.
      this.lastFailedGeneration = gen;
      Atomics.store(this.o.control.i32, Ctl.reloadFailed, 1);
      this.o.post({ type: "log", level: "error", msg: "hot reload failed; running on the previous generation with the feeds still on it", data: { err: (err as Error).message, config_generation: gen } });
      this.refreshSources();
      return false;
    }
  }

  /** Re-reads feed liveness and generations. True when some source became usable. */
  private refreshSources(): boolean {
    const engine = this.engine;
    const wall = wallMicros();
    this.liveness.refresh(wall);
    let live = 0;
    let became = false;
    for (let s = 0; s < NUM_SOURCES; s++) {
      const onGen = this.o.shm.health.read(s, this.rec) && this.rec.configGeneration === this.generation;
      const ok = onGen && this.liveness.sourceLive(s) ? 1 : 0;
      if (ok === 1 && engine.sourceUsable[s] === 0) became = true;
      engine.sourceUsable[s] = ok;
      live += ok;
    }
    Atomics.store(this.o.control.i32, Ctl.liveSources, live);
    return became;
  }

  private publishIndex(index: SourceSymbolIndex): void {
    const ctl = this.o.control.i32;
    Atomics.store(ctl, Ctl.generation, this.generation);
    Atomics.store(ctl, Ctl.indexPairs, index.pairs);
    Atomics.store(ctl, Ctl.numSymbols, index.numSymbols);
  }

  private publishCounters(): void {
    const e = this.engine;
    this.o.shm.events.writeStats(e.stats);
    const f = this.o.control.f64;
    const c = e.counters;
    f[CtlF.updates] = c.updates;
    f[CtlF.signals] = c.signals;
    f[CtlF.busDrops] = c.busDrops;
    f[CtlF.invalidQuotes] = c.invalidQuotes;
    f[CtlF.scans] = c.scans;
    f[CtlF.fundingWithheld] = c.fundingWithheld;
  }
}

/** The engine's Health slot. */
export const ENGINE_SLOT = HealthSlot.engine;
