// MEXC spot WebSocket emulation (/ws): JSON text control frames, binary protobuf pushes, ≤ 30 subscriptions
// per connection, "Not Subscribed successfully! [...].  Reason： Blocked! " rejections (code 0 like successes),
// PING → PONG, close after 30 s without a subscription and 60 s without data or PING.
import { SourceId } from "@spread/common";
import type { SimContext } from "../../context.ts";
import type { Conn } from "../../server/conn.ts";
import { ConnSubs } from "../shared/conn-subs.ts";
import type { Venue, WsRoute } from "../types.ts";
import { MexcSpotRest } from "./rest.ts";
import { MEXC_AGGRE_10, MEXC_AGGRE_100, MEXC_BATCH, MEXC_DEPTH_5 } from "./spot-channels.ts";

/** Live protobuf channels; the symbol group is uppercase on the real venue. */
const AGGRE_BT = /^spot@public\.aggre\.bookTicker\.v3\.api\.pb@(10ms|100ms)@([A-Za-z0-9]+)$/;
const BATCH_BT = /^spot@public\.bookTicker\.batch\.v3\.api\.pb@([A-Za-z0-9]+)$/;
const DEPTH = /^spot@public\.limit\.depth\.v3\.api\.pb@([A-Za-z0-9]+)@(5|10|20)$/;
/** Other live .pb channels: accepted, data not emulated. */
const OTHER_PB = /^spot@public\.(aggre\.deals|aggre\.depth|increase\.depth\.batch)\.v3\.api\.pb(@(10ms|100ms))?@[A-Za-z0-9]+$|^spot@public\.kline\.v3\.api\.pb@[A-Za-z0-9]+@(Min1|Min5|Min15|Min30|Min60|Hour4|Hour8|Day1|Week1|Month1)$/;

interface MexcSpotState {
  /** By channel string. */
  readonly subs: ConnSubs;
  /** When the connection last had zero subscriptions (for the 30 s no-subscription rule). */
  emptySince: number;
}

export class MexcSpotVenue implements Venue {
  readonly sources = [SourceId.mexc_spot] as const;
  private readonly restApi: MexcSpotRest;

  constructor(private readonly ctx: SimContext) {
    this.restApi = new MexcSpotRest(ctx);
  }

  routeWs(url: URL): WsRoute | null {
    return url.pathname === "/ws" ? { source: SourceId.mexc_spot, kind: "ws", initial: [] } : null;
  }

  onOpen(conn: Conn, _route: WsRoute, now: number): void {
    const st: MexcSpotState = { subs: new ConnSubs(conn, this.ctx.hubs), emptySince: now };
    conn.v = st;
  }

  /** [index, channel] for a valid channel (index -1 = no data), null when MEXC would block it. */
  private resolve(channel: string): [number, number] | null {
    let m: RegExpExecArray | null;
    let sym: string;
    let ch: number;
    if ((m = AGGRE_BT.exec(channel))) {
      sym = m[2]!;
      ch = m[1] === "10ms" ? MEXC_AGGRE_10 : MEXC_AGGRE_100;
    } else if ((m = BATCH_BT.exec(channel))) {
      sym = m[1]!;
      ch = MEXC_BATCH;
    } else if ((m = DEPTH.exec(channel))) {
      sym = m[1]!;
      ch = MEXC_DEPTH_5 + ["5", "10", "20"].indexOf(m[2]!);
    } else if (OTHER_PB.test(channel)) return [-1, 0];
    else return null;
    if (this.ctx.faults.rejects(SourceId.mexc_spot, sym)) return null;
    // Unknown or lower-case symbols on a valid channel: acknowledged, never any data (reply UNCONFIRMED).
    const idx = this.ctx.universe.bySymbol[SourceId.mexc_spot]!.get(sym);
    if (idx === undefined || this.ctx.universe.instruments[SourceId.mexc_spot]![idx]!.status !== "trading") return [-1, ch];
    return [idx, ch];
  }

  onMessage(conn: Conn, message: string | Uint8Array): void {
    const now = Date.now();
    if (conn.countClientMessage(now, conn.settings.max_client_msgs_per_sec)) {
      conn.close(1008, "Too many requests");
      return;
    }
    if (typeof message !== "string") return;
    let req: any;
    try {
      req = JSON.parse(message);
    } catch {
      return;
    }
    if (req === null || typeof req !== "object") return;
    const st = conn.v as MexcSpotState;
    const id = typeof req.id === "number" ? req.id : 0;
    const method = typeof req.method === "string" ? req.method : "";
    if (method.toUpperCase() === "PING") {
      conn.lastAppPingAt = now;
      if (!conn.noPong) conn.control(`{"id":${id},"code":0,"msg":"PONG"}`);
      return;
    }
    const params: string[] = Array.isArray(req.params) ? req.params.filter((p: unknown) => typeof p === "string") : [];
    if (method === "SUBSCRIPTION") {
      const ok: string[] = [];
      const bad: string[] = [];
      for (const p of params) {
        if (st.subs.has(p)) {
          ok.push(p);
          continue;
        }
        const r = this.resolve(p);
        if (r === null || (conn.settings.max_subs > 0 && st.subs.size >= conn.settings.max_subs)) {
          bad.push(p);
          continue;
        }
        st.subs.add(p, { source: SourceId.mexc_spot, index: r[0], ch: r[1] }, now);
        ok.push(p);
      }
      if (ok.length) conn.control(`{"id":${id},"code":0,"msg":${JSON.stringify(ok.join(","))}}`);
      if (bad.length) conn.control(`{"id":${id},"code":0,"msg":${JSON.stringify(`Not Subscribed successfully! [${bad.join(",")}].  Reason： Blocked! `)}}`);
      return;
    }
    if (method === "UNSUBSCRIPTION") {
      for (const p of params) st.subs.remove(p);
      if (st.subs.size === 0) st.emptySince = now;
      conn.control(`{"id":${id},"code":0,"msg":${JSON.stringify(params.join(","))}}`);
    }
    // Unknown methods get no answer.
  }

  housekeeping(conn: Conn, now: number): void {
    const st = conn.v as MexcSpotState;
    const s = conn.settings;
    if (st.subs.size === 0) {
      if (s.no_sub_timeout_ms > 0 && now - st.emptySince > s.no_sub_timeout_ms) conn.close(1000, "no subscription");
      return;
    }
    if (s.idle_timeout_ms > 0 && now - Math.max(conn.lastDataAt, conn.lastAppPingAt) > s.idle_timeout_ms) conn.close(1000, "no data");
  }

  shutdownNotice(): string | null {
    return null;
  }

  forcedClose(conn: Conn): void {
    conn.close(1000, "");
  }

  restSource(url: URL): number {
    return url.pathname.startsWith("/api/v3/") ? SourceId.mexc_spot : -1;
  }

  rest(url: URL): Response {
    return this.restApi.handle(url);
  }

  restErrorBody(status: number): string {
    return status === 429 ? `{"code":429,"msg":"Too Many Requests"}` : `{"code":-1001,"msg":"Internal error"}`;
  }
}
