// Unsubscribing on every subscription-keyed venue (Bybit topics, OKX channel:instId, MEXC spot channel strings,
// MEXC futures methods): the data of what was dropped stops while the rest keeps flowing, /state counts the
// connection's subscriptions, and a MEXC futures depth re-subscribed with another limit replaces the first.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { SimHandle } from "@spread/sim";
import { Client, testSim, type Frame } from "./helpers.ts";
import { waitFor } from "../wait.ts";

let sim: SimHandle;
beforeAll(async () => {
  sim = await testSim({
    universe: { scale: 0.3 },
    rate: { total: 4000 },
    venues: { bybit_spot: { resend_ms: 150 }, okx_spot: { resend_ms: 150 }, mexc_futures: { push_interval_ms: 100 } },
  });
});
afterAll(async () => await sim?.stop());

const subsOf = (source: string): number => (sim.state(false).sources as any)[source].subscriptions;
const latin1 = new TextDecoder("latin1");
const text = (f: Frame) => (typeof f === "string" ? f : latin1.decode(f));

/**
 * After the unsubscribe is acknowledged, frames already queued may still arrive in the same flush; from the next
 * frame of the kept subscription on, the dropped one must be silent while the kept one delivers `more` frames.
 */
async function expectSilenced(c: Client, dropped: (f: Frame) => boolean, kept: (f: Frame) => boolean, more = 6): Promise<void> {
  const keptAtAck = c.frames.filter(kept).length;
  await c.until(() => c.frames.filter(kept).length > keptAtAck, 3000, "a kept frame after the ack");
  const mark = c.frames.length;
  const keptAtMark = c.frames.filter(kept).length;
  await c.until(() => c.frames.filter(kept).length >= keptAtMark + more, 5000, `${more} more kept frames`);
  expect(c.frames.slice(mark).filter(dropped)).toEqual([]);
}

describe("unsubscribe stops exactly the dropped data", () => {
  test("bybit spot: orderbook.1 topics", async () => {
    const c = await Client.open(`${sim.urls.bybit_spot.ws_url}/v5/public/spot`);
    const before = subsOf("bybit_spot");
    const btc = (f: Frame) => text(f).startsWith('{"topic":"orderbook.1.BTCUSDT"');
    const eth = (f: Frame) => text(f).startsWith('{"topic":"orderbook.1.ETHUSDT"');
    c.send(JSON.stringify({ op: "subscribe", args: ["orderbook.1.BTCUSDT", "orderbook.1.ETHUSDT"], req_id: "s" }));
    await c.until(() => c.frames.some(btc) && c.frames.some(eth), 3000, "both topics");
    expect(subsOf("bybit_spot")).toBe(before + 2);
    c.send(JSON.stringify({ op: "unsubscribe", args: ["orderbook.1.BTCUSDT"], req_id: "u" }));
    await c.json((m) => m.op === "unsubscribe" && m.success === true);
    expect(subsOf("bybit_spot")).toBe(before + 1);
    await expectSilenced(c, btc, eth);
    c.close();
  });

  test("okx spot: bbo-tbt by channel and instId", async () => {
    const c = await Client.open(`${sim.urls.okx_spot.ws_url}/ws/v5/public`);
    const before = subsOf("okx_spot");
    const btc = (f: Frame) => text(f).startsWith('{"arg":{"channel":"bbo-tbt","instId":"BTC-USDT"}');
    const eth = (f: Frame) => text(f).startsWith('{"arg":{"channel":"bbo-tbt","instId":"ETH-USDT"}');
    c.send(JSON.stringify({ op: "subscribe", args: [{ channel: "bbo-tbt", instId: "BTC-USDT" }, { channel: "bbo-tbt", instId: "ETH-USDT" }, { channel: "trades", instId: "BTC-USDT" }] }));
    await c.until(() => c.frames.some(btc) && c.frames.some(eth), 3000, "both instruments");
    // The acknowledged channel without emulated data counts as a subscription too.
    expect(subsOf("okx_spot")).toBe(before + 3);
    c.send(JSON.stringify({ op: "unsubscribe", args: [{ channel: "bbo-tbt", instId: "BTC-USDT" }, { channel: "trades", instId: "BTC-USDT" }] }));
    await c.until(() => c.jsons().filter((m) => m.event === "unsubscribe").length === 2, 3000, "two unsubscribe acks");
    expect(subsOf("okx_spot")).toBe(before + 1);
    await expectSilenced(c, btc, eth);
    c.close();
  });

  test("mexc spot: aggre.bookTicker channel strings (protobuf)", async () => {
    const c = await Client.open(`${sim.urls.mexc_spot.ws_url}/ws`);
    const before = subsOf("mexc_spot");
    const ch = (s: string) => `spot@public.aggre.bookTicker.v3.api.pb@10ms@${s}`;
    const btc = (f: Frame) => typeof f !== "string" && text(f).includes(ch("BTCUSDT"));
    const eth = (f: Frame) => typeof f !== "string" && text(f).includes(ch("ETHUSDT"));
    c.send(JSON.stringify({ method: "SUBSCRIPTION", params: [ch("BTCUSDT"), ch("ETHUSDT")] }));
    await c.until(() => c.frames.some(btc) && c.frames.some(eth), 3000, "both symbols");
    expect(subsOf("mexc_spot")).toBe(before + 2);
    c.send(JSON.stringify({ method: "UNSUBSCRIPTION", params: [ch("BTCUSDT")] }));
    await c.json((m) => m.msg === ch("BTCUSDT"));
    expect(subsOf("mexc_spot")).toBe(before + 1);
    await expectSilenced(c, btc, eth);
    c.close();
  });

  test("mexc futures: unsub.ticker; a depth re-subscribed with another limit replaces the first", async () => {
    const c = await Client.open(`${sim.urls.mexc_futures.ws_url}/edge`);
    const ping = setInterval(() => c.send(`{"method":"ping"}`), 200);
    try {
      const before = subsOf("mexc_futures");
      const json = (f: Frame) => (typeof f === "string" && f.startsWith("{") ? JSON.parse(f) : null);
      const ticker = (f: Frame) => json(f)?.channel === "push.ticker";
      const depthLevels = (f: Frame) => (json(f)?.channel === "push.depth.full" ? (json(f).data.asks as unknown[]).length : 0);
      c.send(`{"method":"sub.ticker","param":{"symbol":"BTC_USDT"}}`);
      c.send(`{"method":"sub.depth.full","param":{"symbol":"BTC_USDT","limit":5}}`);
      await c.until(() => c.frames.some(ticker) && c.frames.some((f) => depthLevels(f) === 5), 5000, "ticker and 5-level depth");
      expect(subsOf("mexc_futures")).toBe(before + 2);

      c.send(`{"method":"sub.depth.full","param":{"symbol":"BTC_USDT","limit":10}}`);
      await c.json((m) => m.channel === "rs.sub.depth.full" && c.jsons().filter((x) => x.channel === "rs.sub.depth.full").length === 2);
      expect(subsOf("mexc_futures")).toBe(before + 2);
      await expectSilenced(c, (f) => depthLevels(f) === 5, (f) => depthLevels(f) === 10, 3);

      c.send(`{"method":"unsub.ticker","param":{"symbol":"BTC_USDT"}}`);
      await c.json((m) => m.channel === "rs.unsub.ticker");
      await waitFor("the ticker subscription to be gone from /state", () => subsOf("mexc_futures") === before + 1, 2000);
      await expectSilenced(c, ticker, (f) => depthLevels(f) === 10, 3);
    } finally {
      clearInterval(ping);
      c.close();
    }
  });
});
