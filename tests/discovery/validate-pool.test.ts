// WS validation on the shared ConnectionPool against a scripted socket (tests/feed/fake-socket.ts): the pair
// outcomes from the validation sink, the per-socket idle rule, planSource's layout, and sockets that give up.
import { describe, expect, test } from "bun:test";
import { SourceId as S, type SourceEndpoint } from "@spread/common";
import { planSource, validateSource, type ValidationSettings } from "@spread/discovery";
import { ADAPTERS, ConnectPacer } from "@spread/exchanges";
import { fakeFactory, tick, type FakeSocket } from "../feed/fake-socket.ts";
import { testEndpoint } from "../endpoint.ts";

const bybit = ADAPTERS[S.bybit_spot]!;

const endpoint = (over: Partial<SourceEndpoint> = {}): SourceEndpoint => testEndpoint({ connections: 2, validation_batch: 4, ...over });

const settings = (over: Partial<ValidationSettings> = {}): ValidationSettings => ({
  batchTimeoutMs: 5000, collectMs: 5000, idleMs: 150, connectAttempts: 3, connectBackoffMs: [5, 10], maxConnections: 24,
  connectIntervalMs: 0, openTimeoutMs: 1000, ...over,
});

const book = (sym: string, bid: string, ask: string) =>
  `{"topic":"orderbook.1.${sym}","type":"snapshot","ts":1700000000000,"data":{"s":"${sym}","b":[["${bid}","2"]],"a":[["${ask}","3"]],"u":1,"seq":1},"cts":1700000000001}`;
const topics = (s: FakeSocket) => s.sent.flatMap((f) => (JSON.parse(f).op === "subscribe" ? (JSON.parse(f).args as string[]).map((t) => t.slice(12)) : []));

describe("validation on the ConnectionPool", () => {
  test("valid, invalid_prices, rejected (whole request refused), no_data; a socket whose pairs all answered ends at once", async () => {
    const { factory, sockets } = fakeFactory();
    const syms = ["AAAUSDT", "BBBUSDT", "CCCUSDT", "DDDUSDT", "EEEUSDT", "FFFUSDT"];
    const t0 = performance.now();
    const run = validateSource({ adapter: bybit, endpoint: endpoint(), symbols: syms }, settings({ socketFactory: factory }), new ConnectPacer(0));
    await tick(5);
    expect(sockets.length).toBe(2); // 6 pairs, validation_batch 4 → 2 sockets, round-robin
    for (const s of sockets) s.open();
    const [a, b] = sockets as [FakeSocket, FakeSocket];
    expect(topics(a)).toEqual(["AAAUSDT", "CCCUSDT", "EEEUSDT"]);
    expect(topics(b)).toEqual(["BBBUSDT", "DDDUSDT", "FFFUSDT"]);
    // socket a: CCC refused → the whole request fails; the rest is subscribed again and answers
    const req = JSON.parse(a.sent[0]!);
    a.push(JSON.stringify({ success: false, ret_msg: "error:handler not found,topic:orderbook.1.CCCUSDT", conn_id: "x", req_id: req.req_id, op: "subscribe" }));
    expect(topics(a).slice(3)).toEqual(["AAAUSDT", "EEEUSDT"]);
    a.push(book("AAAUSDT", "1", "1.1"));
    a.push(book("EEEUSDT", "2", "2.1"));
    // socket b: a crossed book, a valid one, silence
    b.push(book("BBBUSDT", "3", "2.9"));
    b.push(book("DDDUSDT", "4", "4.1"));
    const v = await run;
    const st = Object.fromEntries([...v.pairs.values()].map((p) => [p.exchangeSymbol, p.status]));
    expect(st).toEqual({ AAAUSDT: "valid", BBBUSDT: "invalid_prices", CCCUSDT: "rejected", DDDUSDT: "valid", EEEUSDT: "valid", FFFUSDT: "no_data" });
    expect(v.pairs.get("CCCUSDT")!.detail).toBe("error:handler not found,topic:orderbook.1.CCCUSDT");
    expect(v.pairs.get("AAAUSDT")!.bid).toBe(1);
    expect(v.pairs.get("BBBUSDT")!.invalidUpdates).toBe(1);
    expect(v).toMatchObject({ ok: true, batches: 1, connections: 2, connectionFailures: 0, error: null });
    // socket b waited idle (150 ms) for FFF; socket a was done at once; nowhere near collect (5 s)
    expect(performance.now() - t0).toBeLessThan(1500);
    expect(sockets.every((s) => s.closed !== null)).toBe(true); // the pool was stopped
  });

  test("a snapshot before the ack validates its pair; an empty side is no quote (no_data), not invalid_prices", async () => {
    const { factory, sockets } = fakeFactory();
    const syms = ["AAAUSDT", "BBBUSDT", "CCCUSDT"];
    const side = (sym: string, b: string, a: string) => `{"topic":"orderbook.1.${sym}","type":"snapshot","ts":1700000000000,"data":{"s":"${sym}","b":${b},"a":${a},"u":1,"seq":1},"cts":1700000000001}`;
    const run = validateSource({ adapter: ADAPTERS[S.bybit_futures]!, endpoint: endpoint({ validation_batch: 10 }), symbols: syms }, settings({ socketFactory: factory }), new ConnectPacer(0));
    await tick(5);
    const s = sockets[0]!;
    s.open();
    // Bybit linear: the first snapshots, then the ack
    s.push(book("AAAUSDT", "1", "1.1"));
    s.push(side("BBBUSDT", "[]", '[["2.1","1"]]'));
    s.push(side("CCCUSDT", '[["3","1"]]', "[]"));
    s.push(JSON.stringify({ success: true, ret_msg: "", conn_id: "x", req_id: JSON.parse(s.sent[0]!).req_id ?? "", op: "subscribe" }));
    s.push(book("CCCUSDT", "3", "3.1"));
    const v = await run;
    const st = Object.fromEntries([...v.pairs.values()].map((p) => [p.exchangeSymbol, [p.status, p.invalidUpdates]]));
    expect(st).toEqual({ AAAUSDT: ["valid", 0], BBBUSDT: ["no_data", 0], CCCUSDT: ["valid", 0] });
  });

  test("every socket fails to open: the sockets give up after connect attempts and the source reports it", async () => {
    const { factory, sockets } = fakeFactory();
    const dropping = (url: string, h: Parameters<typeof factory>[1]) => {
      const s = factory(url, h);
      setTimeout(() => {
        h.onError("Expected 101 status code: 503");
        (s as FakeSocket).drop();
      }, 1);
      return s;
    };
    const v = await validateSource({ adapter: bybit, endpoint: endpoint(), symbols: ["AAAUSDT", "BBBUSDT"] }, settings({ socketFactory: dropping }), new ConnectPacer(0));
    expect(sockets.length).toBe(3); // one socket (2 pairs < validation_batch), 3 attempts
    expect(v.ok).toBe(false);
    expect(v.connectionFailures).toBe(3);
    expect(v.error).toBe("bybit_spot: WebSocket unreachable: ws://127.0.0.1:1/v5/public/spot: closed 1006 (Expected 101 status code: 503)");
    expect([...v.pairs.values()].every((p) => p.status === "no_data")).toBe(true);
  });

  test("planSource: sockets per validation_batch within validation_connections, rounds beyond the cap", () => {
    // MEXC spot: 30 pairs per socket (cap and batch); 24 sockets hold 720 pairs, so 1000 pairs take 2 rounds
    const mexc = ADAPTERS[S.mexc_spot]!;
    const ep = endpoint({ max_subs_per_connection: 30, subscribe_batch: 30, validation_batch: 30 });
    expect(planSource(mexc, ep, 548, 24)).toMatchObject({ batches: 1, connections: 19, requests: 19, requestSize: 30 });
    const two = planSource(mexc, ep, 1000, 24);
    expect(two.rounds).toEqual([{ pairs: 500, connections: 17 }, { pairs: 500, connections: 17 }]);
    // Bybit spot: 50 pairs per socket, 10 per request (venue limit)
    const b = planSource(bybit, endpoint({ validation_batch: 50 }), 393, 24);
    expect(b).toMatchObject({ batches: 1, connections: 8, requestSize: 10, requests: 40 });
    expect(planSource(bybit, endpoint(), 0, 24)).toMatchObject({ batches: 0, connections: 0, requests: 0 });
  });
});
