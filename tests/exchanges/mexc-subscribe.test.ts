// MEXC subscribe batching: spot ≤ 30 streams per frame and per connection, futures one symbol per frame;
// ids, unsubscribe frames, no symbol lost or duplicated.
import { describe, expect, test } from "bun:test";
import { mexc } from "@spread/exchanges";

const mexcFutures = mexc.futures;
const mexcSpot = mexc.spot;

const syms = (n: number, f: (i: number) => string): string[] => Array.from({ length: n }, (_, i) => f(i));

describe("mexc_spot subscribe frames", () => {
  test("documented SUBSCRIPTION shape, upper-case protobuf channel, id", () => {
    const [r] = mexcSpot.subscribeRequests(["btcusdt", "ETHUSDT"], 30, 5);
    expect(r!.frame).toBe('{"method":"SUBSCRIPTION","params":["spot@public.aggre.bookTicker.v3.api.pb@100ms@BTCUSDT","spot@public.aggre.bookTicker.v3.api.pb@100ms@ETHUSDT"],"id":5}');
    expect(r!.symbols).toEqual(["btcusdt", "ETHUSDT"]);
    expect(r!.reqId).toBe("5");
    const [u] = mexcSpot.unsubscribeRequests(["BTCUSDT"], 30, 9);
    expect(JSON.parse(u!.frame)).toEqual({ method: "UNSUBSCRIPTION", params: ["spot@public.aggre.bookTicker.v3.api.pb@100ms@BTCUSDT"], id: 9 });
  });

  test("≤ 30 per frame whatever the batch asked; every symbol once, in order", () => {
    const list = syms(95, (i) => `C${i}USDT`);
    for (const batch of [1, 10, 30, 31, 1000, 0]) {
      const reqs = mexcSpot.subscribeRequests([...list, ...list.slice(0, 5)], batch, 1);
      const cap = Math.min(Math.max(batch, 1), 30);
      expect(reqs.length).toBe(Math.ceil(95 / cap));
      for (const r of reqs) {
        expect(r.symbols.length).toBeLessThanOrEqual(30);
        const p = JSON.parse(r.frame) as { params: string[]; id: number };
        expect(p.params).toEqual(r.symbols.map((s) => mexcSpot.topic(s)));
        expect(String(p.id)).toBe(r.reqId);
      }
      expect(reqs.flatMap((r) => r.symbols)).toEqual(list);
      expect(new Set(reqs.map((r) => r.reqId)).size).toBe(reqs.length);
    }
    expect(mexcSpot.maxSubsPerConnection).toBe(30);
    expect(mexcSpot.subscribeRequests([], 30, 1)).toEqual([]);
  });
});

describe("mexc_futures subscribe frames", () => {
  test("one sub.ticker frame per symbol, reqId empty (acks echo nothing)", () => {
    const list = syms(250, (i) => `C${i}_USDT`);
    for (const batch of [1, 30, 500]) {
      const reqs = mexcFutures.subscribeRequests([...list, list[0]!], batch, 1);
      expect(reqs.length).toBe(250);
      reqs.forEach((r, k) => {
        expect(r.symbols).toEqual([list[k]!]);
        expect(r.reqId).toBe("");
        expect(JSON.parse(r.frame)).toEqual({ method: "sub.ticker", param: { symbol: list[k] } });
      });
    }
    expect(mexcFutures.unsubscribeRequests(["BTC_USDT"], 1, 1).map((r) => r.frame)).toEqual(['{"method":"unsub.ticker","param":{"symbol":"BTC_USDT"}}']);
    expect(mexcFutures.topic("BTC_USDT")).toBe("push.ticker@BTC_USDT");
  });
});
