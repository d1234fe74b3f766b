// Universe and market model: table A.4 sizes, multiplier/collision/look-alike instruments, extras that must be
// filtered, seeded determinism of listings and price paths.
import { describe, expect, test } from "bun:test";
import { DIRECTIONS, SOURCE_NAMES, SourceId } from "@spread/common";
import { buildUniverse, listingCounts, Market, scenarioFrom } from "@spread/sim";

const A4_SOURCES = [460, 528, 394, 394, 547, 579, 278, 252];
const A4_DIRECTIONS = [272, 174, 243, 243, 363, 500, 190, 385, 306, 199, 447, 268];
const EPOCH = Date.parse("2026-11-21T00:00:00Z");
const sc = scenarioFrom({});
const u = buildUniverse(sc.universe, 1, EPOCH);
const inst = (source: number, symbol: string) => {
  const i = u.bySymbol[source]!.get(symbol);
  if (i === undefined) throw new Error(`${symbol} not listed on ${SOURCE_NAMES[source]}`);
  return u.instruments[source]![i]!;
};

describe("universe sizes (table A.4)", () => {
  const c = listingCounts(u);
  test.each(SOURCE_NAMES.map((n, s) => [n, s] as const))("%s pair count within 5%% of A.4", (_n, s) => {
    expect(Math.abs(c.perSource[s]! - A4_SOURCES[s]!) / A4_SOURCES[s]!).toBeLessThan(0.05);
  });
  test.each(DIRECTIONS.map((d) => [d.name, d.id] as const))("direction %s within 5%% of A.4", (_n, id) => {
    expect(Math.abs(c.perDirection[id]! - A4_DIRECTIONS[id]!) / A4_DIRECTIONS[id]!).toBeLessThan(0.05);
  });
  test("about 700 assets, ~682 in at least one direction", () => {
    expect(u.assets.filter((a) => a.pattern !== 0).length).toBeGreaterThanOrEqual(690);
    expect(Math.abs(c.paired - 682)).toBeLessThan(682 * 0.03);
  });
  test("other seeds stay within tolerance too", () => {
    for (const seed of [2, 77, 123456]) {
      const k = listingCounts(buildUniverse(sc.universe, seed, EPOCH));
      k.perSource.forEach((v, s) => expect(Math.abs(v - A4_SOURCES[s]!) / A4_SOURCES[s]!).toBeLessThan(0.05));
      k.perDirection.forEach((v, d) => expect(Math.abs(v - A4_DIRECTIONS[d]!) / A4_DIRECTIONS[d]!).toBeLessThan(0.06));
    }
  });
});

describe("special instruments", () => {
  test("multiplier contracts: Binance 1000PEPE/1MBABYDOGE, Bybit 1000PEPE and SHIB1000 suffix", () => {
    expect(inst(SourceId.binance_futures, "1000PEPEUSDT").base).toBe("1000PEPE");
    expect(inst(SourceId.binance_futures, "1000PEPEUSDT").priceMult).toBe(1000);
    expect(inst(SourceId.binance_futures, "1MBABYDOGEUSDT").priceMult).toBe(1e6);
    expect(inst(SourceId.bybit_futures, "1000PEPEUSDT").priceMult).toBe(1000);
    expect(inst(SourceId.bybit_futures, "SHIB1000USDT").base).toBe("SHIB1000");
    expect(inst(SourceId.okx_futures, "PEPE-USDT-SWAP").priceMult).toBe(1);
    expect(inst(SourceId.okx_futures, "PEPE-USDT-SWAP").contractSize).toBeGreaterThan(1000);
  });
  test("1000SATS is a token of its own: same unit on spot and futures", () => {
    expect(inst(SourceId.binance_spot, "1000SATSUSDT").priceMult).toBe(1);
    expect(inst(SourceId.binance_futures, "1000SATSUSDT").priceMult).toBe(1);
    expect(inst(SourceId.binance_futures, "1000SATSUSDT").asset).toBe(inst(SourceId.binance_spot, "1000SATSUSDT").asset);
  });
  test("ticker collision: MEXC spot GAS is a different asset", () => {
    const mexc = inst(SourceId.mexc_spot, "GASUSDT");
    const bin = inst(SourceId.binance_spot, "GASUSDT");
    expect(mexc.asset).not.toBe(bin.asset);
    expect(u.assets[bin.asset]!.price0 / u.assets[mexc.asset]!.price0).toBeGreaterThan(1e5);
  });
  test("extras a scanner must filter: dated, non-USDT quotes, inverse, TradFi/index, suspended", () => {
    const kinds = (s: number) => new Set(u.instruments[s]!.filter((i) => !i.counted).map((i) => `${i.kind}/${i.quote}/${i.status}`));
    expect([...kinds(SourceId.binance_futures)].some((k) => k.startsWith("dated/"))).toBe(true);
    expect([...kinds(SourceId.binance_futures)].some((k) => k.startsWith("tradfi/"))).toBe(true);
    expect([...kinds(SourceId.binance_futures)].some((k) => k.endsWith("/settling"))).toBe(true);
    expect([...kinds(SourceId.binance_spot)].some((k) => k.includes("/BTC/"))).toBe(true);
    expect([...kinds(SourceId.binance_spot)].some((k) => k.includes("/EUR/"))).toBe(true);
    expect([...kinds(SourceId.binance_spot)].some((k) => k.endsWith("/delisted"))).toBe(true);
    expect([...kinds(SourceId.okx_futures)].some((k) => k.startsWith("inverse/"))).toBe(true);
    expect([...kinds(SourceId.okx_spot)].some((k) => k.includes("/USDC/"))).toBe(true);
    expect([...kinds(SourceId.mexc_futures)].some((k) => k.startsWith("inverse/"))).toBe(true);
    expect([...kinds(SourceId.bybit_futures)].some((k) => k.endsWith("/prelaunch"))).toBe(true);
    expect(u.instruments.flat().filter((i) => i.counted).every((i) => i.quote === "USDT" && i.status === "trading")).toBe(true);
  });
});

describe("market prices", () => {
  const m = new Market(u, scenarioFrom({ rate: { total: 5000 } }), 1);
  for (let k = 0; k < 200; k++) m.step(EPOCH + k * 10);
  const mid = (s: number, symbol: string) => {
    const i = inst(s, symbol);
    const b = m.books[s]!;
    return ((b.bid[i.index]! + b.ask[i.index]!) / 2) * i.tick;
  };
  test("1000PEPEUSDT ≈ 1000 × PEPEUSDT", () => {
    const r = mid(SourceId.binance_futures, "1000PEPEUSDT") / mid(SourceId.binance_spot, "PEPEUSDT");
    expect(r).toBeGreaterThan(990);
    expect(r).toBeLessThan(1010);
    const b = mid(SourceId.bybit_futures, "SHIB1000USDT") / mid(SourceId.okx_spot, "SHIB-USDT");
    expect(b).toBeGreaterThan(990);
    expect(b).toBeLessThan(1010);
  });
  test("same asset, different venues: within a few bps; collision far off", () => {
    const r = mid(SourceId.okx_futures, "BTC-USDT-SWAP") / mid(SourceId.binance_spot, "BTCUSDT");
    expect(Math.abs(r - 1)).toBeLessThan(0.002);
    expect(mid(SourceId.binance_spot, "GASUSDT") / mid(SourceId.mexc_spot, "GASUSDT")).toBeGreaterThan(1e5);
  });
  test("quotes are on tick and bid < ask for normal instruments", () => {
    const b = m.books[SourceId.binance_spot]!;
    for (const i of u.instruments[SourceId.binance_spot]!) {
      if (!b.has[i.index] || i.anomaly) continue;
      expect(Number.isInteger(b.bid[i.index]!)).toBe(true);
      expect(b.bid[i.index]!).toBeLessThan(b.ask[i.index]!);
    }
  });
});

describe("determinism (--seed)", () => {
  function run(seed: number, steps: number) {
    const uu = buildUniverse(sc.universe, seed, EPOCH);
    const mm = new Market(uu, scenarioFrom({ rate: { total: 20000 } }), seed);
    const events: number[] = [];
    mm.listener = (s, i) => events.push(s, i, mm.books[s]!.bid[i]!, mm.books[s]!.ask[i]!);
    for (let k = 0; k < steps; k++) mm.step(EPOCH + k * 10);
    return { symbols: uu.instruments.map((l) => l.map((i) => i.symbol).join(",")), events, mids: Array.from(mm.mid) };
  }
  test("same seed → same instrument lists and price paths", () => {
    const a = run(42, 100);
    const b = run(42, 100);
    expect(a.symbols).toEqual(b.symbols);
    expect(a.events.length).toBeGreaterThan(10_000);
    expect(a.events).toEqual(b.events);
    expect(a.mids).toEqual(b.mids);
  });
  test("different seed → different universe and paths", () => {
    const a = run(42, 20);
    const b = run(43, 20);
    expect(a.symbols).not.toEqual(b.symbols);
    expect(a.events).not.toEqual(b.events);
  });
});
