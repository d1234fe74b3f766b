// MEXC futures frames through parseMexcFutures: every ws_messages.json entry, the REST ticker rows replayed as
// push.ticker frames, conformance with JSON.parse, layout variants, edge cases, prefixes, garbage, allocation.
import { describe, expect, test } from "bun:test";
import { parseMexcFutures } from "../../packages/exchanges/src/mexc/parse.ts";
import { FrameKind, InvalidReason, QuoteRecord, type FrameKindValue, type InvalidReasonValue } from "../../packages/exchanges/src/types.ts";
import { mexc } from "@spread/exchanges";
import { SymbolTable } from "../../packages/exchanges/src/symbol-table.ts";
import { expectAllMalformed, expectSameBits, prng, randomDecimal, rawEntries, rawValue, quoteOf, type Quote } from "./helpers-okx-mexc.ts";
import { gcCountDuring } from "./helpers-parse-fuzz.ts";
import { fixtureText } from "../fixtures.ts";

const mexcFutures = mexc.futures;

const table = new SymbolTable(["ETH_USDT", "BTC_USDT", "RIF_USDT", "PEPE_USDT", "SOL_USDT", "LIGHT_USDT", "SILVER_USDT"]);
const out = new QuoteRecord();
const parse = (f: string | Uint8Array): FrameKindValue => parseMexcFutures(f, out, table);

/** Full parse with JSON.parse. */
function reference(frame: string): Quote {
  const m = JSON.parse(frame);
  const d = m.data;
  const n = (v: unknown): number => (typeof v === "number" ? v : typeof v === "string" && v !== "" ? parseFloat(v) : Number.NaN);
  if (m.channel === "push.ticker") return { sym: m.symbol ?? d.symbol, bid: n(d.bid1), ask: n(d.ask1), bidQty: Number.NaN, askQty: Number.NaN, ts: n(d.timestamp ?? m.ts) };
  return { sym: m.symbol ?? d.symbol, bid: n(d.bids[0][0]), ask: n(d.asks[0][0]), bidQty: n(d.bids[0][1]), askQty: n(d.asks[0][1]), ts: n(d.cts ?? m.ts) };
}

const got = (frame: string): Quote => quoteOf(frame, out);

function expectUpdate(frame: string, q: Quote): void {
  expect(parse(frame)).toBe(FrameKind.Update);
  expectSameBits(got(frame), q);
  expectSameBits(got(frame), reference(frame));
  expect(out.symbolIndex).toBe(table.get(q.sym));
}

/** Members shuffled at every level, unknown members added (nested ones reuse our names), random whitespace. */
function relayout(m: unknown, rnd: () => number): string {
  const extras: [string, unknown][] = [
    ["zzz", 1.5e-7],
    ["decoy", { bid1: 1, ask1: 2, timestamp: 3, asks: [[9, 9, 9]], bids: [[8, 8, 8]], cts: 4, symbol: "NOPE_USDT", channel: "push.tickers", ts: 5 }],
    ["note", '"bid1":1,"ask1":2'],
    ["list", [1, [2, [3]], { x: "}" }]],
    ["flag", false],
  ];
  const lay = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(lay);
    if (typeof v !== "object" || v === null) return v;
    const es: [string, unknown][] = Object.entries(v).map(([k, x]) => [k, lay(x)]);
    for (const e of extras) if (rnd() < 0.3) es.push(e);
    for (let i = es.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [es[i], es[j]] = [es[j]!, es[i]!];
    }
    return Object.fromEntries(es);
  };
  return JSON.stringify(lay(m), null, [0, 1, 2, "\t"][Math.floor(rnd() * 4)]!);
}

describe("mexc futures fixtures", () => {
  test("mexc_futures/ws_messages.json: every entry, raw text as stored", () => {
    const entries = rawEntries("mexc_futures", "ws_messages.json");
    expect(entries.length).toBe(13);
    const K = FrameKind;
    expect(entries.map((e) => e.frames.map((f) => parse(f)))).toEqual([
      [K.Unknown],
      [K.Unknown],
      [K.Unknown],
      [K.Ack],
      [K.Ack],
      [K.SubError],
      [K.SubError],
      [K.Unknown, K.Pong],
      [K.Update],
      [K.Unknown],
      [K.Update],
      [K.Update],
      [K.Unknown],
    ]);
    const f = (k: number, j = 0): string => entries[k]!.frames[j]!;
    parse(f(3));
    expect(out.message).toBe("rs.sub.deal");
    parse(f(4));
    expect(out.message).toBe("rs.sub.depth");
    parse(f(5));
    expect({ rejected: out.rejected, message: out.message }).toEqual({ rejected: ["NOPE_USDT"], message: "Contract [NOPE_USDT] not exists" });
    parse(f(6));
    expect({ rejected: out.rejected, message: out.message }).toEqual({ rejected: null, message: "Contract doesn't exist!" });
    expectUpdate(f(8), { sym: "BTC_USDT", bid: 76376.2, ask: 76376.3, bidQty: Number.NaN, askQty: Number.NaN, ts: 1731137509138 });
    expect(out.symbolIndex).toBe(1);
    // live depth snapshot: trailing zeros as sent, sizes in contracts, ts = cts (engine time)
    expect(f(10)).toContain("0.080550");
    expectUpdate(f(10), { sym: "RIF_USDT", bid: 0.08049, ask: 0.08055, bidQty: 46, askQty: 48, ts: 1789498322165 });
    // exponent-form prices kept exactly as written in the fixture
    expect(f(11)).toContain("3.4103e-06");
    expectUpdate(f(11), { sym: "PEPE_USDT", bid: 3.4102e-6, ask: 3.4103e-6, bidQty: 20, askQty: 45, ts: 1789327957142 });
    // the requests in the file are what the adapter sends
    expect(JSON.parse(mexcFutures.subscribeRequests(["BTC_USDT"], 1, 0)[0]!.frame)).toEqual(JSON.parse(f(0)));
    expect(JSON.parse(mexcFutures.heartbeat.clientPing!)).toEqual(JSON.parse(f(7, 0)));
  });

  test("mexc_futures/rest_contract_ticker.json rows replayed as push.ticker frames (raw numbers, incl. 7.4e-05)", () => {
    const text = fixtureText("mexc_futures", "rest_contract_ticker.json");
    const want: [string, number, number, number][] = [
      ["BTC_USDT", 87718.1, 87718.2, 1767209294795],
      ["ETH_USDT", 2975.4, 2975.41, 1767209294795],
      ["LIGHT_USDT", 1.2741, 1.2743, 1767209294795],
      ["SOL_USDT", 124.86, 124.87, 1767209294795],
      ["SILVER_USDT", 71.62, 71.78, 1767209294795],
    ];
    want.forEach(([s, bid, ask, ts], k) => {
      const row = rawValue(text, "all", "data", k);
      const frame = `{"symbol":"${s}","data":${row},"channel":"push.ticker","ts":1767209294800}`;
      expectUpdate(frame, { sym: s, bid, ask, bidQty: Number.NaN, askQty: Number.NaN, ts });
    });
    expect(rawValue(text, "all", "data", 1)).toContain("7.4e-05");
    const one = rawValue(text, "symbol=BTC_USDT", "data");
    expectUpdate(`{"symbol":"BTC_USDT","data":${one},"channel":"push.ticker","ts":1}`, { sym: "BTC_USDT", bid: 87718.1, ask: 87718.2, bidQty: Number.NaN, askQty: Number.NaN, ts: 1767209294795 });
  });

  test("every fixture push re-laid-out (key order, nested decoys with the same names, whitespace) matches JSON.parse", () => {
    const rnd = prng(99);
    const entries = rawEntries("mexc_futures", "ws_messages.json");
    for (const k of [8, 10, 11]) {
      const raw = entries[k]!.frames[0]!;
      const want = reference(raw);
      for (let n = 0; n < 60; n++) {
        const v = relayout(JSON.parse(raw), rnd);
        expect(parse(v)).toBe(FrameKind.Update);
        expectSameBits(got(v), want);
      }
    }
  });
});

describe("mexc futures random frames", () => {
  test("2000 random push.ticker / push.depth.full frames (exponent and plain numbers) match JSON.parse", () => {
    const rnd = prng(5);
    const syms = ["BTC_USDT", "PEPE_USDT", "NOT_LISTED_USDT", "币_USDT"];
    for (let k = 0; k < 2000; k++) {
      const s = syms[k % syms.length]!;
      const numText = (): string => {
        const d = randomDecimal(rnd);
        return rnd() < 0.3 ? Number(d).toExponential(Math.floor(rnd() * 8)).replace("e", rnd() < 0.5 ? "e" : "E") : d;
      };
      const f =
        k % 2 === 0
          ? `{"symbol":"${s}","data":{"symbol":"${s}","lastPrice":${numText()},"timestamp":${1731137509138 + k},"bid1":${numText()},"ask1":${numText()},"riseFallRates":[-0.0006,0.1008],"zone":"UTC+8"},"channel":"push.ticker","ts":${1731137509140 + k}}`
          : `{"symbol":"${s}","data":{"cts":${1789498322165 + k},"asks":[[${numText()},${Math.floor(rnd() * 500)},1],[1,1,1]],"bids":[[${numText()},${Math.floor(rnd() * 500)},1]],"version":${k}},"channel":"push.depth.full","ts":${1789498322169 + k}}`;
      const want = reference(f);
      const kind = parse(f);
      expect(kind).toBe(want.bid <= want.ask ? FrameKind.Update : FrameKind.Invalid);
      expectSameBits(got(f), want);
      expect(out.symbolIndex).toBe(table.get(s));
    }
  });
});

describe("mexc futures edge cases", () => {
  const tick = (bid: string, ask: string, extra = ""): string => `{"symbol":"BTC_USDT","data":{"symbol":"BTC_USDT","timestamp":1731137509138,"bid1":${bid},"ask1":${ask}${extra}},"channel":"push.ticker","ts":1731137509139}`;
  const depth = (asks: string, bids: string): string => `{"symbol":"RIF_USDT","data":{"cts":1,"asks":${asks},"bids":${bids}},"channel":"push.depth.full","ts":2}`;

  test("exponent forms, strings for numbers, ts fallback", () => {
    expect(parse(tick("7.548E+4", "7.5481e4"))).toBe(FrameKind.Update);
    expect([out.bid, out.ask]).toEqual([75480, 75481]);
    expect(parse(tick('"100.5"', '"100.6"'))).toBe(FrameKind.Update);
    expect([out.bid, out.ask]).toEqual([100.5, 100.6]);
    expect(parse('{"symbol":"BTC_USDT","data":{"bid1":1,"ask1":2},"channel":"push.ticker","ts":"1587442022003"}')).toBe(FrameKind.Update);
    expect(out.exchangeTsMs).toBe(1587442022003);
    expect(parse('{"channel":"push.ticker","data":{"ask1":2,"bid1":1,"symbol":"ETH_USDT"}}')).toBe(FrameKind.Update); // symbol only in data, no ts
    expect([got('{"channel":"push.ticker","data":{"ask1":2,"bid1":1,"symbol":"ETH_USDT"}}').sym, out.exchangeTsMs, out.symbolIndex]).toEqual(["ETH_USDT", 0, 0]);
  });

  test("crossed / zero / negative / non-finite / empty → Invalid", () => {
    const cases: [string, InvalidReasonValue][] = [
      [tick("2", "1"), InvalidReason.Crossed],
      [tick("0", "1"), InvalidReason.NonPositive],
      [tick("-1", "1"), InvalidReason.NonPositive],
      [tick("1", "1e400"), InvalidReason.NonFinite],
      [tick("null", "1"), InvalidReason.EmptySide],
      [tick('""', "1"), InvalidReason.EmptySide],
      [depth("[]", "[[1,1,1]]"), InvalidReason.EmptySide],
      [depth("[[1,1,1]]", "[ ]"), InvalidReason.EmptySide],
      [depth("[[1,1,1]]", "[[2,1,1]]"), InvalidReason.Crossed],
    ];
    for (const [f, why] of cases) {
      expect(parse(f)).toBe(FrameKind.Invalid);
      expect(out.invalidReason).toBe(why);
    }
  });

  test("broken pushes are Malformed; other channels Unknown; binary and oversize refused", () => {
    const bad = [
      tick('"abc"', "1"),
      tick("{}", "1"),
      '{"symbol":"BTC_USDT","data":{"ask1":1},"channel":"push.ticker","ts":1}',
      '{"symbol":"BTC_USDT","data":[1],"channel":"push.ticker","ts":1}',
      '{"data":{"bid1":1,"ask1":2},"channel":"push.ticker","ts":1}',
      depth('[["x",1,1]]', "[[1,1,1]]"),
      depth("[1,2]", "[[1,1,1]]"),
      '{"symbol":"RIF_USDT","data":{"asks":[[1,1,1]]},"channel":"push.depth.full","ts":2}',
      tick("1", "2").slice(0, -1),
      `${tick("1", "2")}x`,
      "",
      "pong",
      "[]",
      "{",
      '{"channel":"rs.error","data":"x"',
    ];
    expectAllMalformed(bad, parse, out);
    expect(parse('{"channel":"push.deal","data":{"p":1},"symbol":"BTC_USDT","ts":1}')).toBe(FrameKind.Unknown);
    expect(parse('{"channel":"push.kline","data":{},"symbol":"BTC_USDT"}')).toBe(FrameKind.Unknown);
    expect(parse('{"method":"ping"}')).toBe(FrameKind.Unknown);
    expect(parse('{"channel":"rs.unsub.ticker","data":"success","ts":1}')).toBe(FrameKind.Ack);
    expect(parse('{"channel":"rs.sub.ticker","data":"failed","ts":1}')).toBe(FrameKind.SubError);
    expect(out.message).toBe("rs.sub.ticker: failed");
    expect(parse('{"channel":"rs.error","data":"Contract [A_USDT,B_USDT] not exists"}')).toBe(FrameKind.SubError);
    expect(out.rejected).toEqual(["A_USDT", "B_USDT"]);
    expect(parse('{"channel":"pong","data":1789498336785}')).toBe(FrameKind.Pong);
    expect(parse(new Uint8Array([0x1f, 0x8b]))).toBe(FrameKind.Malformed);
    expect(parse(tick("1", "2", `,"pad":"${"x".repeat(70_000)}"`))).toBe(FrameKind.Malformed);
    expect(out.message).toContain("64 KiB");
  });

  test("every prefix of every fixture frame: Malformed or the full outcome, never a throw", () => {
    const frames = rawEntries("mexc_futures", "ws_messages.json").flatMap((e) => e.frames);
    frames.push(...frames.map((f) => JSON.stringify(JSON.parse(f))));
    for (const f of frames) {
      const full = parse(f);
      const q = got(f);
      for (let n = 0; n < f.length; n++) {
        const p = f.slice(0, n);
        const k = parse(p);
        if (k === FrameKind.Malformed) continue;
        expect(`${p} → ${k}`).toBe(`${p} → ${full}`);
        if (k === FrameKind.Update) expectSameBits(got(p), q);
      }
    }
  });

  test("random and mutated text never throws", () => {
    const rnd = prng(8);
    const alphabet = '{}[]":,0123456789.-eE abcdefghijklmnopqrstuvwxyz_\\';
    const base = tick("76376.2", "76376.3");
    for (let k = 0; k < 5000; k++) {
      const a = [...base];
      for (let m = 0; m < 1 + Math.floor(rnd() * 4); m++) a[Math.floor(rnd() * a.length)] = alphabet[Math.floor(rnd() * alphabet.length)]!;
      const kind = parse(k % 3 === 0 ? a.join("").slice(0, Math.floor(rnd() * a.length)) : a.join(""));
      expect(kind >= FrameKind.Update && kind <= FrameKind.Invalid).toBe(true);
      if (kind === FrameKind.Update) expect(out.bid > 0 && out.bid <= out.ask).toBe(true);
    }
  });
});

describe("mexc futures hot path allocation", () => {
  test("push.ticker (as sent and re-laid-out) and push.depth.full parse with zero GCs over 2 M frames", () => {
    const e = rawEntries("mexc_futures", "ws_messages.json");
    const frames = [e[8]!.frames[0]!, JSON.stringify(JSON.parse(e[8]!.frames[0]!)), relayout(JSON.parse(e[8]!.frames[0]!), prng(1)), e[10]!.frames[0]!, e[11]!.frames[0]!];
    const dir = `${import.meta.dir}/../../packages/exchanges/src`;
    const setup = `import { parseMexcFutures } from ${JSON.stringify(`${dir}/mexc/parse.ts`)};
import { QuoteRecord } from ${JSON.stringify(`${dir}/types.ts`)};
import { SymbolTable } from ${JSON.stringify(`${dir}/symbol-table.ts`)};
const out = new QuoteRecord();
const t = new SymbolTable(["BTC_USDT", "RIF_USDT", "PEPE_USDT"]);
const F = ${JSON.stringify(frames)};`;
    expect(gcCountDuring(setup, "sink += parseMexcFutures(F[i % 5], out, t) + out.bid;")).toBe(0);
  });
});
