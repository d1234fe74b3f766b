// Shared test helpers for Pair Discovery: RawInstrument builders, temp dirs, a minimal run summary.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RawInstrument } from "@spread/exchanges";

export function tempDir(tag: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `discovery-${tag}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
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

import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { DiscoverySchema, loadExchangesConfig, SOURCE_NAMES } from "@spread/common";
import { NullProgress, runDiscovery, type DiscoveryOptions, type DiscoveryResult } from "@spread/discovery";
import { ADAPTERS } from "@spread/exchanges";

export const REPO = resolve(import.meta.dir, "../..");

/** SPREAD_FIXTURES_DIR, else <repo>/tests/fixtures when vendored, else ../shared/fixtures beside the repo. */
export const SHARED_FIXTURES: string = (() => {
  const env = process.env.SPREAD_FIXTURES_DIR;
  if (env) return env;
  const vendored = join(REPO, "tests/fixtures");
  if (existsSync(join(vendored, "binance_spot"))) return vendored;
  return resolve(REPO, "../shared/fixtures");
})();

export const REAL_SIZE = join(REPO, "tests/fixtures-discovery");

/** Offline run (no WS validation, no shm bump) into `outputDir`; `over` patches any option. */
export function runOffline(offlineDir: string, outputDir: string, over: Partial<DiscoveryOptions> & { discovery?: Partial<DiscoveryOptions["discovery"]> } = {}): Promise<DiscoveryResult> {
  const { discovery, ...rest } = over;
  return runDiscovery({
    discovery: { ...DiscoverySchema.parse({}), ...discovery },
    exchanges: loadExchangesConfig(join(REPO, "config/exchanges.sim.toml")),
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
