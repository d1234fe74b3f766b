// MEXC spot frames through parseMexcSpot: the real protobuf frames (.bin, .hex) against their .named/.decoded
// renderings and protobufjs, every JSON control message, synthetic protobufjs frames, edge cases, allocation.
import { describe, expect, test } from "bun:test";
import protobuf from "protobufjs";
import { parseMexcSpot } from "../../packages/exchanges/src/mexc/parse.ts";
import { symbolsOfChannels } from "../../packages/exchanges/src/mexc/control.ts";
import { FrameKind, InvalidReason, QuoteRecord, type FrameKindValue } from "../../packages/exchanges/src/types.ts";
import { mexc } from "@spread/exchanges";
import { SymbolTable } from "../../packages/exchanges/src/symbol-table.ts";
import { gcCountDuring } from "./helpers-parse-fuzz.ts";
import {
  hexToBytes,
  mexcDecode,
  mexcEncode,
  mexcReferenceQuote,
  mexcType,
  prng,
  randomDecimal,
  rawEntries,
  type MexcDecoded,
} from "./helpers-okx-mexc.ts";
import { fixtureBytes, fixtureJson, fixturePath, fixtureText, listFixtures } from "../fixtures.ts";

const mexcSpot = mexc.spot;

const table = new SymbolTable(["ETHUSDT", "BTCUSDT", "PEPEUSDT"]);
const out = new QuoteRecord();
const parse = (f: string | Uint8Array, t: SymbolTable | null = table): FrameKindValue => parseMexcSpot(f, out, t);
const FRAMES = ["aggre_bookTicker_BTCUSDT_2026-05-17", "aggre_bookTicker_BTCUSDT_2026-09-25_with_version", "limit_depth5_BTCUSDT_2026-09-25"];

const sym = (b: Uint8Array): string => new TextDecoder().decode(b.subarray(out.symStart, out.symEnd));
const num = (v: string | undefined): number => (v === undefined || v === "" ? Number.NaN : parseFloat(v));

/** Asserts the adapter's record equals the protobufjs reference, bit for bit. */
function expectMatchesReference(bytes: Uint8Array, kind: FrameKindValue): void {
  const d = mexcDecode(bytes);
  const ref = mexcReferenceQuote(d)!;
  const bid = num(ref.bid);
  const ask = num(ref.ask);
  if (Number.isNaN(bid) || Number.isNaN(ask)) {
    expect(kind).toBe(FrameKind.Invalid);
    expect(out.invalidReason).toBe(InvalidReason.EmptySide);
  } else {
    expect(kind).toBe(bid > 0 && ask > 0 && bid <= ask && Number.isFinite(bid) && Number.isFinite(ask) ? FrameKind.Update : FrameKind.Invalid);
    for (const [a, b] of [
      [out.bid, bid],
      [out.ask, ask],
      [out.bidQty, num(ref.bidQty)],
      [out.askQty, num(ref.askQty)],
    ] as const) {
      if (!Object.is(a, b)) throw new Error(`value ${a} !== ${b}`);
    }
  }
  const wantSym = d.symbol ?? "";
  if (wantSym !== "") expect(sym(bytes)).toBe(wantSym);
  expect(out.exchangeTsMs).toBe(ref.ts);
}

describe("mexc spot protobuf fixtures", () => {
  test("every file in mexc_spot/ is covered by these tests", () => {
    expect(listFixtures("mexc_spot", { recursive: true, withSources: true })).toEqual([
      "SOURCE.txt",
      "exchangeInfo.json",
      "exchangeInfo_BTCUSDT.json",
      "frames/SOURCE.txt",
      ...FRAMES.flatMap((f) => [`frames/${f}.bin`, `frames/${f}.decoded.json`, `frames/${f}.hex`, `frames/${f}.named.json`]).sort(),
      "rest_ticker_bookTicker.json",
      "ws_control_messages.json",
    ]);
  });

  for (const name of FRAMES) {
    test(`frames/${name}: .bin = .hex, decodes to exactly .named.json`, () => {
      const bin = fixtureBytes("mexc_spot", `frames/${name}.bin`);
      const hex = hexToBytes(fixtureText("mexc_spot", `frames/${name}.hex`));
      expect(Buffer.from(bin).equals(Buffer.from(hex))).toBe(true);
      const named = fixtureJson("mexc_spot", `frames/${name}.named.json`) as MexcDecoded;
      // The reference decoder reproduces the fixture's own rendering (schema check).
      expect(mexcDecode(bin)).toEqual(named);

      for (const bytes of [bin, hex, Buffer.from(hex), embed(hex)]) {
        const kind = parse(bytes);
        expect(kind).toBe(FrameKind.Update);
        expect(out.symbolIndex).toBe(1);
        expect(sym(bytes)).toBe(named.symbol!);
        expect(out.exchangeTsMs).toBe(named.sendTime!);
        const ref = mexcReferenceQuote(named)!;
        expect([out.bid, out.ask, out.bidQty, out.askQty]).toEqual([parseFloat(ref.bid!), parseFloat(ref.ask!), parseFloat(ref.bidQty!), parseFloat(ref.askQty!)]);
        expectMatchesReference(bytes, kind);
      }
    });

    test(`frames/${name}: .decoded.json (schema-less walk) agrees with the frame`, () => {
      const bin = fixtureBytes("mexc_spot", `frames/${name}.bin`);
      const dec = fixtureJson("mexc_spot", `frames/${name}.decoded.json`) as { bytes: number; fields_by_number: [number, string, unknown][] };
      expect(dec.bytes).toBe(bin.length);
      expect(schemaLessWalk(bin)).toEqual(dec.fields_by_number);
    });
  }

  test("literal values of the three real frames", () => {
    const want = [
      { bid: 78161.17, ask: 78161.18, bidQty: 17.55793416, askQty: 0.10677647, ts: 1778994237706 },
      { bid: 84270, ask: 84270.01, bidQty: 0.006387, askQty: 5.42169969, ts: 1790281243450 },
      { bid: 84270, ask: 84270.01, bidQty: 0.006387, askQty: 5.42169969, ts: 1790281247251 }, // depth5: first ask/bid
    ];
    FRAMES.forEach((name, k) => {
      expect(parse(fixtureBytes("mexc_spot", `frames/${name}.bin`))).toBe(FrameKind.Update);
      expect({ bid: out.bid, ask: out.ask, bidQty: out.bidQty, askQty: out.askQty, ts: out.exchangeTsMs }).toEqual(want[k]!);
      expect([out.symStart, out.symEnd]).toEqual(k === 2 ? [47, 54] : [56, 63]);
    });
  });
});

/** Inside a larger buffer at an odd offset: the walk must use the view, not the backing buffer. */
function embed(b: Uint8Array): Uint8Array {
  const big = new Uint8Array(b.length + 17).fill(0xff);
  big.set(b, 7);
  return big.subarray(7, 7 + b.length);
}

/** Which length-delimited fields are messages, per message kind (the rest are strings), as in .decoded.json. */
const NESTED: Record<string, Record<number, string>> = { wrapper: { 303: "depth", 315: "ticker" }, depth: { 1: "level", 2: "level" }, ticker: {}, level: {} };

/** Test-side schema-less walk producing the .decoded.json shape, on protobufjs's Reader. */
function schemaLessWalk(b: Uint8Array, kind = "wrapper"): [number, string, unknown][] {
  const r = protobuf.Reader.create(b);
  const fields: [number, string, unknown][] = [];
  while (r.pos < r.len) {
    const tag = r.uint32();
    const f = tag >>> 3;
    const wt = tag & 7;
    if (wt === 0) fields.push([f, "varint", Number(r.int64().toString())]);
    else if (wt === 2) {
      const bytes = r.bytes();
      const sub = NESTED[kind]![f];
      if (sub) fields.push([f, "message", schemaLessWalk(bytes, sub)]);
      else fields.push([f, "string", new TextDecoder().decode(bytes)]);
    } else r.skipType(wt);
  }
  return fields;
}

describe("mexc spot JSON control messages", () => {
  test("mexc_spot/ws_control_messages.json: every entry", () => {
    const entries = rawEntries("mexc_spot", "ws_control_messages.json");
    expect(entries.length).toBe(8);
    const kinds = entries.map((e) => e.frames.map((f) => parse(f)));
    const K = FrameKind;
    expect(kinds).toEqual([[K.Unknown], [K.Ack], [K.SubError], [K.Unknown, K.Ack], [K.Unknown, K.Pong], [K.Unknown], [K.Unknown], [K.Unknown]]);
    parse(entries[1]!.frames[0]!);
    expect({ reqId: out.reqId, message: out.message, rejected: out.rejected }).toEqual({ reqId: "0", message: "spot@public.aggre.deals.v3.api.pb@100ms@BTCUSDT", rejected: null });
    parse(entries[2]!.frames[0]!);
    expect(out.rejected).toEqual(["BTCUSDT"]);
    expect(out.message).toBe(
      "Not Subscribed successfully! [spot@public.increase.depth.v3.api@BTCUSDT,spot@public.aggre.deals.v3.api.pb@BTCUSDT,spot@public.aggre.bookTicker.v3.api.pb@BTCUSDT].  Reason： Blocked! ",
    );
    parse(entries[4]!.frames[1]!);
    expect(out.message).toBe("PONG");
    // The client PING the adapter sends is the documented one.
    expect(JSON.parse(mexcSpot.heartbeat.clientPing!)).toEqual(JSON.parse(entries[4]!.frames[0]!));
    // The documented subscribe request carries the same channel our topic() builds.
    expect((JSON.parse(entries[0]!.frames[0]!) as { params: string[] }).params).toEqual([mexcSpot.topic("btcusdt")]);
  });

  test("rejections name the symbols in the brackets; other control text", () => {
    expect(parse('{"id":3,"code":0,"msg":"Not Subscribed successfully! [spot@public.aggre.bookTicker.v3.api.pb@100ms@AAAUSDT,spot@public.aggre.bookTicker.v3.api.pb@100ms@BBBUSDT].  Reason： Blocked! "}')).toBe(FrameKind.SubError);
    expect([out.rejected, out.reqId]).toEqual([["AAAUSDT", "BBBUSDT"], "3"]);
    expect(parse('{"id":0,"code":0,"msg":"Not Subscribed successfully! Reason： Blocked! "}')).toBe(FrameKind.SubError);
    expect(out.rejected).toBeNull();
    expect(parse('{"id":0,"code":1,"msg":"invalid"}')).toBe(FrameKind.SubError);
    expect(parse('{"id":0,"code":0,"msg":"something new"}')).toBe(FrameKind.Unknown);
    expect(parse('{"id":0,"code":0,"msg":"spot@public.aggre.bookTicker.v3.api.pb@100ms@BTCUSDT,spot@public.aggre.bookTicker.v3.api.pb@100ms@ETHUSDT"}')).toBe(FrameKind.Ack);
    for (const bad of ["", "{", "PONG", "[1]", "42", '"x"', "null"]) expect(parse(bad)).toBe(FrameKind.Malformed);
    expect(symbolsOfChannels("spot@public.miniTicker.v3.api@BTCUSDT@UTC+0, spot@public.limit.depth.v3.api.pb@ETHUSDT@5,spot@public.aggre.bookTicker.v3.api.pb@10ms@BTCUSDT")).toEqual(["BTCUSDT", "ETHUSDT"]);
  });
});

// ---------------------------------------------------------------- synthetic frames

type Chunk = Uint8Array;
const tag = (f: number, wt: number): protobuf.Writer => protobuf.Writer.create().uint32((f << 3) | wt);
const strField = (f: number, s: string): Chunk => tag(f, 2).string(s).finish();
const bytesField = (f: number, b: Uint8Array): Chunk => tag(f, 2).bytes(b).finish();
const varintField = (f: number, v: number): Chunk => tag(f, 0).int64(v).finish();
const concat = (cs: Chunk[]): Uint8Array => {
  const out = new Uint8Array(cs.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of cs) {
    out.set(c, o);
    o += c.length;
  }
  return out;
};

function unknownFields(rnd: () => number): Chunk[] {
  const cs: Chunk[] = [];
  const n = Math.floor(rnd() * 3);
  for (let k = 0; k < n; k++) {
    const f = [7, 9, 12, 99, 200, 1000, 536870911][Math.floor(rnd() * 7)]!;
    const kind = Math.floor(rnd() * 4);
    if (kind === 0) cs.push(varintField(f, Math.floor(rnd() * 2 ** 52)));
    else if (kind === 1) cs.push(tag(f, 1).fixed64(Math.floor(rnd() * 2 ** 40)).finish());
    else if (kind === 2) cs.push(tag(f, 5).fixed32(Math.floor(rnd() * 2 ** 31)).finish());
    else cs.push(bytesField(f, new Uint8Array(Math.floor(rnd() * 40)).map(() => Math.floor(rnd() * 256))));
  }
  return cs;
}

function shuffle<T>(a: T[], rnd: () => number): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

function tickerBody(rnd: () => number, withExtra: boolean): Uint8Array {
  const cs: Chunk[] = [];
  const maybe = (f: number, v: string): void => {
    if (rnd() < 0.95) cs.push(strField(f, v));
  };
  maybe(1, randomDecimal(rnd));
  maybe(2, randomDecimal(rnd));
  maybe(3, randomDecimal(rnd));
  maybe(4, randomDecimal(rnd));
  if (withExtra) {
    cs.push(strField(5, String(Math.floor(rnd() * 1e11))), varintField(6, 1790281240471 + Math.floor(rnd() * 1e6)));
  }
  if (rnd() < 0.3) cs.push(strField(1, randomDecimal(rnd))); // repeated scalar: last wins, like protobufjs
  return concat(shuffle([...cs, ...unknownFields(rnd)], rnd));
}

function randomFrame(rnd: () => number, symbols: string[]): Uint8Array {
  const s = symbols[Math.floor(rnd() * symbols.length)]!;
  const which = Math.floor(rnd() * 3);
  let body: Chunk;
  let channel: string;
  if (which === 0) {
    body = bytesField(315, tickerBody(rnd, rnd() < 0.5));
    channel = `spot@public.aggre.bookTicker.v3.api.pb@100ms@${s}`;
  } else if (which === 1) {
    const items = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => bytesField(1, tickerBody(rnd, false)));
    body = bytesField(311, concat(shuffle([...items, strField(2, "123"), varintField(3, 1790281240471)], rnd)));
    channel = `spot@public.bookTicker.batch.v3.api.pb@${s}`;
  } else {
    const level = (): Chunk => concat(shuffle([strField(1, randomDecimal(rnd)), strField(2, randomDecimal(rnd)), ...unknownFields(rnd)], rnd));
    const asks = Array.from({ length: Math.floor(rnd() * 4) }, () => bytesField(1, level()));
    const bids = Array.from({ length: Math.floor(rnd() * 4) }, () => bytesField(2, level()));
    // asks/bids may interleave on the wire; relative order within each list is kept
    const merged: Chunk[] = [];
    while (asks.length || bids.length) merged.push((rnd() < 0.5 && asks.length) || !bids.length ? asks.shift()! : bids.shift()!);
    body = bytesField(303, concat([...merged, strField(3, "spot@public.limit.depth.v3.api.pb"), strField(4, "82164155643")]));
    channel = `spot@public.limit.depth.v3.api.pb@${s}@5`;
  }
  const wrapper: Chunk[] = [strField(1, channel), body, varintField(6, 1700000000000 + Math.floor(rnd() * 1e11)), ...unknownFields(rnd)];
  if (rnd() < 0.9) wrapper.push(strField(3, s));
  if (rnd() < 0.2) wrapper.push(strField(4, "sid"), varintField(5, 1690000000000));
  return concat(shuffle(wrapper, rnd));
}

describe("mexc spot synthetic protobuf frames (protobufjs reference)", () => {
  test("3000 random frames: 315/311/303 bodies, shuffled fields, unknown fields, long decimals — same values as protobufjs", () => {
    const rnd = prng(2026);
    const symbols = ["BTCUSDT", "ETHUSDT", "PEPEUSDT", "NEWCOINUSDT", "X".repeat(40)];
    for (let k = 0; k < 3000; k++) {
      const f = randomFrame(rnd, symbols);
      const kind = parse(f);
      const d = mexcDecode(f);
      expect(kind === FrameKind.Update || kind === FrameKind.Invalid).toBe(true);
      expectMatchesReference(f, kind);
      const s = d.symbol ?? (d.channel!.endsWith("@5") ? d.channel!.split("@").at(-2)! : d.channel!.split("@").at(-1)!);
      expect(sym(f)).toBe(s);
      expect(out.symbolIndex).toBe(table.get(s));
    }
  });

  test("encoder round trip of fixed objects (fromObject → encode → walk)", () => {
    const f = mexcEncode({
      channel: "spot@public.bookTicker.batch.v3.api.pb@PEPEUSDT",
      symbol: "PEPEUSDT",
      sendTime: 1739503249114,
      publicBookTickerBatch: {
        items: [
          { bidPrice: "0.000011", bidQuantity: "1", askPrice: "0.000012", askQuantity: "2" },
          { bidPrice: "0.00001234567890123456", bidQuantity: "3", askPrice: "0.0000123456789012346", askQuantity: "4" },
        ],
      },
    });
    expect(parse(f)).toBe(FrameKind.Update);
    expect([out.bid, out.ask, out.bidQty, out.askQty, out.exchangeTsMs, out.symbolIndex]).toEqual([0.00001234567890123456, 0.0000123456789012346, 3, 4, 1739503249114, 2]);
  });
});

describe("mexc spot edge cases", () => {
  const agg = (t: Record<string, string>, over: MexcDecoded = {}): Uint8Array =>
    mexcEncode({ channel: "spot@public.aggre.bookTicker.v3.api.pb@100ms@BTCUSDT", symbol: "BTCUSDT", sendTime: 1790281243450, publicAggreBookTicker: t, ...over });

  test("crossed / zero / negative / non-finite / empty side → Invalid; exponent form parses", () => {
    const cases: [Record<string, string>, number][] = [
      [{ bidPrice: "2", askPrice: "1" }, InvalidReason.Crossed],
      [{ bidPrice: "0", askPrice: "1" }, InvalidReason.NonPositive],
      [{ bidPrice: "-1", askPrice: "1" }, InvalidReason.NonPositive],
      [{ bidPrice: "1", askPrice: "1e999" }, InvalidReason.NonFinite],
      [{ askPrice: "1" }, InvalidReason.EmptySide],
      [{ bidPrice: "1", askPrice: "" }, InvalidReason.EmptySide],
    ];
    for (const [t, why] of cases) {
      expect(parse(agg(t))).toBe(FrameKind.Invalid);
      expect(out.invalidReason as number).toBe(why);
      expect(out.symbolIndex).toBe(1);
    }
    expect(parse(agg({ bidPrice: "3.4102e-06", bidQuantity: "1E+3", askPrice: "3.4103E-6", askQuantity: "7.548e4" }))).toBe(FrameKind.Update);
    expect([out.bid, out.ask, out.bidQty, out.askQty]).toEqual([3.4102e-6, 3.4103e-6, 1000, 75480]);
    expect(parse(agg({ bidPrice: "1", askPrice: "1" }))).toBe(FrameKind.Update); // no sizes → NaN
    expect([out.bidQty, out.askQty]).toEqual([Number.NaN, Number.NaN]);
    const depthEmpty = mexcEncode({ channel: "spot@public.limit.depth.v3.api.pb@BTCUSDT@5", symbol: "BTCUSDT", publicLimitDepths: { asks: [], bids: [{ price: "1", quantity: "1" }] } });
    expect(parse(depthEmpty)).toBe(FrameKind.Invalid);
    expect(out.invalidReason).toBe(InvalidReason.EmptySide);
    const batchEmpty = mexcEncode({ channel: "x", symbol: "BTCUSDT", publicBookTickerBatch: { items: [] } });
    expect(parse(batchEmpty)).toBe(FrameKind.Invalid);
  });

  test("symbol from the channel when field 3 is absent; timestamps; unknown bodies", () => {
    expect(parse(agg({ bidPrice: "1", askPrice: "2" }, { symbol: undefined }))).toBe(FrameKind.Update);
    const f1 = agg({ bidPrice: "1", askPrice: "2" }, { symbol: undefined });
    parse(f1);
    expect(sym(f1)).toBe("BTCUSDT");
    const f2 = mexcEncode({ channel: "spot@public.limit.depth.v3.api.pb@ETHUSDT@10", publicLimitDepths: { asks: [{ price: "2" }], bids: [{ price: "1" }] } });
    expect(parse(f2)).toBe(FrameKind.Update);
    expect([sym(f2), out.symbolIndex, out.exchangeTsMs]).toEqual(["ETHUSDT", 0, 0]);
    expect(parse(mexcEncode({ publicAggreBookTicker: { bidPrice: "1", askPrice: "2" } }))).toBe(FrameKind.Malformed); // no symbol anywhere
    expect(parse(agg({ bidPrice: "1", askPrice: "2" }, { sendTime: undefined, createTime: 1700000000001 }))).toBe(FrameKind.Update);
    expect(out.exchangeTsMs).toBe(1700000000001);
    const neg = agg({ bidPrice: "1", askPrice: "2" }, { sendTime: -5 });
    parse(neg);
    expect(out.exchangeTsMs).toBe(mexcDecode(neg).sendTime!); // -5, two's complement like protobufjs
    expect(out.exchangeTsMs).toBe(-5);
    // other oneof bodies (deals 301, kline 308, ...) and a body-less wrapper
    expect(parse(concat([strField(1, "spot@public.aggre.deals.v3.api.pb@100ms@BTCUSDT"), strField(3, "BTCUSDT"), bytesField(314, strField(1, "x"))]))).toBe(FrameKind.Unknown);
    expect(parse(concat([strField(1, "x"), varintField(6, 1)]))).toBe(FrameKind.Unknown);
    // a book-ticker or depth push without its body was cut at a field boundary (the simulator's truncated frames)
    for (const ch of ["spot@public.aggre.bookTicker.v3.api.pb@100ms@BTCUSDT", "spot@public.bookTicker.batch.v3.api.pb@BTCUSDT", "spot@public.limit.depth.v3.api.pb@BTCUSDT@5"]) {
      expect(parse(concat([strField(1, ch), strField(3, "BTCUSDT"), varintField(6, 1)]))).toBe(FrameKind.Malformed);
    }
    expect(parse(new Uint8Array(0))).toBe(FrameKind.Unknown);
  });

  test("malformed bytes: garbage prices, wrong wire types, truncation, groups, overlong varints, oversize", () => {
    const bad: Uint8Array[] = [
      agg({ bidPrice: "abc", askPrice: "1" }),
      agg({ bidPrice: "1", bidQuantity: "x", askPrice: "2" }),
      concat([varintField(1, 5)]), // channel as varint
      concat([strField(3, "BTCUSDT"), strField(6, "1")]), // sendTime as bytes
      concat([strField(3, "BTCUSDT"), varintField(315, 1)]), // body as varint
      concat([strField(3, "BTCUSDT"), bytesField(315, varintField(1, 1))]), // bidPrice as varint
      new Uint8Array([0x0a, 0x05, 0x41]), // length past the end
      new Uint8Array([0x0b, 0x0c]), // start/end group
      new Uint8Array([0x00, 0x01]), // field 0
      new Uint8Array([0x30, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), // 11-byte varint
      new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x80, 0x01]), // overlong tag
      new Uint8Array(70_000),
    ];
    for (const b of bad) {
      expect(parse(b)).toBe(FrameKind.Malformed);
      expect(typeof out.message).toBe("string");
    }
  });

  test("every prefix of every real frame: Malformed (counted, even when cut at a field boundary before the body) or the full outcome", () => {
    for (const name of FRAMES) {
      const bin = fixtureBytes("mexc_spot", `frames/${name}.bin`);
      const full = parse(bin);
      const want = [out.bid, out.ask, out.bidQty, out.askQty, out.exchangeTsMs];
      expect(parse(bin.subarray(0, 0))).toBe(FrameKind.Unknown);
      for (let n = 1; n < bin.length; n++) {
        const k = parse(bin.subarray(0, n));
        if (k === FrameKind.Malformed) continue;
        expect(k as number).toBe(full);
        expect([out.bid, out.ask, out.bidQty, out.askQty, out.exchangeTsMs]).toEqual(want);
      }
    }
  });

  test("random and mutated bytes never throw", () => {
    const rnd = prng(11);
    const real = FRAMES.map((n) => fixtureBytes("mexc_spot", `frames/${n}.bin`));
    for (let k = 0; k < 20_000; k++) {
      let b: Uint8Array;
      if (k % 2 === 0) b = new Uint8Array(Math.floor(rnd() * 300)).map(() => Math.floor(rnd() * 256));
      else {
        b = real[k % 3]!.slice();
        for (let m = 0; m < 1 + Math.floor(rnd() * 3); m++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
      }
      const kind = parse(b);
      expect(kind >= FrameKind.Update && kind <= FrameKind.Invalid).toBe(true);
      if (kind === FrameKind.Update) expect(out.bid > 0 && out.bid <= out.ask && Number.isFinite(out.ask)).toBe(true);
    }
  });

  test("null symbol table → symbolIndex -1", () => {
    expect(parse(fixtureBytes("mexc_spot", `frames/${FRAMES[0]}.bin`), null)).toBe(FrameKind.Update);
    expect(out.symbolIndex).toBe(-1);
  });

  test("reference schema builds (protobufjs reflection)", () => {
    expect(mexcType("PushDataV3ApiWrapper").fieldsById[315]!.name).toBe("publicAggreBookTicker");
  });
});

describe("mexc spot hot path allocation", () => {
  test("aggre.bookTicker and limit.depth frames parse with zero GCs over 2 M frames", () => {
    const dir = `${import.meta.dir}/../../packages/exchanges/src`;
    const setup = `import { parseMexcSpot } from ${JSON.stringify(`${dir}/mexc/parse.ts`)};
import { QuoteRecord } from ${JSON.stringify(`${dir}/types.ts`)};
import { SymbolTable } from ${JSON.stringify(`${dir}/symbol-table.ts`)};
import { readFileSync } from "node:fs";
const out = new QuoteRecord();
const t = new SymbolTable(["BTCUSDT"]);
const F = ${JSON.stringify(FRAMES)}.map((n) => new Uint8Array(readFileSync(${JSON.stringify(`${fixturePath("mexc_spot", "frames")}/`)} + n + ".bin")));`;
    expect(gcCountDuring(setup, "sink += parseMexcSpot(F[i % 3], out, t) + out.bid;")).toBe(0);
  });
});
