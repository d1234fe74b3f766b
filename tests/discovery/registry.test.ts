// Stage 5/6: sorted deterministic ids, per-source maps, the MAX_SYMBOLS cut, direction intersections.
import { describe, expect, test } from "bun:test";
import { DIRECTIONS, SourceId as S } from "@spread/common";
import { buildDirections, buildRegistry, type Listing } from "@spread/discovery";

const params = { minQty: null, maxQty: null, tickSize: null, minNotional: null, contractSize: null };
function L(source: number, exchangeSymbol: string, base: string, multiplier = 1): Listing {
  return { source, exchangeSymbol, base, name: `${base}-USDT`, multiplier, origin: "plain", alt: null, params };
}

describe("registry", () => {
  const listings = [L(S.okx_spot, "ETH-USDT", "ETH"), L(S.binance_spot, "BTCUSDT", "BTC"), L(S.mexc_futures, "BTC_USDT", "BTC"), L(S.binance_futures, "1000PEPEUSDT", "PEPE", 1000), L(S.okx_spot, "PEPE-USDT", "PEPE")];
  test("ids in name order, same for any input order", () => {
    const r = buildRegistry(listings);
    expect(r.symbols.map((s) => `${s.id}:${s.name}`)).toEqual(["0:BTC-USDT", "1:ETH-USDT", "2:PEPE-USDT"]);
    expect(buildRegistry([...listings].reverse())).toEqual(r);
    expect(r.bySource[S.binance_futures]!.get("1000PEPEUSDT")).toBe(2);
    expect(r.symbols[0]!.listings[S.mexc_futures]!.exchangeSymbol).toBe("BTC_USDT");
  });
  test("a source listing one name twice is a bug, not silently merged", () => {
    expect(() => buildRegistry([L(S.okx_spot, "A-USDT", "A"), L(S.okx_spot, "A2-USDT", "A")])).toThrow(/okx_spot lists A-USDT twice/);
  });
  test("MAX_SYMBOLS cut keeps names on the most sources, then by name; ids stay sorted", () => {
    const many: Listing[] = [];
    for (let i = 0; i < 10; i++) {
      const base = `C${String(i).padStart(2, "0")}`;
      many.push(L(S.binance_spot, `${base}USDT`, base));
      if (i % 3 === 0) many.push(L(S.okx_futures, `${base}-USDT-SWAP`, base));
    }
    const r = buildRegistry(many, 6);
    // on two sources: C00, C03, C06, C09; then by name: C01, C02
    expect(r.symbols.map((s) => s.name)).toEqual(["C00-USDT", "C01-USDT", "C02-USDT", "C03-USDT", "C06-USDT", "C09-USDT"]);
    expect(r.dropped).toEqual(["C04-USDT", "C05-USDT", "C07-USDT", "C08-USDT"]);
  });
});

describe("directions", () => {
  test("per direction: symbols on both its spot and futures source", () => {
    const r = buildRegistry([
      L(S.okx_spot, "BTC-USDT", "BTC"),
      L(S.mexc_futures, "BTC_USDT", "BTC"),
      L(S.binance_futures, "BTCUSDT", "BTC"),
      L(S.okx_spot, "SHIB-USDT", "SHIB"),
      L(S.binance_futures, "1000SHIBUSDT", "SHIB", 1000),
      L(S.binance_spot, "ETHUSDT", "ETH"),
    ]);
    const d = buildDirections(r);
    expect(d.length).toBe(DIRECTIONS.length);
    expect(d[0]).toEqual([0]); // okx_spot → mexc_futures: BTC
    expect(d[2]).toEqual([0, 2]); // okx_spot → binance_futures: BTC, SHIB
    expect(d[11]).toEqual([]); // binance_spot → bybit_futures
  });
});
