// Starts a complete simulator in this process: universe + market for a seed, one listener per configured
// port (REST and WebSocket together), fault registry, scheduled episodes/faults, optional control endpoint.
import { ConfigError, createLogger, ExchangesConfigSchema, loadExchangesConfig, NUM_SOURCES, parseTomlText, SOURCE_NAMES, sourceExchange, sourceMarket, validateWith, type ExchangesConfig, type Logger, type SourceName } from "@spread/common";
import { EXCHANGE_LIMITS } from "@spread/exchanges";
import type { SimContext } from "./context.ts";
import { startControl } from "./control.ts";
import { Faults, type ActiveFault } from "./faults.ts";
import type { Episode } from "./market/episodes.ts";
import { Market } from "./market/market.ts";
import { buildUniverse, type Universe } from "./market/universe.ts";
import { EpisodeSchema, FaultSchema, type FaultConfig, type Scenario, type ScenarioInput } from "./scenario/schema.ts";
import { defaultScenario, DEFAULT_SCENARIO_NAME, loadScenario, scenarioFrom } from "./scenario/load.ts";
import { applySymbolSettings, flagged } from "./setup.ts";
import { SourceHub } from "./server/hub.ts";
import { SimServer, type Listener } from "./server/server.ts";
import { SIM_VENUES, simVenueOf } from "./venues/index.ts";
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
  setRate(total: number, weights?: Partial<Record<SourceName, number>>): void;
  stop(): Promise<void>;
}

function resolveScenario(s: SimOptions["scenario"]): [Scenario, string] {
  if (s === undefined) return [defaultScenario(), DEFAULT_SCENARIO_NAME];
  if (typeof s === "string") return [loadScenario(s), s];
  return [scenarioFrom(s), "(inline scenario)"];
}

/** Listening port of a source from its rest_url/ws_url (both must name the same 127.x host and port). */
function portOf(cfg: ExchangesConfig, name: SourceName, file: string): number {
  const rest = new URL(cfg[name].rest_url);
  const ws = new URL(cfg[name].ws_url);
  const rp = Number(rest.port || (rest.protocol === "https:" ? 443 : 80));
  const wp = Number(ws.port || (ws.protocol === "wss:" ? 443 : 80));
  if (rest.protocol !== "http:" || ws.protocol !== "ws:") throw new ConfigError(`${file}: ${name}: the simulator serves plain http:// and ws:// only (got ${cfg[name].rest_url}, ${cfg[name].ws_url})`);
  if (rp !== wp) throw new ConfigError(`${file}: ${name}: rest_url and ws_url must use the same port (REST and WebSocket share a listener), got ${rp} and ${wp}`);
  return rp;
}

/** For the port-sharing error: the exchanges whose two markets may share a listener. */
const SHARED_PORT_EXCHANGES = SIM_VENUES.filter((v) => v.sharedPort).map((v) => v.exchange).join(" or ");

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

  // Ports: one listener per distinct port; Bybit and OKX may share one (the real hosts serve both markets).
  const exFile = typeof opts.exchanges === "string" ? opts.exchanges : "exchanges config";
  const exCfg = typeof opts.exchanges === "string" ? loadExchangesConfig(opts.exchanges, EXCHANGE_LIMITS) : opts.exchanges;
  const ports = SOURCE_NAMES.map((n) => (opts.ephemeral ? 0 : portOf(exCfg, n, exFile)));
  const groups: number[][] = [];
  SOURCE_NAMES.forEach((_, s) => {
    const g = ports[s] !== 0 ? groups.find((x) => ports[x[0]!] === ports[s]) : undefined;
    if (g) {
      if (sourceExchange(g[0]!) !== sourceExchange(s)) throw new ConfigError(`${exFile}: ${SOURCE_NAMES[s]} and ${SOURCE_NAMES[g[0]!]} use the same port ${ports[s]}; only the spot and futures sources of ${SHARED_PORT_EXCHANGES} may share one`);
      if (!simVenueOf(s).sharedPort) throw new ConfigError(`${exFile}: ${SOURCE_NAMES[s]} and ${SOURCE_NAMES[g[0]!]} need separate ports (different hosts on the real venue)`);
      g.push(s);
    } else groups.push([s]);
  });
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
    state: (withConnections = true) => {
      const sources: Record<string, unknown> = {};
      for (let s = 0; s < NUM_SOURCES; s++) {
        const hub = hubs[s]!;
        const st = server!.stats[s]!;
        let subs = 0;
        let msgsIn = st.msgsInClosed;
        let framesOut = st.framesOutClosed;
        let dataOut = 0;
        let dropped = 0;
        for (const c of hub.conns) {
          subs += c.subs;
          msgsIn += c.msgsIn;
          framesOut += c.framesOut;
          dataOut += c.dataOut;
          dropped += c.droppedBacklog;
        }
        sources[SOURCE_NAMES[s]!] = {
          ...urls[SOURCE_NAMES[s]!],
          instruments: universe.instruments[s]!.length,
          connections: hub.conns.size,
          subscriptions: subs,
          msgs_in: msgsIn,
          frames_out: framesOut,
          data_out_open_conns: dataOut,
          dropped_backlog: dropped,
          frames_built: hub.framesBuilt,
          updates_per_s: Number(market.books[s]!.rate.toFixed(1)),
          opened: st.opened,
          closed: st.closed,
          close_codes: st.closeCodes,
          rest_requests: st.restRequests,
          rest_faults: st.restFaults,
          ...(withConnections ? { conns: server!.connections(s) } : {}),
        };
      }
      return {
        scenario: scenario.name,
        seed,
        uptime_s: Number(((Date.now() - startedAt) / 1000).toFixed(3)),
        sim_time_s: Number(market.simTimeS.toFixed(3)),
        rate_total: market.totalRate,
        updates_total: market.updatesTotal,
        sources,
        episodes: market.episodes.describe(universe, market.simTimeS),
        faults: faults.describe(),
        silent: flagged(universe, (i) => i.silent),
        anomalies: flagged(universe, (i) => i.anomaly !== 0),
      };
    },
    addFault: (input) => faults.add(FaultSchema.parse(input) as FaultConfig, Date.now()),
    clearFaults: (filter) => faults.clear(filter),
    startEpisode: (input) => market.episodes.add(EpisodeSchema.parse(input), market.simTimeS, "episode"),
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
