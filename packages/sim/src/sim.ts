// Starts a complete simulator in this process: universe + market for a seed, one listener per configured
// port (REST and WebSocket together), fault registry, scheduled episodes/faults, optional control endpoint.
import { ConfigError, createLogger, loadExchangesConfig, SOURCE_NAMES, sourceMarket, type ExchangesConfig, type Logger, type SourceName } from "@spread/common";
import { EXCHANGE_LIMITS } from "@spread/exchanges";
import type { SimContext } from "./context.ts";
import { startControl } from "./control.ts";
import { Faults, type ActiveFault } from "./faults.ts";
import type { Episode } from "./market/episodes.ts";
import { Market } from "./market/market.ts";
import { buildUniverse, type Universe } from "./market/universe.ts";
import type { FundingScript } from "./market/funding-script.ts";
import { EpisodeSchema, FaultSchema, FundingScriptSchema, type FaultConfig, type Scenario, type ScenarioInput } from "./scenario/schema.ts";
import { defaultScenario, DEFAULT_SCENARIO_NAME, loadScenario, scenarioFrom } from "./scenario/load.ts";
import { applySymbolSettings } from "./setup.ts";
import { SourceHub } from "./server/hub.ts";
import { SimServer, type Listener } from "./server/server.ts";
import { simVenueOf } from "./venues/index.ts";
import { portGroups } from "./ports.ts";
import { simState } from "./state.ts";
import type { Channel } from "./venues/types.ts";

export interface SimOptions {
  /** Scenario file path, an in-memory scenario object, or omitted for the built-in default. */
  scenario?: string | ScenarioInput;
  /** Overrides scenario.sim.seed. */
  seed?: number;
  /** Overrides scenario.rate.total (updates/s over all sources). */
  rate?: number;
  /**
   * Exchanges config (file path or parsed), normally config/exchanges.sim.toml: the ports to listen on (ignored
   * when `ephemeral`) and the limits and timings exchangesConfig() hands to clients.
   */
  exchanges: string | ExchangesConfig;
  /** Listen on ephemeral ports (one per source); the handle reports the URLs. For tests. */
  ephemeral?: boolean;
  /** Control endpoint port; 0 = ephemeral; null = none. Default 19000 (0 when `ephemeral`). */
  controlPort?: number | null;
  host?: string;
  /** Housekeeping period (heartbeats, idle rules, resends); default 100 ms. */
  housekeepingMs?: number;
  logger?: Logger;
}

export interface SourceUrls {
  readonly rest_url: string;
  readonly ws_url: string;
}

export interface SimHandle {
  readonly seed: number;
  readonly scenario: Scenario;
  readonly universe: Universe;
  readonly market: Market;
  readonly faults: Faults;
  /** Per source: base URLs to put into an exchanges config. */
  readonly urls: Record<SourceName, SourceUrls>;
  /** http://host:port of the control endpoint, or null. */
  readonly controlUrl: string | null;
  /** The exchanges config (limits from the base file) pointing at this simulator. */
  exchangesConfig(): ExchangesConfig;
  /** Same as TOML text, to write to a file for child processes. */
  exchangesToml(): string;
  state(withConnections?: boolean): Record<string, unknown>;
  addFault(input: unknown): ActiveFault;
  clearFaults(filter?: { id?: number; source?: string }): number;
  /** Starts a spread episode (at_s counts from now). */
  startEpisode(input: unknown): Episode;
  /** Scripts a funding settlement (same body as POST /funding); one script per futures listing it names. */
  scriptFunding(input: unknown): FundingScript[];
  setRate(total: number, weights?: Partial<Record<SourceName, number>>): void;
  stop(): Promise<void>;
}

function resolveScenario(s: SimOptions["scenario"]): [Scenario, string] {
  if (s === undefined) return [defaultScenario(), DEFAULT_SCENARIO_NAME];
  if (typeof s === "string") return [loadScenario(s), s];
  return [scenarioFrom(s), "(inline scenario)"];
}

export async function startSim(opts: SimOptions): Promise<SimHandle> {
  const [scenario, scenarioName] = resolveScenario(opts.scenario);
  const seed = opts.seed ?? scenario.sim.seed;
  const log = opts.logger ?? createLogger("exchange-sim");
  const host = opts.host ?? "127.0.0.1";
  const epoch = scenario.sim.epoch ? Date.parse(scenario.sim.epoch) : Date.now();
  if (Number.isNaN(epoch)) throw new ConfigError(`${scenarioName}: sim.epoch: not a date: "${scenario.sim.epoch}"`);
  if (opts.rate !== undefined) scenario.rate.total = opts.rate;

  const universe = buildUniverse(scenario.universe, seed, epoch);
  applySymbolSettings(universe, scenario, seed, scenarioName);
  const market = new Market(universe, scenario, seed);
  for (const r of scenario.symbol_rates) {
    const s = SOURCE_NAMES.indexOf(r.source as SourceName);
    market.fixedRates.push([s, universe.bySymbol[s]!.get(r.symbol)!, r.rate]);
  }
  market.refreshWeights();
  const settings = SOURCE_NAMES.map((n) => scenario.venues[n]);
  const channels: Channel[][] = SOURCE_NAMES.map((_, s) => simVenueOf(s).channels(market.books[s]!, sourceMarket(s), settings[s]!));
  const hubs = SOURCE_NAMES.map((_, s) => new SourceHub(s, market.books[s]!, channels[s]!));
  let server: SimServer | null = null;
  const faults = new Faults({
    connsOf: (s) => hubs[s]!.conns,
    shutdown: (conn, now) => server!.shutdown(conn, now),
  });
  const ctx: SimContext = { universe, market, hubs, settings, faults, log };
  server = new SimServer(ctx, host, opts.housekeepingMs ?? 100);

  const exFile = typeof opts.exchanges === "string" ? opts.exchanges : "exchanges config";
  const exCfg = typeof opts.exchanges === "string" ? loadExchangesConfig(opts.exchanges, EXCHANGE_LIMITS) : opts.exchanges;
  const { ports, groups } = portGroups(exCfg, exFile, opts.ephemeral ?? false);
  const listeners: Listener[] = groups.map((g) => ({ port: ports[g[0]!]!, venues: [simVenueOf(g[0]!).venue(ctx, g[0]!)] }));
  let bound: number[];
  try {
    bound = server.listen(listeners);
  } catch (err) {
    await server.stop();
    throw new ConfigError(`cannot listen: ${(err as Error).message}`);
  }
  const urls = {} as Record<SourceName, SourceUrls>;
  groups.forEach((g, k) => {
    for (const s of g) urls[SOURCE_NAMES[s]!] = { rest_url: `http://${host}:${bound[k]}`, ws_url: `ws://${host}:${bound[k]}` };
  });

  const startedAt = Date.now();
  scenario.episodes.forEach((e, i) => market.episodes.add(e, 0, `${scenarioName}: episodes[${i}]`));
  const pending = scenario.faults.map((f, i) => ({ f, i, done: false }));
  server.onHousekeeping = (now) => {
    for (const p of pending) {
      if (p.done || now - startedAt < p.f.at_s * 1000) continue;
      p.done = true;
      const fault = faults.add(p.f, now);
      log.info({ fault: fault.id, kind: p.f.kind, source: p.f.source }, `scheduled fault faults[${p.i}] applied`);
    }
    for (const s of market.funding.settledSince(now)) hubs[s.inst.source]!.pushFunding(s.inst.index, now);
  };

  const exchangesConfig = (): ExchangesConfig => {
    const out = {} as ExchangesConfig;
    for (const n of SOURCE_NAMES) out[n] = { ...exCfg[n], ...urls[n] };
    return out;
  };

  const handle: SimHandle = {
    seed,
    scenario,
    universe,
    market,
    faults,
    urls,
    controlUrl: null,
    exchangesConfig,
    exchangesToml: () => exchangesToToml(exchangesConfig()),
    state: (withConnections = true) => simState({ scenario, seed, startedAt, ctx, server: server!, urls }, withConnections),
    addFault: (input) => faults.add(FaultSchema.parse(input) as FaultConfig, Date.now()),
    clearFaults: (filter) => faults.clear(filter),
    startEpisode: (input) => market.episodes.add(EpisodeSchema.parse(input), market.simTimeS, "episode"),
    scriptFunding: (input) => {
      const now = Date.now();
      const added = market.funding.add(FundingScriptSchema.parse(input), now);
      for (const s of added) hubs[s.inst.source]!.pushFunding(s.inst.index, now);
      return added;
    },
    setRate: (total, weights) => {
      const w = weights ? SOURCE_NAMES.map((n) => weights[n] ?? scenario.rate.source_weights[n]) : undefined;
      if (w) SOURCE_NAMES.forEach((n, i) => (scenario.rate.source_weights[n] = w[i]!));
      market.setRate(total, w);
    },
    stop: async () => {
      await control?.stop();
      await server!.stop();
    },
  };
  const controlPort = opts.controlPort === undefined ? (opts.ephemeral ? 0 : 19000) : opts.controlPort;
  const control = controlPort === null ? null : startControl(handle, host, controlPort, log);
  (handle as { controlUrl: string | null }).controlUrl = control ? `http://${host}:${control.port}` : null;
  server.start();
  log.debug({ seed, scenario: scenario.name }, "simulator started");
  return handle;
}

/** Renders an exchanges config as TOML (same keys as config/exchanges.sim.toml). */
export function exchangesToToml(cfg: ExchangesConfig): string {
  const lines = ["# Written by the exchange simulator: the addresses it is listening on."];
  for (const n of SOURCE_NAMES) {
    lines.push("", `[${n}]`);
    for (const [k, v] of Object.entries(cfg[n])) lines.push(`${k} = ${typeof v === "number" || typeof v === "boolean" ? v : JSON.stringify(v)}`); // strings, string arrays (rest_fallback_urls)
  }
  return lines.join("\n") + "\n";
}
