// Bybit URLs, orderbook.1 topics, subscribe batching (spot <= 10 args) and adapter constants.
import { describe, expect, test } from "bun:test";
import { bybit } from "@spread/exchanges";

const bybitFutures = bybit.futures;
const bybitSpot = bybit.spot;

describe("bybit WS URLs and topics", () => {
  test("spot and linear public endpoints", () => {
    expect(bybitSpot.wsUrl("wss://stream.bybit.com")).toBe("wss://stream.bybit.com/v5/public/spot");
    expect(bybitFutures.wsUrl("wss://stream.bybit.com/")).toBe("wss://stream.bybit.com/v5/public/linear");
    expect(bybitSpot.wsUrl("ws://127.0.0.1:19003")).toBe("ws://127.0.0.1:19003/v5/public/spot");
  });

  test("topic keeps the symbol's case", () => {
    expect(bybitSpot.topic("BTCUSDT")).toBe("orderbook.1.BTCUSDT");
    expect(bybitFutures.topic("1000PEPEUSDT")).toBe("orderbook.1.1000PEPEUSDT");
  });
});

describe("bybit subscribe batching", () => {
  const symbols = (n: number) => Array.from({ length: n }, (_, i) => `S${i}USDT`);

  const cases: [typeof bybitSpot, number][] = [
    [bybitSpot, 10],
    [bybitFutures, 500],
  ];
  for (const [adapter, max] of cases) {
    for (const n of [0, 1, 9, 10, 11, 25, 501, 1200]) {
      for (const batch of [1, 3, 10, 50, 1000]) {
        test(`${adapter.name}: ${n} symbols, batch ${batch}`, () => {
          const input = symbols(n);
          const reqs = adapter.subscribeRequests(input, batch, 100);
          const limit = Math.min(batch, max);
          expect(reqs.length).toBe(Math.ceil(n / limit));
          const seen: string[] = [];
          reqs.forEach((r, k) => {
            const msg = JSON.parse(r.frame) as { req_id: string; op: string; args: string[] };
            expect(Object.keys(msg)).toEqual(["req_id", "op", "args"]);
            expect([msg.op, msg.req_id, r.reqId]).toEqual(["subscribe", String(100 + k), String(100 + k)]);
            expect(msg.args.length).toBeLessThanOrEqual(limit);
            expect(msg.args.length).toBeGreaterThan(0);
            expect(msg.args).toEqual(r.symbols.map((s) => `orderbook.1.${s}`));
            seen.push(...r.symbols);
          });
          expect(seen).toEqual(input);
          expect(new Set(seen).size).toBe(seen.length);
        });
      }
    }
  }

  test("spot never exceeds 10 args even when config asks for more", () => {
    const reqs = bybitSpot.subscribeRequests(symbols(25), 50, 1);
    expect(reqs.map((r) => r.symbols.length)).toEqual([10, 10, 5]);
    expect(reqs[2]!.frame).toBe('{"req_id":"3","op":"subscribe","args":["orderbook.1.S20USDT","orderbook.1.S21USDT","orderbook.1.S22USDT","orderbook.1.S23USDT","orderbook.1.S24USDT"]}');
  });

  test("duplicates are sent once (a repeated topic would get the whole batch refused)", () => {
    const reqs = bybitFutures.subscribeRequests(["A", "B", "A"], 50, 0);
    expect(reqs.map((r) => r.symbols)).toEqual([["A", "B"]]);
  });

  test("unsubscribe", () => {
    expect(bybitSpot.unsubscribeRequests(["BTCUSDT", "ETHUSDT"], 1, 7).map((r) => r.frame)).toEqual([
      '{"req_id":"7","op":"unsubscribe","args":["orderbook.1.BTCUSDT"]}',
      '{"req_id":"8","op":"unsubscribe","args":["orderbook.1.ETHUSDT"]}',
    ]);
  });

  test("bad batch or id start throws naming the venue", () => {
    expect(() => bybitSpot.subscribeRequests(["A"], -3, 0)).toThrow("bybit_spot subscribe batch: expected a positive integer (-3)");
    expect(() => bybitFutures.subscribeRequests(["A"], 5, Number.NaN)).toThrow("bybit_futures subscribe idStart");
  });
});

describe("bybit adapter constants", () => {
  test("ids, names, limits, heartbeat", () => {
    expect([bybitSpot.source, bybitSpot.name, bybitFutures.source, bybitFutures.name]).toEqual([2, "bybit_spot", 3, "bybit_futures"]);
    expect([bybitSpot.maxSubscribeBatch, bybitFutures.maxSubscribeBatch]).toEqual([10, 500]);
    expect([bybitSpot.maxSubsPerConnection, bybitFutures.maxSubsPerConnection]).toEqual([10000, 10000]);
    for (const a of [bybitSpot, bybitFutures]) expect(a.heartbeat).toEqual({ clientPing: '{"op":"ping"}', pingWhenIdleOnly: false });
    expect(JSON.parse(bybitSpot.heartbeat.clientPing!)).toEqual({ op: "ping" });
  });
});
