// Which port each source listens on, and which sources share a listener (the venue descriptors say which may).
import { ConfigError, SOURCE_NAMES, sourceExchange, type ExchangesConfig, type SourceName } from "@spread/common";
import { SIM_VENUES, simVenueOf } from "./venues/index.ts";

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

/**
 * Per source its port (0 = ephemeral), and the sources grouped by listener: one listener per distinct port; only
 * the two markets of a venue whose descriptor allows it share one (the real Bybit and OKX hosts serve both).
 */
export function portGroups(exCfg: ExchangesConfig, exFile: string, ephemeral: boolean): { ports: number[]; groups: number[][] } {
  const ports = SOURCE_NAMES.map((n) => (ephemeral ? 0 : portOf(exCfg, n, exFile)));
  const groups: number[][] = [];
  SOURCE_NAMES.forEach((_, s) => {
    const g = ports[s] !== 0 ? groups.find((x) => ports[x[0]!] === ports[s]) : undefined;
    if (g) {
      if (sourceExchange(g[0]!) !== sourceExchange(s)) throw new ConfigError(`${exFile}: ${SOURCE_NAMES[s]} and ${SOURCE_NAMES[g[0]!]} use the same port ${ports[s]}; only the spot and futures sources of ${SHARED_PORT_EXCHANGES} may share one`);
      if (!simVenueOf(s).sharedPort) throw new ConfigError(`${exFile}: ${SOURCE_NAMES[s]} and ${SOURCE_NAMES[g[0]!]} need separate ports (different hosts on the real venue)`);
      g.push(s);
    } else groups.push([s]);
  });
  return { ports, groups };
}
