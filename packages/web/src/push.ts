// WebSocket push, coalesced: one send per client per tick (push_interval_ms >= 250, so <= 4 messages/s),
// carrying only what changed since that client's last message: spreads as row upserts/removals plus the order,
// other topics whole when their JSON differs, and new points of the open trackings' series.
import type { ServerWebSocket } from "bun";
import type { SpreadRow } from "@spread/ctl";
import type { WebState } from "./state.ts";

export const TOPICS = ["spreads", "trackings", "health"] as const;
export type Topic = (typeof TOPICS)[number];

/** A client whose socket holds more than this unsent is skipped for the tick (it catches up on the next). */
const MAX_BUFFERED = 1 << 20;

export interface Client {
  topics: Set<Topic>;
  /** Spread rows as last sent, by "direction_id:symbol_id". */
  rows: Map<string, string>;
  order: string;
  header: string;
  last: Map<Topic, string>;
  /** Series points already sent, by rows file. */
  points: Map<string, number>;
  /** When the Health topic was last sent (ms). */
  healthAt: number;
}

export function newClient(topics: Iterable<string>): Client {
  const t = new Set<Topic>();
  for (const x of topics) if ((TOPICS as readonly string[]).includes(x)) t.add(x as Topic);
  return { topics: t, rows: new Map(), order: "", header: "", last: new Map(), points: new Map(), healthAt: 0 };
}

const rowKey = (r: SpreadRow) => `${r.direction_id}:${r.symbol_id}`;

/** Health slots are rewritten once a second: a client gets the Health topic at most this often. */
const HEALTH_EVERY_MS = 1000;

/** What every client of one tick shares: serialised once per tick, not once per client. */
export class TickCache {
  private rows: { key: string; json: string; row: SpreadRow }[] | undefined;
  private trackings: string | undefined;
  private processes: string | undefined;
  private healthView: unknown;

  constructor(
    readonly st: WebState,
    readonly nowMs = Date.now(),
  ) {}

  spreadRows(): { key: string; json: string; row: SpreadRow }[] {
    return (this.rows ??= this.st.spreads.rows.map((row) => ({ key: rowKey(row), json: JSON.stringify(row), row })));
  }

  trackingsJson(): string {
    return (this.trackings ??= JSON.stringify(this.st.trackings));
  }

  processesJson(): string {
    return (this.processes ??= JSON.stringify(this.st.processes));
  }

  health(): unknown {
    return (this.healthView ??= this.st.health());
  }
}

/** The changes for one client, or null when nothing changed. Updates the client's memory of what it has. */
export function delta(c: Client, st: WebState, tc = new TickCache(st)): Record<string, unknown> | null {
  const msg: Record<string, unknown> = {};
  let any = false;
  if (c.topics.has("spreads")) {
    const sp = st.spreads;
    const upsert: SpreadRow[] = [];
    const seen = new Set<string>();
    for (const { key: k, json: j, row: r } of tc.spreadRows()) {
      seen.add(k);
      if (c.rows.get(k) !== j) {
        c.rows.set(k, j);
        upsert.push(r);
      }
    }
    const remove: string[] = [];
    for (const k of c.rows.keys()) if (!seen.has(k)) remove.push(k);
    for (const k of remove) c.rows.delete(k);
    const order = sp.rows.map(rowKey).join(",");
    const header = JSON.stringify([sp.pairs, sp.priced, sp.by, sp.generation, sp.problem]);
    if (upsert.length || remove.length || order !== c.order || header !== c.header) {
      c.order = order;
      c.header = header;
      msg.spreads = { time: sp.time, pairs: sp.pairs, priced: sp.priced, by: sp.by, max_spread_pct: sp.max_spread_pct, generation: sp.generation, problem: sp.problem, upsert, remove, order: sp.rows.map(rowKey) };
      any = true;
    }
  }
  if (c.topics.has("trackings")) {
    const j = tc.trackingsJson();
    if (c.last.get("trackings") !== j) {
      c.last.set("trackings", j);
      msg.trackings = st.trackings;
      any = true;
    }
    const series: Record<string, unknown>[] = [];
    const open = new Set<string>();
    for (const t of st.trackings.open) {
      open.add(t.file);
      const s = st.series.read(t.file, tc.nowMs);
      if (!s) continue;
      const from = c.points.get(t.file) ?? 0;
      const at = s.t.length < from ? 0 : from;
      if (s.t.length === at) continue;
      series.push({ file: t.file, from: at, t: s.t.slice(at), gross: s.gross.slice(at) });
      c.points.set(t.file, s.t.length);
    }
    for (const f of c.points.keys()) if (!open.has(f)) c.points.delete(f);
    if (series.length) {
      msg.series = series;
      any = true;
    }
  }
  if (c.topics.has("health") && tc.nowMs - c.healthAt >= HEALTH_EVERY_MS) {
    const j = tc.processesJson();
    if (c.last.get("health") !== j) {
      c.last.set("health", j);
      c.healthAt = tc.nowMs;
      msg.health = tc.health();
      any = true;
    }
  }
  return any ? msg : null;
}

export class Pusher {
  readonly clients = new Set<ServerWebSocket<Client>>();
  /** Messages sent since start (Health updates, /metrics). */
  sent = 0;
  skipped = 0;

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
      if (!d) continue;
      ws.send(JSON.stringify(d));
      n++;
    }
    this.sent += n;
    return n;
  }
}
