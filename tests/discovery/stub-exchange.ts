// In-test stand-in for the exchange simulator: one Bun.serve per source on an ephemeral port, serving saved REST
// instrument lists and a WebSocket that speaks each venue's real protocol (Binance combined streams + bookTicker,
// Bybit v5 orderbook.1 with whole-batch refusals, OKX bbo-tbt with per-arg 60018 errors, MEXC spot protobuf
// aggre.bookTicker, MEXC futures sub.ticker / rs.error). Per symbol it can answer, stay silent, send unusable
// prices or refuse the subscription; a source's REST or WS can be down.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SOURCE_NAMES, SourceId as S, loadExchangesConfig } from "@spread/common";
import { EXCHANGE_LIMITS, ADAPTERS, type RawInstrument } from "@spread/exchanges";
import { offlineFiles } from "@spread/discovery";
import type { Server, ServerWebSocket } from "bun";
import { SPECIAL_PRICE, priceOf } from "../fixtures-discovery/universe.ts";
import { REPO } from "./helpers.ts";

export type Behavior = "ok" | "silent" | "crossed" | "zero" | "unknown";

export interface StubQuote {
  /** Exchange price (per contract name, i.e. ×multiplier already applied). */
  price: number;
  behavior: Behavior;
}

export interface StubOptions {
  /** Folder with <source>.json / <source>.N.json as for --offline. */
  readonly restDir: string;
  /** Change the price or behaviour of a listing. */
  readonly override?: (source: number, exchangeSymbol: string, q: StubQuote) => StubQuote;
  readonly pushEveryMs?: number;
  readonly restDown?: readonly number[];
  readonly wsDown?: readonly number[];
}

export interface StubExchanges {
  /** exchanges.toml pointing every source at its stub. */
  readonly exchangesFile: string;
  readonly quotes: readonly Map<string, StubQuote>[];
  readonly subscribeFrames: number[];
  /** Client heartbeats received per source. */
  readonly pings: number[];
  /** WebSocket connections accepted per source. */
  readonly connections: number[];
  stop(): void;
}

/** Exchange price of an instrument of the fixture universe (same rule the generator used). */
export function universePrice(r: RawInstrument): number {
  if (SPECIAL_PRICE[r.base] !== undefined) return SPECIAL_PRICE[r.base]!;
  if (r.multiplierHint > 1) return priceOf(r.baseHint) * r.multiplierHint;
  return priceOf(r.base);
}

function dec(x: number): string {
  if (x === 0) return "0";
  const d = Math.min(16, Math.max(2, 7 - Math.floor(Math.log10(Math.abs(x)))));
  return x.toFixed(d);
}

interface Conn {
  source: number;
  subs: Set<string>;
}

// ---- MEXC spot protobuf (PushDataV3ApiWrapper with publicAggreBookTicker = 315) --------------------------------
function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}
function lenField(field: number, bytes: Uint8Array | number[]): number[] {
  return [...varint((field << 3) | 2), ...varint(bytes.length), ...bytes];
}
const te = new TextEncoder();
export function mexcSpotFrame(symbol: string, bid: string, ask: string, sendTime: number): Uint8Array {
  const channel = `spot@public.aggre.bookTicker.v3.api.pb@100ms@${symbol}`;
  const body = [...lenField(1, te.encode(bid)), ...lenField(2, te.encode("1.5")), ...lenField(3, te.encode(ask)), ...lenField(4, te.encode("2.5"))];
  return new Uint8Array([...lenField(1, te.encode(channel)), ...lenField(3, te.encode(symbol)), ...varint((6 << 3) | 0), ...varint(sendTime), ...lenField(315, body)]);
}

function prices(q: StubQuote): [number, number] {
  if (q.behavior === "crossed") return [q.price * 1.01, q.price * 0.99];
  if (q.behavior === "zero") return [0, q.price];
  return [q.price * 0.9995, q.price * 1.0005];
}

function pushFrame(source: number, symbol: string, q: StubQuote, seq: number): string | Uint8Array {
  const [b, a] = prices(q);
  const now = 1_790_000_000_000 + seq;
  switch (source) {
    case S.binance_spot:
      return JSON.stringify({ stream: `${symbol.toLowerCase()}@bookTicker`, data: { u: seq, s: symbol, b: dec(b), B: "10.0", a: dec(a), A: "12.0" } });
    case S.binance_futures:
      return JSON.stringify({ stream: `${symbol.toLowerCase()}@bookTicker`, data: { e: "bookTicker", u: seq, E: now, T: now, s: symbol, b: dec(b), B: "10", a: dec(a), A: "12" } });
    case S.bybit_spot:
    case S.bybit_futures:
      return JSON.stringify({ topic: `orderbook.1.${symbol}`, ts: now, type: "snapshot", data: { s: symbol, b: [[dec(b), "1.5"]], a: [[dec(a), "2.5"]], u: seq, seq }, cts: now });
    case S.okx_spot:
    case S.okx_futures:
      return JSON.stringify({ arg: { channel: "bbo-tbt", instId: symbol }, data: [{ asks: [[dec(a), "25", "0", "2"]], bids: [[dec(b), "30", "0", "3"]], ts: String(now), seqId: seq }] });
    case S.mexc_spot:
      return mexcSpotFrame(symbol, dec(b), dec(a), now);
    default:
      return JSON.stringify({ symbol, data: { symbol, lastPrice: q.price, bid1: b, ask1: a, timestamp: now }, channel: "push.ticker", ts: now });
  }
}

type Sock = ServerWebSocket<Conn>;

/** Applies one client frame; returns the symbols that became subscribed (they get a first push at once). */
function onClientFrame(ws: Sock, text: string, quotes: Map<string, StubQuote>, counter: number[], pings: number[]): string[] {
  const src = ws.data.source;
  const known = (s: string) => quotes.has(s) && quotes.get(s)!.behavior !== "unknown";
  const added: string[] = [];
  const sub = (s: string) => {
    ws.data.subs.add(s);
    added.push(s);
  };
  if (text === "ping" || /"method":"(PING|ping)"|"op":"ping"/.test(text)) pings[src]!++;
  if (text === "ping") {
    ws.send("pong");
    return added;
  }
  let m: Record<string, unknown>;
  try {
    m = JSON.parse(text);
  } catch {
    return added;
  }
  switch (src) {
    case S.binance_spot:
    case S.binance_futures: {
      if (m.method !== "SUBSCRIBE") return added;
      counter[src]!++;
      for (const t of m.params as string[]) {
        const s = t.replace(/@bookTicker$/, "").toUpperCase();
        if (known(s)) sub(s); // unknown: acknowledged all the same, then silence (real Binance behaviour)
      }
      ws.send(JSON.stringify({ result: null, id: m.id }));
      return added;
    }
    case S.bybit_spot:
    case S.bybit_futures: {
      if (m.op === "ping") {
        ws.send(JSON.stringify({ success: true, ret_msg: "pong", conn_id: "stub", req_id: m.req_id ?? "", op: "ping" }));
        return added;
      }
      if (m.op !== "subscribe") return added;
      counter[src]!++;
      const syms = (m.args as string[]).map((t) => t.replace(/^orderbook\.1\./, ""));
      const bad = syms.find((s) => !known(s));
      if (bad !== undefined) {
        // one bad topic refuses the whole request
        ws.send(JSON.stringify({ success: false, ret_msg: `error:handler not found,topic:orderbook.1.${bad}`, conn_id: "stub", req_id: m.req_id, op: "subscribe" }));
        return added;
      }
      syms.forEach(sub);
      ws.send(JSON.stringify({ success: true, ret_msg: "subscribe", conn_id: "stub", req_id: m.req_id, op: "subscribe" }));
      return added;
    }
    case S.okx_spot:
    case S.okx_futures: {
      if (m.op !== "subscribe") return added;
      counter[src]!++;
      for (const arg of m.args as { channel: string; instId: string }[]) {
        if (known(arg.instId)) {
          sub(arg.instId);
          ws.send(JSON.stringify({ id: m.id, event: "subscribe", arg, connId: "stub" }));
        } else {
          ws.send(JSON.stringify({ id: m.id, event: "error", code: "60018", msg: `Wrong URL or channel:bbo-tbt,instId:${arg.instId} doesn't exist. Please use the correct URL, channel and parameters referring to API document.`, connId: "stub" }));
        }
      }
      return added;
    }
    case S.mexc_spot: {
      if (m.method === "PING") {
        ws.send(JSON.stringify({ id: 0, code: 0, msg: "PONG" }));
        return added;
      }
      if (m.method !== "SUBSCRIPTION") return added;
      counter[src]!++;
      const ok: string[] = [];
      for (const ch of m.params as string[]) {
        const s = ch.split("@").pop()!;
        if (known(s)) {
          sub(s);
          ok.push(ch);
        } else ws.send(JSON.stringify({ id: m.id, code: 0, msg: `Not Subscribed successfully! [${ch}].  Reason： Blocked! ` }));
      }
      if (ok.length) ws.send(JSON.stringify({ id: m.id, code: 0, msg: ok.join(",") }));
      return added;
    }
    default: {
      if (m.method === "ping") {
        ws.send(JSON.stringify({ channel: "pong", data: Date.now(), ts: Date.now() }));
        return added;
      }
      if (m.method !== "sub.ticker") return added;
      counter[src]!++;
      const s = (m.param as { symbol: string }).symbol;
      if (known(s)) {
        sub(s);
        ws.send(JSON.stringify({ channel: "rs.sub.ticker", data: "success", ts: Date.now() }));
      } else ws.send(JSON.stringify({ channel: "rs.error", data: `Contract [${s}] not exists`, ts: Date.now() }));
      return added;
    }
  }
}

/** REST bodies of one source: page 1 without cursor, page k+1 for page k's nextPageCursor (Bybit). */
function restPages(dir: string, source: number): { first: string | null; byCursor: Map<string, string> } {
  const files = offlineFiles(dir, source);
  const bodies = files.map((f) => readFileSync(f, "utf8"));
  const byCursor = new Map<string, string>();
  bodies.forEach((b, i) => {
    const next = (JSON.parse(b) as { result?: { nextPageCursor?: string } }).result?.nextPageCursor;
    if (next && bodies[i + 1]) byCursor.set(decodeURIComponent(next), bodies[i + 1]!);
  });
  return { first: bodies[0] ?? null, byCursor };
}

export function startStubExchanges(o: StubOptions): StubExchanges {
  const pushEvery = o.pushEveryMs ?? 400;
  const servers: Server<Conn>[] = [];
  const timers: ReturnType<typeof setInterval>[] = [];
  const quotes: Map<string, StubQuote>[] = [];
  const counter = SOURCE_NAMES.map(() => 0);
  const pings = SOURCE_NAMES.map(() => 0);
  const connections = SOURCE_NAMES.map(() => 0);
  const sections: string[] = [];
  const base = loadExchangesConfig(join(REPO, "config/exchanges.sim.toml"), EXCHANGE_LIMITS);
  let seq = 1;
  for (let src = 0; src < SOURCE_NAMES.length; src++) {
    const name = SOURCE_NAMES[src]!;
    const q = new Map<string, StubQuote>();
    const pages = restPages(o.restDir, src);
    if (pages.first) {
      const adapter = ADAPTERS[src]!;
      const all = [pages.first, ...pages.byCursor.values()].flatMap((b) => adapter.parseInstruments(JSON.parse(b)));
      for (const r of all) {
        const quote = { price: universePrice(r), behavior: "ok" as Behavior };
        q.set(r.exchangeSymbol, o.override ? o.override(src, r.exchangeSymbol, quote) : quote);
      }
    }
    quotes.push(q);
    const sockets = new Set<Sock>();
    const restDown = o.restDown?.includes(src) ?? false;
    const wsDown = o.wsDown?.includes(src) ?? false;
    const server = Bun.serve<Conn>({
      port: 0,
      hostname: "127.0.0.1",
      fetch(req, srv) {
        if (req.headers.get("upgrade")?.toLowerCase() === "websocket") {
          if (wsDown) return new Response("down", { status: 503 });
          return srv.upgrade(req, { data: { source: src, subs: new Set<string>() } }) ? undefined : new Response("no upgrade", { status: 400 });
        }
        if (restDown || !pages.first) return new Response(JSON.stringify({ code: -1, msg: "service unavailable" }), { status: 503 });
        const cursor = new URL(req.url).searchParams.get("cursor");
        const body = cursor ? pages.byCursor.get(cursor) : pages.first;
        return body ? new Response(body, { headers: { "content-type": "application/json" } }) : new Response("bad cursor", { status: 400 });
      },
      websocket: {
        perMessageDeflate: false,
        open(ws) {
          connections[src]!++;
          sockets.add(ws);
        },
        message(ws, msg) {
          const added = onClientFrame(ws, typeof msg === "string" ? msg : new TextDecoder().decode(msg), q, counter, pings);
          for (const s of added) {
            const quote = q.get(s)!;
            if (quote.behavior !== "silent") ws.send(pushFrame(src, s, quote, seq++));
          }
        },
        close(ws) {
          sockets.delete(ws);
        },
      },
    });
    servers.push(server);
    timers.push(
      setInterval(() => {
        for (const ws of sockets) for (const s of ws.data.subs) {
          const quote = q.get(s)!;
          if (quote.behavior !== "silent") ws.send(pushFrame(src, s, quote, seq++));
        }
      }, pushEvery),
    );
    const ep = base[name];
    const http = `http://127.0.0.1:${server.port}`;
    const ws = `ws://127.0.0.1:${server.port}`;
    sections.push(
      [`[${name}]`, `rest_url = "${http}"`, `ws_url = "${ws}"`, ...Object.entries(ep).filter(([k]) => k !== "rest_url" && k !== "ws_url" && k !== "rest_fallback_urls").map(([k, v]) => `${k} = ${typeof v === "number" ? v : JSON.stringify(v)}`), ""].join("\n"),
    );
  }
  const exchangesFile = join(mkdtempSync(join(tmpdir(), "discovery-stub-")), "exchanges.stub.toml");
  writeFileSync(exchangesFile, sections.join("\n"));
  return {
    exchangesFile,
    quotes,
    subscribeFrames: counter,
    pings,
    connections,
    stop() {
      timers.forEach(clearInterval);
      servers.forEach((s) => s.stop(true));
    },
  };
}
