// Binance URLs, topics, SUBSCRIBE batching and adapter constants.
import { describe, expect, test } from "bun:test";
import { binance } from "@spread/exchanges";

const binanceFutures = binance.futures;
const binanceSpot = binance.spot;

describe("binance WS URLs and topics", () => {
  test("spot uses the combined /stream endpoint, USD-M the /public route", () => {
    expect(binanceSpot.wsUrl("wss://stream.binance.com:9443")).toBe("wss://stream.binance.com:9443/stream");
    expect(binanceSpot.wsUrl("ws://127.0.0.1:19001/")).toBe("ws://127.0.0.1:19001/stream");
    expect(binanceFutures.wsUrl("wss://fstream.binance.com")).toBe("wss://fstream.binance.com/public/stream");
    expect(binanceFutures.wsUrl("ws://127.0.0.1:19002//")).toBe("ws://127.0.0.1:19002/public/stream");
  });

  test("topics are lower-cased without assuming ASCII", () => {
    expect(binanceSpot.topic("BTCUSDT")).toBe("btcusdt@bookTicker");
    expect(binanceFutures.topic("1000SHIBUSDT")).toBe("1000shibusdt@bookTicker");
    expect(binanceSpot.topic("这是测试币456")).toBe("这是测试币456@bookTicker");
    expect(binanceSpot.topic("ÄÖÜUSDT")).toBe("äöüusdt@bookTicker");
    expect(binanceSpot.topic("ΣΑΣUSDT")).toBe("ΣΑΣUSDT".toLowerCase() + "@bookTicker");
  });
});

describe("binance SUBSCRIBE batching", () => {
  const symbols = (n: number) => Array.from({ length: n }, (_, i) => `S${i}USDT`);

  for (const adapter of [binanceSpot, binanceFutures]) {
    for (const n of [0, 1, 199, 200, 201, 450, 1024]) {
      for (const batch of [1, 7, 200, 500]) {
        test(`${adapter.name}: ${n} symbols, batch ${batch}`, () => {
          const input = symbols(n);
          const reqs = adapter.subscribeRequests(input, batch, 41);
          const limit = Math.min(batch, 200);
          expect(reqs.length).toBe(Math.ceil(n / limit));
          const seen: string[] = [];
          reqs.forEach((r, k) => {
            const msg = JSON.parse(r.frame) as { method: string; params: string[]; id: number };
            expect(Object.keys(msg)).toEqual(["method", "params", "id"]);
            expect(msg.method).toBe("SUBSCRIBE");
            expect(msg.id).toBe(41 + k);
            expect(r.reqId).toBe(String(41 + k));
            expect(r.symbols.length).toBeLessThanOrEqual(limit);
            expect(r.symbols.length).toBeGreaterThan(0);
            expect(msg.params).toEqual(r.symbols.map((s) => adapter.topic(s)));
            seen.push(...r.symbols);
          });
          expect(seen).toEqual(input);
        });
      }
    }
  }

  test("duplicates are sent once, order kept", () => {
    const reqs = binanceSpot.subscribeRequests(["A", "B", "A", "C", "B"], 2, 0);
    expect(reqs.map((r) => r.symbols)).toEqual([["A", "B"], ["C"]]);
    expect(reqs[0]!.frame).toBe('{"method":"SUBSCRIBE","params":["a@bookTicker","b@bookTicker"],"id":0}');
  });

  test("UNSUBSCRIBE uses the same batching", () => {
    const reqs = binanceFutures.unsubscribeRequests(["BTCUSDT", "ETHUSDT", "XRPUSDT"], 2, 9);
    expect(reqs.map((r) => r.frame)).toEqual([
      '{"method":"UNSUBSCRIBE","params":["btcusdt@bookTicker","ethusdt@bookTicker"],"id":9}',
      '{"method":"UNSUBSCRIBE","params":["xrpusdt@bookTicker"],"id":10}',
    ]);
  });

  test("bad batch or id start throws naming the venue", () => {
    expect(() => binanceSpot.subscribeRequests(["A"], 0, 1)).toThrow("binance_spot subscribe batch: expected a positive integer (0)");
    expect(() => binanceFutures.subscribeRequests(["A"], 1.5, 1)).toThrow("binance_futures subscribe batch");
    expect(() => binanceFutures.subscribeRequests(["A"], 10, -1)).toThrow("binance_futures subscribe idStart: expected an unsigned integer (-1)");
  });
});

describe("binance adapter constants", () => {
  test("ids, names, limits, heartbeat", () => {
    expect([binanceSpot.source, binanceSpot.name, binanceFutures.source, binanceFutures.name]).toEqual([0, "binance_spot", 1, "binance_futures"]);
    for (const a of [binanceSpot, binanceFutures]) {
      expect([a.maxSubscribeBatch, a.maxSubsPerConnection]).toEqual([200, 1024]);
      expect(a.heartbeat).toEqual({ clientPing: null, pingWhenIdleOnly: false });
    }
  });
});
