// OKX WS frames through parseOkx: every fixture message with its classification and values, conformance with
// JSON.parse, layout variants, random frames, edge cases, prefixes, garbage and the no-allocation probe.
import { describe, expect, test } from "bun:test";
import { parseOkx } from "../../packages/exchanges/src/okx/parse.ts";
import { FrameKind, InvalidReason, QuoteRecord, type FrameKindValue, type InvalidReasonValue } from "../../packages/exchanges/src/types.ts";
import { okx } from "@spread/exchanges";
import { SymbolTable } from "../../packages/exchanges/src/symbol-table.ts";
import { expectAllMalformed, expectSameBits, prng, randomDecimal, rawEntries, quoteOf, type Quote } from "./helpers-okx-mexc.ts";
import { gcCountDuring } from "./helpers-parse-fuzz.ts";
import { fixtureText } from "../fixtures.ts";

const okxFutures = okx.futures;
const okxSpot = okx.spot;

const table = new SymbolTable(["BTC-USDT", "BTC-USDT-SWAP", "BCH-USDT-SWAP", "ETH-USDT-SWAP", "测试-USDT"]);
const out = new QuoteRecord();
const parse = (f: string | Uint8Array): FrameKindValue => parseOkx(f, out, table);

/** Full parse with JSON.parse: the reference the fast path must match bit for bit. */
function reference(frame: string): Quote {
  const m = JSON.parse(frame);
  const d = m.data[0];
  const num = (v: unknown): number => (v === undefined || v === "" || v === null ? Number.NaN : typeof v === "number" ? v : parseFloat(v as string));
  if (m.arg.channel === "tickers") return { sym: m.arg.instId, bid: num(d.bidPx), ask: num(d.askPx), bidQty: num(d.bidSz), askQty: num(d.askSz), ts: num(d.ts) };
  return { sym: m.arg.instId, bid: num(d.bids[0][0]), ask: num(d.asks[0][0]), bidQty: num(d.bids[0][1]), askQty: num(d.asks[0][1]), ts: num(d.ts) };
}

const got = (frame: string): Quote => quoteOf(frame, out);

function expectUpdate(frame: string, q: Quote): void {
  expect(parse(frame)).toBe(FrameKind.Update);
  expect(out.invalidReason).toBe(InvalidReason.None);
  expectSameBits(got(frame), q);
  expectSameBits(got(frame), reference(frame));
  expect(out.symbolIndex).toBe(table.get(q.sym));
}

describe("okx fixtures", () => {
  test("okx_spot/ws_bbo_tbt_docexample.json (pretty-printed, as stored)", () => {
    const raw = fixtureText("okx_spot", "ws_bbo_tbt_docexample.json");
    const q = { sym: "BTC-USDT", bid: 8476.97, ask: 8476.98, bidQty: 256, askQty: 415, ts: 1597026383085 };
    expectUpdate(raw, q);
    expectUpdate(JSON.stringify(JSON.parse(raw)), q); // compact: the as-sent fast layout
    expect(out.symbolIndex).toBe(0);
  });

  test("okx_spot/ws_tickers_docexample.json (tickers fallback channel)", () => {
    const raw = fixtureText("okx_spot", "ws_tickers_docexample.json");
    const q = { sym: "BTC-USDT", bid: 8888.88, ask: 9999.99, bidQty: 5, askQty: 11, ts: 1597026383085 };
    expectUpdate(raw, q);
    expectUpdate(JSON.stringify(JSON.parse(raw)), q);
  });

  test("okx_swap/ws_messages.json: every entry", () => {
    const entries = rawEntries("okx_swap", "ws_messages.json");
    expect(entries.length).toBe(12);
    const kinds: (FrameKindValue | null)[] = [];
    for (const e of entries) {
      if (e.prose !== null) {
        kinds.push(null);
        continue;
      }
      expect(e.frames.length).toBe(1);
      kinds.push(parse(e.frames[0]!));
      const f = e.frames[0]!;
      switch (e.index) {
        case 1:
          expect({ reqId: out.reqId, message: out.message }).toEqual({ reqId: "1512", message: "BTC-USDT" });
          break;
        case 2:
          expect({ reqId: out.reqId, message: out.message }).toEqual({ reqId: null, message: "BTC-USDT-SWAP" });
          break;
        case 3: // live tickers push; sizes are contracts
          expectUpdate(f, { sym: "BTC-USDT-SWAP", bid: 26008, ask: 26008.1, bidQty: 1605, askQty: 73, ts: 1693560446879 });
          expect(out.symbolIndex).toBe(1);
          break;
        case 4:
          expectUpdate(f, { sym: "BCH-USDT-SWAP", bid: 111.05, ask: 111.06, bidQty: 57745, askQty: 55154, ts: 1670324386802 });
          expect(out.symbolIndex).toBe(2);
          break;
        case 5: // books5: first level is the best
          expectUpdate(f, { sym: "BCH-USDT-SWAP", bid: 111.05, ask: 111.06, bidQty: 57745, askQty: 55154, ts: 1670324386802 });
          break;
        case 6:
          expect(out.rejected).toEqual(["BTC-USDT-SWAP"]);
          expect(out.message).toStartWith("60018: Wrong URL or channel:candle1s");
          break;
        case 7:
          expect(out.rejected).toEqual(["LTC-USD"]);
          expect(out.message).toBe("60018: channel:tickers,instId:LTC-USD doesn't exist");
          break;
        case 8:
          expect({ reqId: out.reqId, rejected: out.rejected }).toEqual({ reqId: "1512", rejected: null });
          expect(out.message).toStartWith("60012: Invalid request");
          break;
        case 9:
          expect({ code: out.noticeCode, msg: out.message }).toEqual({ code: "64008", msg: "The connection will soon be closed for a service upgrade. Please reconnect." });
          break;
        case 10:
          expect(out.message).toBe("channel-conn-count");
          break;
      }
    }
    const K = FrameKind;
    expect(kinds).toEqual([K.Unknown, K.Ack, K.Ack, K.Update, K.Update, K.Update, K.SubError, K.SubError, K.SubError, K.Notice, K.Unknown, null]);
    // Entry 11 (prose): the bare text heartbeat.
    expect(entries[11]!.prose).toContain("`pong`");
    expect(parse("pong")).toBe(FrameKind.Pong);
    expect(parse("ping")).toBe(FrameKind.Malformed);
    expect(okxSpot.heartbeat.clientPing).toBe("ping");
  });

  test("every fixture push, compact and re-laid-out (key order, unknown members, whitespace), matches JSON.parse", () => {
    const rnd = prng(7);
    const pushes = [fixtureText("okx_spot", "ws_bbo_tbt_docexample.json"), fixtureText("okx_spot", "ws_tickers_docexample.json"), ...rawEntries("okx_swap", "ws_messages.json").filter((e) => e.index >= 3 && e.index <= 5).map((e) => e.frames[0]!)];
    for (const raw of pushes) {
      const want = reference(raw);
      for (let k = 0; k < 50; k++) {
        const v = relayout(JSON.parse(raw), rnd);
        expect(parse(v)).toBe(FrameKind.Update);
        expectSameBits(got(v), want);
      }
    }
  });
});

/** Same message, members shuffled at every level, unknown members added, random whitespace. */
function relayout(m: unknown, rnd: () => number): string {
  const extras: [string, unknown][] = [
    ["zzz", 1.5e-7],
    ["note", '"asks":[["1","1"]],"bids":[["2","2"]]'],
    ["list", [1, [2, [3]], { x: "}" }]],
    ["obj", { channel: "x", nested: { a: [] } }],
    ["flag", true],
    ["nil", null],
  ];
  const lay = (v: unknown, depth: number): unknown => {
    if (Array.isArray(v)) return v.map((x) => lay(x, depth + 1));
    if (typeof v !== "object" || v === null) return v;
    const es: [string, unknown][] = Object.entries(v).map(([k, x]) => [k, lay(x, depth + 1)]);
    for (const e of extras) if (rnd() < 0.3) es.push(e);
    for (let i = es.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [es[i], es[j]] = [es[j]!, es[i]!];
    }
    return Object.fromEntries(es);
  };
  const indent = [0, 1, 2, "\t"][Math.floor(rnd() * 4)]!;
  return JSON.stringify(lay(m, 0), null, indent);
}

describe("okx random frames", () => {
  test("2000 random bbo-tbt frames (long decimals, Unicode and unknown symbols) match JSON.parse", () => {
    const rnd = prng(42);
    const syms = ["BTC-USDT", "ETH-USDT-SWAP", "测试-USDT", "NOT-LISTED-SWAP", "Ω-USDT"];
    for (let k = 0; k < 2000; k++) {
      const bid = randomDecimal(rnd);
      const ask = randomDecimal(rnd);
      const sym = syms[k % syms.length]!;
      const f = `{"arg":{"channel":"bbo-tbt","instId":${JSON.stringify(sym)}},"data":[{"asks":[["${ask}","${randomDecimal(rnd)}","0","1"]],"bids":[["${bid}","${randomDecimal(rnd)}","0","3"]],"ts":"${Math.floor(rnd() * 2e12)}","seqId":${k}}]}`;
      const kind = parse(f);
      const want = reference(f);
      expect(kind).toBe(want.bid <= want.ask ? FrameKind.Update : FrameKind.Invalid);
      expectSameBits(got(f), want);
      expect(out.symbolIndex).toBe(table.get(sym));
      if (k % 4 === 0) {
        const v = relayout(JSON.parse(f), rnd);
        expect(parse(v)).toBe(kind);
        expectSameBits(got(v), want);
      }
    }
  });
});

describe("okx edge cases", () => {
  const bbo = (ask: string, bid: string, extra = ""): string =>
    `{"arg":{"channel":"bbo-tbt","instId":"BTC-USDT"},"data":[{"asks":${ask},"bids":${bid},"ts":"1670324386802"${extra}}]}`;

  test("exponent-form and unscaled numbers; numbers as JSON numbers", () => {
    expect(parse(bbo('[["3.4103e-06","1E+3","0","1"]]', '[["3.4102E-6","7.548e4","0","1"]]'))).toBe(FrameKind.Update);
    expect([out.bid, out.ask, out.bidQty, out.askQty]).toEqual([3.4102e-6, 3.4103e-6, 75480, 1000]);
    expect(parse(bbo("[[84270.01,5,0,1]]", '[["84270","0.006387","0","1"]]'))).toBe(FrameKind.Update);
    expect([out.bid, out.ask]).toEqual([84270, 84270.01]);
    expect(parse(bbo('[["0.1000000000000000055511151231257827","1","0","1"]]', '[["0.1","1","0","1"]]'))).toBe(FrameKind.Update);
    expect(out.ask).toBe(0.1);
  });

  test("crossed / zero / negative / non-finite / empty side are Invalid with the reason", () => {
    const cases: [string, string, InvalidReasonValue][] = [
      ['[["111.05","1","0","1"]]', '[["111.06","1","0","1"]]', InvalidReason.Crossed],
      ['[["111.06","1","0","1"]]', '[["0","1","0","1"]]', InvalidReason.NonPositive],
      ['[["-1","1","0","1"]]', '[["-2","1","0","1"]]', InvalidReason.NonPositive],
      ['[["1e400","1","0","1"]]', '[["1","1","0","1"]]', InvalidReason.NonFinite],
      ["[]", '[["1","1","0","1"]]', InvalidReason.EmptySide],
      ['[["1","1","0","1"]]', "[ ]", InvalidReason.EmptySide],
    ];
    for (const [a, b, why] of cases) {
      expect(parse(bbo(a, b))).toBe(FrameKind.Invalid);
      expect(out.invalidReason).toBe(why);
      expect(out.symbolIndex).toBe(0);
    }
    const t = (bidPx: string, askPx: string): string => `{"arg":{"channel":"tickers","instId":"BTC-USDT"},"data":[{"instId":"BTC-USDT","bidPx":${bidPx},"bidSz":"0","askPx":${askPx},"askSz":"1","ts":"1"}]}`;
    expect(parse(t('""', '"2"'))).toBe(FrameKind.Invalid);
    expect(out.invalidReason).toBe(InvalidReason.EmptySide);
    expect(parse(t('"3"', '"2"'))).toBe(FrameKind.Invalid);
    expect(out.invalidReason).toBe(InvalidReason.Crossed);
    expect(parse(t('"1"', '"1"'))).toBe(FrameKind.Update); // locked book is valid
  });

  test("empty values are no quote: \"\" prices and sizes, [] sides and levels priced \"\" are EmptySide, never 0 or Malformed", () => {
    // Real OKX output on thin books (outside any anomaly): tickers carry "" for every price and size of an
    // empty side (last/lastSz too before a first trade); books carry [] for it.
    const tick = (fields: string): string => `{"arg":{"channel":"tickers","instId":"BTC-USDT"},"data":[{"instType":"SPOT","instId":"BTC-USDT",${fields},"ts":"1700000000000"}]}`;
    const empties = [
      tick('"last":"","lastSz":"","askPx":"101","askSz":"2","bidPx":"","bidSz":""'),
      tick('"last":"100","lastSz":"1","askPx":"","askSz":"","bidPx":"100","bidSz":"3"'),
      tick('"last":"","lastSz":"","askPx":"","askSz":"","bidPx":"","bidSz":""'),
      bbo('[["101","2","0","1"]]', "[]"),
      bbo("[]", "[]"),
      bbo('[["","","0","0"]]', '[["100","1","0","1"]]'),
      bbo('[["101","2","0","1"]]', '[["","","0","0"]]'),
      `{"arg":{"channel":"books5","instId":"BTC-USDT"},"data":[{"asks":[],"bids":[["100","1","0","1"],["99","1","0","1"]],"instId":"BTC-USDT","ts":"1","seqId":5}]}`,
    ];
    for (const f of empties) {
      expect({ f, kind: parse(f), why: out.invalidReason }).toEqual({ f, kind: FrameKind.Invalid, why: InvalidReason.EmptySide });
      // no price is made up for the empty side (a 0 would read as a real quote of zero)
      expect([Number.isNaN(out.bid), Number.isNaN(out.ask)]).toEqual([true, true]);
      expect(out.symbolIndex).toBe(0);
    }
    // a garbage price on the side that is there is a corrupt frame (counted), even when the other side is empty
    // (the simulator's malformed fault on a one-sided thin book)
    for (const f of [
      bbo('[["abc","1","0","1"]]', "[]"),
      bbo("[]", '[["abc","1","0","1"]]'),
      bbo('[["","","0","0"]]', '[["x1","1","0","1"]]'),
      tick('"last":"","lastSz":"","askPx":"abc","askSz":"2","bidPx":"","bidSz":""'),
      tick('"last":"","lastSz":"","askPx":"","askSz":"","bidPx":"abc","bidSz":"3"'),
    ]) {
      expect({ f, kind: parse(f) }).toEqual({ f, kind: FrameKind.Malformed });
    }
    // an empty size next to a real price is a quote without a size, not a broken frame
    expect(parse(tick('"last":"","lastSz":"","askPx":"101","askSz":"2","bidPx":"100","bidSz":""'))).toBe(FrameKind.Update);
    expect([out.bid, out.ask, out.askQty, Number.isNaN(out.bidQty)]).toEqual([100, 101, 2, true]);
  });

  test("broken pushes are Malformed with a message; other channels and events Unknown", () => {
    const malformed = [
      bbo('[["abc","1","0","1"]]', '[["1","1","0","1"]]'),
      bbo('[["1","x","0","1"]]', '[["1","1","0","1"]]'),
      bbo('{"px":"1"}', '[["1","1","0","1"]]'),
      bbo('[["1","1","0","1"]]', '"none"'),
      bbo('[[{"p":1}]]', '[["1","1","0","1"]]'),
      `{"arg":{"channel":"bbo-tbt","instId":"BTC-USDT"},"data":[]}`,
      `{"arg":{"channel":"bbo-tbt","instId":"BTC-USDT"},"data":{"asks":[]}}`,
      `{"arg":{"channel":"bbo-tbt"},"data":[{"asks":[["1","1"]],"bids":[["1","1"]]}]}`,
      `{"arg":{"channel":"bbo-tbt","instId":"BTC-USDT"},"data":[{"bids":[["1","1"]]}]}`,
      bbo('[["1","1","0","1"]]', '[["1","1","0","1"]]', ',"ts2":1').replace('"ts":"1670324386802"', '"ts":"soon"'),
      "",
      "   ",
      "{",
      "}",
      "[1,2]",
      '"pong"',
      "pong ",
      "null",
      "{garbage}",
      '{"arg":{"channel":"bbo-tbt","instId":"BTC-USDT"},"data":[{"asks":[["1","1","0","1"]],"bids":[["1","1","0","1"]]}]}xx',
    ];
    expectAllMalformed(malformed, parse, out);
    expect(parse('{"arg":{"channel":"books","instId":"BTC-USDT"},"action":"snapshot","data":[{"asks":[],"bids":[]}]}')).toBe(FrameKind.Unknown);
    expect(parse('{"arg":{"channel":"instruments","instType":"SPOT"},"data":[{"instId":"BTC-USDT"}]}')).toBe(FrameKind.Unknown);
    expect(parse('{"event":"login","code":"0"}')).toBe(FrameKind.Unknown);
    expect(parse('{"event":"unsubscribe","arg":{"channel":"bbo-tbt","instId":"ETH-USDT-SWAP"},"connId":"1"}')).toBe(FrameKind.Ack);
    expect(out.message).toBe("ETH-USDT-SWAP");
    expect(parse("{}")).toBe(FrameKind.Unknown);
    expect(parse(new Uint8Array([123, 125]))).toBe(FrameKind.Malformed);
  });

  test("oversize frames are Malformed without scanning", () => {
    const big = bbo('[["1","1","0","1"]]', '[["1","1","0","1"]]', `,"pad":"${"x".repeat(70_000)}"`);
    expect(parse(big)).toBe(FrameKind.Malformed);
    expect(out.message).toContain("64 KiB");
  });

  test("every prefix of every fixture frame: Malformed or the full frame's outcome, never a throw", () => {
    const frames = [
      fixtureText("okx_spot", "ws_bbo_tbt_docexample.json"),
      fixtureText("okx_spot", "ws_tickers_docexample.json"),
      ...rawEntries("okx_swap", "ws_messages.json").flatMap((e) => e.frames),
    ];
    frames.push(...frames.map((f) => JSON.stringify(JSON.parse(f))), "pong");
    let checked = 0;
    for (const f of frames) {
      const full = parse(f);
      const fullQuote = got(f);
      for (let n = 0; n < f.length; n++) {
        const p = f.slice(0, n);
        const k = parse(p);
        if (k !== FrameKind.Malformed) {
          expect(`${p} → ${k}`).toBe(`${p} → ${full}`);
          if (k === FrameKind.Update || k === FrameKind.Invalid) expectSameBits(got(p), fullQuote);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5000);
  });

  test("random garbage never throws", () => {
    const rnd = prng(3);
    const alphabet = '{}[]":,0123456789.-eE abcdefghijklmnopqrstuvwxyz\\\u0000\u00e9\u6d4b';
    const base = '{"arg":{"channel":"bbo-tbt","instId":"BTC-USDT"},"data":[{"asks":[["111.06","55154","0","2"]],"bids":[["111.05","57745","0","2"]],"ts":"1670324386802"}]}';
    for (let k = 0; k < 5000; k++) {
      let f: string;
      if (k % 2 === 0) {
        f = "";
        const n = Math.floor(rnd() * 200);
        for (let i = 0; i < n; i++) f += alphabet[Math.floor(rnd() * alphabet.length)];
      } else {
        // mutate a real frame: flip, drop or insert a few chars
        const a = [...base];
        for (let m = 0; m < 1 + Math.floor(rnd() * 4); m++) {
          const at = Math.floor(rnd() * a.length);
          const op = rnd();
          if (op < 0.33) a.splice(at, 1);
          else if (op < 0.66) a[at] = alphabet[Math.floor(rnd() * alphabet.length)]!;
          else a.splice(at, 0, alphabet[Math.floor(rnd() * alphabet.length)]!);
        }
        f = a.join("");
      }
      const kind = parse(f);
      expect(kind >= FrameKind.Update && kind <= FrameKind.Invalid).toBe(true);
      if (kind === FrameKind.Update) {
        expect(Number.isFinite(out.bid) && Number.isFinite(out.ask) && out.bid > 0 && out.bid <= out.ask).toBe(true);
      }
    }
  });
});

describe("okx hot path allocation", () => {
  test("bbo-tbt (as sent and re-laid-out) and tickers parse with zero GCs over 2 M frames each", () => {
    const setup = `import { parseOkx } from ${JSON.stringify(`${import.meta.dir}/../../packages/exchanges/src/okx/parse.ts`)};
import { QuoteRecord } from ${JSON.stringify(`${import.meta.dir}/../../packages/exchanges/src/types.ts`)};
import { SymbolTable } from ${JSON.stringify(`${import.meta.dir}/../../packages/exchanges/src/symbol-table.ts`)};
const out = new QuoteRecord();
const t = new SymbolTable(["BCH-USDT-SWAP", "BTC-USDT"]);
const F = [
  '{"arg":{"channel":"bbo-tbt","instId":"BCH-USDT-SWAP"},"data":[{"asks":[["111.06","55154","0","2"]],"bids":[["111.05","57745","0","2"]],"ts":"1670324386802","seqId":363996337}]}',
  '{"data":[{"seqId":1, "bids":[["111.05","57745","0","2"]],"asks":[["111.06","55154","0","2"]],"ts":"1670324386802"}], "arg":{"instId":"BCH-USDT-SWAP","channel":"bbo-tbt"}}',
  ${JSON.stringify(JSON.stringify(JSON.parse(fixtureText("okx_spot", "ws_tickers_docexample.json"))))},
];`;
    const gcs = gcCountDuring(setup, "sink += parseOkx(F[i % 3], out, t) + out.bid;");
    expect(gcs).toBe(0);
  });
});

describe("okx adapters", () => {
  test("spot and futures share the parser and the public socket", () => {
    expect(okxSpot.parse).toBe(parseOkx);
    expect(okxFutures.parse).toBe(parseOkx);
  });
});
