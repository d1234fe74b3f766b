// Funding over the holding horizon ([engine] funding_horizon): settlements counted, sign, config parsing.
import { describe, expect, test } from "bun:test";
import { EngineSchema } from "@spread/common";
import { fundingHorizonUs, fundingOverHorizonPct, HORIZON_NEXT_SETTLEMENT, settlementsWithin } from "@spread/engine";

const H = 3600e6;
const NOW = Date.parse("2026-12-03T10:30:00Z") * 1000;
const NEXT = Date.parse("2026-12-03T12:00:00Z") * 1000; // 1 h 30 min away

describe("settlementsWithin", () => {
  test("next_settlement counts exactly one, whatever the times", () => {
    expect(settlementsWithin(NEXT, 60, NOW, HORIZON_NEXT_SETTLEMENT)).toBe(1);
    expect(settlementsWithin(0, 0, NOW, HORIZON_NEXT_SETTLEMENT)).toBe(1);
  });

  test("hours: every settlement in (now, now + horizon], per the symbol's interval", () => {
    expect(settlementsWithin(NEXT, 480, NOW, 1 * H)).toBe(0); // 12:00 is after 11:30
    expect(settlementsWithin(NEXT, 480, NOW, 1.5 * H)).toBe(1); // 12:00 exactly at the end counts
    expect(settlementsWithin(NEXT, 480, NOW, 24 * H)).toBe(3); // 12:00, 20:00, 04:00
    expect(settlementsWithin(NEXT, 60, NOW, 24 * H)).toBe(23); // 12:00 .. 10:00 next day
    expect(settlementsWithin(NEXT, 240, NOW, 8 * H)).toBe(2); // 12:00, 16:00
  });

  test("unknown interval = 8 h; unknown next time = whole intervals; a past next time rolls forward", () => {
    expect(settlementsWithin(NEXT, 0, NOW, 24 * H)).toBe(3);
    expect(settlementsWithin(0, 240, NOW, 9 * H)).toBe(2);
    const past = Date.parse("2026-12-03T10:00:00Z") * 1000; // the feed still shows the 10:00 settlement
    expect(settlementsWithin(past, 60, NOW, 2 * H)).toBe(2); // 11:00, 12:00
    expect(settlementsWithin(past, 60, NOW, 0.25 * H)).toBe(0);
  });

  test("the short futures leg earns a positive rate and pays a negative one", () => {
    expect(fundingOverHorizonPct(0.0001, NEXT, 480, NOW, 24 * H)).toBeCloseTo(0.03, 12);
    expect(fundingOverHorizonPct(-0.003, NEXT, 60, NOW, 4 * H)).toBeCloseTo(-0.9, 12); // 12:00, 13:00, 14:00
    expect(fundingOverHorizonPct(-0.003, NEXT, 60, NOW, HORIZON_NEXT_SETTLEMENT)).toBeCloseTo(-0.3, 12);
  });
});

describe("[engine] funding_horizon and skip_if_funding_erases", () => {
  test("defaults: next settlement, filter off", () => {
    const e = EngineSchema.parse({});
    expect(e.funding_horizon).toBe("next_settlement");
    expect(e.skip_if_funding_erases).toBe(false);
    expect(fundingHorizonUs(e)).toBe(HORIZON_NEXT_SETTLEMENT);
  });

  test("a number of hours; anything else is refused", () => {
    expect(fundingHorizonUs(EngineSchema.parse({ funding_horizon: 24 }))).toBe(24 * H);
    expect(fundingHorizonUs(EngineSchema.parse({ funding_horizon: 0.5 }))).toBe(0.5 * H);
    for (const bad of [0, -1, "next", "24", 9000]) expect(EngineSchema.safeParse({ funding_horizon: bad }).success).toBe(false);
    expect(EngineSchema.safeParse({ skip_if_funding_erases: "yes" }).success).toBe(false);
  });
});
