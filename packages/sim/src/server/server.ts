// Bun.serve listeners (one per port, REST and WebSocket on the same port), WebSocket lifecycle, the market tick
// loop that drives fan-out, and the housekeeping loop (lifetimes, notices, server pings, backlog guard, venue
// idle rules, snapshot resends).
import type { Server, ServerWebSocket } from "bun";
import { NUM_SOURCES, SOURCE_NAMES } from "@spread/common";
import type { SimContext } from "../context.ts";
import type { Venue, WsRoute } from "../venues/types.ts";
import { Conn } from "./conn.ts";

export interface Listener {
  readonly port: number;
  readonly venues: readonly Venue[];
}

export interface SourceStats {
  opened: number;
  closed: number;
  /** Close codes seen (server- or client-initiated), by code. */
  closeCodes: Record<string, number>;
  restRequests: number;
  restFaults: number;
  msgsInClosed: number;
  framesOutClosed: number;
}

const MAX_CATCHUP_STEPS = 10;
const DEBUG_TICKS = process.env.SIM_DEBUG_TICKS === "1";
let dbgLast = 0;
let dbgMaxGap = 0;
let dbgMaxDue = 0;
let dbgTicks = 0;
let dbgReport = 0;
function tickStats(now: number, due: number): void {
  if (dbgLast) dbgMaxGap = Math.max(dbgMaxGap, now - dbgLast);
  dbgLast = now;
  dbgMaxDue = Math.max(dbgMaxDue, due);
  dbgTicks++;
  if (now - dbgReport > 2000) {
    process.stderr.write(`ticks=${dbgTicks} maxGap=${dbgMaxGap}ms maxDue=${dbgMaxDue}\n`);
    dbgReport = now;
    dbgMaxGap = 0;
    dbgMaxDue = 0;
    dbgTicks = 0;
  }
}

export class SimServer {
  readonly servers: Server<Conn>[] = [];
  readonly stats: SourceStats[] = Array.from({ length: NUM_SOURCES }, () => ({ opened: 0, closed: 0, closeCodes: {}, restRequests: 0, restFaults: 0, msgsInClosed: 0, framesOutClosed: 0 }));
  private readonly venueOf: Venue[] = [];
  private tickTimer: ReturnType<typeof setTimeout> | null = null;
  private hkTimer: ReturnType<typeof setInterval> | null = null;
  private readonly hangs = new Set<ReturnType<typeof setTimeout>>();
  private startWall = 0;
  private stepsDone = 0;
  private now = 0;
  /** Extra work run by the housekeeping loop (scenario schedule). */
  onHousekeeping: ((now: number) => void) | null = null;
  stopped = false;

  constructor(private readonly ctx: SimContext, private readonly host: string, private readonly hkIntervalMs: number) {
    ctx.market.listener = (source, index) => ctx.hubs[source]!.onQuote(index, this.now);
  }

  /** Starts one Bun.serve per listener; ports 0 become ephemeral. Returns the bound ports in order. */
  listen(listeners: readonly Listener[]): number[] {
    const bound: number[] = [];
    for (const l of listeners) {
      for (const v of l.venues) for (const s of v.sources) this.venueOf[s] ??= v;
      const server = Bun.serve<Conn>({
        hostname: this.host,
        port: l.port,
        // REST hangs (fault) must outlive the client's own timeout; Bun's default 10 s would cut them.
        idleTimeout: 0,
        fetch: (req, srv) => this.fetch(req, srv, l.venues),
        websocket: {
          // Heartbeats are the venues' own rules; uWS idle timeouts and automatic pings must not interfere.
          idleTimeout: 0,
          sendPings: false,
          perMessageDeflate: false,
          backpressureLimit: 64 << 20,
          closeOnBackpressureLimit: false,
          open: (ws) => this.open(ws),
          message: (ws, msg) => this.message(ws, msg),
          close: (ws, code) => this.closed(ws, code),
          pong: (ws, data) => {
            const c = ws.data;
            if (c.pingSentAt > 0 && data.toString() === c.pingPayload) c.pingSentAt = 0;
          },
        },
      });
      this.servers.push(server);
      bound.push(server.port!);
    }
    return bound;
  }

  private fetch(req: Request, srv: Server<Conn>, venues: readonly Venue[]): Response | undefined | Promise<Response> {
    const url = new URL(req.url);
    const now = Date.now();
    if (req.headers.get("upgrade")?.toLowerCase() === "websocket") {
      for (const v of venues) {
        const r = v.routeWs(url);
        if (r === null) continue;
        if (typeof r === "string") return new Response(r, { status: 400, headers: { "content-type": "application/json" } });
        return this.upgrade(req, srv, v, r, url, now);
      }
      return new Response("404 page not found", { status: 404 });
    }
    let venue = venues[0]!;
    let source = -1;
    for (const v of venues) {
      const s = v.restSource(url);
      if (s >= 0) {
        venue = v;
        source = s;
        break;
      }
    }
    if (source < 0) return venue.rest(url, req.method);
    this.stats[source]!.restRequests++;
    const fault = this.ctx.faults.restFault(source);
    if (fault === null) return venue.rest(url, req.method);
    this.stats[source]!.restFaults++;
    if (fault.kind === "error") return new Response(venue.restErrorBody(fault.status), { status: fault.status, headers: { "content-type": "application/json" } });
    return new Promise<Response>((resolve) => {
      const t = setTimeout(() => {
        this.hangs.delete(t);
        resolve(venue.rest(url, req.method));
      }, fault.ms);
      this.hangs.add(t);
    });
  }

  private upgrade(req: Request, srv: Server<Conn>, venue: Venue, route: WsRoute, url: URL, now: number): Response | undefined {
    const s = route.source;
    const settings = this.ctx.settings[s]!;
    if (this.ctx.faults.refusesUpgrade(s, now)) return new Response("Service Unavailable", { status: 503 });
    if (settings.max_connections > 0 && this.ctx.hubs[s]!.conns.size >= settings.max_connections) return new Response("Too Many Requests", { status: 429 });
    const conn = new Conn(s, url.pathname + url.search, route, settings, now);
    if (srv.upgrade(req, { data: conn })) return undefined;
    return new Response("upgrade failed", { status: 400 });
  }

  private open(ws: ServerWebSocket<Conn>): void {
    const conn = ws.data;
    const now = Date.now();
    conn.ws = ws;
    const hub = this.ctx.hubs[conn.source]!;
    hub.conns.add(conn);
    this.stats[conn.source]!.opened++;
    this.ctx.faults.applyTo(conn);
    const venue = this.venueOf[conn.source]!;
    venue.onOpen(conn, conn.route, now);
  }

  private message(ws: ServerWebSocket<Conn>, msg: string | Buffer): void {
    const conn = ws.data;
    if (conn.closed) return;
    this.venueOf[conn.source]!.onMessage(conn, msg);
  }

  private closed(ws: ServerWebSocket<Conn>, code: number): void {
    const conn = ws.data;
    conn.closed = true;
    const st = this.stats[conn.source]!;
    st.closed++;
    const c = String(conn.closeCode || code);
    st.closeCodes[c] = (st.closeCodes[c] ?? 0) + 1;
    st.msgsInClosed += conn.msgsIn;
    st.framesOutClosed += conn.framesOut;
    // An OKX connection may hold SPOT and SWAP subscriptions: release them in every hub.
    for (const hub of this.ctx.hubs) hub.removeConn(conn);
  }

  /** Sends the venue's shutdown notice (if any) and schedules the forced close after notice_ms. */
  shutdown(conn: Conn, now: number): void {
    if (conn.closed || conn.closeAt > 0) return;
    const venue = this.venueOf[conn.source]!;
    const notice = venue.shutdownNotice(conn, now);
    if (notice !== null) {
      conn.control(notice);
      conn.noticeSentAt = now;
      conn.closeAt = now + conn.settings.notice_ms;
    } else conn.closeAt = now;
    if (conn.closeAt <= now) venue.forcedClose(conn);
  }

  /** Starts the market tick loop and the housekeeping loop. */
  start(): void {
    this.startWall = Date.now();
    this.stepsDone = 0;
    const tickMs = this.ctx.market.dtS * 1000;
    const loop = () => {
      if (this.stopped) return;
      this.tick();
      const next = this.startWall + (this.stepsDone + 1) * tickMs;
      this.tickTimer = setTimeout(loop, Math.max(0, next - Date.now()));
    };
    this.tickTimer = setTimeout(loop, tickMs);
    this.hkTimer = setInterval(() => this.housekeeping(), this.hkIntervalMs);
  }

  /** Runs every market step due by wall time (bounded catch-up), then flushes all hubs. */
  tick(): void {
    const now = (this.now = Date.now());
    const tickMs = this.ctx.market.dtS * 1000;
    let due = Math.floor((now - this.startWall) / tickMs) - this.stepsDone;
    if (DEBUG_TICKS) tickStats(now, due);
    if (due > MAX_CATCHUP_STEPS) {
      // Falling behind (CPU saturated): skip wall time instead of spiralling; sim time slows down.
      this.startWall += (due - MAX_CATCHUP_STEPS) * tickMs;
      due = MAX_CATCHUP_STEPS;
    }
    // Flush after every step: bounded send batches keep latency and buffer growth low when catching up.
    for (let i = 0; i < due; i++) {
      this.ctx.market.step(now);
      this.stepsDone++;
      for (const hub of this.ctx.hubs) hub.flush(now);
    }
    if (due === 0) for (const hub of this.ctx.hubs) hub.flush(now);
  }

  housekeeping(): void {
    const now = Date.now();
    this.ctx.faults.expire(now);
    this.onHousekeeping?.(now);
    for (let s = 0; s < NUM_SOURCES; s++) {
      const hub = this.ctx.hubs[s]!;
      const venue = this.venueOf[s];
      if (venue === undefined) continue;
      hub.resend(now);
      for (const conn of hub.conns) {
        if (conn.closed) continue;
        this.connHousekeeping(conn, venue, now);
      }
    }
  }

  private connHousekeeping(conn: Conn, venue: Venue, now: number): void {
    const s = conn.settings;
    if (conn.closeAt > 0) {
      if (now >= conn.closeAt) venue.forcedClose(conn);
      return;
    }
    if (s.max_lifetime_ms > 0 && now >= conn.openedAt + s.max_lifetime_ms - s.notice_ms) {
      this.shutdown(conn, now);
      return;
    }
    if (s.ping_interval_ms > 0 && !conn.noPong && now - conn.lastPingSentAt >= s.ping_interval_ms) {
      const payload = String(now);
      conn.ws.ping(payload);
      conn.lastPingSentAt = now;
      conn.pingPayload = payload;
      if (conn.pingSentAt === 0) conn.pingSentAt = now;
    }
    if (s.pong_timeout_ms > 0 && conn.pingSentAt > 0 && now - conn.pingSentAt > s.pong_timeout_ms) {
      conn.close(1008, "Pong timeout");
      return;
    }
    if (conn.backlogSince > 0 && s.backlog_close_ms > 0 && now - conn.backlogSince > s.backlog_close_ms) {
      conn.close(1008, "Slow consumer");
      return;
    }
    venue.housekeeping(conn, now);
  }

  /** Connection details per source for /state. */
  connections(source: number): object[] {
    const out: object[] = [];
    const now = Date.now();
    for (const c of this.ctx.hubs[source]!.conns) {
      out.push({
        id: c.id,
        path: c.path,
        age_s: Number(((now - c.openedAt) / 1000).toFixed(1)),
        subscriptions: c.subs,
        msgs_in: c.msgsIn,
        frames_out: c.framesOut,
        data_out: c.dataOut,
        dropped_backlog: c.droppedBacklog,
        corrupted: c.corrupted,
        buffered_bytes: c.closed ? 0 : c.ws.getBufferedAmount(),
        faults: c.faultIds,
      });
    }
    return out;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.tickTimer) clearTimeout(this.tickTimer);
    if (this.hkTimer) clearInterval(this.hkTimer);
    for (const t of this.hangs) clearTimeout(t);
    this.hangs.clear();
    await Promise.all(this.servers.map((s) => s.stop(true)));
  }

  sourceName(s: number): string {
    return SOURCE_NAMES[s]!;
  }
}
