// Bybit v5 public WebSocket emulation: /v5/public/spot and /v5/public/linear on every Bybit port. JSON ping/pong
// (spot and linear pong shapes differ), subscribe acks (linear: after the first snapshots), spot ≤ 10 args per
// request, whole-batch rejection when one topic is unknown or already subscribed, the 10-minute no-ping/no-data cut.
import { SourceId } from "@spread/common";
import type { SimContext } from "../../context.ts";
import type { Conn } from "../../server/conn.ts";
import { ConnSubs } from "../shared/conn-subs.ts";
import type { Venue, WsRoute } from "../types.ts";
import { BYBIT_ORDERBOOK1, BYBIT_TICKERS } from "./channels.ts";
import { BybitRest, bybitError } from "./rest.ts";

/** Topics that exist (data is emulated for orderbook.1 and tickers only; the rest ack and stay silent). */
const TOPIC_RE = /^(orderbook\.(1|50|200|1000)|tickers|publicTrade|kline\.(1|3|5|15|30|60|120|240|360|720|D|W|M)|liquidation|allLiquidation)\.([A-Z0-9-]+)$/;

interface BybitConnState {
  readonly spot: boolean;
  readonly connId: string;
  readonly topics: ConnSubs;
}

export class BybitVenue implements Venue {
  readonly sources = [SourceId.bybit_spot, SourceId.bybit_futures] as const;
  private readonly restApi: BybitRest;

  constructor(private readonly ctx: SimContext) {
    this.restApi = new BybitRest(ctx);
  }

  routeWs(url: URL): WsRoute | null {
    if (url.pathname === "/v5/public/spot") return { source: SourceId.bybit_spot, kind: "spot", initial: [] };
    if (url.pathname === "/v5/public/linear") return { source: SourceId.bybit_futures, kind: "linear", initial: [] };
    return null;
  }

  onOpen(conn: Conn, route: WsRoute): void {
    const st: BybitConnState = { spot: route.kind === "spot", connId: crypto.randomUUID(), topics: new ConnSubs(conn, this.ctx.hubs) };
    conn.v = st;
  }

  /** [instrument index, channel], -1 index for topics without emulated data, null when the topic is unknown. */
  private resolve(source: number, topic: string): [number, number] | null {
    const m = TOPIC_RE.exec(topic);
    if (!m) return null;
    const idx = this.ctx.universe.bySymbol[source]!.get(m[4]!);
    if (idx === undefined || this.ctx.universe.instruments[source]![idx]!.status !== "trading") return null;
    if (this.ctx.faults.rejects(source, m[4]!)) return null;
    if (m[1] === "orderbook.1") return [idx, BYBIT_ORDERBOOK1];
    if (m[1] === "tickers") return [idx, BYBIT_TICKERS];
    return [-1, 0];
  }

  private reply(conn: Conn, success: boolean, retMsg: string, op: string, reqId: unknown): void {
    const st = conn.v as BybitConnState;
    // Spot echoes req_id only when the client sent one; linear always carries it ("" by default).
    const rid = st.spot ? (reqId === undefined ? "" : `,"req_id":${JSON.stringify(String(reqId))}`) : `,"req_id":${JSON.stringify(reqId === undefined ? "" : String(reqId))}`;
    conn.control(`{"success":${success},"ret_msg":${JSON.stringify(retMsg)},"conn_id":"${st.connId}"${rid},"op":"${op}"}`);
  }

  onMessage(conn: Conn, message: string | Uint8Array): void {
    const now = Date.now();
    conn.countClientMessage(now, 0);
    const st = conn.v as BybitConnState;
    let req: any;
    try {
      req = JSON.parse(typeof message === "string" ? message : new TextDecoder().decode(message));
    } catch {
      this.reply(conn, false, "error:request not json", "", undefined);
      return;
    }
    if (req === null || typeof req !== "object") {
      this.reply(conn, false, "error:request not json", "", undefined);
      return;
    }
    const reqId = req.req_id;
    switch (req.op) {
      case "ping": {
        conn.lastAppPingAt = now;
        if (conn.noPong) return;
        if (st.spot) conn.control(`{"success":true,"ret_msg":"pong","conn_id":"${st.connId}","op":"ping"}`);
        else this.reply(conn, true, "pong", "ping", reqId);
        return;
      }
      case "subscribe":
        this.subscribe(conn, st, req.args, reqId, now);
        return;
      case "unsubscribe": {
        const args: unknown[] = Array.isArray(req.args) ? req.args : [];
        for (const t of args) if (typeof t === "string") st.topics.remove(t);
        this.reply(conn, true, st.spot ? "unsubscribe" : "", "unsubscribe", reqId);
        return;
      }
      default:
        this.reply(conn, false, `error:unknown op ${String(req.op)}`, String(req.op ?? ""), reqId);
    }
  }

  private subscribe(conn: Conn, st: BybitConnState, args: unknown, reqId: unknown, now: number): void {
    const s = this.ctx.settings[conn.source]!;
    if (!Array.isArray(args) || args.some((a) => typeof a !== "string")) {
      this.reply(conn, false, "error:args invalid", "subscribe", reqId);
      return;
    }
    if (s.max_batch > 0 && args.length > s.max_batch) {
      this.reply(conn, false, `args size >${s.max_batch}`, "subscribe", reqId);
      return;
    }
    // One bad topic rejects the whole batch: nothing in it gets subscribed.
    const resolved: [string, [number, number]][] = [];
    for (const topic of args as string[]) {
      if (st.topics.has(topic) || resolved.some(([t]) => t === topic)) {
        this.reply(conn, false, `error:already subscribed,topic:${topic}`, "subscribe", reqId);
        return;
      }
      const r = this.resolve(conn.source, topic);
      if (r === null) {
        this.reply(conn, false, st.spot ? `Invalid symbol :[${topic}]` : `error:handler not found,topic:${topic}`, "subscribe", reqId);
        return;
      }
      resolved.push([topic, r]);
    }
    if (st.spot) this.reply(conn, true, "subscribe", "subscribe", reqId);
    for (const [topic, [index, ch]] of resolved) st.topics.add(topic, { source: conn.source, index, ch }, now);
    if (!st.spot) {
      // Linear sends the first orderbook.1 / tickers snapshot of each topic BEFORE the subscribe ack (seen live,
      // JKorf/Bybit.Net#200): a client that ignores data until the ack loses it. Spot acks first.
      conn.flush(now);
      this.reply(conn, true, "", "subscribe", reqId);
    }
  }

  housekeeping(conn: Conn, now: number): void {
    const idle = conn.settings.idle_timeout_ms;
    if (idle > 0 && now - Math.max(conn.lastAppPingAt, conn.lastDataAt) > idle) conn.terminate();
  }

  shutdownNotice(): string | null {
    return null;
  }

  forcedClose(conn: Conn): void {
    conn.close(1000, "");
  }

  restSource(url: URL): number {
    if (!url.pathname.startsWith("/v5/market/")) return -1;
    const c = url.searchParams.get("category");
    return c === "spot" ? SourceId.bybit_spot : c === "linear" ? SourceId.bybit_futures : -1;
  }

  rest(url: URL): Response {
    return this.restApi.handle(url);
  }

  restErrorBody(status: number): string {
    return status === 429 ? bybitError(10006, "Too many visits!") : bybitError(10016, "Server error.");
  }
}
