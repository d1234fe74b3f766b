// OKX v5 public WebSocket emulation (/ws/v5/public; /ws/v5/business refuses public channels with 60018):
// bare-text ping/pong, one ack or 60018 error per arg, 480 ops/hour/connection, the 30 s idle close (4004),
// the 64008 service-upgrade notice before a forced close (abrupt, as seen live).
import { SourceId } from "@spread/common";
import type { SimContext } from "../../context.ts";
import type { Conn } from "../../server/conn.ts";
import { ConnSubs } from "../shared/conn-subs.ts";
import type { Venue, WsRoute } from "../types.ts";
import { OKX_BBO, OKX_BOOKS5, OKX_FUNDING_RATE, OKX_TICKERS } from "./channels.ts";
import { OkxRest, okxError } from "./rest.ts";

const DATA_CHANNELS: Record<string, number> = { "bbo-tbt": OKX_BBO, tickers: OKX_TICKERS, books5: OKX_BOOKS5 };
/** Public channels that exist but whose data is not emulated (acknowledged, then silent). */
const OTHER_PUBLIC = new Set(["books", "books-l2-tbt", "books50-l2-tbt", "trades", "mark-price", "index-tickers", "open-interest", "price-limit", "estimated-price"]);
const BUSINESS = new Set(["candle1m", "candle1s", "candle5m", "candle1H", "trades-all", "mark-price-candle1m"]);
const HOUR = 3_600_000;

interface OkxConnState {
  readonly connId: string;
  readonly business: boolean;
  /** By "channel:instId". */
  readonly subs: ConnSubs;
  /** Times of subscribe/unsubscribe requests in the last hour. */
  readonly ops: number[];
}

export class OkxVenue implements Venue {
  readonly sources = [SourceId.okx_spot, SourceId.okx_futures] as const;
  private readonly restApi: OkxRest;

  /** `portSource`: the source the listening port belongs to (connections are accounted to it). */
  constructor(private readonly ctx: SimContext, private readonly portSource: number) {
    this.restApi = new OkxRest(ctx);
  }

  routeWs(url: URL): WsRoute | null {
    if (url.pathname === "/ws/v5/public") return { source: this.portSource, kind: "public", initial: [] };
    if (url.pathname === "/ws/v5/business") return { source: this.portSource, kind: "business", initial: [] };
    return null;
  }

  onOpen(conn: Conn, route: WsRoute): void {
    const st: OkxConnState = { connId: Math.floor(Math.random() * 0xffffffff).toString(16).padStart(8, "0"), business: route.kind === "business", subs: new ConnSubs(conn, this.ctx.hubs), ops: [] };
    conn.v = st;
  }

  /** Which source (spot or swap/futures book) an instId belongs to, and its index; null if unknown. */
  private locate(instId: string): [number, number] | null {
    for (const s of [SourceId.okx_spot, SourceId.okx_futures]) {
      const i = this.ctx.universe.bySymbol[s]!.get(instId);
      if (i !== undefined) return [s, i];
    }
    return null;
  }

  onMessage(conn: Conn, message: string | Uint8Array): void {
    const now = Date.now();
    conn.countClientMessage(now, 0);
    const st = conn.v as OkxConnState;
    const text = typeof message === "string" ? message : new TextDecoder().decode(message);
    if (text === "ping") {
      conn.lastAppPingAt = now;
      if (!conn.noPong) conn.control("pong");
      return;
    }
    let req: any;
    try {
      req = JSON.parse(text);
    } catch {
      req = null;
    }
    const idPart = req && typeof req.id === "string" ? `"id":${JSON.stringify(req.id)},` : "";
    if (req === null || typeof req !== "object" || (req.op !== "subscribe" && req.op !== "unsubscribe") || !Array.isArray(req.args)) {
      conn.control(`{${idPart}"event":"error","code":"60012","msg":${JSON.stringify(`Invalid request: ${text}`)},"connId":"${st.connId}"}`);
      return;
    }
    const limit = conn.settings.max_ops_per_hour;
    while (st.ops.length && now - st.ops[0]! > HOUR) st.ops.shift();
    if (limit > 0 && st.ops.length >= limit) {
      conn.control(`{${idPart}"event":"error","code":"60014","msg":"Requests too frequent.","connId":"${st.connId}"}`);
      return;
    }
    st.ops.push(now);
    for (const arg of req.args) this.handleArg(conn, st, req.op, arg, idPart, now);
  }

  private handleArg(conn: Conn, st: OkxConnState, op: string, arg: any, idPart: string, now: number): void {
    const channel = arg && typeof arg.channel === "string" ? arg.channel : "";
    const instId = arg && typeof arg.instId === "string" ? arg.instId : "";
    const argJson = `{"channel":${JSON.stringify(channel)},"instId":${JSON.stringify(instId)}}`;
    const key = `${channel}:${instId}`;
    if (op === "unsubscribe") {
      st.subs.remove(key);
      conn.control(`{${idPart}"event":"unsubscribe","arg":${argJson},"connId":"${st.connId}"}`);
      return;
    }
    const loc = this.locate(instId);
    // funding-rate exists for perpetual swaps only (a spot or dated instId does not exist on that channel).
    const funding = channel === "funding-rate";
    const dataCh = funding ? OKX_FUNDING_RATE : DATA_CHANNELS[channel];
    const fundingOk = !funding || (loc !== null && loc[0] === SourceId.okx_futures && this.ctx.universe.instruments[loc[0]]![loc[1]]!.kind !== "dated");
    const knownHere = st.business ? BUSINESS.has(channel) : dataCh !== undefined || OTHER_PUBLIC.has(channel);
    if (!knownHere || loc === null || !fundingOk || this.ctx.faults.rejects(loc[0], instId)) {
      conn.control(`{${idPart}"event":"error","msg":${JSON.stringify(`Wrong URL or channel:${channel},instId:${instId} doesn't exist. Please use the correct URL, channel and parameters referring to API document.`)},"code":"60018","connId":"${st.connId}"}`);
      return;
    }
    conn.control(`{${idPart}"event":"subscribe","arg":${argJson},"connId":"${st.connId}"}`);
    if (st.subs.has(key)) return;
    st.subs.add(key, dataCh === undefined ? { source: loc[0], index: -1, ch: 0 } : { source: loc[0], index: loc[1], ch: dataCh }, now);
  }

  housekeeping(conn: Conn, now: number): void {
    const idle = conn.settings.idle_timeout_ms;
    if (idle > 0 && now - Math.max(conn.lastClientMsgAt, conn.lastDataAt) > idle) conn.close(4004, `No data received in ${Math.round(idle / 1000)}s`);
  }

  shutdownNotice(conn: Conn): string {
    return `{"event":"notice","code":"64008","msg":"The connection will soon be closed for a service upgrade. Please reconnect.","connId":"${(conn.v as OkxConnState).connId}"}`;
  }

  forcedClose(conn: Conn): void {
    // Live reports show the upgrade close as 1006: the socket just goes away.
    conn.terminate();
  }

  restSource(url: URL): number {
    if (!url.pathname.startsWith("/api/v5/")) return -1;
    const t = url.searchParams.get("instType");
    return t === "SPOT" ? SourceId.okx_spot : t === "SWAP" || t === "FUTURES" ? SourceId.okx_futures : -1;
  }

  rest(url: URL): Response {
    return this.restApi.handle(url);
  }

  restErrorBody(status: number): string {
    return status === 429 ? okxError("50011", "Too Many Requests") : okxError("50001", "Service temporarily unavailable. Please try again later.");
  }
}
