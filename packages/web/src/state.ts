// The one read model every client shares: refreshed on a timer (not per request, not per client), so ten open
// tabs cost the shared memory and the tracker's files what one does. Reads private snapshots and files only.
import { HealthSlot, loadDirections, loadSymbolNames, errorMessage, wallMicros, type DirectionsFile, type LoadedAppConfig } from "@spread/common";
import { fundingHorizonUs } from "@spread/engine";
import { allSpreads, liveSpreads, type SpreadFilter, type SpreadsResult } from "@spread/ctl";
import { Control, regionSpec, snapshotRegion, snapshotShm, type Shm } from "@spread/shm";
import { HealthReader, healthView, type HealthView, type ProcessHealth } from "./health.ts";
import type { WebSettings } from "./settings.ts";
import { SeriesCache, statsView, trackingsView, type TrackingsView } from "./tracks.ts";

const DAY_MS = 86_400_000;
/** Trackings and statistics come from files: read them at most this often. */
const FILES_EVERY_MS = 1000;
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

export class WebState {
  shm: Shm | undefined;
  dirs: DirectionsFile | undefined;
  names: readonly string[] = [];
  private loadedGen = -1;
  generatedProblem: string | null = null;
  spreads: SpreadsView;
  processes: ProcessHealth[] = [];
  trackings: TrackingsView = { source: "files", status_age_ms: null, open: [], closed: [] };
  readonly series: SeriesCache;
  private readonly healthReader = new HealthReader();
  private filesAt = 0;
  private filesBusy = false;
  /** Duration of the last refresh() in ms (reported by /metrics). */
  lastRefreshMs = 0;
  web: HealthView["web"] = { slot: HealthSlot.web, claimed: false, problem: null };

  constructor(
    readonly s: WebSettings,
    readonly app: LoadedAppConfig,
  ) {
    this.series = new SeriesCache(s.data);
    this.spreads = this.emptySpreads("not read yet");
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
    const r = snapshotRegion(this.s.prefix, regionSpec("control"));
    if (!r) return;
    const gen = new Control(r).configGeneration();
    if (gen !== this.loadedGen) this.loadGenerated(gen);
  }

  /** (Re)loads generated/ when it was never loaded or Control's config_generation moved (a reload). */
  private loadGenerated(shmOrGen: Shm | number | undefined): void {
    const gen = typeof shmOrGen === "number" ? shmOrGen : shmOrGen ? shmOrGen.control.configGeneration() : 0;
    if (this.dirs && gen === this.loadedGen) return;
    try {
      this.dirs = loadDirections(this.s.generated);
      this.names = loadSymbolNames(this.s.generated);
      this.loadedGen = gen;
      this.generatedProblem = null;
    } catch (err) {
      this.generatedProblem = `generated/ (${this.s.generated}) unusable: ${errorMessage(err)}`;
    }
  }

  /** Spreads with any filter (the API); the shared view uses the top-N of everything. */
  spreadsWith(f: SpreadFilter, nowUs = wallMicros()): SpreadsView {
    if (!this.shm) return this.emptySpreads(`shared memory "${this.s.prefix}" missing or unreadable`);
    if (!this.dirs) return this.emptySpreads(this.generatedProblem);
    try {
      const r = liveSpreads(this.shm, this.dirs, this.names, this.app.engine.taker_fee_pct, { ...f, fundingHorizonUs: fundingHorizonUs(this.app.engine) }, nowUs);
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
    if (nowUs - this.refreshedAt >= this.s.pushIntervalMs * 1000) this.refresh(nowUs);
  }

  /** One tick: snapshot the regions, recompute spreads and Health; files every FILES_EVERY_MS. */
  refresh(nowUs = wallMicros()): void {
    const t0 = performance.now();
    this.refreshedAt = nowUs;
    this.shm = snapshotShm(this.s.prefix);
    this.loadGenerated(this.shm);
    this.spreads = this.spreadsWith(this.defaultFilter(), nowUs);
    // Ages against a clock read after the copy: an owner that wrote its slot while we copied is not "in the future".
    this.processes = this.healthReader.processes(this.shm, wallMicros());
    this.lastRefreshMs = performance.now() - t0;
    const nowMs = nowUs / 1000;
    if (nowMs - this.filesAt >= FILES_EVERY_MS && !this.filesBusy) {
      this.filesAt = nowMs;
      this.filesBusy = true;
      trackingsView(this.s.data, nowMs - DAY_MS, nowMs, CLOSED_SHOWN)
        .then((t) => (this.trackings = t))
        .catch(() => {})
        .finally(() => (this.filesBusy = false));
    }
  }

  /** Reads the trackings now (the API answers from the files, not from the last tick). */
  async trackingsNow(nowMs = Date.now()): Promise<TrackingsView> {
    this.trackings = await trackingsView(this.s.data, nowMs - DAY_MS, nowMs, CLOSED_SHOWN);
    return this.trackings;
  }

  health(nowUs = wallMicros()): HealthView {
    return healthView(this.s.prefix, this.shm, this.processes, this.s.data, nowUs, this.web);
  }

  stats(sinceMs: number) {
    return statsView(this.s.data, sinceMs);
  }
}
