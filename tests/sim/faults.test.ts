// Fault injection through the control endpoint (JSON over HTTP), each fault observed from a client, plus the
// other control routes (state, episodes, rate) and faults scheduled in a scenario file.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { SourceId } from "@spread/common";
import { ADAPTERS, FrameKind, QuoteRecord } from "@spread/exchanges";
import type { SimHandle } from "@spread/sim";
import { Client, getJson, postJson, testSim } from "./helpers.ts";
import { waitFor } from "../wait.ts";

let sim: SimHandle;
let ctl: string;
beforeAll(async () => {
  sim = await testSim({ universe: { scale: 0.3 }, rate: { total: 6000 }, faults: [{ kind: "rest_error", source: "okx_futures", at_s: 0.2, count: 1, status: 502 }] });
  ctl = sim.controlUrl!;
});
afterAll(async () => await sim?.stop());

const fault = (f: object) => postJson(`${ctl}/fault`, f);
const clear = (source?: string) => fetch(`${ctl}/faults${source ? `?source=${source}` : ""}`, { method: "DELETE" }).then((r) => r.json() as Promise<any>);
const binance = () => Client.open(`${sim.urls.binance_futures.ws_url}/public/stream?streams=btcusdt@bookTicker/ethusdt@bookTicker`);
const dataCount = (c: Client) => c.jsons().filter((m) => m.data).length;

describe("scenario schedule", () => {
  test("scheduled fault from the scenario file fired once (okx_futures 502)", async () => {
    await waitFor("the scheduled fault to be applied", () => (sim.state(false).faults as unknown[]).length > 0, 5000, 10);
    const r = await getJson(`${sim.urls.okx_futures.rest_url}/api/v5/public/instruments?instType=SWAP`);
    const r2 = await getJson(`${sim.urls.okx_futures.rest_url}/api/v5/public/instruments?instType=SWAP`);
    expect([r.status, r.body.code, r2.status]).toEqual([502, "50001", 200]);
  });
});

describe("connection faults", () => {
  test("drop: every connection of the source ends with 1006 (no close frame)", async () => {
    const a = await binance();
    const b = await binance();
    expect((await fault({ source: "binance_futures", kind: "drop", connections: "all" })).ok).toBe(true);
    expect(await a.closed()).toBe(1006);
    expect(await b.closed()).toBe(1006);
  });

  test("drop N connections; drop with duration refuses reconnects until it expires", async () => {
    const a = await binance();
    const b = await binance();
    await fault({ source: "binance_futures", kind: "drop", connections: 1 });
    expect(await a.closed()).toBe(1006);
    await Bun.sleep(200); // a window, not a wait: the connection not chosen must stay open
    expect(b.closeCode).toBeNull();
    await fault({ source: "binance_futures", kind: "drop", duration_s: 0.6 });
    expect(await b.closed()).toBe(1006);
    await expect(binance()).rejects.toThrow();
    // the refusal window ends: a connection is accepted again
    let again: Client | null = null;
    await waitFor("a reconnect after the drop window", async () => (again = await binance().catch(() => null)) !== null, 5000, 100);
    again!.close();
  });

  test("close with a code", async () => {
    const c = await binance();
    await fault({ source: "binance_futures", kind: "close", code: 4321 });
    expect(await c.closed()).toBe(4321);
  });

  test("silent: data stops, the socket stays open and answers; clearing resumes data", async () => {
    const c = await Client.open(`${sim.urls.bybit_futures.ws_url}/v5/public/linear`);
    c.send(`{"op":"subscribe","args":["orderbook.1.BTCUSDT"]}`);
    await c.until(() => c.jsons().some((m) => m.topic));
    await fault({ source: "bybit_futures", kind: "silent" });
    // A window, not a wait: data frames queued before the fault still go out with the next flush (a pong would
    // overtake them: control frames are sent at once), so nothing marks the moment the last one arrived.
    await Bun.sleep(150);
    const n = c.jsons().filter((m) => m.topic).length;
    c.send(`{"op":"ping","req_id":"p1"}`);
    await c.json((m) => m.req_id === "p1");
    await Bun.sleep(500); // a window, not a wait: the socket answers, yet no data frame comes
    expect(c.jsons().filter((m) => m.topic).length).toBe(n);
    expect(c.closeCode).toBeNull();
    expect((await clear("bybit_futures")).cleared).toBe(1);
    await c.until(() => c.jsons().filter((m) => m.topic).length > n);
    c.close();
  });

  test("no_pong: application pings go unanswered (Bybit, OKX, MEXC); Binance stops its ping frames", async () => {
    await fault({ source: "all", kind: "no_pong" });
    const by = await Client.open(`${sim.urls.bybit_spot.ws_url}/v5/public/spot`);
    const okx = await Client.open(`${sim.urls.okx_spot.ws_url}/ws/v5/public`);
    const mx = await Client.open(`${sim.urls.mexc_futures.ws_url}/edge`);
    by.send(`{"op":"ping"}`);
    okx.send("ping");
    mx.send(`{"method":"ping"}`);
    await Bun.sleep(400); // a window, not a wait: no pong (and no Binance ping frame) may arrive
    expect([by.frames.length, okx.frames.length, mx.frames.length]).toEqual([0, 0, 0]);
    await clear();
    okx.send("ping");
    await okx.until(() => okx.texts().includes("pong"));
    for (const c of [by, okx, mx]) c.close();
  });

  test("malformed / truncated / garbage frames fail the adapters' parsers", async () => {
    const cases = [
      { kind: "malformed", s: SourceId.binance_futures, expect: [FrameKind.Invalid, FrameKind.Malformed] },
      { kind: "truncated", s: SourceId.binance_futures, expect: [FrameKind.Malformed] },
      { kind: "garbage", s: SourceId.mexc_spot, expect: [FrameKind.Malformed] },
      { kind: "malformed", s: SourceId.mexc_spot, expect: [FrameKind.Invalid, FrameKind.Malformed] },
    ] as const;
    for (const k of cases) {
      const a = ADAPTERS[k.s]!;
      const name = a.name;
      const c = await Client.open(a.wsUrl(sim.urls[name].ws_url));
      for (const r of a.subscribeRequests([name === "mexc_spot" ? "BTCUSDT" : "BTCUSDT"], 10, 1)) c.send(r.frame);
      await c.until(() => c.frames.length > 2);
      const res = await fault({ source: name, kind: k.kind, probability: 1, count: 3 });
      const rec = new QuoteRecord();
      await c.until(() => c.frames.filter((f) => (k.expect as readonly number[]).includes(a.parse(f, rec, null))).length >= 3, 4000, `${k.kind} frames`);
      await Bun.sleep(200); // a window, not a wait: `count: 3` means no fourth bad frame
      expect(c.frames.filter((f) => (k.expect as readonly number[]).includes(a.parse(f, rec, null))).length).toBe(3);
      await fetch(`${ctl}/fault/${res.fault.id}`, { method: "DELETE" });
      c.close();
    }
  });

  test("reject: a listed symbol's subscription is refused in each venue's own way", async () => {
    await fault({ source: "all", kind: "reject", symbols: ["ETHUSDT", "ETH-USDT", "ETH_USDT"] });
    const b = await Client.open(`${sim.urls.binance_spot.ws_url}/ws`);
    b.send(`{"method":"SUBSCRIBE","params":["ethusdt@bookTicker"],"id":3}`);
    expect((await b.json((m) => m.id === 3)).error.code).toBe(2);
    const by = await Client.open(`${sim.urls.bybit_spot.ws_url}/v5/public/spot`);
    by.send(`{"op":"subscribe","args":["orderbook.1.ETHUSDT"]}`);
    expect((await by.json((m) => m.op === "subscribe")).success).toBe(false);
    const o = await Client.open(`${sim.urls.okx_spot.ws_url}/ws/v5/public`);
    o.send(`{"op":"subscribe","args":[{"channel":"bbo-tbt","instId":"ETH-USDT"}]}`);
    expect((await o.json((m) => m.event)).code).toBe("60018");
    const m = await Client.open(`${sim.urls.mexc_spot.ws_url}/ws`);
    m.send(`{"method":"SUBSCRIPTION","params":["spot@public.aggre.bookTicker.v3.api.pb@100ms@ETHUSDT"]}`);
    expect((await m.json((x) => x.msg)).msg).toStartWith("Not Subscribed successfully!");
    const mf = await Client.open(`${sim.urls.mexc_futures.ws_url}/edge`);
    mf.send(`{"method":"sub.ticker","param":{"symbol":"ETH_USDT"}}`);
    expect((await mf.json((x) => x.channel)).channel).toBe("rs.error");
    await clear();
    for (const c of [b, by, o, m, mf]) c.close();
  });

  test("slow: frames arrive delay_ms late; rate caps frames per second", async () => {
    const c = await binance();
    await c.until(() => dataCount(c) > 3);
    await fault({ source: "binance_futures", kind: "slow", delay_ms: 400 });
    const t0 = Date.now();
    const n0 = dataCount(c);
    await c.until(() => dataCount(c) > n0 + 5, 3000);
    const lags = c.jsons().slice(-5).map((m) => Date.now() - m.data.E);
    expect(Math.min(...lags)).toBeGreaterThanOrEqual(300);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(350);
    await clear();
    await fault({ source: "binance_futures", kind: "slow", delay_ms: 0, rate: 5 });
    await Bun.sleep(200); // pacing: the bucket's first `rate` tokens go before the measured window
    const n1 = dataCount(c);
    await Bun.sleep(1000); // a window, not a wait: frames per second are counted over it
    expect(dataCount(c) - n1).toBeLessThanOrEqual(8);
    await clear();
    c.close();
  });
});

describe("REST faults", () => {
  test("rest_error: 5xx in the venue's envelope, `count` requests only", async () => {
    await fault({ source: "bybit_spot", kind: "rest_error", status: 503, count: 1 });
    const url = `${sim.urls.bybit_spot.rest_url}/v5/market/instruments-info?category=spot`;
    const r1 = await getJson(url);
    expect(r1.status).toBe(503);
    expect(r1.body.retCode).not.toBe(0);
    expect((await getJson(url)).status).toBe(200);
    // The other Bybit category is a different source and is unaffected.
    await clear();
  });

  test("rest_hang: the request hangs until the client gives up", async () => {
    await fault({ source: "binance_spot", kind: "rest_hang", hang_ms: 5000 });
    const t0 = Date.now();
    await expect(fetch(`${sim.urls.binance_spot.rest_url}/api/v3/exchangeInfo`, { signal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
    await clear();
    expect((await fetch(`${sim.urls.binance_spot.rest_url}/api/v3/ping`)).status).toBe(200);
  });

});

describe("control API", () => {
  test("GET /state: connections, subscriptions, message counts, faults", async () => {
    const c = await binance();
    await c.until(() => dataCount(c) > 2);
    await fault({ source: "okx_spot", kind: "silent", duration_s: 30 });
    const st = (await getJson(`${ctl}/state`)).body;
    const bf = st.sources.binance_futures;
    expect(bf.connections).toBeGreaterThanOrEqual(1);
    expect(bf.subscriptions).toBeGreaterThanOrEqual(2);
    expect(bf.frames_out).toBeGreaterThan(2);
    expect(bf.conns[0].path).toContain("/public/stream");
    expect(st.faults.some((f: any) => f.kind === "silent" && f.sources[0] === "okx_spot")).toBe(true);
    await clear();
    c.close();
  });

  test("bad requests name the problem", async () => {
    const r = await fetch(`${ctl}/fault`, { method: "POST", body: JSON.stringify({ source: "nope", kind: "drop" }) });
    expect(r.status).toBe(400);
    expect(((await r.json()) as any).error).toContain("source");
    const k = (await (await fetch(`${ctl}/fault`, { method: "POST", body: JSON.stringify({ source: "okx_spot", kind: "explode" }) })).json()) as any;
    expect(k.error).toContain("kind");
    expect((await fetch(`${ctl}/nope`)).status).toBe(404);
  });

  test("POST /episode opens a spread between a spot and a futures source, then it converges", async () => {
    const r = await postJson(`${ctl}/episode`, { asset: "SOL", spot: "binance_spot", futures: "bybit_futures", spread_pct: 3, ramp_s: 0.1, hold_s: 0.8, converge_s: 0.3 });
    expect(r.ok).toBe(true);
    const q = async () => {
      const f = (await getJson(`${ctl}/quote?source=bybit_futures&symbol=SOLUSDT`)).body.fair;
      const s = (await getJson(`${ctl}/quote?source=binance_spot&symbol=SOLUSDT`)).body.fair;
      return (f / s - 1) * 100;
    };
    await waitFor("the episode's spread to open past 2.8 %", async () => (await q()) > 2.8, 5000);
    const phase = async () => (await getJson(`${ctl}/episodes`)).body.find((e: any) => e.id === r.episode.id).phase;
    await waitFor("the episode to finish", async () => (await phase()) === "done", 8000);
    expect(Math.abs(await q())).toBeLessThan(0.1);
    const bad = await postJson(`${ctl}/episode`, { asset: "NOPE", spot: "okx_spot", futures: "okx_futures", spread_pct: 1 });
    expect(bad.error).toContain("not listed");
  });

  test("POST /rate changes the total update rate", async () => {
    const r = await postJson(`${ctl}/rate`, { total: 1234 });
    expect(r.rate_total).toBe(1234);
    expect(Object.values(r.per_source as Record<string, number>).reduce((a, b) => a + b, 0)).toBeCloseTo(1234, 0);
    await postJson(`${ctl}/rate`, { total: 6000 });
  });
});
