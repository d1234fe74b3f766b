// The whole Pair Discovery run (A.3): 1 fetch → 2 normalize → 3 WS validation → 4 price checks → 5 registry →
// 6 directions → 7 generated/ (atomic) → 8 reload (shm config generation bump). Every stage is a function in its own
// file whose header names its number; this only wires them.
import { MAX_SYMBOLS, NUM_SOURCES, SOURCE_NAMES, type AppConfig, type ExchangesConfig } from "@spread/common";
import type { VenueAdapter } from "@spread/exchanges";
import { writeGeneration, type WriteHooks } from "./atomic.ts";
import { checkPrices } from "./collision.ts";
import { buildDirections } from "./directions.ts";
import { fetchSource, type FetchFn } from "./fetch.ts";
import { buildGeneratedSet } from "./generate.ts";
import { assignIdentities } from "./multiplier.ts";
import { filterSource, type Candidate } from "./normalize.ts";
import { readOffline } from "./offline.ts";
import type { ProgressSink } from "./progress.ts";
import { buildRegistry } from "./registry.ts";
import { bumpConfigGeneration, type ReloadOutcome } from "./reload.ts";
import { summaryTable } from "./report.ts";
import { listingKey, parseRules } from "./rules.ts";
import type { RunSummary, SourceSummary } from "./summary.ts";
import type { Listing, Rejection, SourceFetch, SourceValidation } from "./types.ts";
import { validateAll, planSource, type ValidationSettings } from "./validate.ts";

/** The stages in run order (numbered from 1 in file headers and docs; progress lines use these names). */
export const DISCOVERY_STAGES = ["fetch", "normalize", "validate", "price-check", "registry", "directions", "write", "reload"] as const;

export type DiscoverySettings = AppConfig["discovery"];

export interface DiscoveryOptions {
  readonly discovery: DiscoverySettings;
  readonly exchanges: ExchangesConfig;
  readonly outputDir: string;
  /** Saved REST responses instead of the network. */
  readonly offlineDir: string | null;
  /** WS validation on/off (already resolved from --skip-validation / --offline / --validate / config). */
  readonly validate: boolean;
  readonly skipReason: string | null;
  readonly minSources: number;
  /** Selected source ids (--sources), ascending. */
  readonly sources: readonly number[];
  /** Indexed by source_id. */
  readonly adapters: readonly VenueAdapter[];
  readonly progress: ProgressSink;
  /** shm prefix for the hot-reload bump; null = do not bump. */
  readonly shmPrefix: string | null;
  readonly fetchImpl?: FetchFn;
  readonly maxSymbols?: number;
  readonly writeHooks?: WriteHooks;
  /** Injectable for tests (the real one imports @spread/shm). */
  readonly reload?: (prefix: string) => Promise<ReloadOutcome>;
}

/** A run that cannot produce a trustworthy set (too few sources); generated/ is left untouched. Exit code 1. */
export class DiscoveryError extends Error {
  override readonly name = "DiscoveryError";
}

export interface DiscoveryResult {
  readonly generation: string;
  readonly summary: RunSummary;
  readonly reload: ReloadOutcome | null;
  readonly table: string;
}

export async function runDiscovery(o: DiscoveryOptions): Promise<DiscoveryResult> {
  const startedAt = new Date();
  const t0 = performance.now();
  const d = o.discovery;
  const p = o.progress;
  const rules = parseRules(d.aliases, d.deny);
  const selected = [...o.sources].sort((a, b) => a - b);

  // 1. Fetch
  const fetches = await fetchStage(o, selected);
  const fetched = selected.filter((s) => fetches.get(s)!.ok);
  const needFetch = Math.min(o.minSources, selected.length);
  if (fetched.length < needFetch) {
    const errs = selected.map((s) => fetches.get(s)!).filter((f) => !f.ok).map((f) => f.error);
    throw new DiscoveryError(`only ${fetched.length} of ${selected.length} sources fetched, at least ${needFetch} required; generated/ left untouched. ${errs.join("; ")}`);
  }

  // 2. Normalize
  p.stage("normalize");
  const candidates: Candidate[] = [];
  const rejections: Rejection[] = [];
  for (const s of fetched) {
    const r = filterSource(s, fetches.get(s)!.instruments, rules);
    candidates.push(...r.candidates);
    rejections.push(...r.rejections);
  }
  const named = assignIdentities(candidates, rules);
  rejections.push(...named.rejections);
  for (const s of fetched) p.normalized(s, countOf(named.listings, s), countOf(rejections, s));

  // 3. WS validation
  const needValidated = Math.min(d.min_validated_sources, selected.length);
  const v = o.validate ? await validateStage(o, fetched, named.listings, selected.length, needValidated) : { validations: new Map<number, SourceValidation>(), listings: named.listings, mids: new Map<string, number>() };

  // 4. Price checks (multiplier confirmation, collision guard)
  p.stage("price-check");
  const checked = checkPrices({ listings: v.listings, mids: v.mids, maxDeviation: d.collision_max_deviation });
  for (const x of checked.decisions.filter((x) => x.kind.startsWith("excluded"))) {
    p.warn(`${x.name}: ${SOURCE_NAMES[x.source]} ${x.exchangeSymbol} excluded (${x.kind === "excluded_ambiguous" ? "two prices disagree" : "likely ticker collision or wrong multiplier"})`, {
      symbol: x.name,
      source: SOURCE_NAMES[x.source],
      exchange_symbol: x.exchangeSymbol,
      per_unit_mid: x.perUnitMid,
      reference: x.reference,
      deviation: x.deviation,
    });
  }

  // 5. Registry, 6. directions
  const maxSymbols = o.maxSymbols ?? MAX_SYMBOLS;
  const registry = buildRegistry(checked.listings, maxSymbols);
  if (registry.dropped.length) {
    p.warn(`MAX_SYMBOLS ${maxSymbols} exceeded: dropped ${registry.dropped.length} symbols listed on the fewest sources (${registry.dropped.slice(0, 10).join(", ")}${registry.dropped.length > 10 ? ", …" : ""})`, { dropped: registry.dropped.length });
  }
  const directions = buildDirections(registry);

  const excludedBySource = new Array<number>(NUM_SOURCES).fill(0);
  for (const x of checked.decisions) if (x.kind.startsWith("excluded")) excludedBySource[x.source]!++;
  const sources: SourceSummary[] = SOURCE_NAMES.map((_, s) => ({
    source: s,
    selected: selected.includes(s),
    fetch: fetches.get(s) ?? null,
    accepted: countOf(named.listings, s),
    rejections: rejections.filter((r) => r.source === s),
    validation: v.validations.get(s) ?? null,
    excluded: excludedBySource[s]!,
    symbols: registry.symbols.filter((x) => x.listings[s]).length,
  }));
  const summary: RunSummary = {
    sources,
    validation: { enabled: o.validate, skippedReason: o.validate ? null : o.skipReason, minValidated: needValidated, validated: [...v.validations.values()].filter((x) => x.ok).length },
    decisions: checked.decisions,
    registry,
    directions,
    maxSymbols,
    startedAt,
    durationMs: performance.now() - t0,
  };

  // 7. Generate + atomic write
  p.stage("write", o.outputDir);
  const set = buildGeneratedSet(summary);
  await writeGeneration(o.outputDir, set.generation, set.files, o.writeHooks);

  // 8. Hot reload
  const reload = o.shmPrefix === null ? null : await reloadStage(o, o.shmPrefix);
  const table = summaryTable({ ...summary, durationMs: performance.now() - t0 }, set.generation, o.outputDir);
  return { generation: set.generation, summary, reload, table };
}

const countOf = (xs: readonly { source: number }[], s: number): number => xs.filter((x) => x.source === s).length;

/** Stage 1: every selected source's instrument list, from the network or saved responses, in parallel. */
async function fetchStage(o: DiscoveryOptions, selected: readonly number[]): Promise<Map<number, SourceFetch>> {
  const d = o.discovery;
  const p = o.progress;
  p.stage("fetch", o.offlineDir ? `offline ${o.offlineDir}` : `${selected.length} sources`);
  const fetches = new Map<number, SourceFetch>();
  await Promise.all(
    selected.map(async (s) => {
      const adapter = o.adapters[s]!;
      const ep = o.exchanges[SOURCE_NAMES[s]!];
      const f = o.offlineDir
        ? readOffline(adapter, o.offlineDir)
        : await fetchSource(adapter, [ep.rest_url, ...ep.rest_fallback_urls], {
            timeoutMs: Math.min(d.fetch_timeout_ms, ep.rest_timeout_ms),
            attempts: d.fetch_attempts,
            backoffMs: d.backoff_ms,
            ...(o.fetchImpl ? { fetchImpl: o.fetchImpl } : {}),
            onPage: (e) => p.fetchPage(e.source, e.page, e.attempt, e.ok, e.instruments, e.error),
          });
      fetches.set(s, f);
      p.fetchDone(f);
    }),
  );
  return fetches;
}

/** Stage 3: WS validation per source; the listings that validated and their mids (for the price checks). */
async function validateStage(
  o: DiscoveryOptions,
  fetched: readonly number[],
  listings: readonly Listing[],
  selectedCount: number,
  needValidated: number,
): Promise<{ validations: Map<number, SourceValidation>; listings: Listing[]; mids: Map<string, number> }> {
  const d = o.discovery;
  const p = o.progress;
  p.stage("validate");
  const settings: ValidationSettings = {
    batchTimeoutMs: d.batch_timeout_s * 1000,
    collectMs: d.collect_s * 1000,
    idleMs: d.idle_s * 1000,
    connectAttempts: d.fetch_attempts,
    connectBackoffMs: d.backoff_ms,
    maxConnections: d.validation_connections,
    connectIntervalMs: d.connect_interval_ms,
    openTimeoutMs: Math.min(10_000, d.batch_timeout_s * 1000),
  };
  const inputs = fetched.map((s) => {
    const symbols = listings.filter((l) => l.source === s).map((l) => l.exchangeSymbol);
    const adapter = o.adapters[s]!;
    const endpoint = o.exchanges[SOURCE_NAMES[s]!];
    p.validateStart(s, symbols.length, planSource(adapter, endpoint, symbols.length, d.validation_connections).batches);
    return { adapter, endpoint, symbols };
  });
  const results = await validateAll(inputs, settings, {
    onBatch: (s, e) => p.validateBatch(s, e.batch, e.batches, e.state),
    onAnswered: (s, a, t) => p.validateAnswered(s, a, t),
  });
  const validations = new Map(results.map((v) => [v.source, v]));
  for (const v of results) p.validateDone(v);
  const ok = results.filter((v) => v.ok).length;
  if (ok < needValidated) {
    const errs = results.filter((v) => !v.ok).map((v) => v.error);
    throw new DiscoveryError(`only ${ok} of ${selectedCount} sources validated, at least ${needValidated} required; generated/ left untouched. ${errs.join("; ")}`);
  }
  const mids = new Map<string, number>();
  const valid = listings.filter((l) => {
    const v = validations.get(l.source);
    const pv = v?.ok ? v.pairs.get(l.exchangeSymbol) : undefined;
    if (pv?.status !== "valid") return false;
    mids.set(listingKey(l.source, l.exchangeSymbol), (pv.bid + pv.ask) / 2);
    return true;
  });
  return { validations, listings: valid, mids };
}

/** Stage 8: bump the shm config generation so running processes reload generated/ (skipped, not failed, when absent). */
async function reloadStage(o: DiscoveryOptions, prefix: string): Promise<ReloadOutcome> {
  const p = o.progress;
  p.stage("reload");
  const reload = await (o.reload ?? bumpConfigGeneration)(prefix);
  if (reload.bumped) p.info("shm config generation bumped", { prefix, config_generation: reload.generation });
  else p.info("shm config generation not bumped", { prefix, reason: reload.reason });
  return reload;
}
