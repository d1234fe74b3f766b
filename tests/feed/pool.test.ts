// The shared connection engine against a scripted socket: batching, rejections, scaling, liveness, rollover,
// connection-open pacing, invalid-update reporting, slot give-up.
import { afterEach, describe, expect, test } from "bun:test";
import { createLogger, type SourceEndpoint } from "@spread/common";
import { ADAPTERS, ConnectionPool, ConnectPacer, FeedSymbols, InvalidReason, type FeedSymbolDef, type PoolOptions, type PriceSink } from "@spread/exchanges";
import { fakeFactory, tick } from "./fake-socket.ts";
import { testEndpoint } from "../endpoint.ts";

const log = createLogger("test", "silent");

const endpoint = testEndpoint;

class RecordingSink implements PriceSink {
  readonly updates: { id: number; bid: number; ask: number; bq: number; aq: number; ts: number }[] = [];
  readonly stale: number[] = [];
  readonly invalids: { id: number; reason: number }[] = [];
  readonly noQuotes: number[] = [];
  publish(id: number, bid: number, ask: number, bq: number, aq: number, ts: number): void {
    this.updates.push({ id, bid, ask, bq, aq, ts });
  }
  markStale(ids: ArrayLike<number>): void {
    for (let i = 0; i < ids.length; i++) this.stale.push(ids[i]!);
  }
  invalid(id: number, reason: number): void {
    this.invalids.push({ id, reason });
  }
  noQuote(id: number): void {
    this.noQuotes.push(id);
  }
}

const bybitSpot = ADAPTERS[2]!;
const defs = (names: string[], mult = 1): FeedSymbolDef[] => names.map((n, i) => ({ symbolId: i + 10, exchangeSymbol: n, multiplier: mult, qtyFactor: mult }));
const book = (sym: string, bid: string, ask: string) =>
  `{"topic":"orderbook.1.${sym}","type":"snapshot","ts":1700000000000,"data":{"s":"${sym}","b":[["${bid}","2"]],"a":[["${ask}","3"]],"u":1,"seq":1},"cts":1700000000001}`;

let pools: ConnectionPool[] = [];
afterEach(() => {
  for (const p of pools) p.stop();
  pools = [];
});

function makePool(names: string[], ep: Partial<SourceEndpoint> = {}, mult = 1, extra: Partial<PoolOptions> = {}) {
  const { factory, sockets } = fakeFactory();
  const sink = new RecordingSink();
  const pool = new ConnectionPool({
    adapter: bybitSpot, endpoint: endpoint(ep), timings: { reconnect_base_ms: 5, reconnect_max_ms: 20, reconnect_reset_after_ms: 60000 },
    symbols: new FeedSymbols(defs(names, mult)), sink, log, socketFactory: factory, tickMs: 1_000_000, rolloverSettleMs: 50, ...extra,
  });
  pools.push(pool);
  return { pool, sockets, sink };
}

/** Waits for `cond` (re-checked every 5 ms) up to a bound generous for a loaded machine. */
async function until(cond: () => boolean, what: string, ms = 3000): Promise<void> {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await tick(5);
  }
}

const names = Array.from({ length: 25 }, (_, i) => `C${String(i).padStart(2, "0")}USDT`);
const subscribedTopics = (sent: string[]) => sent.flatMap((f) => (JSON.parse(f).op === "subscribe" ? (JSON.parse(f).args as string[]) : []));

describe("ConnectionPool", () => {
  test("subscribes every symbol once, in requests within the venue limit", () => {
    const { pool, sockets } = makePool(names, { subscribe_batch: 50 });
    pool.start();
    expect(sockets.length).toBe(1);
    sockets[0]!.open();
    const reqs = sockets[0]!.sent.map((f) => JSON.parse(f));
    expect(reqs.every((r) => r.op === "subscribe" && r.args.length <= 10)).toBe(true);
    const topics = subscribedTopics(sockets[0]!.sent);
    expect(topics.length).toBe(25);
    expect(new Set(topics).size).toBe(25);
  });

  test("a source with no symbols opens no connection; a reload that adds symbols opens one", () => {
    const { pool, sockets } = makePool([]);
    pool.start();
    expect(sockets.length).toBe(0);
    pool.reload(new FeedSymbols(defs(["AAAUSDT", "BBBUSDT"])));
    expect(sockets.length).toBe(1);
    sockets[0]!.open();
    expect(subscribedTopics(sockets[0]!.sent).sort()).toEqual(["orderbook.1.AAAUSDT", "orderbook.1.BBBUSDT"]);
  });

  test("splits over more connections when the per-connection cap forces it", () => {
    const { pool, sockets } = makePool(names, { connections: 1, max_subs_per_connection: 10 });
    pool.start();
    expect(sockets.length).toBe(3);
    for (const s of sockets) s.open();
    expect(sockets.map((s) => subscribedTopics(s.sent).length).sort()).toEqual([8, 8, 9]);
  });

  test("updates are validated, divided by the multiplier and published with symbol ids", () => {
    const { pool, sockets, sink } = makePool(["PEPEUSDT"], {}, 1000);
    pool.start();
    sockets[0]!.open();
    sockets[0]!.push(book("PEPEUSDT", "0.0105", "0.0106"));
    sockets[0]!.push(book("PEPEUSDT", "0.0107", "0.0106")); // crossed → dropped, counted
    sockets[0]!.push("{garbage");
    sockets[0]!.push(book("OTHERUSDT", "1", "2")); // not ours
    expect(sink.updates.length).toBe(1);
    const u = sink.updates[0]!;
    expect(u.id).toBe(10);
    expect(u.bid).toBeCloseTo(0.0000105, 15);
    expect(u.ask).toBeCloseTo(0.0000106, 15);
    expect(u.bq).toBe(2000);
    expect(u.ts).toBe(1700000000001 * 1000);
    expect(pool.counters.invalid).toBe(1);
    expect(sink.invalids).toEqual([{ id: 10, reason: InvalidReason.Crossed }]); // the sink learns which symbol
    expect(pool.counters.malformed).toBe(1);
    expect(pool.counters.unknownSymbol).toBe(1);
  });

  test("an update that arrives before its subscribe ack is published (Bybit linear snapshots precede the ack)", () => {
    const { pool, sockets, sink } = makePool(["AAAUSDT", "BBBUSDT"], {}, 1, { adapter: ADAPTERS[3]! });
    pool.start();
    sockets[0]!.open();
    const req = JSON.parse(sockets[0]!.sent[0]!);
    sockets[0]!.push(book("AAAUSDT", "1.5", "1.6"));
    sockets[0]!.push(book("BBBUSDT", "2.5", "2.6"));
    expect(sink.updates.map((u) => [u.id, u.bid, u.ask])).toEqual([[10, 1.5, 1.6], [11, 2.5, 2.6]]);
    sockets[0]!.push(`{"success":true,"ret_msg":"","conn_id":"c","req_id":${JSON.stringify(req.req_id ?? "")},"op":"subscribe"}`);
    sockets[0]!.push(book("AAAUSDT", "1.55", "1.6"));
    expect(sink.updates.length).toBe(3);
    expect(pool.symbolHealth().live).toBe(2);
    expect([pool.counters.updates, pool.counters.invalid, pool.counters.subErrors]).toEqual([3, 0, 0]);
  });

  test("an empty book side is no quote: nothing published, not counted invalid, the sink's noQuote learns the symbol", () => {
    const okx = ADAPTERS[6]!;
    const { pool, sockets, sink } = makePool(["BTC-USDT"], {}, 1, { adapter: okx });
    pool.start();
    sockets[0]!.open();
    const push = (asks: string, bids: string) => sockets[0]!.push(`{"arg":{"channel":"bbo-tbt","instId":"BTC-USDT"},"data":[{"asks":${asks},"bids":${bids},"ts":"1700000000000","seqId":1}]}`);
    const tickers = (ask: string, bid: string) =>
      sockets[0]!.push(`{"arg":{"channel":"tickers","instId":"BTC-USDT"},"data":[{"instType":"SPOT","instId":"BTC-USDT","last":"","lastSz":"","askPx":"${ask}","askSz":"${ask && "1"}","bidPx":"${bid}","bidSz":"${bid && "1"}","ts":"1700000000000"}]}`);
    push('[["101","1","0","1"]]', '[["100","2","0","1"]]');
    push('[["101","1","0","1"]]', "[]");
    push("[]", '[["100","2","0","1"]]');
    tickers("", "100");
    tickers("101", "");
    push('[["102","1","0","1"]]', '[["100","2","0","1"]]');
    push('[["99","1","0","1"]]', '[["100","2","0","1"]]'); // crossed: a corrupt quote, still invalid
    expect(sink.updates.map((u) => [u.bid, u.ask])).toEqual([[100, 101], [100, 102]]);
    expect(sink.noQuotes).toEqual([10, 10, 10, 10]);
    expect(pool.symbols.oneSided[0]).toBe(0); // the last two-sided push cleared it
    push("[]", '[["100","2","0","1"]]');
    expect(pool.symbols.oneSided[0]).toBe(1);
    expect(pool.counters.noQuote).toBe(5);
    expect(pool.counters.invalid).toBe(1);
    expect(sink.invalids).toEqual([{ id: 10, reason: InvalidReason.Crossed }]);
  });

  test("a whole-batch rejection for one bad symbol resubscribes the others without it", () => {
    const { pool, sockets } = makePool(names.slice(0, 10));
    pool.start();
    sockets[0]!.open();
    const first = JSON.parse(sockets[0]!.sent[0]!);
    sockets[0]!.push(JSON.stringify({ success: false, ret_msg: `error:handler not found,topic:orderbook.1.${names[3]}`, conn_id: "x", req_id: first.req_id, op: "subscribe" }));
    const again = JSON.parse(sockets[0]!.sent.at(-1)!);
    expect(again.op).toBe("subscribe");
    expect(again.args.length).toBe(9);
    expect(again.args).not.toContain(`orderbook.1.${names[3]}`);
    expect(pool.symbolHealth().rejected).toBe(1);
    expect(pool.symbols.rejectReason[3]).toBe(`error:handler not found,topic:orderbook.1.${names[3]}`);
  });

  test("a whole request refused without naming the symbol (Binance) is bisected: the bad one alone refused in ~2·log2(n) requests", () => {
    const binance = ADAPTERS[0]!;
    const syms = Array.from({ length: 16 }, (_, i) => (i === 11 ? "BADUSDT" : `G${String(i).padStart(2, "0")}USDT`));
    const { pool, sockets } = makePool(syms, { subscribe_batch: 200 }, 1, { adapter: binance });
    pool.start();
    const ws = sockets[0]!;
    ws.open();
    // The venue: refuses every request that contains the bad stream, acks the others.
    let answered = 0;
    const acked: string[] = [];
    while (answered < ws.sent.length) {
      const req = JSON.parse(ws.sent[answered++]!);
      if (req.method !== "SUBSCRIBE") continue;
      const bad = (req.params as string[]).includes("badusdt@bookTicker");
      if (!bad) acked.push(...req.params);
      ws.push(JSON.stringify(bad ? { error: { code: 2, msg: "Invalid request" }, id: req.id } : { result: null, id: req.id }));
    }
    const requests = ws.sent.filter((f) => JSON.parse(f).method === "SUBSCRIBE").length;
    expect(pool.symbolHealth().rejected).toBe(1);
    expect(pool.symbols.rejected[11]).toBe(1);
    expect(acked.sort()).toEqual(syms.filter((x) => x !== "BADUSDT").map((x) => `${x.toLowerCase()}@bookTicker`).sort());
    // 1 + 2 per halving (16 → 8 → 4 → 2 → 1), not one request per symbol (the venue's 5 msgs/s would make that
    // ~40 s of silence for a 150-symbol Binance connection).
    expect(requests).toBeLessThanOrEqual(1 + 2 * Math.log2(16));
  });

  test("pong timeout replaces the connection and resubscribes", async () => {
    const { pool, sockets } = makePool(names.slice(0, 3), { ping_interval_ms: 10, pong_timeout_ms: 30 });
    pool.start();
    sockets[0]!.open();
    const t0 = performance.now();
    pool.tick(t0 + 15); // ping sent
    expect(sockets[0]!.sent.some((f) => f.includes('"ping"'))).toBe(true);
    pool.tick(t0 + 60); // no pong → dead
    expect(sockets[0]!.closed).not.toBeNull();
    await until(() => sockets.length === 2, "the reconnect (backoff 5-20 ms)");
    sockets[1]!.open();
    expect(subscribedTopics(sockets[1]!.sent).length).toBe(3);
    expect(pool.counters.reconnects).toBe(1);
  });

  test("a dropped connection marks its symbols stale and reconnects with backoff", async () => {
    const { pool, sockets, sink } = makePool(names.slice(0, 2));
    pool.start();
    sockets[0]!.open();
    sockets[0]!.drop();
    expect(sink.stale.sort()).toEqual([10, 11]);
    await until(() => sockets.length === 2, "the reconnect (backoff 5-20 ms)");
  });

  test("server notice rolls over: replacement opened first, old closed once the new one delivers", () => {
    const { pool, sockets, sink } = makePool(["AAAUSDT"]);
    pool.start();
    sockets[0]!.open();
    sockets[0]!.push(book("AAAUSDT", "1", "2"));
    // Bybit has no notice frame; drive the engine's rollover directly, as a Binance/OKX notice would.
    pool.rollover(pool.connections()[0]!);
    expect(sockets.length).toBe(2);
    expect(sockets[0]!.closed).toBeNull();
    sockets[1]!.open();
    sockets[0]!.push(book("AAAUSDT", "1.1", "2"));
    sockets[1]!.push(book("AAAUSDT", "1.2", "2"));
    expect(sockets[0]!.closed).not.toBeNull();
    expect(sink.updates.map((u) => u.bid)).toEqual([1, 1.1, 1.2]);
    expect(pool.connections().length).toBe(1);
  });

  test("connection opens are paced: slots and reconnects no faster than one per interval", async () => {
    const opens: number[] = [];
    const { pool, sockets } = makePool(names, { max_subs_per_connection: 10 }, 1, { connectIntervalMs: 40 });
    const orig = sockets.push.bind(sockets);
    sockets.push = (...xs) => {
      for (const _ of xs) opens.push(performance.now());
      return orig(...xs);
    };
    pool.start();
    expect(sockets.length).toBe(1); // 3 slots needed; only the first opens at once
    await tick(20);
    expect(sockets.length).toBe(1);
    await tick(120);
    expect(sockets.length).toBe(3);
    for (let i = 1; i < 3; i++) expect(opens[i]! - opens[i - 1]!).toBeGreaterThanOrEqual(39);
    for (const s of sockets) s.open();
    // two connections drop together: their reconnects (backoff 5-20 ms) are paced as well
    sockets[0]!.drop();
    sockets[1]!.drop();
    await tick(150);
    expect(sockets.length).toBe(5);
    expect(opens[4]! - opens[3]!).toBeGreaterThanOrEqual(39);
    expect(opens[3]! - opens[2]!).toBeGreaterThanOrEqual(39);
  });

  test("pools sharing a pacer (one IP budget) open their connections in turn; stop() withdraws waiting opens", async () => {
    const pacer = new ConnectPacer(40);
    const a = makePool(names.slice(0, 2), { connections: 2 }, 1, { connectPacer: pacer });
    const b = makePool(names.slice(2, 4), { connections: 2 }, 1, { connectPacer: pacer });
    a.pool.start();
    b.pool.start();
    expect([a.sockets.length, b.sockets.length]).toEqual([1, 0]);
    expect(pacer.waiting).toBe(3);
    await tick(55);
    expect([a.sockets.length, b.sockets.length]).toEqual([2, 0]);
    a.pool.stop();
    b.pool.stop();
    expect(pacer.waiting).toBe(0);
    await tick(100);
    expect([a.sockets.length, b.sockets.length]).toEqual([2, 0]);
  });

  test("a socket not open in time is retried; a slot gives up after maxSlotFailures", async () => {
    const { pool, sockets } = makePool(names.slice(0, 3), {}, 1, { connectTimeoutMs: 20, maxSlotFailures: 2 });
    pool.start();
    pool.tick(performance.now() + 30); // never opened → closed as a connect failure
    expect(sockets[0]!.closed).not.toBeNull();
    await until(() => sockets.length === 2, "the reconnect (backoff 5-20 ms)");
    expect(pool.slots()[0]).toMatchObject({ up: false, opened: false, failures: 1, gaveUp: false });
    sockets[1]!.drop();
    await tick(40);
    expect(sockets.length).toBe(2); // no third attempt
    expect(pool.slots()[0]).toMatchObject({ up: false, opened: false, failures: 2, gaveUp: true });
  });

  test("slots() reports open, backlog and the last subscribe time", () => {
    const { pool, sockets } = makePool(names.slice(0, 25), { max_msgs_per_sec: 1 });
    pool.start();
    expect(pool.lastOpSentAt).toBe(0);
    sockets[0]!.open();
    expect(sockets[0]!.sent.length).toBe(1); // 1 msg/s: the other two requests wait
    expect(pool.slots()[0]).toMatchObject({ up: true, opened: true, queued: 2 });
    expect(pool.slots()[0]!.symbols.length).toBe(25);
    expect(pool.slots()[0]!.lastOpSentAt).toBe(pool.lastOpSentAt);
    expect(pool.lastOpSentAt).toBeGreaterThan(0);
  });

  test("REST seed: scaled like a WS update, only before the first WS update, never invalid prices", () => {
    const { pool, sockets, sink } = makePool(["PEPEUSDT", "DOGEUSDT", "BADUSDT"], {}, 1000);
    pool.start();
    sockets[0]!.open();
    sockets[0]!.push(book("DOGEUSDT", "0.1", "0.2")); // a WebSocket price is always newer than the snapshot
    expect(pool.seed("PEPEUSDT", 0.0105, 0.0106, 5, 6, 1700000000000)).toBe(true);
    expect(pool.seed("DOGEUSDT", 0.3, 0.4, 1, 1, 0)).toBe(false);
    expect(pool.seed("BADUSDT", 2, 1, 1, 1, 0)).toBe(false); // crossed
    expect(pool.seed("BADUSDT", 1e-320, 1, 1, 1, 0)).toBe(false); // subnormal
    expect(pool.seed("BADUSDT", 1, 1e308, 1, 1, 0)).toBe(false); // implausible
    expect(pool.counters.invalid).toBe(3); // counted like an invalid WebSocket update
    expect(pool.seed("NOTOURS", 1, 2, 1, 1, 0)).toBe(false);
    const pepe = sink.updates.find((u) => u.id === 10)!;
    expect(pepe.bid).toBeCloseTo(0.0000105, 15);
    expect(pepe.bq).toBe(5000);
    expect(pepe.ts).toBe(1700000000000 * 1000);
    expect(pool.counters.seeded).toBe(1);
  });

  test("hot reload subscribes the new symbol and unsubscribes the removed one, keeping the rest", () => {
    const { pool, sockets } = makePool(["AAAUSDT", "BBBUSDT"]);
    pool.start();
    sockets[0]!.open();
    sockets[0]!.sent.length = 0;
    const r = pool.reload(new FeedSymbols([
      { symbolId: 10, exchangeSymbol: "AAAUSDT", multiplier: 1, qtyFactor: 1 },
      { symbolId: 12, exchangeSymbol: "CCCUSDT", multiplier: 1, qtyFactor: 1 },
    ]));
    expect(r).toEqual({ added: 1, removed: 1 });
    const frames = sockets[0]!.sent.map((f) => JSON.parse(f));
    expect(frames).toContainEqual(expect.objectContaining({ op: "unsubscribe", args: ["orderbook.1.BBBUSDT"] }));
    expect(frames).toContainEqual(expect.objectContaining({ op: "subscribe", args: ["orderbook.1.CCCUSDT"] }));
    expect(frames.some((f) => f.args.includes("orderbook.1.AAAUSDT"))).toBe(false);
  });

  test("a refused symbol is subscribed again after its backoff, which doubles on each refusal; a data frame revives it", () => {
    const { pool, sockets, sink } = makePool(["AAAUSDT", "BADUSDT"], {}, 1, { rejectRetry: { baseMs: 1000, maxMs: 3000 } });
    pool.start();
    const ws = sockets[0]!;
    ws.open();
    const refuse = () => {
      const req = JSON.parse(ws.sent.at(-1)!);
      expect(req.args).toContain("orderbook.1.BADUSDT");
      ws.push(JSON.stringify({ success: false, ret_msg: "error:handler not found,topic:orderbook.1.BADUSDT", conn_id: "x", req_id: req.req_id, op: "subscribe" }));
    };
    const subscribesOfBad = () => subscribedTopics(ws.sent).filter((t) => t === "orderbook.1.BADUSDT").length;
    refuse();
    expect(pool.symbolHealth().rejected).toBe(1);
    const t0 = performance.now();
    const before = subscribesOfBad();
    pool.tick(t0 + 900); // not yet
    expect(subscribesOfBad()).toBe(before);
    pool.tick(t0 + 1100); // 1 s backoff ran out: asked again, no longer counted as rejected
    expect(subscribesOfBad()).toBe(before + 1);
    expect(pool.symbolHealth().rejected).toBe(0);
    expect(pool.counters.subRetries).toBe(1);
    refuse(); // refused a second time: waits 2 s now
    const t1 = performance.now();
    pool.tick(t1 + 1500);
    expect(subscribesOfBad()).toBe(before + 1);
    pool.tick(t1 + 2100);
    expect(subscribesOfBad()).toBe(before + 2);
    // The venue accepts it this time: its prices flow.
    ws.push(book("BADUSDT", "1.5", "1.6"));
    expect(sink.updates.some((u) => u.id === 11 && u.bid === 1.5)).toBe(true);
    expect(pool.symbolHealth().rejected).toBe(0);
  });

  test("a refused symbol's last price (REST seed, an earlier connection) is flagged stale: it never looks live while unsubscribed", () => {
    const { pool, sockets, sink } = makePool(["AAAUSDT", "BADUSDT"]);
    pool.start();
    // Cold start: the REST snapshot lands before the venue answers the subscription.
    expect(pool.seed("BADUSDT", 1.5, 1.6, 1, 1, 1700000000000)).toBe(true);
    const ws = sockets[0]!;
    ws.open();
    const req = JSON.parse(ws.sent.at(-1)!);
    ws.push(JSON.stringify({ success: false, ret_msg: "error:handler not found,topic:orderbook.1.BADUSDT", conn_id: "x", req_id: req.req_id, op: "subscribe" }));
    expect(pool.symbolHealth().rejected).toBe(1);
    expect(sink.stale).toEqual([11]);
  });

  test("retryRejected() (an operator's reload) subscribes every refused symbol again at once", () => {
    const { pool, sockets } = makePool(["AAAUSDT", "BADUSDT"]);
    pool.start();
    sockets[0]!.open();
    const req = JSON.parse(sockets[0]!.sent.at(-1)!);
    sockets[0]!.push(JSON.stringify({ success: false, ret_msg: "error:handler not found,topic:orderbook.1.BADUSDT", conn_id: "x", req_id: req.req_id, op: "subscribe" }));
    expect(pool.symbolHealth().rejected).toBe(1);
    sockets[0]!.sent.length = 0;
    expect(pool.retryRejected()).toBe(1);
    expect(subscribedTopics(sockets[0]!.sent)).toEqual(["orderbook.1.BADUSDT"]);
    expect(pool.symbolHealth().rejected).toBe(0);
  });

  test("Bybit's 'already subscribed' refusal disables nothing (the venue's own error classification)", () => {
    const { pool, sockets } = makePool(["AAAUSDT"]);
    pool.start();
    sockets[0]!.open();
    const req = JSON.parse(sockets[0]!.sent.at(-1)!);
    sockets[0]!.push(JSON.stringify({ success: false, ret_msg: "error:already subscribed,topic:orderbook.1.AAAUSDT", conn_id: "x", req_id: req.req_id, op: "subscribe" }));
    expect(pool.symbolHealth().rejected).toBe(0);
    expect(pool.counters.subErrors).toBe(1);
  });

  test("Pair Discovery's pools (rejectRetry null) never resubscribe a refused symbol", () => {
    const { pool, sockets } = makePool(["AAAUSDT", "BADUSDT"], {}, 1, { rejectRetry: null });
    pool.start();
    sockets[0]!.open();
    const req = JSON.parse(sockets[0]!.sent.at(-1)!);
    sockets[0]!.push(JSON.stringify({ success: false, ret_msg: "error:handler not found,topic:orderbook.1.BADUSDT", conn_id: "x", req_id: req.req_id, op: "subscribe" }));
    sockets[0]!.sent.length = 0;
    pool.tick(performance.now() + 10 * 3_600_000);
    expect(subscribedTopics(sockets[0]!.sent)).toEqual([]);
    expect(pool.symbolHealth().rejected).toBe(1);
  });
});
