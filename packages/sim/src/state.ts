// The simulator's state report (GET /state and SimHandle.state()): per source traffic, connections and faults.
import { NUM_SOURCES, SOURCE_NAMES, type SourceName } from "@spread/common";
import type { SimContext } from "./context.ts";
import type { Scenario } from "./scenario/schema.ts";
import type { SimServer } from "./server/server.ts";
import { flagged } from "./setup.ts";

export interface StateInput {
  readonly scenario: Scenario;
  readonly seed: number;
  /** Date.now() at start. */
  readonly startedAt: number;
  readonly ctx: SimContext;
  readonly server: SimServer;
  readonly urls: Record<SourceName, { readonly rest_url: string; readonly ws_url: string }>;
}

export function simState(o: StateInput, withConnections: boolean): Record<string, unknown> {
  const { scenario, seed, startedAt, server, urls } = o;
  const { universe, market, hubs, faults } = o.ctx;
  const sources: Record<string, unknown> = {};
  for (let s = 0; s < NUM_SOURCES; s++) {
    const hub = hubs[s]!;
    const st = server.stats[s]!;
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
      ...(withConnections ? { conns: server.connections(s) } : {}),
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
    funding_scripts: market.funding.describe(Date.now()),
    faults: faults.describe(),
    silent: flagged(universe, (i) => i.silent),
    anomalies: flagged(universe, (i) => i.anomaly !== 0),
  };
}
