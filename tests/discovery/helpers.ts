// Shared test helpers for Pair Discovery: RawInstrument builders, temp dirs, offline runs, spawning the bin.
import { tempDir as makeTempDir, tempDirs as makeTempDirs } from "../temp.ts";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { RawInstrument } from "@spread/exchanges";
import { DiscoverySchema, loadExchangesConfig, MAX_SYMBOLS, SOURCE_NAMES } from "@spread/common";
import { buildDirections, buildRegistry, NullProgress, runDiscovery, type DiscoveryOptions, type DiscoveryResult, type Listing, type RunSummary } from "@spread/discovery";
import { EXCHANGE_LIMITS, ADAPTERS } from "@spread/exchanges";

export function tempDir(tag: string): { dir: string; cleanup: () => void } {
  return makeTempDir("discovery", tag);
}

/** A temp dir per call, all removed after the file's tests (call at module level of a test file). */
export function tempDirs(): (tag: string) => string {
  return makeTempDirs("discovery");
}

/** A RawInstrument as an adapter would produce it; override what the case needs. */
export function raw(source: number, exchangeSymbol: string, base: string, over: Partial<RawInstrument> = {}): RawInstrument {
  const spot = source % 2 === 0;
  return {
    source,
    exchangeSymbol,
    base,
    quote: "USDT",
    settle: spot ? null : "USDT",
    tradable: true,
    status: "TRADING",
    kind: spot ? "spot" : "perpetual",
    otherReason: null,
    minQty: 0.001,
    maxQty: 1000,
    tickSize: 0.01,
    minNotional: 5,
    contractSize: spot ? null : 1,
    multiplierHint: 1,
    baseHint: base,
    ...over,
  };
}

/** Multiplier-looking raw instrument ("1000PEPE" → hint 1000 / "PEPE"). */
export function rawHint(source: number, exchangeSymbol: string, base: string, hint: number, baseHint: string, over: Partial<RawInstrument> = {}): RawInstrument {
  return raw(source, exchangeSymbol, base, { multiplierHint: hint, baseHint, ...over });
}

export const REPO = resolve(import.meta.dir, "../..");

export const REAL_SIZE = join(REPO, "tests/fixtures-discovery");

/** Offline run (no WS validation, no shm bump) into `outputDir`; `over` patches any option. */
export function runOffline(offlineDir: string, outputDir: string, over: Omit<Partial<DiscoveryOptions>, "discovery"> & { discovery?: Partial<DiscoveryOptions["discovery"]> } = {}): Promise<DiscoveryResult> {
  const { discovery, ...rest } = over;
  return runDiscovery({
    discovery: { ...DiscoverySchema.parse({}), ...discovery },
    exchanges: loadExchangesConfig(join(REPO, "config/exchanges.sim.toml"), EXCHANGE_LIMITS),
    outputDir,
    offlineDir,
    validate: false,
    skipReason: "test",
    minSources: 6,
    sources: SOURCE_NAMES.map((_, i) => i),
    adapters: ADAPTERS,
    progress: new NullProgress(),
    shmPrefix: null,
    ...rest,
  });
}

/** A config.toml for CLI tests: sim endpoints, output dir, extra [discovery] lines. */
export function writeTestConfig(dir: string, opts: { generated: string; exchanges?: string; discovery?: string }): string {
  const file = join(dir, "config.toml");
  writeFileSync(
    file,
    [
      "[paths]",
      `exchanges = ${JSON.stringify(opts.exchanges ?? join(REPO, "config/exchanges.sim.toml"))}`,
      `directions = ${JSON.stringify(join(REPO, "config/directions.toml"))}`,
      `generated = ${JSON.stringify(opts.generated)}`,
      "[log]",
      'level = "info"',
      "[discovery]",
      opts.discovery ?? "",
      "",
    ].join("\n"),
  );
  return file;
}

export const BIN = join(REPO, "bins/pair-discovery.ts");

/** Environment for spawned runs: a private shm prefix so no real region is touched. */
export function testEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  delete env.SPREAD_SCANNER_LOG_LEVEL;
  return { ...env, SPREAD_SCANNER_SHM_PREFIX: `disc-test-${process.pid}`, ...extra };
}

/** Runs the bin to completion. */
export async function runBin(args: string[], env: Record<string, string> = testEnv()): Promise<{ code: number; stdout: string; stderr: string }> {
  const p = Bun.spawn(["bun", BIN, ...args], { cwd: REPO, env, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { code, stdout, stderr };
}

/** A discovery run's summary over `listings`, every source fetched and selected, WS validation off. */
export function sampleSummary(listings: Listing[]): RunSummary {
  const registry = buildRegistry(listings);
  return {
    sources: SOURCE_NAMES.map((_, s) => ({ source: s, selected: true, fetch: { source: s, ok: true, instruments: [], pages: 1, attempts: 1, ms: 1, error: null }, accepted: 0, rejections: [], validation: null, excluded: 0, symbols: registry.symbols.filter((x) => x.listings[s]).length })),
    validation: { enabled: false, skippedReason: "test", minValidated: 6, validated: 0 },
    decisions: [],
    registry,
    directions: buildDirections(registry),
    maxSymbols: MAX_SYMBOLS,
    startedAt: new Date(0),
    durationMs: 1,
  };
}
