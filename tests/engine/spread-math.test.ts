// The spread math the engine and the tracker share, against hand-computed figures.
import { describe, expect, test } from "bun:test";
import { AppConfigSchema, DEFAULT_TAKER_FEE_PCT, EngineSchema, SourceId } from "@spread/common";
import { OpenMeasure, feeTable, grossPct, netEntryPct, netRoundTripPct, openMeasureValue, quoteUsable, spreadFigures } from "@spread/engine";

describe("spread math", () => {
  test("gross: buy spot at its ask, sell futures at its bid", () => {
    expect(grossPct(100, 101)).toBeCloseTo(1, 12); // (101 − 100) / 100 × 100
    expect(grossPct(200, 199)).toBeCloseTo(-0.5, 12); // futures below spot: negative
    expect(grossPct(0.00002, 0.000021)).toBeCloseTo(5, 9);
    expect(grossPct(50, 50)).toBe(0);
  });

  test("net entry: gross − both entry taker fees; round trip: four fills", () => {
    // okx_spot (0.1 %) → mexc_futures (0.02 %), gross 1 %.
    expect(netEntryPct(1, 0.1, 0.02)).toBeCloseTo(0.88, 12);
    expect(netRoundTripPct(1, 0.1, 0.02)).toBeCloseTo(0.76, 12);
    const f = spreadFigures(100, 100.5, 0.1, 0.055);
    expect(f.grossPct).toBeCloseTo(0.5, 12);
    expect(f.netPct).toBeCloseTo(0.345, 12);
    expect(f.netRoundTripPct).toBeCloseTo(0.19, 12);
  });

  test("the open measure follows [engine] open_on", () => {
    expect(openMeasureValue(OpenMeasure.gross, 1, 0.1, 0.05)).toBe(1);
    expect(openMeasureValue(OpenMeasure.net, 1, 0.1, 0.05)).toBeCloseTo(0.85, 12);
    expect(openMeasureValue(OpenMeasure.net_round_trip, 1, 0.1, 0.05)).toBeCloseTo(0.7, 12);
  });

  test("crossed, zero, negative and non-finite quotes are unusable", () => {
    expect(quoteUsable(99.9, 100)).toBe(true);
    expect(quoteUsable(100, 100)).toBe(true); // locked book: tradable
    expect(quoteUsable(100.1, 100)).toBe(false); // crossed
    expect(quoteUsable(0, 100)).toBe(false);
    expect(quoteUsable(99, 0)).toBe(false);
    expect(quoteUsable(-1, 100)).toBe(false);
    expect(quoteUsable(Number.NaN, 100)).toBe(false);
    expect(quoteUsable(1, Number.POSITIVE_INFINITY)).toBe(false);
  });

  test("fee table by source_id from config; defaults are the venues' base taker tier", () => {
    const t = feeTable(AppConfigSchema.parse({}).engine.taker_fee_pct);
    expect(t[SourceId.binance_spot]).toBe(0.1);
    expect(t[SourceId.bybit_futures]).toBe(0.055);
    expect(t[SourceId.mexc_futures]).toBe(0.02);
    expect([...t]).toEqual(Object.values(DEFAULT_TAKER_FEE_PCT));
    const custom = feeTable(EngineSchema.parse({ taker_fee_pct: { okx_spot: 0.08 } }).taker_fee_pct);
    expect(custom[SourceId.okx_spot]).toBe(0.08);
    expect(custom[SourceId.okx_futures]).toBe(0.05);
  });

  test("config: bad engine values are clear errors", () => {
    expect(EngineSchema.safeParse({ open_on: "mid" }).success).toBe(false);
    expect(EngineSchema.safeParse({ taker_fee_pct: { okx_spot: -0.1 } }).success).toBe(false);
    expect(EngineSchema.safeParse({ taker_fee_pct: { okx_perp: 0.1 } }).success).toBe(false);
    expect(EngineSchema.safeParse({ stale_after_ms_by_source: { nope: 10 } }).success).toBe(false);
    const r = EngineSchema.safeParse({ open_spread_pct: 60 });
    expect(r.error?.issues[0]?.message).toBe("must be above open_spread_pct (60)");
    expect(r.error?.issues[0]?.path).toEqual(["max_spread_pct"]);
  });
});
