// Binance frame parsing: every WS fixture frame with asserted values and classes, conformance with JSON.parse, edge cases.
import { describe, expect, test } from "bun:test";
import { SymbolTable } from "../../packages/exchanges/src/symbol-table.ts";
import { FrameKind, InvalidReason, type InvalidReasonValue, QuoteRecord } from "../../packages/exchanges/src/types.ts";
import { parsedQuote, refBinance, symbolUniverse } from "./helpers-binance-bybit.ts";
import { fixtureLines, fixtureText, listFixtures, noteFrames } from "../fixtures.ts";
import { binance } from "@spread/exchanges";

const binanceFutures = binance.futures;
const binanceSpot = binance.spot;

const parse = binanceSpot.parse;
const table = new SymbolTable(symbolUniverse(["NKNUSDT", "LRCBTC", "SUSHIUSDT", "CTKUSDT", "AKROUSDT", "KEEPUSDT", "BNBUSDT", "这是测试币456"]));
const out = new QuoteRecord();

const SPOT_WS = "bookTicker_ws_combined_2021-10-11.jsonl";
const FUT_WS = "bookTicker_ws_combined_2021-07-22.jsonl";
const FUT_MOCKS = "bookTicker_2026_schema_sdk_mocks.jsonl";
const FUT_RAW = "bookTicker_raw_2026_schema_nautilus.json";

/** Every Binance update frame in the fixtures. */
function allUpdateFrames(): string[] {
  const raw = fixtureText("binance_futures", FUT_RAW);
  return [
    ...fixtureLines("binance_spot", SPOT_WS),
    ...fixtureLines("binance_futures", FUT_WS),
    ...noteFrames("binance_futures", FUT_MOCKS).map((n) => n.frame),
    raw,
    JSON.stringify(JSON.parse(raw)),
  ];
}

const quote = (frame: string) => parsedQuote(parse(frame, out, table), frame, out);

describe("binance WS fixtures", () => {
  test("every WS fixture file is exercised below", () => {
    expect(listFixtures("binance_spot").filter((f) => f.endsWith(".jsonl"))).toEqual([SPOT_WS, "control_messages.jsonl"]);
    expect(listFixtures("binance_futures").filter((f) => !f.startsWith("exchangeInfo"))).toEqual([FUT_MOCKS, FUT_RAW, FUT_WS, "control_messages.jsonl"]);
  });

  test("spot combined 2021: 30 updates, values of chosen frames", () => {
    const lines = fixtureLines("binance_spot", SPOT_WS);
    expect(lines.length).toBe(30);
    expect(lines.filter((l) => parse(l, out, table) === FrameKind.Update).length).toBe(30);
    expect(quote(lines[0]!)).toEqual({ kind: FrameKind.Update, symbol: "NKNUSDT", symbolIndex: table.get("NKNUSDT"), bid: 0.3521, bidQty: 672, ask: 0.3526, askQty: 3199, ts: 0 });
    expect(quote(lines[7]!)).toEqual({ kind: FrameKind.Update, symbol: "LRCBTC", symbolIndex: table.get("LRCBTC"), bid: 0.00000637, bidQty: 6500, ask: 0.00000638, askQty: 27122, ts: 0 });
    expect(quote(lines[29]!)).toEqual({ kind: FrameKind.Update, symbol: "NKNUSDT", symbolIndex: table.get("NKNUSDT"), bid: 0.3521, bidQty: 7670, ask: 0.3528, askQty: 1333, ts: 0 });
    expect(table.get("NKNUSDT")).toBeGreaterThanOrEqual(0);
  });

  test("USD-M combined 2021: 30 updates, exchangeTsMs = T", () => {
    const lines = fixtureLines("binance_futures", FUT_WS);
    expect(lines.length).toBe(30);
    expect(lines.filter((l) => binanceFutures.parse(l, out, table) === FrameKind.Update).length).toBe(30);
    expect(quote(lines[0]!)).toEqual({ kind: FrameKind.Update, symbol: "SUSHIUSDT", symbolIndex: table.get("SUSHIUSDT"), bid: 7.611, bidQty: 2, ask: 7.612, askQty: 297, ts: 1626992741012 });
    expect(quote(lines[2]!)).toEqual({ kind: FrameKind.Update, symbol: "CTKUSDT", symbolIndex: table.get("CTKUSDT"), bid: 1.01, bidQty: 85782, ask: 1.011, askQty: 6483, ts: 1626992741421 });
    expect(quote(lines[3]!)).toEqual({ kind: FrameKind.Update, symbol: "AKROUSDT", symbolIndex: table.get("AKROUSDT"), bid: 0.01731, bidQty: 57306, ask: 0.01732, askQty: 72524, ts: 1626992742134 });
    expect(quote(lines[29]!)).toEqual({ kind: FrameKind.Update, symbol: "SUSHIUSDT", symbolIndex: table.get("SUSHIUSDT"), bid: 7.612, bidQty: 14, ask: 7.614, askQty: 31, ts: 1626992744702 });
  });

  test("USD-M 2026 schema (SDK mocks, raw payload with ps/st)", () => {
    const frames = noteFrames("binance_futures", FUT_MOCKS);
    expect(frames.length).toBe(2);
    for (const { frame } of frames) {
      expect(quote(frame)).toEqual({ kind: FrameKind.Update, symbol: "BNBUSDT", symbolIndex: table.get("BNBUSDT"), bid: 25.3519, bidQty: 31.21, ask: 25.3652, askQty: 40.66, ts: 1568014460891 });
    }
  });

  test("USD-M 2026 schema (nautilus, pretty-printed raw payload)", () => {
    const raw = fixtureText("binance_futures", FUT_RAW);
    const expected = { kind: FrameKind.Update, symbol: "BNBUSDT", symbolIndex: table.get("BNBUSDT"), bid: 25.3519, bidQty: 31.21, ask: 25.3652, askQty: 40.66, ts: 1568014460891 };
    expect(quote(raw)).toEqual(expected);
    expect(quote(JSON.stringify(JSON.parse(raw)))).toEqual(expected);
  });

  test("spot control messages", () => {
    const frames = noteFrames("binance_spot", "control_messages.jsonl");
    expect(frames.length).toBe(5);
    const got = frames.map(({ frame }) => {
      const kind = parse(frame, out, null);
      return [kind, out.reqId, out.message, out.noticeCode, out.exchangeTsMs];
    });
    expect(got).toEqual([
      [FrameKind.Ack, "1", null, null, 0],
      [FrameKind.SubError, "2", "Invalid request: invalid stream (code 2)", null, 0],
      [FrameKind.SubError, "19", "Too many subscriptions (code 4)", null, 0],
      [FrameKind.Notice, null, null, "serverShutdown", 1770123456789],
      [FrameKind.Notice, null, null, "serverShutdown", 1770123456789],
    ]);
  });

  test("USD-M control messages", () => {
    const got = noteFrames("binance_futures", "control_messages.jsonl").map(({ frame }) => [binanceFutures.parse(frame, out, null), out.reqId, out.message]);
    expect(got).toEqual([
      [FrameKind.Ack, "1", null],
      [FrameKind.SubError, "1", "Invalid request: invalid stream (code 2)"],
    ]);
  });

  test("other documented control shapes", () => {
    expect(parse('{"code":2,"msg":"Invalid request: too many parameters"}', out, null)).toBe(FrameKind.SubError);
    expect([out.reqId, out.message, out.rejected]).toEqual([null, "Invalid request: too many parameters (code 2)", null]);
    expect(parse('{"code":0,"msg":"Unknown property","id":"abc"}', out, null)).toBe(FrameKind.SubError);
    expect(out.reqId).toBe("abc");
    expect(parse('{"result":["btcusdt@aggTrade"],"id":3}', out, null)).toBe(FrameKind.Ack);
    expect(out.reqId).toBe("3");
    expect(parse('{"result":null,"id":null}', out, null)).toBe(FrameKind.Ack);
    expect(out.reqId).toBeNull();
  });
});

describe("binance conformance with JSON.parse", () => {
  test("every fixture update: numbers bit-identical, symbol range = parsed symbol", () => {
    const frames = allUpdateFrames();
    expect(frames.length).toBe(64);
    for (const frame of frames) {
      const ref = refBinance(frame);
      expect(parse(frame, out, table)).toBe(FrameKind.Update);
      expect(Object.is(out.bid, ref.bid)).toBe(true);
      expect(Object.is(out.ask, ref.ask)).toBe(true);
      expect(Object.is(out.bidQty, ref.bidQty)).toBe(true);
      expect(Object.is(out.askQty, ref.askQty)).toBe(true);
      expect(out.exchangeTsMs).toBe(ref.ts);
      expect(frame.slice(out.symStart, out.symEnd)).toBe(ref.symbol);
      expect(out.symbolIndex).toBe(table.get(ref.symbol));
    }
  });
});

const base = { u: 1, s: "BTCUSDT", b: "100.5", B: "1", a: "100.6", A: "2" };
const frameOf = (o: Record<string, unknown>) => JSON.stringify({ stream: "btcusdt@bookTicker", data: o });

describe("binance edge cases", () => {
  test("exponent-form and unscaled prices, bare JSON numbers", () => {
    const f = frameOf({ ...base, b: "2.5e-5", a: "2.6E-5", B: "1e3", A: "7" });
    expect(quote(f)).toMatchObject({ kind: FrameKind.Update, bid: 2.5e-5, ask: 2.6e-5, bidQty: 1000, askQty: 7 });
    expect(quote(frameOf({ ...base, b: "7", a: "7.6" }))).toMatchObject({ kind: FrameKind.Update, bid: 7, ask: 7.6 });
    expect(quote(frameOf({ ...base, b: 0.1, a: 0.30000000000000004, B: 5, A: 6 }))).toMatchObject({ kind: FrameKind.Update, bid: 0.1, ask: 0.30000000000000004, bidQty: 5 });
    // more than 15 significant digits: still bit-identical to JSON.parse
    const long = frameOf({ ...base, b: "0.12345678901234567890", a: "123456789012345678901234" });
    // (parsed exactly, then Invalid: 1.2e23 is beyond PRICE_MAX)
    expect(quote(long)).toMatchObject({ kind: FrameKind.Invalid, bid: 0.1234567890123456789, ask: 123456789012345678901234 });
  });

  test("Unicode symbol: range and lookup (raw UTF-8 and JSON-escaped)", () => {
    const f = frameOf({ ...base, s: "这是测试币456" });
    expect(quote(f)).toMatchObject({ kind: FrameKind.Update, symbol: "这是测试币456", symbolIndex: table.get("这是测试币456") });
    expect(table.get("这是测试币456")).toBeGreaterThanOrEqual(0);
    const escaped = f.replace("这是测试币456", "\\u8fd9\\u662f\\u6d4b\\u8bd5\\u5e01456");
    expect(parse(escaped, out, table)).toBe(FrameKind.Update);
    expect(out.symbolIndex).toBe(table.get("这是测试币456"));
  });

  test("unknown fields, nested look-alike keys, key text inside string values", () => {
    const f = JSON.stringify({
      stream: "btcusdt@bookTicker",
      extra: { b: "999", s: "FAKE", data: { b: "1" } },
      data: { x: '"b":"999","a":"1"', ...base, nested: [{ a: "0" }, { B: "-1" }], z: null, t: true, n: -1.5e3 },
      trailer: ["a", "b"],
    });
    expect(quote(f)).toMatchObject({ kind: FrameKind.Update, symbol: "BTCUSDT", bid: 100.5, ask: 100.6, bidQty: 1, askQty: 2 });
  });

  test("fields in any order, data before stream, whitespace", () => {
    const f = '{ "data" : { "A":"2" , "a":"100.6","B":"1","b" :"100.5","s":"BTCUSDT","T":5,"E":6,"u":1 } , "stream":"btcusdt@bookTicker" }\n';
    expect(quote(f)).toMatchObject({ kind: FrameKind.Update, symbol: "BTCUSDT", bid: 100.5, ask: 100.6, bidQty: 1, askQty: 2, ts: 5 });
    expect(quote(JSON.stringify({ ...base, E: 123 }))).toMatchObject({ kind: FrameKind.Update, ts: 123 });
  });

  test("unknown event types and streams", () => {
    expect(parse(JSON.stringify({ e: "trade", E: 1, s: "BTCUSDT", p: "1", q: "1" }), out, null)).toBe(FrameKind.Unknown);
    expect(parse(JSON.stringify({ e: "depthUpdate", E: 1, s: "BTCUSDT", b: [["1", "2"]], a: [["3", "4"]] }), out, null)).toBe(FrameKind.Unknown);
    expect(parse(frameOf({ e: "24hrTicker", s: "BTCUSDT", b: "1", a: "2" }), out, null)).toBe(FrameKind.Unknown);
    expect(parse(JSON.stringify({ stream: "btcusdt@depth5", data: { lastUpdateId: 1, bids: [], asks: [] } }), out, null)).toBe(FrameKind.Unknown);
    expect(parse(JSON.stringify({ stream: "!miniTicker@arr", data: [{ e: "24hrMiniTicker" }] }), out, null)).toBe(FrameKind.Unknown);
    // COIN-M item in the merged !bookTicker (st 2) is not a USD-M quote
    expect(parse(JSON.stringify({ ...base, e: "bookTicker", st: 2 }), out, null)).toBe(FrameKind.Unknown);
    expect(parse(JSON.stringify({ ...base, e: "bookTicker", st: 1 }), out, null)).toBe(FrameKind.Update);
    expect(parse("{}", out, null)).toBe(FrameKind.Unknown);
  });

  test("crossed, zero, negative, non-finite prices → Invalid (never Update)", () => {
    const cases: [Record<string, unknown>, InvalidReasonValue][] = [
      [{ b: "101", a: "100" }, InvalidReason.Crossed],
      [{ b: "0", a: "100" }, InvalidReason.NonPositive],
      [{ b: "0.00000000", a: "0.00000000" }, InvalidReason.NonPositive],
      [{ b: "-1", a: "100" }, InvalidReason.NonPositive],
      [{ b: "1", a: "1e999" }, InvalidReason.NonFinite],
    ];
    for (const [p, reason] of cases) {
      expect(parse(frameOf({ ...base, ...p }), out, table)).toBe(FrameKind.Invalid);
      expect(out.invalidReason).toBe(reason);
    }
    // equal bid and ask is allowed (not crossed)
    expect(parse(frameOf({ ...base, b: "100", a: "100" }), out, null)).toBe(FrameKind.Update);
  });

  test("update-shaped frames with a missing or garbled field → Malformed", () => {
    const bad: Record<string, unknown>[] = [
      { ...base, A: undefined },
      { ...base, s: undefined },
      { ...base, s: 5 },
      { ...base, b: "abc" },
      { ...base, b: "" },
      { ...base, b: null },
      { ...base, b: ["1"] },
      { ...base, a: "1.2.3" },
      { ...base, B: "NaN" },
      { ...base, a: "Infinity" },
      { ...base, T: "soon" },
      { s: "BTCUSDT" },
    ];
    for (const o of bad) {
      expect(parse(frameOf(o), out, null)).toBe(FrameKind.Malformed);
      expect(out.message).toBeString();
    }
  });

  test("strict JSON in skipped content: escapes, number grammar, nested structure", () => {
    // JSON.stringify writes é raw: put a \u escape in by hand
    const ok = frameOf({ ...base, note: 'a\\b "q" \u00e9 \n', n: -0.5e-3, z: [0, { x: [true, false, null] }] }).replace("\u00e9", "\\u00e9");
    expect(parse(ok, out, null)).toBe(FrameKind.Update);
    const bad = [
      ok.replace("\\\\b", "\\q"), // invalid escape \q
      ok.replace("\\u00e9", "\\u00g9"),
      frameOf(base).replace('"u":1', '"u":+1'),
      frameOf(base).replace('"u":1', '"u":01'),
      frameOf(base).replace('"u":1', '"u":1.'),
      frameOf(base).replace('"u":1', '"u":.5'),
      frameOf(base).replace('"u":1', '"u":1e'),
      frameOf(base).replace('"u":1', '"u":-'),
      frameOf(base).replace('"u":1', '"u":[1 2]'),
      frameOf(base).replace('"u":1', '"u":{"a" 1}'),
      frameOf(base).replace('"u":1', '"u":[1,]'),
      frameOf(base).replace('"u":1', '"""":1'),
    ];
    for (const f of bad) {
      expect(() => JSON.parse(f)).toThrow();
      expect(parse(f, out, null)).toBe(FrameKind.Malformed);
    }
    // a key that is just an escaped quote is valid JSON and ignored
    expect(parse(frameOf({ ...base, '"': 1 }), out, null)).toBe(FrameKind.Update);
  });

  test("non-objects, garbage, binary, oversize, trailing junk → Malformed", () => {
    for (const f of ["", " ", "[1,2]", '"x"', "42", "null", "true", "garbage", "{", "}", "{]", '{"a"}', '{"a":}', '{"a":1,}', '{"a":tru}', '{"a":1}x', '{"a":1}{"b":2}', "\u0000\u0001", "{'a':1}"]) {
      expect(parse(f, out, null)).toBe(FrameKind.Malformed);
      expect(out.message).toBeString();
    }
    expect(parse(new Uint8Array([123, 125]), out, null)).toBe(FrameKind.Malformed);
    const huge = frameOf({ ...base, pad: "x".repeat(70_000) });
    expect(parse(huge, out, null)).toBe(FrameKind.Malformed);
    expect(out.message).toBe("binance: oversize frame");
  });

  test("every prefix of every fixture frame → Malformed, never a throw", () => {
    for (const frame of allUpdateFrames()) {
      for (let n = 0; n < frame.trimEnd().length; n++) expect(parse(frame.slice(0, n), out, table)).toBe(FrameKind.Malformed);
    }
    for (const { frame } of [...noteFrames("binance_spot", "control_messages.jsonl"), ...noteFrames("binance_futures", "control_messages.jsonl")]) {
      for (let n = 0; n < frame.length; n++) expect(parse(frame.slice(0, n), out, null)).toBe(FrameKind.Malformed);
    }
  });

  test("the record is reset between frames", () => {
    parse(fixtureLines("binance_spot", SPOT_WS)[0]!, out, table);
    expect(parse('{"result":null,"id":7}', out, table)).toBe(FrameKind.Ack);
    expect([out.bid, out.ask, out.symbolIndex, out.exchangeTsMs, out.invalidReason]).toEqual([Number.NaN, Number.NaN, -1, 0, 0]);
    parse(frameOf({ ...base, b: "abc" }), out, table);
    expect(parse(fixtureLines("binance_spot", SPOT_WS)[0]!, out, null)).toBe(FrameKind.Update);
    expect([out.message, out.symbolIndex]).toEqual([null, -1]);
  });
});
