// MEXC futures WebSocket emulation (/edge): {"method":"sub.ticker","param":{"symbol":"X"}} → rs.sub.ticker ack
// (names no symbol), "Contract [X] not exists" errors, push.ticker / push.depth.full, {"method":"ping"} →
// {"channel":"pong",...}; closed after 60 s without a client ping (incoming data does not count).
import { SourceId } from "@spread/common";
import type { SimContext } from "../../context.ts";
import type { Conn } from "../../server/conn.ts";
import { ConnSubs } from "../shared/conn-subs.ts";
import type { Venue, WsRoute } from "../types.ts";
import { MEXC_DEPTH_FULL_5, MEXC_FUNDING_RATE, MEXC_TICKER } from "./futures-channels.ts";
import { MexcFuturesRest, mexcFuturesError } from "./rest.ts";

/** Methods answered with an ack but whose data is not emulated. */
const SILENT_SUBS = new Set(["sub.deal", "sub.depth", "sub.kline", "sub.index.price", "sub.fair.price", "sub.tickers"]);

interface MexcFutState {
  /** By "ticker:SYM" / "depth.full:SYM" / "funding.rate:SYM" (one depth per symbol: a new limit replaces it). */
  readonly subs: ConnSubs;
}

export class MexcFuturesVenue implements Venue {
  readonly sources = [SourceId.mexc_futures] as const;
  private readonly restApi: MexcFuturesRest;

  constructor(private readonly ctx: SimContext) {
    this.restApi = new MexcFuturesRest(ctx);
  }

  routeWs(url: URL): WsRoute | null {
    return url.pathname === "/edge" ? { source: SourceId.mexc_futures, kind: "edge", initial: [] } : null;
  }

  onOpen(conn: Conn): void {
    const st: MexcFutState = { subs: new ConnSubs(conn, this.ctx.hubs) };
    conn.v = st;
  }

  onMessage(conn: Conn, message: string | Uint8Array): void {
    const now = Date.now();
    conn.countClientMessage(now, 0);
    let req: any;
    try {
      req = JSON.parse(typeof message === "string" ? message : new TextDecoder().decode(message));
    } catch {
      return;
    }
    if (req === null || typeof req !== "object" || typeof req.method !== "string") return;
    const st = conn.v as MexcFutState;
    const method: string = req.method;
    if (method === "ping") {
      conn.lastAppPingAt = now;
      if (!conn.noPong) conn.control(`{"channel":"pong","data":${now},"ts":${now}}`);
      return;
    }
    const symbol = req.param && typeof req.param.symbol === "string" ? req.param.symbol : "";
    const ack = (m: string) => conn.control(`{"channel":"rs.${m}","data":"success","ts":${now}}`);
    switch (method) {
      case "sub.ticker":
      case "sub.funding.rate":
      case "sub.depth.full": {
        const idx = this.ctx.universe.bySymbol[SourceId.mexc_futures]!.get(symbol);
        if (idx === undefined || this.ctx.universe.instruments[SourceId.mexc_futures]![idx]!.status !== "trading" || this.ctx.faults.rejects(SourceId.mexc_futures, symbol)) {
          conn.control(`{"channel":"rs.error","data":${JSON.stringify(`Contract [${symbol}] not exists`)},"ts":${now}}`);
          return;
        }
        const limit = Number(req.param?.limit ?? 20);
        const ch = method === "sub.ticker" ? MEXC_TICKER : method === "sub.funding.rate" ? MEXC_FUNDING_RATE : MEXC_DEPTH_FULL_5 + Math.max(0, [5, 10, 20].indexOf(limit === 5 || limit === 10 ? limit : 20));
        const key = `${method.slice(4)}:${symbol}`;
        if (st.subs.get(key)?.ch !== ch) st.subs.remove(key);
        st.subs.add(key, { source: SourceId.mexc_futures, index: idx, ch }, now);
        ack(method);
        return;
      }
      case "unsub.ticker":
      case "unsub.funding.rate":
      case "usub.depth.full":
      case "unsub.depth.full": {
        const key = `${method.slice(method.indexOf(".") + 1)}:${symbol}`;
        st.subs.remove(key);
        ack(method);
        return;
      }
      default:
        if (SILENT_SUBS.has(method)) ack(method);
      // Unknown methods: no reply at all (live probe).
    }
  }

  housekeeping(conn: Conn, now: number): void {
    const idle = conn.settings.idle_timeout_ms;
    if (idle > 0 && now - conn.lastAppPingAt > idle) conn.close(1000, "ping timeout");
  }

  shutdownNotice(): string | null {
    return null;
  }

  forcedClose(conn: Conn): void {
    conn.close(1000, "");
  }

  restSource(url: URL): number {
    return url.pathname.startsWith("/api/v1/contract/") ? SourceId.mexc_futures : -1;
  }

  rest(url: URL): Response {
    return this.restApi.handle(url);
  }

  restErrorBody(status: number): string {
    return status === 429 ? mexcFuturesError(510, "Requests are too frequent") : mexcFuturesError(9999, "System error");
  }
}
