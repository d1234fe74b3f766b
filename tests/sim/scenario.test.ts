// Scenario files: every shipped scenario validates and builds; schema errors name the key path.
import { describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { buildUniverse, defaultScenario, loadScenario, Market, scenarioFrom } from "@spread/sim";
import { SCENARIOS } from "./helpers.ts";

describe("scenarios", () => {
  test.each(readdirSync(SCENARIOS).filter((f) => f.endsWith(".toml")))("%s validates and its episodes resolve", (file) => {
    const sc = loadScenario(join(SCENARIOS, file));
    const u = buildUniverse(sc.universe, sc.sim.seed, Date.now());
    const m = new Market(u, sc, sc.sim.seed);
    sc.episodes.forEach((e, i) => m.episodes.add(e, 0, `${file}: episodes[${i}]`));
    expect(m.episodes.list.length).toBe(sc.episodes.length);
  });

  test("the built-in default is the shipped default.toml with two or more converging episodes", () => {
    const d = defaultScenario();
    expect(d).toEqual(loadScenario(join(SCENARIOS, "default.toml")));
    expect(d.episodes.filter((e) => e.converge && e.hold_s + e.ramp_s + e.converge_s <= 120).length).toBeGreaterThanOrEqual(2);
  });

  test("errors name the key path", () => {
    expect(() => scenarioFrom({ venues: { okx_spot: { idle_timeout_ms: -1 } } } as any, "x.toml")).toThrow("x.toml: venues.okx_spot.idle_timeout_ms:");
    expect(() => scenarioFrom({ episodes: [{ asset: "BTC", spot: "okx_futures", futures: "okx_futures", spread_pct: 1 }] } as any, "x.toml")).toThrow("x.toml: episodes.0.spot: must be a spot source");
    expect(() => scenarioFrom({ faults: [{ kind: "drop" }] } as any, "x.toml")).toThrow("x.toml: faults.0.source:");
    // timers past 2^31-1 ms would fire after 1 ms
    expect(() => scenarioFrom({ venues: { okx_spot: { idle_timeout_ms: 99999999999999 } } } as any, "x.toml")).toThrow("x.toml: venues.okx_spot.idle_timeout_ms: must be at most 2147483647");
    expect(() => scenarioFrom({ faults: [{ kind: "rest_hang", source: "all", hang_ms: 2 ** 31 }] } as any, "x.toml")).toThrow("x.toml: faults.0.hang_ms: must be at most 2147483647");
  });
});
