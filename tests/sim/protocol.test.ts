// Protocol rules from a real WebSocket client, with the venue timers shortened to fractions of a second:
// subscription limits, whole-batch rejection, heartbeats and idle closes, re-sent snapshots, lifetimes.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { SimHandle } from "@spread/sim";
import { Client, getJson, testSim } from "./helpers.ts";
import { waitFor } from "../wait.ts";

const SMALL = { scale: 0.3 };

describe("binance", () => {
  let sim: SimHandle;
  beforeAll(async () => {
    sim = await testSim({
      universe: SMALL,
      rate: { total: 4000 },
      venues: {
        binance_spot: { ping_interval_ms: 200, pong_timeout_ms: 700, max_client_msgs_per_sec: 5 },
        binance_futures: { max_lifetime_ms: 900, notice_ms: 300 },
      },
    });
  });
  afterAll(async () => await sim?.stop());
  const spot = () => sim.urls.binance_spot.ws_url;

  test("server ping frames arrive every ping_interval_ms", async () => {
    const c = await Client.open(`${spot()}/ws`);
    await c.until(() => c.pings >= 3, 2000, "3 pings");
    c.close();
  });

  test("a client that stops answering pings is closed after pong_timeout_ms", async () => {
    const c = await Client.open(`${spot()}/ws`);
    const before = sim.state(false).sources as any;
    const closed1008 = before.binance_spot.close_codes["1008"] ?? 0;
    (c.ws as any).pause();
    await waitFor("the server's 1008 close of the silent client", () => ((sim.state(false).sources as any).binance_spot.close_codes["1008"] ?? 0) > closed1008, 5000);
    (c.ws as any).resume();
    expect(await c.closed(2000)).toBe(1008);
    expect((sim.state(false).sources as any).binance_spot.close_codes["1008"]).toBe(closed1008 + 1);
  });

  test("combined URL streams wrap frames; /ws/<stream> is raw; unknown symbol: ack then silence", async () => {
    const comb = await Client.open(`${spot()}/stream?streams=btcusdt@bookTicker/ethusdt@bookTicker`);
    const raw = await Client.open(`${spot()}/ws/btcusdt@bookTicker`);
    comb.send(`{"method":"SUBSCRIBE","params":["zzzzusdt@bookTicker"],"id":1}`);
    await comb.json((m) => m.id === 1);
    await comb.until(() => comb.jsons().filter((m) => m.stream === "ethusdt@bookTicker").length >= 2);
    await raw.until(() => raw.jsons().filter((m) => m.s === "BTCUSDT").length >= 2);
    expect(raw.jsons().every((m) => m.stream === undefined)).toBe(true);
    expect(comb.jsons().some((m) => m.stream === "zzzzusdt@bookTicker")).toBe(false);
    comb.send(`{"method":"LIST_SUBSCRIPTIONS","id":2}`);
    expect((await comb.json((m) => m.id === 2)).result).toEqual(["btcusdt@bookTicker", "ethusdt@bookTicker", "zzzzusdt@bookTicker"]);
    comb.close();
    raw.close();
  });

  test("more than 1024 streams → Too many subscriptions, nothing subscribed", async () => {
    const c = await Client.open(`${spot()}/ws`);
    const params = Array.from({ length: 1025 }, (_, i) => `s${i}usdt@bookTicker`);
    c.send(JSON.stringify({ method: "SUBSCRIBE", params, id: 19 }));
    expect(await c.json((m) => m.id === 19)).toEqual({ error: { code: 4, msg: "Too many subscriptions" }, id: 19 });
    c.send(`{"method":"LIST_SUBSCRIPTIONS","id":20}`);
    expect((await c.json((m) => m.id === 20)).result).toEqual([]);
    c.close();
  });

  test("more than 5 messages per second → disconnect", async () => {
    const c = await Client.open(`${spot()}/ws`);
    for (let i = 0; i < 8; i++) c.send(`{"method":"LIST_SUBSCRIPTIONS","id":${i}}`);
    expect(await c.closed()).toBe(1008);
  });

  test("USD-M: bookTicker on /market is acknowledged but silent; /public delivers", async () => {
    const fut = sim.urls.binance_futures.ws_url;
    const market = await Client.open(`${fut}/market/ws`);
    const pub = await Client.open(`${fut}/public/ws`);
    for (const c of [market, pub]) c.send(`{"method":"SUBSCRIBE","params":["btcusdt@bookTicker"],"id":1}`);
    await market.json((m) => m.id === 1);
    await pub.until(() => pub.jsons().some((m) => m.e === "bookTicker"));
    await Bun.sleep(200); // a window, not a wait: /public kept streaming meanwhile, /market must stay silent
    expect(market.jsons().some((m) => m.e === "bookTicker")).toBe(false);
    market.close();
    pub.close();
  });

  test("lifetime: serverShutdown notice, then close at max_lifetime_ms", async () => {
    const t0 = Date.now();
    const c = await Client.open(`${sim.urls.binance_futures.ws_url}/public/ws`);
    await c.json((m) => m.e === "serverShutdown", 2000);
    expect(await c.closed(2000)).toBe(1001);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(850);
  });
});

describe("bybit", () => {
  let sim: SimHandle;
  beforeAll(async () => {
    // rate 0: nothing changes, so every data frame after the first is a re-sent snapshot.
    sim = await testSim({ universe: SMALL, rate: { total: 0, min_per_symbol: 0 }, venues: { bybit_spot: { resend_ms: 400, idle_timeout_ms: 800 }, bybit_futures: { resend_ms: 400 } } });
  });
  afterAll(async () => await sim?.stop());

  test("spot: 11 args in one subscribe are rejected and none subscribed", async () => {
    const c = await Client.open(`${sim.urls.bybit_spot.ws_url}/v5/public/spot`);
    const args = ["BTCUSDT", "ETHUSDT", "SOLUSDT", "XRPUSDT", "DOGEUSDT", "ADAUSDT", "LINKUSDT", "AVAXUSDT", "DOTUSDT", "LTCUSDT", "BCHUSDT"].map((s) => `orderbook.1.${s}`);
    c.send(JSON.stringify({ op: "subscribe", args }));
    expect((await c.json((m) => m.op === "subscribe")).ret_msg).toBe("args size >10");
    await Bun.sleep(300); // a window, not a wait: no topic frame may follow the rejection
    expect(c.jsons().some((m) => m.topic)).toBe(false);
    c.send(JSON.stringify({ op: "subscribe", args: args.slice(0, 10), req_id: "ok" }));
    expect((await c.json((m) => m.req_id === "ok")).success).toBe(true);
    await c.until(() => new Set(c.jsons().filter((m) => m.topic).map((m) => m.topic)).size === 10);
    c.close();
  });

  test("a batch with one unknown topic is rejected whole: the good topic gets nothing", async () => {
    for (const [path, sym] of [["spot", "BTCUSDT"], ["linear", "BTCUSDT"]]) {
      const c = await Client.open(`${sim.urls.bybit_spot.ws_url}/v5/public/${path}`);
      c.send(JSON.stringify({ op: "subscribe", args: [`orderbook.1.${sym}`, "orderbook.1.NOPEUSDT"], req_id: "b" }));
      const r = await c.json((m) => m.op === "subscribe");
      expect(r.success).toBe(false);
      expect(r.ret_msg).toContain("orderbook.1.NOPEUSDT");
      await Bun.sleep(600); // a window, not a wait: longer than resend_ms, and still no topic frame
      expect(c.jsons().some((m) => m.topic)).toBe(false);
      c.close();
    }
  });

  test("unchanged orderbook.1 snapshot is re-sent with the same u", async () => {
    const c = await Client.open(`${sim.urls.bybit_futures.ws_url}/v5/public/linear`);
    c.send(`{"op":"subscribe","args":["orderbook.1.ETHUSDT"]}`);
    await c.until(() => c.jsons().filter((m) => m.topic).length >= 3, 2500, "3 snapshots");
    const snaps = c.jsons().filter((m) => m.topic);
    expect(new Set(snaps.map((m) => m.data.u)).size).toBe(1);
    expect(snaps.every((m) => m.type === "snapshot")).toBe(true);
    expect(snaps[2].ts - snaps[1].ts).toBeGreaterThanOrEqual(350);
    c.close();
  });

  test("no ping and no data: cut after idle_timeout_ms; pings keep it open", async () => {
    const idle = await Client.open(`${sim.urls.bybit_spot.ws_url}/v5/public/spot`);
    const pinging = await Client.open(`${sim.urls.bybit_spot.ws_url}/v5/public/spot`);
    const t = setInterval(() => pinging.send(`{"op":"ping"}`), 200);
    expect(await idle.closed(2500)).toBe(1006);
    await Bun.sleep(400); // a window, not a wait: the pinging client must outlive the idle one's cut
    clearInterval(t);
    expect(pinging.closeCode).toBeNull();
    pinging.close();
  });
});

describe("okx", () => {
  let sim: SimHandle;
  beforeAll(async () => {
    sim = await testSim({ universe: SMALL, rate: { total: 0, min_per_symbol: 0 }, venues: { okx_spot: { idle_timeout_ms: 700, max_ops_per_hour: 3, resend_ms: 400 }, okx_futures: { max_lifetime_ms: 1200, notice_ms: 500 } } });
  });
  afterAll(async () => await sim?.stop());
  const url = () => `${sim.urls.okx_spot.ws_url}/ws/v5/public`;

  test("no client message and no data: closed with 4004 after the idle time; text pings keep it open", async () => {
    const idle = await Client.open(url());
    const pinging = await Client.open(url());
    const t = setInterval(() => pinging.send("ping"), 200);
    expect(await idle.closed(2000)).toBe(4004);
    expect(idle.closeReason).toContain("No data received");
    clearInterval(t);
    expect(pinging.closeCode).toBeNull();
    pinging.close();
  });

  test("480 ops/hour per connection (3 here): the next op is refused", async () => {
    const c = await Client.open(url());
    for (let i = 0; i < 4; i++) c.send(`{"id":"r${i}","op":"subscribe","args":[{"channel":"bbo-tbt","instId":"BTC-USDT"}]}`);
    const err = await c.json((m) => m.event === "error");
    expect([err.id, err.code]).toEqual(["r3", "60014"]);
    c.close();
  });

  test("unchanged bbo-tbt snapshot re-sent with the same seqId", async () => {
    const c = await Client.open(url());
    const t = setInterval(() => c.send("ping"), 200);
    c.send(`{"op":"subscribe","args":[{"channel":"bbo-tbt","instId":"ETH-USDT"}]}`);
    await c.until(() => c.jsons().filter((m) => m.data).length >= 2, 2000, "2 snapshots");
    clearInterval(t);
    const d = c.jsons().filter((m) => m.data).map((m) => m.data[0].seqId);
    expect(d[0]).toBe(d[1]);
    c.close();
  });

  test("forced close at max lifetime is preceded by notice 64008", async () => {
    const c = await Client.open(`${sim.urls.okx_futures.ws_url}/ws/v5/public`);
    const t = setInterval(() => c.send("ping"), 150);
    const n = await c.json((m) => m.event === "notice", 2000);
    expect(n.code).toBe("64008");
    expect(await c.closed(2000)).toBe(1006);
    clearInterval(t);
  });
});

describe("mexc", () => {
  let sim: SimHandle;
  beforeAll(async () => {
    sim = await testSim({ universe: SMALL, rate: { total: 3000 }, venues: { mexc_spot: { idle_timeout_ms: 800, no_sub_timeout_ms: 600 }, mexc_futures: { idle_timeout_ms: 800, push_interval_ms: 100 } } });
  });
  afterAll(async () => await sim?.stop());

  test("spot: the 31st subscription on a connection is rejected (Blocked!)", async () => {
    const c = await Client.open(`${sim.urls.mexc_spot.ws_url}/ws`);
    const t = setInterval(() => c.send(`{"method":"PING"}`), 200);
    const params = Array.from({ length: 31 }, (_, i) => `spot@public.aggre.bookTicker.v3.api.pb@100ms@SYM${i}USDT`);
    c.send(JSON.stringify({ method: "SUBSCRIPTION", params: params.slice(0, 30) }));
    await c.json((m) => typeof m.msg === "string" && m.msg.startsWith("spot@"));
    c.send(JSON.stringify({ method: "SUBSCRIPTION", params: [params[30]] }));
    const rej = await c.json((m) => typeof m.msg === "string" && m.msg.startsWith("Not Subscribed"));
    expect(rej).toEqual({ id: 0, code: 0, msg: `Not Subscribed successfully! [${params[30]}].  Reason： Blocked! ` });
    clearInterval(t);
    c.close();
  });

  test("spot: no subscription → closed after no_sub_timeout_ms; subscribed but no data and no PING → closed", async () => {
    const none = await Client.open(`${sim.urls.mexc_spot.ws_url}/ws`);
    expect(await none.closed(2000)).toBe(1000);
    const dead = await Client.open(`${sim.urls.mexc_spot.ws_url}/ws`);
    const alive = await Client.open(`${sim.urls.mexc_spot.ws_url}/ws`);
    // A well-formed channel for an unknown symbol: acknowledged, never any data.
    for (const c of [dead, alive]) c.send(`{"method":"SUBSCRIPTION","params":["spot@public.aggre.bookTicker.v3.api.pb@100ms@NOPEUSDT"]}`);
    const t = setInterval(() => alive.send(`{"method":"PING"}`), 200);
    expect(await dead.closed(2500)).toBe(1000);
    clearInterval(t);
    expect(alive.closeCode).toBeNull();
    alive.close();
  });

  test("futures: closed after idle_timeout_ms without a client ping even while data flows", async () => {
    const c = await Client.open(`${sim.urls.mexc_futures.ws_url}/edge`);
    c.send(`{"method":"sub.ticker","param":{"symbol":"BTC_USDT"}}`);
    await c.until(() => c.jsons().some((m) => m.channel === "push.ticker"));
    expect(await c.closed(2500)).toBe(1000);
    expect(c.jsons().filter((m) => m.channel === "push.ticker").length).toBeGreaterThan(2);
  });

  test("futures: unknown method gets no reply; pings keep the connection", async () => {
    const c = await Client.open(`${sim.urls.mexc_futures.ws_url}/edge`);
    const t = setInterval(() => c.send(`{"method":"ping"}`), 200);
    c.send(`{"method":"sub.nope","param":{}}`);
    await Bun.sleep(1200); // a window, not a wait: past idle_timeout_ms, no close and no reply but pongs
    clearInterval(t);
    expect(c.closeCode).toBeNull();
    expect(c.jsons().every((m) => m.channel === "pong")).toBe(true);
    c.close();
  });
});

describe("per-connection caps, backlog guard, unknown paths", () => {
  let sim: SimHandle;
  beforeAll(async () => {
    sim = await testSim({ universe: SMALL, rate: { total: 60000, source_weights: { binance_spot: 1, binance_futures: 0, bybit_spot: 0, bybit_futures: 0, mexc_spot: 0, mexc_futures: 0, okx_spot: 0, okx_futures: 0 } }, venues: { binance_spot: { max_connections: 2, backlog_limit_bytes: 65536, backlog_close_ms: 400, ping_interval_ms: 0 } } });
  });
  afterAll(async () => await sim?.stop());

  test("max_connections: the next upgrade is refused", async () => {
    const a = await Client.open(`${sim.urls.binance_spot.ws_url}/ws`);
    const b = await Client.open(`${sim.urls.binance_spot.ws_url}/ws`);
    await expect(Client.open(`${sim.urls.binance_spot.ws_url}/ws`)).rejects.toThrow();
    a.close();
    b.close();
    await waitFor("the server to drop both connections", () => (sim.state(false).sources as any).binance_spot.connections === 0, 3000, 10);
  });

  test("a client that stops reading loses data frames, then is disconnected (never unbounded buffering)", async () => {
    const streams = sim.universe.instruments[0]!.filter((i) => i.status === "trading").map((i) => `${i.symbol.toLowerCase()}@bookTicker`);
    const c = await Client.open(`${sim.urls.binance_spot.ws_url}/stream?streams=${streams.join("/")}`);
    await c.until(() => c.frames.length > 100);
    (c.ws as any).pause();
    let dropped = 0;
    let st: any;
    await waitFor("the 1008 close of the client that stopped reading", () => {
      st = (sim.state(true).sources as any).binance_spot;
      dropped = Math.max(dropped, ...st.conns.map((x: any) => x.dropped_backlog), 0);
      return (st.close_codes["1008"] ?? 0) > 0;
    }, 15_000, 100, () => ({ dropped, close_codes: st?.close_codes }));
    expect(dropped).toBeGreaterThan(0);
    expect((sim.state(false).sources as any).binance_spot.close_codes["1008"]).toBe(1);
    (c.ws as any).resume();
    c.close();
  }, 30_000);

  test("unknown REST path → the venue's 404; unknown WS path → HTTP 404", async () => {
    const r = await getJson(`${sim.urls.binance_spot.rest_url}/api/v3/nope`);
    expect(r.status).toBe(404);
    expect(r.text).toContain("404");
    const o = await getJson(`${sim.urls.okx_spot.rest_url}/api/v5/public/instruments`);
    expect([o.status, o.body.code]).toEqual([400, "50014"]);
    await expect(Client.open(`${sim.urls.bybit_spot.ws_url}/v5/public/option`)).rejects.toThrow();
  });

  test("bybit linear paging: limit + cursor exactly like the docs example", async () => {
    const base = `${sim.urls.bybit_futures.rest_url}/v5/market/instruments-info?category=linear&limit=20`;
    const first = await getJson(base);
    const cur: string = first.body.result.nextPageCursor;
    const l = first.body.result.list;
    expect(cur).toBe(`first%3D${l[0].symbol}%26last%3D${l[l.length - 1].symbol}`);
    const seen = new Set<string>(l.map((x: any) => x.symbol));
    let c: string = cur;
    for (let i = 0; i < 50 && c; i++) {
      const p = await getJson(`${base}&cursor=${c}`);
      for (const x of p.body.result.list) {
        expect(seen.has(x.symbol)).toBe(false);
        seen.add(x.symbol);
      }
      c = p.body.result.nextPageCursor;
    }
    expect(seen.size).toBe(sim.universe.instruments[3]!.filter((i) => i.status === "trading").length);
    expect((await getJson(`${sim.urls.bybit_futures.rest_url}/v5/market/instruments-info?category=linear&limit=1001`)).body.retCode).toBe(10001);
  });
});
