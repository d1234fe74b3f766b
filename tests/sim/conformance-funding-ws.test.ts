// Funding WebSocket conformance per futures venue: the simulator's funding channels (Binance USD-M markPrice
// streams on /market, Bybit linear tickers funding fields, OKX funding-rate, MEXC push.funding.rate and the
// fundingRate of push.ticker) (a) parse with the real funding WS parsers into the simulated market's funding
// (per-symbol interval, the upcoming UTC settlement, the model's rate) and (b) have the keys, key order and value
// types of the recorded frames in tests/fixtures/funding/.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { SourceId, type SourceName } from "@spread/common";
import { FundingKind, FundingRecord, binance, bybit, mexc, okx, type FundingAdapter } from "@spread/exchanges";
import { newSimFunding, simFunding, type SimHandle } from "@spread/sim";
import { Client, shapeDiff, testSim } from "./helpers.ts";
import { fixtureJson, fixtureText } from "../fixtures.ts";

let sim: SimHandle;
beforeAll(async () => {
  sim = await testSim({ rate: { total: 500 } }, { housekeepingMs: 25 });
});
afterAll(async () => {
  await sim?.stop();
});

const ws = (n: SourceName) => sim.urls[n].ws_url;
const lines = (rel: string) => fixtureText(rel).split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l));

/** Key order at every object level of `a` equals `b`'s (arrays: their first elements). */
function keyOrder(a: any, b: any, path = "$"): string[] {
  if (Array.isArray(a) && Array.isArray(b)) return a.length && b.length ? keyOrder(a[0], b[0], `${path}[0]`) : [];
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return [];
  const ka = Object.keys(a).join(",");
  const kb = Object.keys(b).join(",");
  const out = ka === kb ? [] : [`${path}: sim {${ka}} vs fixture {${kb}}`];
  for (const k of Object.keys(a)) if (k in b) out.push(...keyOrder(a[k], b[k], `${path}.${k}`));
  return out;
}

interface Parsed {
  symbol: string;
  rate: number;
  next: number;
  hours: number;
}

function parse(f: FundingAdapter, frame: string): { kind: number; rows: Parsed[] } {
  const rows: Parsed[] = [];
  const kind = f.parseWs(frame, new FundingRecord(), null, (x) => rows.push({ symbol: x.symbol(), rate: x.rate, next: x.nextFundingMs, hours: x.intervalHours }));
  return { kind, rows };
}

/** The value matches the sim's model at `at`: its upcoming settlement and its rate (within a few 1e-8 of drift). */
function modelFunding(source: number, symbol: string, at: number): ReturnType<typeof simFunding> {
  const inst = sim.universe.instruments[source]![sim.universe.bySymbol[source]!.get(symbol)!]!;
  return simFunding(inst, at, newSimFunding());
}

function expectModel(source: number, r: Parsed, at: number): void {
  const f = modelFunding(source, r.symbol, at);
  expect({ s: r.symbol, next: r.next }).toEqual({ s: r.symbol, next: f.nextMs });
  if (r.hours > 0) expect({ s: r.symbol, hours: r.hours }).toEqual({ s: r.symbol, hours: f.intervalHours });
  expect(Math.abs(r.rate * 1e8 - f.rateUnits)).toBeLessThanOrEqual(5);
}

describe("Binance USD-M markPrice streams (/market route)", () => {
  test("<symbol>@markPrice@1s raw: the recorded 2026 event, parsed into the model; E second-aligned", async () => {
    const c = await Client.open(`${ws("binance_futures")}/market/ws/btcusdt@markPrice@1s`);
    try {
      const m = await c.json((x) => x.e === "markPriceUpdate", 15_000, "markPriceUpdate");
      const rec = fixtureJson("funding/binance_futures/ws_markPrice_arr_2026-10.jsonl")[0];
      expect(keyOrder(m, rec)).toEqual([]);
      expect(shapeDiff(m, rec)).toEqual([]);
      expect(m.E % 1000).toBe(0);
      const p = parse(binance.funding, JSON.stringify(m));
      expect(p.kind).toBe(FundingKind.Value);
      expect(p.rows.map((r) => r.symbol)).toEqual(["BTCUSDT"]);
      expectModel(SourceId.binance_futures, p.rows[0]!, m.E);
      // Another second, another frame (a clock, not book changes).
      await c.until(() => c.jsons().filter((x) => x.e === "markPriceUpdate").length >= 2, 15_000, "second markPrice frame");
    } finally {
      c.close();
    }
  });

  test("combined <symbol>@markPrice (3 s): the wrapper of the recorded stream; on /public it is acknowledged and silent", async () => {
    const c = await Client.open(`${ws("binance_futures")}/market/stream?streams=ethusdt@markPrice`);
    const pub = await Client.open(`${ws("binance_futures")}/public/ws`);
    try {
      const m = await c.json((x) => x.stream === "ethusdt@markPrice", 15_000, "combined markPrice");
      const rec = fixtureJson("funding/binance_futures/ws_markPrice_single_2023-07.jsonl");
      expect(Object.keys(m)).toEqual(["stream", "data"]);
      // The 2026 payload adds ap and st to the 2023 recording (both in the 2026 capture).
      expect(shapeDiff(m, rec).sort()).toEqual(["$.data.ap: not in fixture", "$.data.st: not in fixture"]);
      expectModel(SourceId.binance_futures, parse(binance.funding, JSON.stringify(m)).rows[0]!, m.data.E);
      pub.send(JSON.stringify({ method: "SUBSCRIBE", params: ["btcusdt@markPrice@1s"], id: 7 }));
      await pub.json((x) => x.id === 7 && x.result === null, 15_000, "ack");
      await Bun.sleep(1500); // a window, not a wait: longer than the 1 s stream, and still no markPriceUpdate
      expect(pub.jsons().filter((x) => x.e === "markPriceUpdate").length).toBe(0);
    } finally {
      c.close();
      pub.close();
    }
  });

  test("!markPrice@arr@1s: one array of every trading contract per second, each element the recorded event", async () => {
    const c = await Client.open(`${ws("binance_futures")}/market/ws`);
    try {
      c.send(JSON.stringify({ method: "SUBSCRIBE", params: ["!markPrice@arr@1s"], id: 1 }));
      await c.until(() => c.texts().some((t) => t.startsWith("[")), 15_000, "mark price array");
      const text = c.texts().find((t) => t.startsWith("["))!;
      const arr = JSON.parse(text) as any[];
      const rec = fixtureJson("funding/binance_futures/ws_markPrice_arr_2026-10.jsonl");
      expect(keyOrder(arr, rec)).toEqual([]);
      expect(shapeDiff(arr, rec)).toEqual([]);
      expect(arr.length).toBeGreaterThan(50);
      const p = parse(binance.funding, text);
      expect(p.kind).toBe(FundingKind.Value);
      // Dated contracts are in the array with rate 0 / T 0, and USDC-margined ones too: the parser skips both.
      expect(arr.some((e) => e.T === 0)).toBe(true);
      expect(p.rows.length).toBe(arr.filter((e) => e.T !== 0 && e.s.endsWith("USDT")).length);
      for (const r of p.rows.slice(0, 40)) expectModel(SourceId.binance_futures, r, arr[0].E);
      // Per-symbol intervals (not one global one). Judged on the intervals, not on `next`: in some hours every
      // interval's next settlement is the same instant (at 15:xx UTC, 16:00 for 1, 4 and 8 h contracts alike).
      expect(new Set(p.rows.map((r) => modelFunding(SourceId.binance_futures, r.symbol, arr[0].E).intervalHours)).size).toBeGreaterThan(1);
    } finally {
      c.close();
    }
  });
});

describe("Bybit linear tickers: funding fields", () => {
  test("the snapshot has the 2026-08-13 capture's keys in its order; funding parses into the model", async () => {
    const c = await Client.open(`${ws("bybit_futures")}/v5/public/linear`);
    try {
      c.send(JSON.stringify({ op: "subscribe", args: ["tickers.BTCUSDT", "tickers.ETHUSDT"], req_id: "f1" }));
      const snap = await c.json((x) => x.topic === "tickers.BTCUSDT" && x.type === "snapshot", 15_000, "snapshot");
      const rec = lines("funding/bybit_linear/ws_tickers_2026-08-13_capture.jsonl").find((x) => x.type === "snapshot");
      expect(keyOrder(snap, rec)).toEqual([]);
      expect(shapeDiff(snap, rec)).toEqual([]);
      const p = parse(bybit.funding, JSON.stringify(snap));
      expect(p.kind).toBe(FundingKind.Value);
      expect(p.rows[0]!.hours).toBe(8);
      expectModel(SourceId.bybit_futures, p.rows[0]!, snap.ts);
      // Deltas carry only changed fields: the first one names the funding (new to the delta stream), and merging
      // them keeps every field a string in the snapshot's order.
      const delta = await c.json((x) => x.topic === "tickers.BTCUSDT" && x.type === "delta", 15_000, "delta");
      expect(Object.keys(delta)).toEqual(["topic", "type", "data", "cs", "ts"]);
      for (const v of Object.values(delta.data)) expect(typeof v).toBe("string");
      const order = Object.keys(rec.data);
      const at = Object.keys(delta.data).map((k) => order.indexOf(k));
      expect(at.every((i) => i >= 0)).toBe(true);
      expect([...at].sort((x, y) => x - y)).toEqual(at);
    } finally {
      c.close();
    }
  });
});

describe("OKX funding-rate channel", () => {
  test("ack, then a push right away with the recorded 2026-09 object; interval from the two times; spot instId refused", async () => {
    const c = await Client.open(`${ws("okx_futures")}/ws/v5/public`);
    try {
      c.send(JSON.stringify({ id: "1512", op: "subscribe", args: [{ channel: "funding-rate", instId: "BTC-USDT-SWAP" }, { channel: "funding-rate", instId: "BTC-USDT" }] }));
      const ack = await c.json((x) => x.event === "subscribe", 15_000, "ack");
      expect(ack.arg).toEqual({ channel: "funding-rate", instId: "BTC-USDT-SWAP" });
      const err = await c.json((x) => x.event === "error", 15_000, "60018");
      expect(err.code).toBe("60018");
      const push = await c.json((x) => x.arg?.channel === "funding-rate" && Array.isArray(x.data), 15_000, "funding-rate push");
      const rec = lines("funding/okx_swap/ws_funding_rate_2026-09.jsonl")[0];
      expect(keyOrder(push, rec)).toEqual([]);
      expect(shapeDiff(push, rec)).toEqual([]);
      const p = parse(okx.funding, JSON.stringify(push));
      expect(p.kind).toBe(FundingKind.Value);
      expect(p.rows[0]!.hours).toBe(8);
      expectModel(SourceId.okx_futures, p.rows[0]!, Number(push.data[0].ts));
    } finally {
      c.close();
    }
  });
});

describe("MEXC push.funding.rate and push.ticker fundingRate", () => {
  test("sub.funding.rate: the recorded ack and push; rate and next settlement of the model; unknown contract refused", async () => {
    const c = await Client.open(`${ws("mexc_futures")}/edge`);
    try {
      c.send(JSON.stringify({ method: "sub.funding.rate", param: { symbol: "BTC_USDT" } }));
      c.send(JSON.stringify({ method: "sub.funding.rate", param: { symbol: "NOPE_USDT" } }));
      const ack = await c.json((x) => x.channel === "rs.sub.funding.rate", 15_000, "ack");
      expect(keyOrder(ack, lines("funding/mexc_futures/ws_funding_rate_ack_2026-08-01.jsonl")[1])).toEqual([]);
      expect((await c.json((x) => x.channel === "rs.error", 15_000, "rs.error")).data).toBe("Contract [NOPE_USDT] not exists");
      const push = await c.json((x) => x.channel === "push.funding.rate", 15_000, "push.funding.rate");
      const rec = lines("funding/mexc_futures/ws_funding_rate_2026-09-15.jsonl")[1];
      expect(keyOrder(push, rec)).toEqual([]);
      expect(shapeDiff(push, rec)).toEqual([]);
      const text = c.texts().find((t) => t.includes('"push.funding.rate"'))!;
      const p = parse(mexc.funding, text);
      expect(p.kind).toBe(FundingKind.Value);
      expectModel(SourceId.mexc_futures, p.rows[0]!, push.ts);
      c.send(JSON.stringify({ method: "sub.ticker", param: { symbol: "ETH_USDT" } }));
      const t = await c.json((x) => x.channel === "push.ticker", 15_000, "push.ticker");
      const inst = sim.universe.instruments[SourceId.mexc_futures]![sim.universe.bySymbol[SourceId.mexc_futures]!.get("ETH_USDT")!]!;
      expect(Math.abs(t.data.fundingRate * 1e8 - simFunding(inst, t.ts, newSimFunding()).rateUnits)).toBeLessThanOrEqual(5);
    } finally {
      c.close();
    }
  });
});
