// Bybit frame parsing: every WS fixture frame with asserted values and classes, conformance with JSON.parse, edge cases.
import { describe, expect, test } from "bun:test";
import { bybitRejectedSymbols } from "../../packages/exchanges/src/bybit/control.ts";
import { SymbolTable } from "../../packages/exchanges/src/symbol-table.ts";
import { FrameKind, InvalidReason, type InvalidReasonValue, QuoteRecord } from "../../packages/exchanges/src/types.ts";
import { parsedQuote, refBybit, symbolUniverse } from "./helpers-binance-bybit.ts";
import { fixtureLines, listFixtures, noteFrames } from "../fixtures.ts";
import { bybit } from "@spread/exchanges";

const bybitFutures = bybit.futures;
const bybitSpot = bybit.spot;

const parse = bybitSpot.parse;
const table = new SymbolTable(symbolUniverse(["BTCUSDT", "ETHUSDT", "1000PEPEUSDT"]));
const out = new QuoteRecord();

const SPOT_OB = "orderbook1_ws_2023-04-05_tardis.jsonl";
const SPOT_TICKERS = "tickers_ws_docs_example_no_bidask.jsonl";
const LIN_OB = "orderbook1_ws_2023_tardis.jsonl";
const LIN_TICKERS = "tickers_ws_real.jsonl";

const quote = (frame: string) => ({ ...parsedQuote(parse(frame, out, table), frame, out), invalidReason: out.invalidReason });

const snapshot = (data: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ topic: "orderbook.1.BTCUSDT", ts: 1742000000000, type: "snapshot", data: { s: "BTCUSDT", b: [["100.5", "1"]], a: [["100.6", "2"]], u: 1, seq: 2, ...data }, cts: 1741999999990, ...extra });

describe("bybit WS fixtures", () => {
  test("every WS fixture file is exercised below", () => {
    expect(listFixtures("bybit_spot").filter((f) => f.endsWith(".jsonl"))).toEqual(["control_messages.jsonl", SPOT_OB, SPOT_TICKERS]);
    expect(listFixtures("bybit_linear").filter((f) => f.endsWith(".jsonl"))).toEqual(["control_messages.jsonl", LIN_OB, LIN_TICKERS]);
  });

  test("spot orderbook.1 (2023): snapshot → Update, delta with a:[] → Invalid EmptySide", () => {
    const [snap, delta] = fixtureLines("bybit_spot", SPOT_OB);
    const idx = table.get("BTCUSDT");
    expect(quote(snap!)).toEqual({ kind: FrameKind.Update, symbol: "BTCUSDT", symbolIndex: idx, bid: 28165.07, bidQty: 0.175231, ask: 28165.08, askQty: 0.996816, ts: 1680652806504, invalidReason: 0 });
    expect(quote(delta!)).toEqual({
      kind: FrameKind.Invalid,
      symbol: "BTCUSDT",
      symbolIndex: idx,
      bid: 28165.07,
      bidQty: 0.166754,
      ask: Number.NaN,
      askQty: Number.NaN,
      ts: 1680652806615,
      invalidReason: InvalidReason.EmptySide,
    });
    expect(fixtureLines("bybit_spot", SPOT_OB).filter((l) => parse(l, out, null) === FrameKind.Update).length).toBe(1);
  });

  test("linear orderbook.1 (2023): snapshot, empty-side delta, multi-level delta with removals", () => {
    const lines = fixtureLines("bybit_linear", LIN_OB);
    expect(lines.length).toBe(3);
    const idx = table.get("BTCUSDT");
    expect(quote(lines[0]!)).toEqual({ kind: FrameKind.Update, symbol: "BTCUSDT", symbolIndex: idx, bid: 28552, bidQty: 0.047, ask: 28552.1, askQty: 25.433, ts: 1680673820717, invalidReason: 0 });
    expect(quote(lines[1]!)).toMatchObject({ kind: FrameKind.Invalid, bid: 28552, bidQty: 0.012, ts: 1680673821137, invalidReason: InvalidReason.EmptySide });
    // b: [27994.60 removed, 27991.70 0.777], a: [27994.40 0.058, 27994.80 removed]: the removed bid was above the ask
    expect(quote(lines[2]!)).toEqual({ kind: FrameKind.Update, symbol: "BTCUSDT", symbolIndex: idx, bid: 27991.7, bidQty: 0.777, ask: 27994.4, askQty: 0.058, ts: 1682092584425, invalidReason: 0 });
    expect(lines.filter((l) => bybitFutures.parse(l, out, null) === FrameKind.Update).length).toBe(2);
  });

  test("tickers frames (spot without bid/ask, linear partial deltas) → Unknown", () => {
    const frames = [...fixtureLines("bybit_spot", SPOT_TICKERS), ...fixtureLines("bybit_linear", LIN_TICKERS)];
    expect(frames.length).toBe(5);
    for (const f of frames) {
      expect(parse(f, out, table)).toBe(FrameKind.Unknown);
      expect([out.bid, out.symbolIndex]).toEqual([Number.NaN, -1]);
    }
  });

  test("spot control messages", () => {
    const got = noteFrames("bybit_spot", "control_messages.jsonl").map(({ frame }) => [parse(frame, out, null), out.reqId, out.message, out.rejected]);
    expect(got).toEqual([
      [FrameKind.Ack, "10001", "subscribe", null],
      [FrameKind.Pong, null, null, null],
      [FrameKind.SubError, null, "args size >10", null],
      [FrameKind.SubError, null, "Invalid symbol :[orderbook.1.NOTREALUSDT]", ["NOTREALUSDT"]],
    ]);
  });

  test("linear control messages", () => {
    const got = noteFrames("bybit_linear", "control_messages.jsonl").map(({ frame }) => [bybitFutures.parse(frame, out, null), out.reqId, out.message, out.rejected]);
    expect(got).toEqual([
      [FrameKind.Ack, null, null, null],
      [FrameKind.Pong, null, null, null],
      [FrameKind.SubError, "2", "error:already subscribed,topic:publicTrade.BTCUSDT", ["BTCUSDT"]],
      [FrameKind.SubError, null, "error:handler not found,topic:publicTrade.NAS100USDT", ["NAS100USDT"]],
    ]);
  });

  test("other control shapes: older spot pong, orderbook refusal, unsubscribe ack, auth", () => {
    expect(parse('{"op":"pong","args":["1675418560633"],"conn_id":"cfcb4ocsvfriu23r3er0-1b"}', out, null)).toBe(FrameKind.Pong);
    expect(parse('{"success":false,"ret_msg":"error:handler not found,topic:orderbook.1.XYZUSDT","conn_id":"x","req_id":"17","op":"subscribe"}', out, null)).toBe(FrameKind.SubError);
    expect([out.reqId, out.rejected]).toEqual(["17", ["XYZUSDT"]]);
    expect(parse('{"success":true,"ret_msg":"","conn_id":"x","req_id":"18","op":"unsubscribe"}', out, null)).toBe(FrameKind.Ack);
    expect(out.reqId).toBe("18");
    expect(parse('{"success":true,"ret_msg":"","op":"auth","conn_id":"x"}', out, null)).toBe(FrameKind.Unknown);
    expect(parse('{"success":false,"ret_msg":""}', out, null)).toBe(FrameKind.SubError);
    expect(out.message).toBe("bybit: request refused");
  });

  test("rejected symbols from ret_msg", () => {
    expect(bybitRejectedSymbols("error:handler not found,topic:orderbook.1.AUSDT,topic:orderbook.1.BUSDT")).toEqual(["AUSDT", "BUSDT"]);
    expect(bybitRejectedSymbols("Invalid symbol :[orderbook.1.AUSDT, orderbook.1.BUSDT]")).toEqual(["AUSDT", "BUSDT"]);
    expect(bybitRejectedSymbols("args size >10")).toBeNull();
    expect(bybitRejectedSymbols("")).toBeNull();
  });
});

describe("bybit conformance with JSON.parse", () => {
  test("every fixture orderbook.1 update: numbers bit-identical, symbol range = parsed symbol", () => {
    const frames = [...fixtureLines("bybit_spot", SPOT_OB), ...fixtureLines("bybit_linear", LIN_OB)].filter((f) => parse(f, out, table) === FrameKind.Update);
    expect(frames.length).toBe(3);
    // plus current-style frames with cts
    frames.push(snapshot({}), snapshot({ b: [["0.000012345", "123456789"]], a: [["0.000012346", "1e-3"]] }));
    for (const frame of frames) {
      const ref = refBybit(frame);
      expect(parse(frame, out, table)).toBe(FrameKind.Update);
      for (const [got, want] of [
        [out.bid, ref.bid],
        [out.bidQty, ref.bidQty],
        [out.ask, ref.ask],
        [out.askQty, ref.askQty],
      ] as const) {
        expect(Object.is(got, want)).toBe(true);
      }
      expect(out.exchangeTsMs).toBe(ref.ts);
      expect(frame.slice(out.symStart, out.symEnd)).toBe(ref.symbol);
      expect(out.symbolIndex).toBe(table.get(ref.symbol));
    }
  });
});

describe("bybit edge cases", () => {
  test("exchangeTsMs: cts when present, else ts", () => {
    expect(quote(snapshot({}))).toMatchObject({ kind: FrameKind.Update, ts: 1741999999990 });
    expect(quote(snapshot({}, { cts: undefined }))).toMatchObject({ kind: FrameKind.Update, ts: 1742000000000 });
    expect(quote(snapshot({}, { cts: undefined, ts: undefined }))).toMatchObject({ kind: FrameKind.Update, ts: 0 });
  });

  test("exponent-form and unscaled prices, bare numbers, extra level elements", () => {
    expect(quote(snapshot({ b: [["2.5e-5", "1E3"]], a: [["2.6e-5", "7"]] }))).toMatchObject({ kind: FrameKind.Update, bid: 2.5e-5, bidQty: 1000, ask: 2.6e-5, askQty: 7 });
    expect(quote(snapshot({ b: [["7", "1"]], a: [["7.6", "1"]] }))).toMatchObject({ kind: FrameKind.Update, bid: 7, ask: 7.6 });
    expect(quote(snapshot({ b: [[100, 1]], a: [[101.25, 0.5]] }))).toMatchObject({ kind: FrameKind.Update, bid: 100, ask: 101.25, askQty: 0.5 });
    expect(quote(snapshot({ b: [["100", "1", "x"]], a: [["101", "1", { n: 1 }]] }))).toMatchObject({ kind: FrameKind.Update, bid: 100, ask: 101 });
  });

  test("several levels: best non-zero level per side", () => {
    const f = snapshot({
      b: [["99", "1"], ["100", "0"], ["98", "2"], ["99.5", "3"]],
      a: [["102", "1"], ["100.5", "0"], ["101", "4"]],
    });
    expect(quote(f)).toMatchObject({ kind: FrameKind.Update, bid: 99.5, bidQty: 3, ask: 101, askQty: 4 });
  });

  test("unknown fields, nested look-alikes, key text inside strings, any field order", () => {
    const f = JSON.stringify({
      cts: 5,
      data: { seq: 9, x: { s: "FAKE", b: [["1", "1"]] }, a: [["100.6", "2"]], note: '"b":[["1","1"]]', u: 1, b: [["100.5", "1"]], s: "BTCUSDT" },
      extra: { topic: "orderbook.1.FAKE", data: { s: "FAKE" } },
      type: "snapshot",
      ts: 6,
      topic: "orderbook.1.BTCUSDT",
    });
    expect(quote(f)).toMatchObject({ kind: FrameKind.Update, symbol: "BTCUSDT", bid: 100.5, ask: 100.6, ts: 5 });
    const spaced = '{ "topic" : "orderbook.1.ETHUSDT" ,\n "ts":1, "type":"snapshot", "data" : { "s" : "ETHUSDT", "b" : [ [ "1" , "2" ] ] , "a" : [ [ "3" , "4" ] ] } }';
    expect(quote(spaced)).toMatchObject({ kind: FrameKind.Update, symbol: "ETHUSDT", symbolIndex: table.get("ETHUSDT"), bid: 1, bidQty: 2, ask: 3, askQty: 4 });
  });

  test("other topics → Unknown", () => {
    for (const topic of ["orderbook.50.BTCUSDT", "orderbook.10.BTCUSDT", "orderbook.1", "publicTrade.BTCUSDT", "tickers.BTCUSDT", "kline.1.BTCUSDT", "orderbook.1.BTCUSDT".toUpperCase()]) {
      expect(parse(snapshot({}, { topic }), out, null)).toBe(FrameKind.Unknown);
    }
    expect(parse('{"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":1,"data":[{"T":1,"s":"BTCUSDT","S":"Buy","v":"0.001","p":"16578.50"}]}', out, null)).toBe(FrameKind.Unknown);
    expect(parse("{}", out, null)).toBe(FrameKind.Unknown);
  });

  test("empty sides, crossed, zero, negative, non-finite → Invalid (never Update)", () => {
    const cases: [Record<string, unknown>, InvalidReasonValue][] = [
      [{ b: [] }, InvalidReason.EmptySide],
      [{ a: [] }, InvalidReason.EmptySide],
      [{ a: [["100.6", "0"]] }, InvalidReason.EmptySide],
      [{ b: [["101", "1"]] }, InvalidReason.Crossed],
      [{ b: [["0", "1"]] }, InvalidReason.NonPositive],
      [{ b: [["-1", "1"]] }, InvalidReason.NonPositive],
      [{ a: [["1e999", "1"]] }, InvalidReason.NonFinite],
    ];
    for (const [d, reason] of cases) {
      expect(parse(snapshot(d), out, table)).toBe(FrameKind.Invalid);
      expect(out.invalidReason).toBe(reason);
    }
    expect(parse(snapshot({ b: [["100", "1"]], a: [["100", "1"]] }), out, null)).toBe(FrameKind.Update);
  });

  test("orderbook.1 frames with a missing or garbled field → Malformed", () => {
    const bad = [
      snapshot({ s: undefined }),
      snapshot({ s: 42 }),
      snapshot({ b: undefined }),
      snapshot({ a: "x" }),
      snapshot({ a: [["100.6"]] }),
      snapshot({ a: ["100.6", "1"] }),
      snapshot({ b: [["abc", "1"]] }),
      snapshot({ b: [["100", ""]] }),
      snapshot({ b: [["100", "-1"]] }),
      snapshot({ b: [[null, "1"]] }),
      snapshot({ b: [{ p: "1" }] }),
      snapshot({}, { cts: "later" }),
      JSON.stringify({ topic: "orderbook.1.BTCUSDT", ts: 1, type: "snapshot" }),
      JSON.stringify({ topic: "orderbook.1.BTCUSDT", ts: 1, data: [] }),
      JSON.stringify({ topic: 5, data: {} }),
    ];
    for (const f of bad) {
      expect(parse(f, out, null)).toBe(FrameKind.Malformed);
      expect(out.message).toBeString();
    }
  });

  test("strict JSON in skipped content: escapes, number grammar, nested structure", () => {
    const ok = snapshot({ note: 'x\\y \u00e9', n: [0.5, -1e3, { k: null }] }, { extra: "\t" });
    expect(parse(ok, out, null)).toBe(FrameKind.Update);
    const bad = [
      ok.replace("\\\\y", "\\y"),
      snapshot({}).replace('"u":1', '"u":+1'),
      snapshot({}).replace('"u":1', '"u":00'),
      snapshot({}).replace('"seq":2', '"seq":2.e5'),
      snapshot({}).replace('"u":1', '"u":[1,,2]'),
      snapshot({}).replace('"u":1', '"""":1'),
      snapshot({ b: [["100.5", "1"]] }).replace('[["100.5","1"]]', '[["100.5","1"],]'),
    ];
    for (const f of bad) {
      expect(() => JSON.parse(f)).toThrow();
      expect(parse(f, out, null)).toBe(FrameKind.Malformed);
    }
  });

  test("non-objects, garbage, binary, oversize, trailing junk → Malformed", () => {
    for (const f of ["", "[]", '"pong"', "pong", "0", "null", "{", '{"topic":}', '{"topic":"orderbook.1.X",}', '{"a":1} {"b":2}', "\uFFFD\uFFFD"]) {
      expect(parse(f, out, null)).toBe(FrameKind.Malformed);
      expect(out.message).toBeString();
    }
    expect(parse(new Uint8Array([1, 2, 3]), out, null)).toBe(FrameKind.Malformed);
    expect(parse(snapshot({ pad: "x".repeat(70_000) }), out, null)).toBe(FrameKind.Malformed);
    expect(out.message).toBe("bybit: oversize frame");
  });

  test("every prefix of every fixture frame → Malformed, never a throw", () => {
    const frames = [
      ...fixtureLines("bybit_spot", SPOT_OB),
      ...fixtureLines("bybit_linear", LIN_OB),
      ...fixtureLines("bybit_spot", SPOT_TICKERS),
      ...fixtureLines("bybit_linear", LIN_TICKERS),
      ...noteFrames("bybit_spot", "control_messages.jsonl").map((n) => n.frame),
      ...noteFrames("bybit_linear", "control_messages.jsonl").map((n) => n.frame),
    ];
    for (const frame of frames) {
      for (let n = 0; n < frame.length; n++) expect(parse(frame.slice(0, n), out, table)).toBe(FrameKind.Malformed);
    }
  });
});
