// Engine test helpers: an in-memory directions table, quotes written the way a feed writes them (price,
// bitmap bit, wake), fake feed Health slots, and generated/ directories written by Pair Discovery's own code.
import { tempDir as makeTempDir, tempDirs as makeTempDirs } from "../temp.ts";
import { DIRECTIONS, EngineSchema, HealthSlot, MAX_SYMBOLS, NUM_DIRECTIONS, ProcessKind, SOURCE_NAMES, monoMicros, wallMicros, type DirectionsFile, type Generation } from "@spread/common";
import { buildGeneratedSet, writeGeneration, type Listing } from "@spread/discovery";
import { SourceSymbolIndex, SpreadEngine, engineSettings } from "@spread/engine";
import { afterEach } from "bun:test";
import { EventRecord, HealthRecord, HealthState, WakeChannel, createAll, unlinkAll, type Shm } from "@spread/shm";
import { uniquePrefix } from "../shm/helpers/scratch.ts";
import { sampleSummary } from "../discovery/helpers.ts";
import type { FeedBed } from "../feed/harness.ts";
import { waitFor } from "../wait.ts";

/**
 * Fresh shared memory per call under its own prefix, unlinked after each test of the calling file (register by
 * calling at module level: `const fresh = freshShm();`).
 */
export function freshShm(): () => Shm {
  let prefix = "";
  afterEach(() => {
    if (prefix) unlinkAll(prefix);
    prefix = "";
  });
  return () => {
    if (prefix) unlinkAll(prefix);
    prefix = uniquePrefix();
    return createAll(prefix).shm;
  };
}

/** A directions table where direction d lists `symbolsOf(d)`. */
export function directionsFile(symbolsOf: (d: number) => number[], numSymbols = MAX_SYMBOLS, generation = "00000000000000aa"): DirectionsFile {
  return {
    generation,
    numSymbols,
    directions: DIRECTIONS.map((def) => ({ ...def, symbols: Uint16Array.from(symbolsOf(def.id)) })),
  };
}

/** Every direction lists every symbol in `syms`. */
export function allDirections(syms: number[]): DirectionsFile {
  return directionsFile(() => syms);
}

/** An engine over `shm` with [engine] overrides (defaults: no persistence, so one evaluation decides). */
export function makeEngine(shm: Shm, file: DirectionsFile, over: Record<string, unknown> = {}): SpreadEngine {
  const cfg = EngineSchema.parse({ persist_evals: 1, persist_ms: 0, ...over });
  const e = new SpreadEngine({ prices: shm.prices, bitmap: shm.bitmap, events: shm.events, tracked: shm.tracked, tracker: shm.waker(WakeChannel.tracker), funding: shm.funding }, engineSettings(cfg), new SourceSymbolIndex(file));
  e.beginPass(wallMicros(), monoMicros());
  return e;
}

/** Writes a quote as a feed does: SeqLock write, bitmap bit, wake. ageMs back-dates its receive time. */
export function quote(shm: Shm, src: number, sym: number, bid: number, ask: number, ageMs = 0): void {
  const now = wallMicros() - ageMs * 1000;
  shm.prices.write(src, sym, bid, ask, 1, 1, 0, now, monoMicros());
  if (shm.bitmap.set(src, sym)) shm.waker(WakeChannel.engine).wake();
}

/** Pops every event on the bus. */
export function drain(shm: Shm): EventRecord[] {
  const out: EventRecord[] = [];
  for (;;) {
    const ev = new EventRecord();
    if (!shm.events.pop(ev)) return out;
    out.push(ev);
  }
}

/** Health slots 0..7 as running feeds of this process on `generation` (a live feed for SourceLiveness). */
export function fakeFeeds(shm: Shm, generation: number, sources: readonly number[] = [0, 1, 2, 3, 4, 5, 6, 7]): void {
  const h = new HealthRecord();
  for (const s of sources) {
    h.kind = ProcessKind.feed;
    h.state = HealthState.running;
    h.pid = process.pid;
    h.startedAt = wallMicros();
    h.heartbeatAt = wallMicros();
    h.configGeneration = generation;
    shm.health.write(s, h);
  }
}

function listing(source: number, base: string): Listing {
  return {
    source,
    exchangeSymbol: source % 2 === 0 ? `${base}USDT` : `${base}_USDT`,
    base,
    name: `${base}-USDT`,
    multiplier: 1,
    origin: "plain",
    alt: null,
    params: { minQty: 0.001, maxQty: null, tickSize: 0.01, minNotional: 5, contractSize: null },
  };
}

/** Writes generated/ for `bases` listed on every source; symbol ids follow sorted names. Returns ids by base. */
export async function writeGenerated(dir: string, bases: readonly string[]): Promise<Map<string, number>> {
  const listings = bases.flatMap((b) => SOURCE_NAMES.map((_, s) => listing(s, b)));
  const summary = sampleSummary(listings);
  const set = buildGeneratedSet(summary);
  await writeGeneration(dir, set.generation, set.files);
  return new Map(summary.registry.symbols.map((s) => [s.name.replace(/-USDT$/, ""), s.id]));
}

export function tempDir(tag: string): { dir: string; cleanup: () => void } {
  return makeTempDir("engine", tag);
}

/** A temp dir per call, all removed after the file's tests (call at module level of a test file). */
export function tempDirs(): (tag: string) => string {
  return makeTempDirs("engine");
}

export const ALL_DIRECTIONS = Array.from({ length: NUM_DIRECTIONS }, (_, d) => d);

/**
 * The full stack of the end-to-end engine tests: the simulator's quiet market (seed 11, 12 % universe, no scripted
 * episode, control API on), a discovery run without WS validation (so the ticker collision stays in), the 8 feeds
 * and spread-engine. Returns the generation the run wrote.
 */
export async function startEngineStack(bed: FeedBed): Promise<Generation> {
  await bed.start({
    scenario: { sim: { seed: 11 }, universe: { scale: 0.12 }, rate: { total: 3000, episode_min_rate: 20 }, episodes: [] },
    control: true,
    engine: { persist_evals: 2, persist_ms: 250 },
  });
  const gen = await bed.discover(["--skip-validation"]);
  for (let s = 0; s < 8; s++) bed.startFeed(s);
  bed.startEngine();
  return gen;
}

/** Waits (60 s at most: start-up on a loaded box) until spread-engine runs with all 8 feeds live. */
export function engineLive(bed: FeedBed): Promise<number> {
  const engine = () => bed.health(HealthSlot.engine);
  return waitFor("engine running with all 8 feeds live", () => engine().state === HealthState.running && engine().connectionsUp === 8, 60_000, 100, () => ({ state: engine().state, connectionsUp: engine().connectionsUp }));
}
