// Binance WebSocket + REST emulation for one market. Spot: /ws, /ws/<streams>, /stream?streams=; USD-M: the 2026
// /public and /market routes (legacy /ws and /stream served as /public, as measured 2026-07-30). SUBSCRIBE /
// UNSUBSCRIBE / LIST_SUBSCRIPTIONS / SET_PROPERTY / GET_PROPERTY, server ping frames, serverShutdown notices.
import { SourceId } from "@spread/common";
import type { SimContext } from "../../context.ts";
import type { Conn } from "../../server/conn.ts";
import type { Venue, WsRoute } from "../types.ts";
import { BINANCE_COMBINED, BINANCE_MARK_PRICE, BINANCE_RAW, markPriceEvent } from "./channels.ts";
import { BinanceRest } from "./rest.ts";

/** Well-formed stream names (symbol part any case; Binance itself lower-cases). */
const STREAM_RE = /^[A-Za-z0-9_.-]+@(bookTicker|aggTrade|trade|ticker|miniTicker|avgPrice|depth|depth5|depth10|depth20|rpiDepth|markPrice|forceOrder|kline_(1s|1m|3m|5m|15m|30m|1h|2h|4h|6h|8h|12h|1d|3d|1w|1M)|ticker_(1h|4h|1d))(@(100ms|250ms|500ms|1000ms|1s))?$/;
const SPOT_ALL_MARKET = new Set(["!miniTicker@arr"]);
const FUT_ALL_MARKET = new Set(["!bookTicker", "!miniTicker@arr", "!markPrice@arr", "!markPrice@arr@1s", "!forceOrder@arr", "!contractInfo", "!assetIndex@arr"]);
/** USD-M streams served on /public; everything else belongs on /market. */
const PUBLIC_CLASS = /@(bookTicker|depth\d*|rpiDepth)(@|$)|^!bookTicker$/;
const METHODS = "`SUBSCRIBE`, `UNSUBSCRIBE`, `LIST_SUBSCRIPTIONS`, `SET_PROPERTY`, `GET_PROPERTY`";

interface BinanceConnState {
  /** Subscribed stream names in subscription order. */
  readonly streams: Set<string>;
  combined: boolean;
  /** USD-M route class of this socket ("public" | "market"); spot: "spot". */
  readonly route: string;
  /** !markPrice@arr / !markPrice@arr@1s subscriptions (route /market): stream → next push (wall ms). */
  readonly arr: Map<string, number>;
}

/** All-market mark price streams and their push periods. */
const ARR_PERIOD: Record<string, number> = { "!markPrice@arr": 3000, "!markPrice@arr@1s": 1000 };

export class BinanceVenue implements Venue {
  readonly sources: readonly number[];
  private readonly futures: boolean;
  private readonly restApi: BinanceRest;
  private markEvent: ReturnType<typeof markPriceEvent> | null = null;

  constructor(private readonly ctx: SimContext, private readonly source: number) {
    this.sources = [source];
    this.futures = source === SourceId.binance_futures;
    this.restApi = new BinanceRest(ctx, source);
  }

  validStream(name: string): boolean {
    if (name.startsWith("!")) return (this.futures ? FUT_ALL_MARKET : SPOT_ALL_MARKET).has(name);
    return STREAM_RE.test(name);
  }

  routeWs(url: URL): WsRoute | string | null {
    let path = url.pathname;
    let route = "spot";
    if (this.futures) {
      const m = /^\/(public|market)(\/.*)$/.exec(path);
      if (m) {
        route = m[1]!;
        path = m[2]!;
      } else route = "public";
    }
    let kind: string;
    let initial: string[] = [];
    if (path === "/ws" || path === "/ws/") kind = "ws";
    else if (path.startsWith("/ws/")) {
      kind = "ws";
      initial = path.slice(4).split("/").filter((s) => s !== "");
    } else if (path === "/stream" || path === "/stream/") {
      kind = "stream";
      const s = url.searchParams.get("streams");
      if (s) initial = s.split("/").filter((x) => x !== "");
    } else return null;
    const bad = initial.find((s) => !this.validStream(s));
    if (bad !== undefined) return `{"code":-1100,"msg":"Invalid stream name: ${bad}"}`;
    if (initial.length > this.ctx.settings[this.source]!.max_subs && this.ctx.settings[this.source]!.max_subs > 0) return `{"code":-1100,"msg":"Too many streams"}`;
    return { source: this.source, kind: `${kind}:${route}`, initial };
  }

  onOpen(conn: Conn, route: WsRoute, now: number): void {
    const [kind, cls] = route.kind.split(":");
    const st: BinanceConnState = { streams: new Set(), combined: kind === "stream", route: cls!, arr: new Map() };
    conn.v = st;
    for (const s of route.initial) this.addStream(conn, s, now);
  }

  /**
   * Instrument index of a stream that delivers data here, or -1: <lowercase symbol>@bookTicker of a listed, trading
   * symbol (USD-M: on /public), and on USD-M /market its @markPrice / @markPrice@1s. Anything else: ack, silence.
   */
  private hubIndex(conn: Conn, stream: string): number {
    const st = conn.v as BinanceConnState;
    const at = stream.indexOf("@");
    const kind = stream.slice(at);
    if (kind === "@bookTicker") {
      if (this.futures && st.route !== "public") return -1;
    } else if (!(this.futures && st.route === "market" && (kind === "@markPrice" || kind === "@markPrice@1s"))) return -1;
    const sym = stream.slice(0, at);
    if (sym !== sym.toLowerCase()) return -1;
    const idx = this.ctx.universe.bySymbol[this.source]!.get(sym.toUpperCase());
    if (idx === undefined) return -1;
    return this.ctx.universe.instruments[this.source]![idx]!.status === "trading" ? idx : -1;
  }

  /** Hub channel of a stream hubIndex accepted. */
  private channelOf(stream: string, combined: boolean): number {
    const c = combined ? 1 : 0;
    if (stream.endsWith("@bookTicker")) return c === 1 ? BINANCE_COMBINED : BINANCE_RAW;
    return BINANCE_MARK_PRICE + c + (stream.endsWith("@1s") ? 2 : 0);
  }

  private addStream(conn: Conn, stream: string, now: number): void {
    const st = conn.v as BinanceConnState;
    if (st.streams.has(stream)) return;
    st.streams.add(stream);
    conn.subs = st.streams.size;
    if (this.futures && st.route === "market" && ARR_PERIOD[stream] !== undefined) st.arr.set(stream, now);
    const idx = this.hubIndex(conn, stream);
    if (idx >= 0) this.ctx.hubs[this.source]!.subscribe(conn, idx, this.channelOf(stream, st.combined), now);
  }

  private removeStream(conn: Conn, stream: string): void {
    const st = conn.v as BinanceConnState;
    if (!st.streams.delete(stream)) return;
    conn.subs = st.streams.size;
    st.arr.delete(stream);
    const idx = this.hubIndex(conn, stream);
    if (idx >= 0) this.ctx.hubs[this.source]!.unsubscribe(conn, idx, this.channelOf(stream, st.combined));
  }

  /** One !markPrice@arr frame: every trading contract with a book (a JSON array; combined: wrapped). */
  private markPriceArray(stream: string, combined: boolean, now: number): string {
    const book = this.ctx.market.books[this.source]!;
    this.markEvent ??= markPriceEvent(book);
    const parts: string[] = [];
    for (const inst of this.ctx.universe.instruments[this.source]!) {
      if (inst.status !== "trading" || inst.silent || book.has[inst.index] !== 1) continue;
      parts.push(this.markEvent(inst.index, now, true, false));
    }
    const arr = `[${parts.join(",")}]`;
    return combined ? `{"stream":"${stream}","data":${arr}}` : arr;
  }

  private error(conn: Conn, code: number, msg: string, id: unknown): void {
    conn.control(`{"error":{"code":${code},"msg":${JSON.stringify(msg)}},"id":${JSON.stringify(id ?? null)}}`);
  }

  onMessage(conn: Conn, message: string | Uint8Array): void {
    const now = Date.now();
    const s = this.ctx.settings[this.source]!;
    if (conn.countClientMessage(now, s.max_client_msgs_per_sec)) {
      conn.close(1008, "Too many requests");
      return;
    }
    if (typeof message !== "string") {
      // Measured on USD-M: the same JSON as a binary frame is refused with close 1008.
      conn.close(1008, "Invalid request");
      return;
    }
    let req: any;
    try {
      req = JSON.parse(message);
    } catch {
      this.error(conn, 3, "Invalid JSON: expected value at line 1 column 1", null);
      return;
    }
    if (req === null || typeof req !== "object" || Array.isArray(req)) {
      this.error(conn, 2, "Invalid request: expected a JSON object", null);
      return;
    }
    const id = req.id;
    if (!(id === undefined || id === null || (typeof id === "number" && Number.isInteger(id)) || (typeof id === "string" && /^[A-Za-z0-9-]{1,36}$/.test(id)))) {
      this.error(conn, 2, "Invalid request: request ID must be an unsigned integer", null);
      return;
    }
    if (typeof req.method !== "string") {
      this.error(conn, 2, "Invalid request: missing field `method`", id);
      return;
    }
    const st = conn.v as BinanceConnState;
    const params = req.params;
    switch (req.method) {
      case "SUBSCRIBE":
      case "UNSUBSCRIBE": {
        if (!Array.isArray(params) || params.some((p) => typeof p !== "string" || !this.validStream(p))) {
          this.error(conn, 2, "Invalid request: invalid stream", id);
          return;
        }
        if (req.method === "SUBSCRIBE") {
          const fresh = params.filter((p: string) => !st.streams.has(p));
          if (s.max_subs > 0 && st.streams.size + new Set(fresh).size > s.max_subs) {
            this.error(conn, 4, "Too many subscriptions", id);
            return;
          }
          if (params.some((p: string) => this.ctx.faults.rejects(this.source, p.slice(0, p.indexOf("@")).toUpperCase()))) {
            this.error(conn, 2, "Invalid request: invalid stream", id);
            return;
          }
          for (const p of params) this.addStream(conn, p, now);
        } else for (const p of params) this.removeStream(conn, p);
        conn.control(`{"result":null,"id":${JSON.stringify(id ?? null)}}`);
        return;
      }
      case "LIST_SUBSCRIPTIONS":
        conn.control(`{"result":${JSON.stringify([...st.streams])},"id":${JSON.stringify(id ?? null)}}`);
        return;
      case "SET_PROPERTY": {
        if (!Array.isArray(params) || params[0] !== "combined") {
          this.error(conn, 0, "Unknown property", id);
          return;
        }
        if (typeof params[1] !== "boolean") {
          this.error(conn, 1, "Invalid value type: expected Boolean", id);
          return;
        }
        if (params[1] !== st.combined) {
          const streams = [...st.streams];
          for (const p of streams) this.removeStream(conn, p);
          st.combined = params[1];
          for (const p of streams) this.addStream(conn, p, now);
        }
        conn.control(`{"result":null,"id":${JSON.stringify(id ?? null)}}`);
        return;
      }
      case "GET_PROPERTY":
        if (!Array.isArray(params) || params[0] !== "combined") {
          this.error(conn, 0, "Unknown property", id);
          return;
        }
        conn.control(`{"result":${st.combined},"id":${JSON.stringify(id ?? null)}}`);
        return;
      default:
        this.error(conn, 2, `Invalid request: unknown variant \`${req.method}\`, expected one of ${METHODS} at line 1 column 28`, id);
    }
  }

  housekeeping(conn: Conn, now: number): void {
    // Binance heartbeats are server ping frames, handled generically from ping_interval_ms / pong_timeout_ms.
    // The all-market mark price streams push on their own clock, per connection.
    const st = conn.v as BinanceConnState | undefined;
    if (!st || st.arr.size === 0) return;
    for (const [stream, due] of st.arr) {
      if (now < due) continue;
      const period = ARR_PERIOD[stream]!;
      st.arr.set(stream, Math.max(due + period, now - period));
      conn.data(this.markPriceArray(stream, st.combined, now), now);
    }
  }

  shutdownNotice(conn: Conn, now: number): string {
    const raw = `{"e":"serverShutdown","E":${now}}`;
    return (conn.v as BinanceConnState).combined ? `{"stream":"!serverShutdown","data":${raw}}` : raw;
  }

  forcedClose(conn: Conn): void {
    conn.close(1001, "Server shutdown");
  }

  restSource(url: URL): number {
    return url.pathname.startsWith(this.futures ? "/fapi/" : "/api/") ? this.source : -1;
  }

  rest(url: URL): Response {
    return this.restApi.handle(url);
  }

  restErrorBody(status: number): string {
    return status === 429
      ? `{"code":-1003,"msg":"Too many requests; current limit of IP(127.0.0.1) is 6000 requests per minute."}`
      : `{"code":-1001,"msg":"Internal error; unable to process your request. Please try again."}`;
  }
}
