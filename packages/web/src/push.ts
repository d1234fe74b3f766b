// WebSocket push, coalesced: at most one message per client per tick (push_interval_ms >= 250, so <= 4/s), and
// none when nothing it follows changed. Every topic is serialised once per change, not per client: a client only
// remembers which version of each topic it has, and its message is those shared strings concatenated. Spreads go
// as the board's delta (or its full table for a client that is behind); trackings and health whole when their
// text moved; an open tracking's chart as the points the client has not had yet.
import type { ServerWebSocket } from "bun";
import type { Series } from "./tracks.ts";
import type { Needs, WebState } from "./state.ts";

export const TOPICS = ["spreads", "trackings", "health"] as const;
export type Topic = (typeof TOPICS)[number];

/** A client whose socket holds more than this unsent is skipped for the tick (it catches up on the next). */
const MAX_BUFFERED = 1 << 20;

export interface Client {
  topics: Set<Topic>;
  /** Versions of the shared topics the client has (-1: none yet). */
  spreads: number;
  trackings: number;
  health: number;
  /** Series points already sent, by rows file. */
  points: Map<string, number>;
}

export function newClient(topics: Iterable<string>): Client {
  const t = new Set<Topic>();
  for (const x of topics) if ((TOPICS as readonly string[]).includes(x)) t.add(x as Topic);
  return { topics: t, spreads: -1, trackings: -1, health: -1, points: new Map() };
}

/** Series of the open trackings, read once per tick for all clients. */
export class TickCache {
  private readonly series = new Map<string, Series | null>();

  constructor(
    readonly st: WebState,
    readonly nowMs = Date.now(),
  ) {}

  seriesOf(file: string): Series | null {
    let s = this.series.get(file);
    if (s === undefined) {
      s = this.st.series.read(file, this.nowMs);
      this.series.set(file, s);
    }
    return s;
  }
}

/** The message for one client (JSON text), or null when it has everything. Records what it now has. */
export function delta(c: Client, st: WebState, tc = new TickCache(st)): string | null {
  const parts: string[] = [];
  if (c.topics.has("spreads")) {
    const m = st.board.messageFor(c.spreads);
    if (m !== null) {
      parts.push(`"spreads":${m}`);
      c.spreads = st.board.version;
    }
  }
  if (c.topics.has("trackings")) {
    // Version 0: not read yet (the first files read is asynchronous).
    if (st.trackingsPub.version > 0 && c.trackings !== st.trackingsPub.version) {
      parts.push(`"trackings":${st.trackingsPub.json}`);
      c.trackings = st.trackingsPub.version;
    }
    const series: string[] = [];
    const open = new Set<string>();
    for (const t of st.trackings.open) {
      open.add(t.file);
      const s = tc.seriesOf(t.file);
      if (!s) continue;
      const from = c.points.get(t.file) ?? 0;
      const at = s.t.length < from ? 0 : from;
      if (s.t.length === at) continue;
      series.push(JSON.stringify({ file: t.file, from: at, t: s.t.slice(at), gross: s.gross.slice(at) }));
      c.points.set(t.file, s.t.length);
    }
    for (const f of c.points.keys()) if (!open.has(f)) c.points.delete(f);
    if (series.length) parts.push(`"series":[${series.join(",")}]`);
  }
  if (c.topics.has("health") && st.healthPub.version > 0 && c.health !== st.healthPub.version) {
    parts.push(`"health":${st.healthPub.json}`);
    c.health = st.healthPub.version;
  }
  return parts.length ? `{${parts.join(",")}}` : null;
}

export class Pusher {
  readonly clients = new Set<ServerWebSocket<Client>>();
  /** Messages sent since start (Health updates, /metrics). */
  sent = 0;
  skipped = 0;

  /** The topics some client follows (a refresh reads only those). */
  needs(): Needs {
    const n: Needs = { spreads: false, trackings: false, health: false };
    for (const ws of this.clients) for (const t of ws.data.topics) n[t] = true;
    return n;
  }

  /** Sends each client its delta; returns the number of messages sent. */
  tick(st: WebState): number {
    let n = 0;
    const tc = new TickCache(st);
    for (const ws of this.clients) {
      if (ws.getBufferedAmount() > MAX_BUFFERED) {
        this.skipped++;
        continue;
      }
      const d = delta(ws.data, st, tc);
      if (d === null) continue;
      ws.send(d);
      n++;
    }
    this.sent += n;
    return n;
  }
}
