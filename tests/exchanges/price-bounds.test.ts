// Implausible prices (1e308, subnormals like 1e-320, beyond [PRICE_MIN, PRICE_MAX]) are Invalid on every venue,
// through each venue's real parse entry point, and are never published by the REST seed.
import { describe, expect, test } from "bun:test";
import { SOURCE_NAMES } from "@spread/common";
import { adapterFor, checkPrices, FrameKind, InvalidReason, PRICE_MAX, PRICE_MIN, QuoteRecord } from "@spread/exchanges";
import { mexcEncode } from "./helpers-okx-mexc.ts";

/** One best bid/ask frame per source, in the shape the venue sends, with the two prices as given text. */
const FRAMES: Record<string, (bid: string, ask: string) => string | Uint8Array> = {
  binance_spot: (b, a) => `{"stream":"btcusdt@bookTicker","data":{"u":1,"s":"BTCUSDT","b":"${b}","B":"1","a":"${a}","A":"2"}}`,
  binance_futures: (b, a) =>
    `{"stream":"btcusdt@bookTicker","data":{"e":"bookTicker","u":1,"s":"BTCUSDT","b":"${b}","B":"1","a":"${a}","A":"2","T":1,"E":1}}`,
  bybit_spot: (b, a) =>
    `{"topic":"orderbook.1.BTCUSDT","ts":1,"type":"snapshot","data":{"s":"BTCUSDT","b":[["${b}","1"]],"a":[["${a}","2"]],"u":1,"seq":2},"cts":1}`,
  bybit_futures: (b, a) =>
    `{"topic":"orderbook.1.BTCUSDT","ts":1,"type":"snapshot","data":{"s":"BTCUSDT","b":[["${b}","1"]],"a":[["${a}","2"]],"u":1,"seq":2},"cts":1}`,
  mexc_spot: (b, a) =>
    mexcEncode({ channel: "spot@public.aggre.bookTicker.v3.api.pb@100ms@BTCUSDT", symbol: "BTCUSDT", sendTime: 1, publicAggreBookTicker: { bidPrice: b, bidQuantity: "1", askPrice: a, askQuantity: "2" } }),
  mexc_futures: (b, a) => `{"symbol":"BTC_USDT","data":{"symbol":"BTC_USDT","bid1":${b},"ask1":${a},"timestamp":1},"channel":"push.ticker","ts":1}`,
  okx_spot: (b, a) => `{"arg":{"channel":"bbo-tbt","instId":"BTC-USDT"},"data":[{"asks":[["${a}","2","0","1"]],"bids":[["${b}","1","0","1"]],"ts":"1"}]}`,
  okx_futures: (b, a) =>
    `{"arg":{"channel":"bbo-tbt","instId":"BTC-USDT-SWAP"},"data":[{"asks":[["${a}","2","0","1"]],"bids":[["${b}","1","0","1"]],"ts":"1"}]}`,
};

const out = new QuoteRecord();
const kindOf = (source: number, bid: string, ask: string): number => adapterFor(source).parse(FRAMES[SOURCE_NAMES[source]!]!(bid, ask), out, null);

describe("price bounds", () => {
  test("checkPrices: subnormal, huge, tiny are OutOfRange; the bounds themselves and normal prices pass", () => {
    expect(checkPrices(1e-320, 1)).toBe(InvalidReason.OutOfRange);
    expect(checkPrices(1, 1e308)).toBe(InvalidReason.OutOfRange);
    expect(checkPrices(Number.MIN_VALUE, 1)).toBe(InvalidReason.OutOfRange);
    expect(checkPrices(1e-13, 1)).toBe(InvalidReason.OutOfRange);
    expect(checkPrices(1, PRICE_MAX * 1.0001)).toBe(InvalidReason.OutOfRange);
    expect(checkPrices(PRICE_MIN, PRICE_MAX)).toBe(0);
    expect(checkPrices(3.4102e-9, 3.4103e-9)).toBe(0);
    expect(checkPrices(84270, 84270.01)).toBe(0);
    // the order of the other reasons is unchanged
    expect(checkPrices(Number.NaN, 1)).toBe(InvalidReason.NonFinite);
    expect(checkPrices(1, Number.POSITIVE_INFINITY)).toBe(InvalidReason.NonFinite);
    expect(checkPrices(0, 1)).toBe(InvalidReason.NonPositive);
    expect(checkPrices(-1e-320, 1)).toBe(InvalidReason.NonPositive);
    expect(checkPrices(2, 1)).toBe(InvalidReason.Crossed);
  });

  for (const [source, name] of SOURCE_NAMES.entries()) {
    test(`${name}: 1e308, 1e-320 and 1e-13 are Invalid OutOfRange, a normal quote is an Update`, () => {
      expect(kindOf(source, "100.5", "100.6")).toBe(FrameKind.Update);
      expect([out.bid, out.ask]).toEqual([100.5, 100.6]);
      for (const [bid, ask] of [
        ["1", "1e308"],
        ["1e-320", "1"],
        ["1e-13", "2e-13"],
        ["1e10", "1.1e10"],
      ] as const) {
        expect(`${bid}/${ask}: ${kindOf(source, bid, ask)}`).toBe(`${bid}/${ask}: ${FrameKind.Invalid}`);
        expect(out.invalidReason).toBe(InvalidReason.OutOfRange);
      }
    });
  }
});

describe("Pair Discovery validation", () => {
  test("an implausible price is an invalid update (invalid_prices), never a validated pair with a mid", async () => {
    const { PairState, ValidationSink } = await import("../../packages/discovery/src/pair-state.ts");
    const pairs = [new PairState("AUSDT"), new PairState("BUSDT"), new PairState("CUSDT")];
    const sink = new ValidationSink(pairs);
    sink.publish(0, 1e-320, 1);
    sink.publish(1, 1, 1e308);
    sink.publish(2, 0.5, 0.51);
    expect(pairs.map((p) => p.status())).toEqual(["invalid_prices", "invalid_prices", "valid"]);
    expect(pairs.map((p) => p.invalidUpdates)).toEqual([1, 1, 0]);
  });
});
