// Multiplier hints read from asset names (prefix, 1M/1K prefix, trailing 1000s), shared by Binance and Bybit.
import { describe, expect, test } from "bun:test";
import { instrumentMultiplierHint, multiplierHint } from "../../packages/exchanges/src/shared/multiplier.ts";

describe("multiplierHint", () => {
  const cases: [string, number, string][] = [
    ["1000PEPE", 1000, "PEPE"],
    ["1000SHIB", 1000, "SHIB"],
    ["10000SATS", 10000, "SATS"],
    ["100000AIDOGE", 100000, "AIDOGE"],
    ["1000000CHEEMS", 1e6, "CHEEMS"],
    ["10000000AIDOGE", 1e7, "AIDOGE"],
    ["10SET", 1, "10SET"], // below 1,000: a name (venues use 1000+)
    ["100X", 1, "100X"],
    ["1MBABYDOGE", 1e6, "BABYDOGE"],
    ["1KSHIB", 1, "1KSHIB"], // no venue spells thousands with K
    ["SHIB1000", 1000, "SHIB"],
    ["PEPE10000", 10000, "PEPE"],
    // no multiplier
    ["1INCH", 1, "1INCH"],
    ["BTC", 1, "BTC"],
    ["1000", 1, "1000"],
    ["A8", 1, "A8"],
    ["ZK100", 1, "ZK100"],
    ["LUNA2", 1, "LUNA2"],
    ["", 1, ""],
  ];
  for (const [name, m, base] of cases) {
    test(`${name || '""'} → ${m} ${base}`, () => {
      expect(multiplierHint(name)).toEqual({ multiplier: m, base });
    });
  }

  test("instrument hint falls back to the symbol stem when the base has none", () => {
    // Bybit SHIB1000USDT: whether baseCoin is "SHIB1000" or "SHIB" is UNCONFIRMED; both give the same hint.
    expect(instrumentMultiplierHint("SHIB1000", "SHIB1000USDT", "USDT")).toEqual({ multiplier: 1000, base: "SHIB" });
    expect(instrumentMultiplierHint("SHIB", "SHIB1000USDT", "USDT")).toEqual({ multiplier: 1000, base: "SHIB" });
    expect(instrumentMultiplierHint("BTC", "BTCUSDT_210924", "USDT")).toEqual({ multiplier: 1, base: "BTC" });
    expect(instrumentMultiplierHint("BTC", "BTCPERP", "USDC")).toEqual({ multiplier: 1, base: "BTC" });
  });
});
