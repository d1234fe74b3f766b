// WebSocket conformance per source: the adapters' own URL and subscribe frames against the simulator; every
// update and control frame (ack, error, pong, notice) (a) parses with the adapter to the expected outcome and
// (b) has the shape of the real fixture frame of the same kind (MEXC spot: protobuf field sets).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { SOURCE_NAMES, SourceId, type SourceName } from "@spread/common";
import { ADAPTERS, FrameKind, QuoteRecord, SymbolTable } from "@spread/exchanges";
import type { SimHandle } from "@spread/sim";
import { Client, shapeDiff, testSim, type Frame } from "./helpers.ts";
import { fixtureBytes, fixtureJson, fixtureJsonLines } from "../fixtures.ts";
import { decodeMexc } from "./proto-schema.ts";

let sim: SimHandle;
beforeAll(async () => {
  sim = await testSim({ rate: { total: 20000 }, venues: { okx_spot: { notice_ms: 200 }, okx_futures: { notice_ms: 200 }, binance_spot: { notice_ms: 200 }, binance_futures: { notice_ms: 200 } } });
});
afterAll(async () => {
  await sim?.stop();
});

const BTC: Record<SourceName, string> = {
  binance_spot: "BTCUSDT", binance_futures: "BTCUSDT", bybit_spot: "BTCUSDT", bybit_futures: "BTCUSDT",
  mexc_spot: "BTCUSDT", mexc_futures: "BTC_USDT", okx_spot: "BTC-USDT", okx_futures: "BTC-USDT-SWAP",
};
const UNKNOWN: Record<SourceName, string> = {
  binance_spot: "NOPEUSDT", binance_futures: "NOPEUSDT", bybit_spot: "NOPEUSDT", bybit_futures: "NOPEUSDT",
  mexc_spot: "NOPEUSDT", mexc_futures: "NOPE_USDT", okx_spot: "NOPE-USDT", okx_futures: "NOPE-USDT-SWAP",
};

async function connect(s: number): Promise<Client> {
  return Client.open(ADAPTERS[s]!.wsUrl(sim.urls[SOURCE_NAMES[s]!].ws_url));
}
function subscribe(c: Client, s: number, symbols: string[]): void {
  const a = ADAPTERS[s]!;
  for (const r of a.subscribeRequests(symbols, a.maxSubscribeBatch, 1)) c.send(r.frame);
}
function parse(s: number, f: Frame, table: SymbolTable | null = null): { kind: number; rec: QuoteRecord } {
  const rec = new QuoteRecord();
  return { kind: ADAPTERS[s]!.parse(f, rec, table), rec };
}


describe("update frames: adapter parse + fixture shape", () => {
  test.each(SOURCE_NAMES.map((n, s) => [n, s] as const))("%s", async (name, s) => {
    const c = await connect(s);
    try {
      const sym = BTC[name];
      subscribe(c, s, [sym]);
      const table = new SymbolTable([sym]);
      await c.until(() => c.frames.filter((f) => parse(s, f, table).kind === FrameKind.Update).length >= 2, 4000, `${name} updates`);
      const kinds = c.frames.map((f) => parse(s, f, table).kind);
      expect(kinds).toContain(FrameKind.Ack);
      const upd = c.frames.filter((f) => parse(s, f, table).kind === FrameKind.Update);
      const { rec } = parse(s, upd[upd.length - 1]!, table);
      const fair = sim.market.fairPrice(s, sim.universe.bySymbol[s]!.get(sym)!);
      expect(rec.symbolIndex).toBe(0);
      expect(rec.bid).toBeLessThan(rec.ask);
      expect(Math.abs(rec.bid / fair - 1)).toBeLessThan(0.005);
      if (name !== "mexc_futures") expect(rec.bidQty).toBeGreaterThan(0);
      // Shape of one update frame against the real recording of the same kind.
      const f = upd[0]!;
      switch (name) {
        case "binance_spot":
          expect(shapeDiff(JSON.parse(f as string), fixtureJsonLines("binance_spot/bookTicker_ws_combined_2021-10-11.jsonl")[0])).toEqual([]);
          break;
        case "binance_futures": {
          const m = JSON.parse(f as string);
          expect(shapeDiff(m.data, fixtureJsonLines("binance_futures/bookTicker_2026_schema_sdk_mocks.jsonl")[0].msg)).toEqual([]);
          // Wrapper like the real combined recording; the payload adds the 2026 fields ps and st.
          expect(shapeDiff(m, fixtureJsonLines("binance_futures/bookTicker_ws_combined_2021-07-22.jsonl")[0])).toEqual(["$.data.ps: not in fixture", "$.data.st: not in fixture"]);
          break;
        }
        case "bybit_spot":
        case "bybit_futures": {
          const ref = fixtureJsonLines(`${name === "bybit_spot" ? "bybit_spot/orderbook1_ws_2023-04-05_tardis.jsonl" : "bybit_linear/orderbook1_ws_2023_tardis.jsonl"}`)[0];
          // cts (matching-engine time) was added to orderbook pushes after the 2023 recordings (orderbook.mdx).
          expect(shapeDiff(JSON.parse(f as string), ref)).toEqual(["$.cts: not in fixture"]);
          expect(Object.keys(JSON.parse(f as string)).slice(0, 3)).toEqual(["topic", "ts", "type"]);
          break;
        }
        case "okx_spot":
        case "okx_futures":
          expect(shapeDiff(JSON.parse(f as string), fixtureJson("okx_spot/ws_bbo_tbt_docexample.json"))).toEqual([]);
          break;
        case "mexc_spot": {
          expect(f).toBeInstanceOf(Uint8Array);
          const got = decodeMexc(f as Uint8Array);
          const ref = decodeMexc(fixtureBytes("mexc_spot/frames/aggre_bookTicker_BTCUSDT_2026-09-25_with_version.bin"));
          expect(Object.keys(got).sort()).toEqual(Object.keys(ref).sort());
          expect(Object.keys(got.publicAggreBookTicker).sort()).toEqual(Object.keys(ref.publicAggreBookTicker).sort());
          expect(shapeDiff(got, ref)).toEqual([]);
          expect(got.channel).toBe("spot@public.aggre.bookTicker.v3.api.pb@100ms@BTCUSDT");
          break;
        }
        case "mexc_futures":
          expect(shapeDiff(JSON.parse(f as string), fixtureJson("mexc_futures/ws_messages.json").entries[8].message)).toEqual([]);
          break;
      }
    } finally {
      c.close();
    }
  });

  test("mexc spot: byte layout of the wrapper matches the recorded frame (tags 0a, 1a, 30, da 13)", async () => {
    const c = await connect(SourceId.mexc_spot);
    try {
      subscribe(c, SourceId.mexc_spot, ["BTCUSDT"]);
      await c.until(() => c.frames.some((f) => typeof f !== "string"), 3000, "binary frame");
      const f = c.frames.find((x): x is Uint8Array => typeof x !== "string")!;
      const ref = fixtureBytes("mexc_spot/frames/aggre_bookTicker_BTCUSDT_2026-09-25_with_version.bin");
      expect(Array.from(f.subarray(0, 56))).toEqual(Array.from(ref.subarray(0, 56)));
      // The body tag follows the createTime varint (field 6, tag 0x30); searching for the first 0xda byte
      // would hit a varint byte of that timestamp now and then.
      let at = f.indexOf(0x30, 56 - 8);
      expect(at).toBeGreaterThan(0);
      at++;
      while (f[at]! & 0x80) at++;
      expect([f[at + 1], f[at + 2]]).toEqual([0xda, 0x13]);
    } finally {
      c.close();
    }
  });
});

describe("control frames: adapter parse + fixture shape", () => {
  test("binance: ack, invalid stream, too many, serverShutdown (raw and combined)", async () => {
    for (const s of [SourceId.binance_spot, SourceId.binance_futures]) {
      const c = await connect(s);
      try {
        const ctl = fixtureJsonLines(`${s === 0 ? "binance_spot" : "binance_futures"}/control_messages.jsonl`);
        c.send(`{"method":"SUBSCRIBE","params":["${UNKNOWN.binance_spot.toLowerCase()}@bookTicker"],"id":7}`);
        const ack = await c.json((m) => m.id === 7);
        expect(ack).toEqual({ result: null, id: 7 });
        expect(shapeDiff(ack, ctl[0].msg)).toEqual([]);
        expect(parse(s, JSON.stringify(ack)).kind).toBe(FrameKind.Ack);
        c.send(`{"method":"SUBSCRIBE","params":["btcusdt@@bad"],"id":8}`);
        const err = await c.json((m) => m.id === 8);
        expect(err).toEqual({ error: { code: 2, msg: "Invalid request: invalid stream" }, id: 8 });
        expect(shapeDiff(err, ctl[1].msg)).toEqual([]);
        expect(parse(s, JSON.stringify(err)).kind).toBe(FrameKind.SubError);
        sim.addFault({ kind: "shutdown", source: SOURCE_NAMES[s], connections: "all" });
        const note = await c.json((m) => m.stream === "!serverShutdown" || m.e === "serverShutdown");
        expect(shapeDiff(note, fixtureJsonLines("binance_spot/control_messages.jsonl")[4].msg)).toEqual([]);
        expect(parse(s, JSON.stringify(note)).kind).toBe(FrameKind.Notice);
        expect(await c.closed()).toBe(1001);
      } finally {
        c.close();
      }
    }
    const raw = await Client.open(`${sim.urls.binance_spot.ws_url}/ws`);
    sim.addFault({ kind: "shutdown", source: "binance_spot", connections: "all" });
    const note = await raw.json((m) => m.e === "serverShutdown");
    expect(shapeDiff(note, fixtureJsonLines("binance_spot/control_messages.jsonl")[3].msg)).toEqual([]);
    raw.close();
  });

  test("bybit spot: ack, pong, args size >10, invalid symbol", async () => {
    const s = SourceId.bybit_spot;
    const ctl = fixtureJsonLines("bybit_spot/control_messages.jsonl");
    const c = await connect(s);
    try {
      c.send(`{"req_id":"10001","op":"subscribe","args":["orderbook.1.ETHUSDT"]}`);
      const ack = await c.json((m) => m.op === "subscribe" && m.success === true);
      expect(shapeDiff(ack, ctl[0].msg)).toEqual([]);
      expect(parse(s, JSON.stringify(ack)).kind).toBe(FrameKind.Ack);
      c.send(ADAPTERS[s]!.heartbeat.clientPing!);
      const pong = await c.json((m) => m.op === "ping");
      expect(shapeDiff(pong, ctl[1].msg)).toEqual([]);
      expect(parse(s, JSON.stringify(pong)).kind).toBe(FrameKind.Pong);
      c.send(JSON.stringify({ op: "subscribe", args: Array.from({ length: 11 }, (_, i) => `orderbook.1.X${i}USDT`) }));
      const big = await c.json((m) => m.ret_msg === "args size >10");
      expect(shapeDiff(big, ctl[2].msg)).toEqual([]);
      expect(parse(s, JSON.stringify(big)).kind).toBe(FrameKind.SubError);
      c.send(`{"op":"subscribe","args":["orderbook.1.NOTREALUSDT"]}`);
      const inv = await c.json((m) => typeof m.ret_msg === "string" && m.ret_msg.startsWith("Invalid symbol"));
      expect(inv.ret_msg).toBe("Invalid symbol :[orderbook.1.NOTREALUSDT]");
      expect(shapeDiff(inv, ctl[3].msg)).toEqual([]);
      const p = parse(s, JSON.stringify(inv));
      expect(p.kind).toBe(FrameKind.SubError);
    } finally {
      c.close();
    }
  });

  test("bybit linear: ack, pong, already subscribed, handler not found", async () => {
    const s = SourceId.bybit_futures;
    const ctl = fixtureJsonLines("bybit_linear/control_messages.jsonl");
    const c = await connect(s);
    try {
      c.send(`{"op":"subscribe","args":["orderbook.1.ETHUSDT"]}`);
      const ack = await c.json((m) => m.op === "subscribe" && m.success === true);
      expect(shapeDiff(ack, ctl[0].msg)).toEqual([]);
      c.send(ADAPTERS[s]!.heartbeat.clientPing!);
      const pong = await c.json((m) => m.op === "ping");
      expect(shapeDiff(pong, ctl[1].msg)).toEqual([]);
      expect(parse(s, JSON.stringify(pong)).kind).toBe(FrameKind.Pong);
      c.send(`{"req_id":"2","op":"subscribe","args":["orderbook.1.SOLUSDT","orderbook.1.ETHUSDT"]}`);
      const dup = await c.json((m) => m.req_id === "2");
      expect(dup.ret_msg).toBe("error:already subscribed,topic:orderbook.1.ETHUSDT");
      // The probe's bytes carry no conn_id/op; the simulator keeps the full linear reply shape.
      expect(shapeDiff(dup, ctl[2].msg)).toEqual(["$.conn_id: not in fixture", "$.op: not in fixture"]);
      c.send(`{"req_id":"3","op":"subscribe","args":["orderbook.1.NAS100USDT"]}`);
      const nf = await c.json((m) => m.req_id === "3");
      expect(nf.ret_msg).toBe("error:handler not found,topic:orderbook.1.NAS100USDT");
      expect(shapeDiff(nf, ctl[3].msg)).toEqual(["$.conn_id: not in fixture", "$.req_id: not in fixture"]);
      expect(parse(s, JSON.stringify(nf)).kind).toBe(FrameKind.SubError);
    } finally {
      c.close();
    }
  });

  test("okx: per-arg ack, 60018 error naming the instId, bare pong, 60012, 64008 notice", async () => {
    for (const s of [SourceId.okx_spot, SourceId.okx_futures]) {
      const entries = fixtureJson("okx_swap/ws_messages.json").entries.map((e: any) => e.message);
      const c = await connect(s);
      try {
        c.send(`{"id":"1512","op":"subscribe","args":[{"channel":"bbo-tbt","instId":"${BTC[SOURCE_NAMES[s]!]}"},{"channel":"bbo-tbt","instId":"${UNKNOWN[SOURCE_NAMES[s]!]}"}]}`);
        const ack = await c.json((m) => m.event === "subscribe");
        expect(shapeDiff(ack, entries[1])).toEqual([]);
        expect(parse(s, JSON.stringify(ack)).kind).toBe(FrameKind.Ack);
        const err = await c.json((m) => m.event === "error");
        expect(err.msg).toContain(`instId:${UNKNOWN[SOURCE_NAMES[s]!]} doesn't exist`);
        // The live 2025 error had no id (its request carried none); with an id it is echoed like acks.
        expect(shapeDiff(err, entries[6])).toEqual(["$.id: not in fixture"]);
        const pe = parse(s, JSON.stringify(err));
        expect(pe.kind).toBe(FrameKind.SubError);
        expect(pe.rec.rejected).toEqual([UNKNOWN[SOURCE_NAMES[s]!]]);
        c.send("ping");
        await c.until(() => c.texts().includes("pong"));
        expect(parse(s, "pong").kind).toBe(FrameKind.Pong);
        c.send(`{"op": "subscribe", "argss":[]}`);
        const bad = await c.json((m) => m.code === "60012");
        expect(shapeDiff(bad, entries[8])).toEqual(["$.id: missing in sim"]);
        sim.addFault({ kind: "shutdown", source: SOURCE_NAMES[s], connections: "all" });
        const notice = await c.json((m) => m.event === "notice");
        expect(shapeDiff(notice, entries[9])).toEqual([]);
        expect(parse(s, JSON.stringify(notice)).kind).toBe(FrameKind.Notice);
        expect(await c.closed()).toBe(1006);
      } finally {
        c.close();
      }
    }
  });

  test("mexc spot: ack echoes the channel, Blocked! rejection with code 0, PONG", async () => {
    const s = SourceId.mexc_spot;
    const entries = fixtureJson("mexc_spot/ws_control_messages.json").entries;
    const c = await connect(s);
    try {
      const good = "spot@public.aggre.bookTicker.v3.api.pb@100ms@ETHUSDT";
      c.send(JSON.stringify({ method: "SUBSCRIPTION", params: [good, "spot@public.miniTicker.v3.api@BTCUSDT@UTC+0"] }));
      const ack = await c.json((m) => m.msg === good);
      expect(shapeDiff(ack, entries[1].message)).toEqual([]);
      expect(parse(s, JSON.stringify(ack)).kind).toBe(FrameKind.Ack);
      const rej = await c.json((m) => typeof m.msg === "string" && m.msg.startsWith("Not Subscribed"));
      expect(rej.msg).toBe("Not Subscribed successfully! [spot@public.miniTicker.v3.api@BTCUSDT@UTC+0].  Reason： Blocked! ");
      expect(shapeDiff(rej, entries[2].message)).toEqual([]);
      expect(parse(s, JSON.stringify(rej)).kind).toBe(FrameKind.SubError);
      c.send(ADAPTERS[s]!.heartbeat.clientPing ?? `{"method":"PING"}`);
      const pong = await c.json((m) => m.msg === "PONG");
      expect(pong).toEqual(entries[4].message[1]);
      expect(parse(s, JSON.stringify(pong)).kind).toBe(FrameKind.Pong);
    } finally {
      c.close();
    }
  });

  test("mexc futures: rs.sub.ticker ack, rs.error for unknown, pong", async () => {
    const s = SourceId.mexc_futures;
    const entries = fixtureJson("mexc_futures/ws_messages.json").entries;
    const c = await connect(s);
    try {
      subscribe(c, s, ["ETH_USDT"]);
      const ack = await c.json((m) => m.channel === "rs.sub.ticker");
      expect(shapeDiff(ack, entries[4].message)).toEqual([]);
      expect(parse(s, JSON.stringify(ack)).kind).toBe(FrameKind.Ack);
      subscribe(c, s, ["NOPE_USDT"]);
      const err = await c.json((m) => m.channel === "rs.error");
      expect(err.data).toBe("Contract [NOPE_USDT] not exists");
      expect(shapeDiff(err, entries[5].message)).toEqual([]);
      const pe = parse(s, JSON.stringify(err));
      expect(pe.kind).toBe(FrameKind.SubError);
      expect(pe.rec.rejected).toEqual(["NOPE_USDT"]);
      c.send(ADAPTERS[s]!.heartbeat.clientPing!);
      const pong = await c.json((m) => m.channel === "pong");
      expect(shapeDiff(pong, entries[7].message[1])).toEqual([]);
      expect(parse(s, JSON.stringify(pong)).kind).toBe(FrameKind.Pong);
    } finally {
      c.close();
    }
  });
});

