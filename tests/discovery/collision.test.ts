// Stage 4 price checks: multiplier confirmation / rejection and the collision guard, on validated mids.
import { describe, expect, test } from "bun:test";
import { SourceId as S } from "@spread/common";
import { checkPrices, deviation, listingKey, median, type Identity, type Listing } from "@spread/discovery";

const params = { minQty: null, maxQty: null, tickSize: null, minNotional: null, contractSize: null };
function L(source: number, exchangeSymbol: string, base: string, multiplier = 1, origin: Listing["origin"] = "plain", alt: Identity | null = null): Listing {
  return { source, exchangeSymbol, base, name: `${base}-USDT`, multiplier, origin, alt, params };
}
function id(base: string, multiplier: number): Identity {
  return { base, name: `${base}-USDT`, multiplier };
}
function run(entries: [Listing, number][], max = 0.3) {
  const mids = new Map(entries.map(([l, mid]) => [listingKey(l.source, l.exchangeSymbol), mid]));
  return checkPrices({ listings: entries.map(([l]) => l), mids, maxDeviation: max });
}
const where = (ls: readonly Listing[]) => Object.fromEntries(ls.map((l) => [`${l.source}:${l.exchangeSymbol}`, `${l.name}×${l.multiplier}`]));

describe("helpers", () => {
  test("median and relative deviation", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(deviation(1.3, 1)).toBeCloseTo(0.3, 12);
  });
});

describe("multiplier confirmation", () => {
  test("1000PEPE at ×1000 agrees with spot PEPE → confirmed", () => {
    const r = run([
      [L(S.binance_spot, "PEPEUSDT", "PEPE"), 0.0000102],
      [L(S.okx_spot, "PEPE-USDT", "PEPE"), 0.0000101],
      [L(S.binance_futures, "1000PEPEUSDT", "PEPE", 1000, "multiplier", id("1000PEPE", 1)), 0.01021],
    ]);
    expect(where(r.listings)[`${S.binance_futures}:1000PEPEUSDT`]).toBe("PEPE-USDT×1000");
    expect(r.decisions.map((d) => `${d.kind}:${d.exchangeSymbol}`)).toEqual(["multiplier_confirmed:1000PEPEUSDT"]);
    expect(r.decisions[0]!.perUnitMid).toBeCloseTo(0.00001021, 12);
  });
  test("1000SATS mapped at ×1000 disagrees but at ×1 agrees → kept as its own symbol", () => {
    // here SATS-USDT is another coin than the one 1000SATS is made of: per-unit prices do not line up at ×1000
    const r = run([
      [L(S.okx_spot, "SATS-USDT", "SATS"), 0.00005],
      [L(S.binance_spot, "1000SATSUSDT", "1000SATS"), 0.00021],
      [L(S.bybit_futures, "1000SATSUSDT", "SATS", 1000, "multiplier", id("1000SATS", 1)), 0.000211],
    ]);
    const w = where(r.listings);
    expect(w[`${S.bybit_futures}:1000SATSUSDT`]).toBe("1000SATS-USDT×1");
    expect(r.decisions.map((d) => `${d.kind}:${d.name}`)).toEqual(["multiplier_rejected:1000SATS-USDT"]);
  });
  test("a lookalike that disagrees with its own name but agrees at ×hint moves to the plain base", () => {
    const r = run([
      [L(S.mexc_spot, "1000CHEEMSUSDT", "1000CHEEMS"), 5.0],
      [L(S.okx_spot, "CHEEMS-USDT", "CHEEMS"), 0.0000012],
      [L(S.binance_futures, "1000CHEEMSUSDT", "1000CHEEMS", 1, "lookalike", id("CHEEMS", 1000)), 0.0012],
    ]);
    const w = where(r.listings);
    expect(w[`${S.binance_futures}:1000CHEEMSUSDT`]).toBe("CHEEMS-USDT×1000");
    expect(r.decisions.map((d) => `${d.kind}:${d.name}`)).toEqual(["multiplier_confirmed:CHEEMS-USDT"]);
  });
  test("a multiplier with no peers at its plain name stays (nothing to compare)", () => {
    const r = run([[L(S.bybit_futures, "1000XUSDT", "X", 1000, "multiplier", id("1000X", 1)), 5]]);
    expect(where(r.listings)[`${S.bybit_futures}:1000XUSDT`]).toBe("X-USDT×1000");
    expect(r.decisions).toEqual([]);
  });
});

describe("collision guard", () => {
  test("a source deviating > 30% from the median of the others is excluded (ticker collision)", () => {
    const r = run([
      [L(S.binance_spot, "NEIROUSDT", "NEIRO"), 0.00041],
      [L(S.binance_futures, "NEIROUSDT", "NEIRO"), 0.000411],
      [L(S.okx_spot, "NEIRO-USDT", "NEIRO"), 0.000409],
      [L(S.mexc_spot, "NEIROUSDT", "NEIRO"), 0.098],
    ]);
    expect(Object.keys(where(r.listings))).not.toContain(`${S.mexc_spot}:NEIROUSDT`);
    expect(r.listings.length).toBe(3);
    expect(r.decisions.map((d) => `${d.kind}:${d.source}`)).toEqual([`excluded_collision:${S.mexc_spot}`]);
    expect(r.decisions[0]!.reference).toBeCloseTo(0.00041, 12);
  });
  test("three sources with one outlier: only the outlier goes (even count of others is handled)", () => {
    const r = run([
      [L(S.binance_spot, "XUSDT", "X"), 1.0],
      [L(S.okx_spot, "X-USDT", "X"), 1.01],
      [L(S.bybit_spot, "XUSDT", "X"), 5],
    ]);
    expect(r.listings.map((l) => l.source)).toEqual([S.binance_spot, S.okx_spot]);
  });
  test("wrong multiplier: a ×1000 contract not marked as such is excluded", () => {
    const r = run([
      [L(S.binance_spot, "PEPEUSDT", "PEPE"), 0.00001],
      [L(S.okx_spot, "PEPE-USDT", "PEPE"), 0.00001],
      [L(S.bybit_futures, "PEPEUSDT", "PEPE"), 0.01],
    ]);
    expect(r.decisions.map((d) => d.kind)).toEqual(["excluded_collision"]);
  });
  test("the only two prices disagree → both excluded as ambiguous", () => {
    const r = run([
      [L(S.binance_spot, "GASUSDT", "GAS"), 2.9],
      [L(S.mexc_futures, "GAS_USDT", "GAS"), 0.0012],
    ]);
    expect(r.listings).toEqual([]);
    expect(r.decisions.map((d) => d.kind)).toEqual(["excluded_ambiguous", "excluded_ambiguous"]);
  });
  test("within the threshold nothing happens; unpriced listings pass through", () => {
    const r = run([
      [L(S.binance_spot, "BTCUSDT", "BTC"), 60000],
      [L(S.okx_futures, "BTC-USDT-SWAP", "BTC"), 61000],
    ]);
    expect(r.decisions).toEqual([]);
    const none = checkPrices({ listings: [L(S.okx_spot, "A-USDT", "A")], mids: new Map(), maxDeviation: 0.3 });
    expect(none.listings.length).toBe(1);
  });
  test("order-independent", () => {
    const e: [Listing, number][] = [
      [L(S.binance_spot, "NEIROUSDT", "NEIRO"), 0.00041],
      [L(S.mexc_spot, "NEIROUSDT", "NEIRO"), 0.098],
      [L(S.okx_spot, "NEIRO-USDT", "NEIRO"), 0.000409],
      [L(S.bybit_futures, "1000SATSUSDT", "SATS", 1000, "multiplier", id("1000SATS", 1)), 0.000211],
      [L(S.okx_spot, "SATS-USDT", "SATS"), 0.00000021],
      [L(S.binance_spot, "1000SATSUSDT", "1000SATS"), 0.00021],
    ];
    expect(run([...e].reverse())).toEqual(run(e));
  });
});
