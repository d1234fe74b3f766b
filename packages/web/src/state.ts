// The one read model every client shares: refreshed on the push timer (not per request, not per client), so ten
// open tabs cost the shared memory and the tracker's files what one does. Shared memory is read through a
// long-lived ShmMirror (no garbage per refresh; only changed price entries are recomputed, by SpreadBoard); the
// Health and Trackings topics are serialised once when they change and the JSON is shared by every client.
import { HealthSlot, loadDirections, loadSymbolNames, errorMessage, wallMicros, type DirectionsFile, type LoadedAppConfig } from "@spread/common";
import { fundingHorizonUs } from "@spread/engine";
import { allSpreads, liveSpreads, type SpreadFilter, type SpreadsResult } from "@spread/ctl";
import { ShmMirror, type Shm } from "@spread/shm";
import { SpreadBoard } from "./board.ts";
import { HealthReader, healthView, type HealthView } from "./health.ts";
import type { WebSettings } from "./settings.ts";
import { SeriesCache, statsView, trackingsView, type TrackingsView } from "./tracks.ts";

const DAY_MS = 86_400_000;
/** Trackings and statistics come from files: read them at most this often. */
const FILES_EVERY_MS = 1000;
/** Health slots are rewritten once a second, funding seconds to minutes apart: read (and publish) them this often. */
const SLOW_EVERY_MS = 1000;
const CLOSED_SHOWN = 100;

export interface SpreadsView extends SpreadsResult {
  time: string;
  by: string;
  stale_ms: number;
  /** [engine] max_spread_pct: rows above it are suspects the engine never signals (pages tag them). */
  max_spread_pct: number;
  generation: string | null;
  problem: string | null;
}

/** Which topics some client follows: a refresh reads only what they need. */
export interface Needs {
  spreads: boolean;
  trackings: boolean;
  health: boolean;
}

export const ALL_NEEDS: Needs = { spreads: true, trackings: true, health: true };

/** A topic's JSON, serialised once; `version` moves when the text does, so a client holding it needs nothing. */
export class Published {
  version = 0;
  json = "null";

  set(json: string): void {
    if (json === this.json) return;
    this.json = json;
    this.version++;
  }
}

export class WebState {
  readonly mirror: ShmMirror;
  readonly board: SpreadBoard;
  dirs: DirectionsFile | undefined;
  names: readonly string[] = [];
  private loadedGen = -1;
  generatedProblem: string | null = null;
  trackings: TrackingsView = { source: "files", status_age_ms: null, open: [], closed: [] };
  readonly trackingsPub = new Published();
  readonly healthPub = new Published();
  readonly series: SeriesCache;
  private readonly healthReader = new HealthReader();
  private filesAt = 0;
  private filesBusy = false;
  private slowAt = 0;
  private healthAt = 0;
  /** Duration of the last refresh() in ms (reported by /metrics). */
  lastRefreshMs = 0;
  web: HealthView["web"] = { slot: HealthSlot.web, claimed: false, problem: null };

  constructor(
    readonly s: WebSettings,
    readonly app: LoadedAppConfig,
  ) {
    this.series = new SeriesCache(s.data);
    this.mirror = new ShmMirror(s.prefix);
    this.board = new SpreadBoard({ topN: s.topN, by: app.engine.open_on, staleMs: app.engine.stale_after_ms, fees: app.engine.taker_fee_pct, maxSpreadPct: app.engine.max_spread_pct, fundingHorizonUs: fundingHorizonUs(app.engine) });
  }

  /** The private copies as an Shm, or undefined while a region is missing or mismatching. */
  get shm(): Shm | undefined {
    return this.mirror.view;
  }

  private emptySpreads(problem: string | null): SpreadsView {
    return { rows: [], pairs: 0, priced: 0, time: new Date().toISOString(), by: this.app.engine.open_on, stale_ms: this.app.engine.stale_after_ms, max_spread_pct: this.app.engine.max_spread_pct, generation: this.dirs?.generation ?? null, problem };
  }

  /** The Control config_generation whose generated/ is loaded (-1: none yet); reported in the Health slot. */
  get loadedGeneration(): number {
    return this.loadedGen;
  }

  /**
   * Follows `spread-ctl reload` without a client connected: reads only the Control region (a few hundred bytes)
   * and reloads generated/ when its config_generation moved.
   */
  followReload(): void {
    if (!this.mirror.refreshPlain("control")) return;
    const gen = this.mirror.shm.control.configGeneration();
    if (gen !== this.loadedGen) this.loadGenerated(gen);
  }

  /** (Re)loads generated/ when it was never loaded or Control's config_generation moved (a reload). */
  private loadGenerated(gen: number): void {
    if (this.dirs && gen === this.loadedGen) return;
    try {
      this.dirs = loadDirections(this.s.generated);
      this.names = loadSymbolNames(this.s.generated);
      this.loadedGen = gen;
      this.generatedProblem = null;
      this.board.setDirections(this.dirs, this.names);
    } catch (err) {
      this.generatedProblem = `generated/ (${this.s.generated}) unusable: ${errorMessage(err)}`;
    }
  }

  /** Spreads with any filter (the API), computed from the private copies of the last refresh. */
  spreadsWith(f: SpreadFilter, nowUs = wallMicros()): SpreadsView {
    const shm = this.shm;
    if (!shm) return this.emptySpreads(`shared memory "${this.s.prefix}" missing or unreadable: ${this.mirror.problem}`);
    if (!this.dirs) return this.emptySpreads(this.generatedProblem);
    try {
      const r = liveSpreads(shm, this.dirs, this.names, this.app.engine.taker_fee_pct, { ...f, fundingHorizonUs: fundingHorizonUs(this.app.engine) }, nowUs);
      return { ...r, time: new Date(nowUs / 1000).toISOString(), by: f.by, stale_ms: f.staleMs, max_spread_pct: this.app.engine.max_spread_pct, generation: this.dirs.generation, problem: this.generatedProblem };
    } catch (err) {
      return this.emptySpreads(`cannot compute: ${errorMessage(err)}`);
    }
  }

  defaultFilter(): SpreadFilter {
    return { ...allSpreads(this.app.engine.open_on, this.s.topN, this.app.engine.stale_after_ms), includeStale: true };
  }

  private refreshedAt = 0;

  /** refresh() unless the last one is younger than push_interval_ms (API requests and scrapes between ticks). */
  ensureFresh(nowUs: number): void {
    if (nowUs - this.refreshedAt >= this.s.pushIntervalMs * 1000) this.refresh(nowUs, ALL_NEEDS);
  }

  /**
   * One tick: copy Health, the Price Store and tracked state (funding and Control every SLOW_EVERY_MS), update
   * the spreads board, and publish the Health topic (every SLOW_EVERY_MS) and the trackings (files, every
   * FILES_EVERY_MS) when some client follows them. Every refresh of prices goes through the board (it consumes
   * the mirror's list of changed entries).
   */
  refresh(nowUs = wallMicros(), needs: Needs = ALL_NEEDS): void {
    const t0 = performance.now();
    this.refreshedAt = nowUs;
    const m = this.mirror;
    const nowMs = nowUs / 1000;
    const slow = nowMs - this.slowAt >= SLOW_EVERY_MS;
    m.refreshHealth();
    m.refreshPlain("control");
    m.refreshPrices();
    m.refreshPlain("tracked");
    if (slow) {
      this.slowAt = nowMs;
      m.refreshFunding();
    }
    const shm = m.view;
    if (shm) this.loadGenerated(shm.control.configGeneration());
    if (!shm) this.board.setProblem(`shared memory "${this.s.prefix}" missing or unreadable: ${m.problem}`, nowUs);
    else if (this.dirs) this.board.update(m, nowUs, this.generatedProblem);
    else this.board.setProblem(this.generatedProblem ?? "generated/ not loaded", nowUs);
    if (needs.health && nowMs - this.healthAt >= SLOW_EVERY_MS) {
      this.healthAt = nowMs;
      this.healthPub.set(JSON.stringify(this.health()));
    }
    this.lastRefreshMs = performance.now() - t0;
    if (needs.trackings && nowMs - this.filesAt >= FILES_EVERY_MS && !this.filesBusy) {
      this.filesAt = nowMs;
      this.filesBusy = true;
      trackingsView(this.s.data, nowMs - DAY_MS, nowMs, CLOSED_SHOWN)
        .then((t) => this.setTrackings(t))
        .catch(() => {})
        .finally(() => (this.filesBusy = false));
    }
  }

  private setTrackings(t: TrackingsView): TrackingsView {
    this.trackings = t;
    this.trackingsPub.set(JSON.stringify(t));
    return t;
  }

  /** Reads the trackings now (the API answers from the files, not from the last tick). */
  async trackingsNow(nowMs = Date.now()): Promise<TrackingsView> {
    return this.setTrackings(await trackingsView(this.s.data, nowMs - DAY_MS, nowMs, CLOSED_SHOWN));
  }

  /** /api/health and the Health topic: every slot from the last copy, ages against a clock read after it. */
  health(): HealthView {
    this.mirror.refreshPlain("events");
    const now = wallMicros();
    return healthView(this.s.prefix, this.shm, this.healthReader.processes(this.shm, now), this.s.data, now, this.web);
  }

  stats(sinceMs: number) {
    return statsView(this.s.data, sinceMs);
  }
}
