// Shared test helpers for the OKX and MEXC adapters: raw message spans of fixtures (text kept byte-exact),
// the MEXC wire schema for protobufjs (reference decoder only), reference parsers and a GC-count probe.
import { expect } from "bun:test";
import protobuf from "protobufjs";
import { FrameKind, QuoteRecord, type FrameKindValue } from "../../packages/exchanges/src/types.ts";
import { fixtureText } from "../fixtures.ts";

export function hexToBytes(hex: string): Uint8Array {
  const h = hex.trim();
  const b = new Uint8Array(h.length / 2);
  for (let i = 0; i < b.length; i++) b[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return b;
}

// ---------------------------------------------------------------- raw JSON spans (numbers kept as written)

/** End index of the JSON value starting at i (test-only; throws on bad JSON). */
function valueEnd(s: string, i: number): number {
  const c = s[i];
  if (c === '"') {
    for (let k = i + 1; ; k++) {
      if (s[k] === "\\") k++;
      else if (s[k] === '"') return k + 1;
      if (k >= s.length) throw new Error("unterminated string");
    }
  }
  if (c === "{" || c === "[") {
    let depth = 0;
    for (let k = i; k < s.length; k++) {
      const d = s[k];
      if (d === '"') k = valueEnd(s, k) - 1;
      else if (d === "{" || d === "[") depth++;
      else if (d === "}" || d === "]") if (--depth === 0) return k + 1;
    }
    throw new Error("unterminated container");
  }
  let k = i;
  while (k < s.length && !",]} \n\r\t".includes(s[k]!)) k++;
  return k;
}

function ws(s: string, i: number): number {
  while (i < s.length && " \n\r\t".includes(s[i]!)) i++;
  return i;
}

/** Members of the object at i as [name, valueStart, valueEnd]. */
function members(s: string, i: number): [string, number, number][] {
  const out: [string, number, number][] = [];
  i = ws(s, i + 1);
  if (s[i] === "}") return out;
  for (;;) {
    const ke = valueEnd(s, i);
    const name = JSON.parse(s.slice(i, ke)) as string;
    i = ws(s, ws(s, ke) + 1);
    const ve = valueEnd(s, i);
    out.push([name, i, ve]);
    i = ws(s, ve);
    if (s[i] === "}") return out;
    i = ws(s, i + 1);
  }
}

/** Elements of the array at i as [start, end]. */
function elements(s: string, i: number): [number, number][] {
  const out: [number, number][] = [];
  i = ws(s, i + 1);
  if (s[i] === "]") return out;
  for (;;) {
    const e = valueEnd(s, i);
    out.push([i, e]);
    i = ws(s, e);
    if (s[i] === "]") return out;
    i = ws(s, i + 1);
  }
}

/** Raw text of the value at a path of keys / indexes in a JSON text (numbers keep their written form). */
export function rawValue(text: string, ...path: (string | number)[]): string {
  let start = ws(text, 0);
  for (const step of path) {
    if (typeof step === "number") {
      const el = elements(text, start)[step];
      if (!el) throw new Error(`no element ${step}`);
      start = el[0];
    } else {
      const m = members(text, start).find(([n]) => n === step);
      if (!m) throw new Error(`no member ${step}`);
      start = m[1];
    }
  }
  return text.slice(start, valueEnd(text, start));
}

export interface RawEntry {
  readonly index: number;
  readonly kind: string;
  readonly source: string;
  /** The message text(s) exactly as written in the fixture (pairs [request, reply] give two). Empty for prose. */
  readonly frames: readonly string[];
  /** A prose description instead of a frame (OKX heartbeat entry). */
  readonly prose: string | null;
}

/** Entries of a ws_*.json fixture ({"_note","entries":[{kind,source,message}]}) with byte-exact message text. */
export function rawEntries(dir: string, file: string): RawEntry[] {
  const s = fixtureText(dir, file);
  const top = members(s, ws(s, 0));
  const ent = top.find(([n]) => n === "entries");
  if (!ent) throw new Error(`${file}: no entries`);
  return elements(s, ent[1]).map(([a], index) => {
    const m = members(s, a);
    const get = (n: string): [string, number, number] | undefined => m.find(([k]) => k === n);
    const msg = get("message")!;
    const text = s.slice(msg[1], msg[2]);
    const kind = JSON.parse(s.slice(get("kind")![1], get("kind")![2])) as string;
    const source = JSON.parse(s.slice(get("source")![1], get("source")![2])) as string;
    if (text.startsWith('"')) return { index, kind, source, frames: [], prose: JSON.parse(text) as string };
    if (text.startsWith("[")) return { index, kind, source, frames: elements(s, msg[1]).map(([x, y]) => s.slice(x, y)), prose: null };
    return { index, kind, source, frames: [text], prose: null };
  });
}

// ---------------------------------------------------------------- MEXC protobuf reference (protobufjs)

/** MEXC spot push wrapper with the verbatim field numbers of mexcdevelop/websocket-proto @ 7b8ac7a (okx-mexc.md §4.3): one schema, shared with the simulator tests. */
import { MEXC_PROTO } from "../sim/proto-schema.ts";
export { prng } from "../prng.ts";

export { MEXC_PROTO };

let root: protobuf.Root | null = null;
export function mexcType(name: string): protobuf.Type {
  root ??= protobuf.parse(MEXC_PROTO).root;
  return root.lookupType(name);
}

export interface MexcDecoded {
  channel?: string;
  symbol?: string;
  symbolId?: string;
  createTime?: number;
  sendTime?: number;
  publicAggreBookTicker?: { bidPrice?: string; bidQuantity?: string; askPrice?: string; askQuantity?: string; version?: string; lastOrderCreateTime?: number };
  publicBookTickerBatch?: { items?: { bidPrice?: string; bidQuantity?: string; askPrice?: string; askQuantity?: string }[]; version?: string };
  publicLimitDepths?: { asks?: { price?: string; quantity?: string }[]; bids?: { price?: string; quantity?: string }[]; eventType?: string; version?: string; lastOrderCreateTime?: number };
}

/** protobufjs decode of a wrapper, int64 as Number. */
export function mexcDecode(bytes: Uint8Array): MexcDecoded {
  const W = mexcType("PushDataV3ApiWrapper");
  return W.toObject(W.decode(bytes), { longs: Number }) as MexcDecoded;
}

export function mexcEncode(obj: MexcDecoded): Uint8Array {
  const W = mexcType("PushDataV3ApiWrapper");
  return W.encode(W.fromObject(obj as Record<string, unknown>)).finish();
}

/** Best level per protobufjs: the same selection rule as the adapter (315 itself, 311 last item, 303 first levels). */
export function mexcReferenceQuote(d: MexcDecoded): { sym: string; bid: string | undefined; ask: string | undefined; bidQty: string | undefined; askQty: string | undefined; ts: number } | null {
  const sym = d.symbol ?? "";
  const ts = d.sendTime ?? d.createTime ?? 0;
  if (d.publicAggreBookTicker) {
    const t = d.publicAggreBookTicker;
    return { sym, bid: t.bidPrice, ask: t.askPrice, bidQty: t.bidQuantity, askQty: t.askQuantity, ts };
  }
  if (d.publicBookTickerBatch) {
    const t = d.publicBookTickerBatch.items?.at(-1);
    return { sym, bid: t?.bidPrice, ask: t?.askPrice, bidQty: t?.bidQuantity, askQty: t?.askQuantity, ts };
  }
  if (d.publicLimitDepths) {
    const a = d.publicLimitDepths.asks?.[0];
    const b = d.publicLimitDepths.bids?.[0];
    return { sym, bid: b?.price, ask: a?.price, bidQty: b?.quantity, askQty: a?.quantity, ts };
  }
  return null;
}

// ---------------------------------------------------------------- assertions support

/** Plain copy of a QuoteRecord for toEqual. */
export function snap(q: QuoteRecord): Record<string, unknown> {
  return { ...q };
}

/** Same bits (distinguishes -0/0 and NaN payloads are all NaN). */
export function sameBits(a: number, b: number): boolean {
  return Object.is(a, b);
}

export function newRecord(): QuoteRecord {
  return new QuoteRecord();
}

/** What a parse wrote for one quote, in the shape of a JSON.parse reference. */
export interface Quote {
  sym: string;
  bid: number;
  ask: number;
  bidQty: number;
  askQty: number;
  ts: number;
}

/** The quote `out` holds after parsing `frame` (the symbol as the frame's own span). */
export function quoteOf(frame: string, out: QuoteRecord): Quote {
  return { sym: frame.slice(out.symStart, out.symEnd), bid: out.bid, ask: out.ask, bidQty: out.bidQty, askQty: out.askQty, ts: out.exchangeTsMs };
}

/** Same symbol and the same bits in every number (-0 is not 0), naming the first field that differs. */
export function expectSameBits(a: Quote, b: Quote): void {
  expect(a.sym).toBe(b.sym);
  for (const k of ["bid", "ask", "bidQty", "askQty", "ts"] as const) if (!Object.is(a[k], b[k])) throw new Error(`${k}: ${a[k]} !== ${b[k]}`);
}

/** Every frame is Malformed with a message in `out`; a failure names the frame. */
export function expectAllMalformed(frames: readonly string[], parse: (f: string) => FrameKindValue, out: QuoteRecord): void {
  for (const f of frames) {
    expect(`${f} → ${parse(f)}`).toBe(`${f} → ${FrameKind.Malformed}`);
    expect(typeof out.message).toBe("string");
  }
}


/** A random decimal string: 1-19 significant digits, 0-12 decimals, no exponent (incl. long decimals). */
export function randomDecimal(rnd: () => number, maxInt = 6): string {
  const intDigits = Math.floor(rnd() * maxInt);
  let s = intDigits === 0 ? "0" : String(1 + Math.floor(rnd() * 9));
  for (let k = 1; k < intDigits; k++) s += String(Math.floor(rnd() * 10));
  const dec = Math.floor(rnd() * 13);
  if (dec > 0) {
    s += ".";
    for (let k = 0; k < dec; k++) s += String(Math.floor(rnd() * 10));
  }
  if (/^0(\.0*)?$/.test(s)) s = "0.5";
  return s;
}

