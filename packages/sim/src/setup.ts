// Applies the scenario's symbol-level settings to a fresh universe: seeded silent symbols and bad-quote
// anomalies per source, then the scenario's explicit [[silent]] and [[anomalies]] entries.
import { ConfigError, NUM_SOURCES, SOURCE_NAMES, SourceId, type SourceName } from "@spread/common";
import { Anomaly } from "./market/instrument.ts";
import type { Universe } from "./market/universe.ts";
import { Rng } from "./rng.ts";
import type { Scenario } from "./scenario/schema.ts";

const SEEDED_ANOMALIES = [Anomaly.crossed, Anomaly.zero_bid, Anomaly.empty_bid, Anomaly.zero_ask];

export function applySymbolSettings(u: Universe, sc: Scenario, seed: number, where: string): void {
  const rng = Rng.stream(seed, "symbol-settings");
  for (let s = 0; s < NUM_SOURCES; s++) {
    // Only generated assets: the fixed majors and the named traps must stay predictable.
    const pool = u.instruments[s]!.filter((i) => i.counted && i.status === "trading" && !u.assets[i.asset]!.fixed);
    rng.shuffle(pool);
    let k = 0;
    for (let n = 0; n < sc.universe.silent_per_source && k < pool.length; n++) pool[k++]!.silent = true;
    for (let n = 0; n < sc.universe.anomalies_per_source && k < pool.length; n++) {
      const inst = pool[k++]!;
      inst.anomaly = SEEDED_ANOMALIES[n % SEEDED_ANOMALIES.length]!;
      inst.anomalyProb = 0.05;
    }
  }
  const find = (source: string, symbol: string, key: string) => {
    const s = SourceId[source as SourceName];
    const i = u.bySymbol[s]!.get(symbol);
    if (i === undefined) throw new ConfigError(`${where}: ${key}.symbol: "${symbol}" is not listed on ${source}`);
    return u.instruments[s]![i]!;
  };
  sc.silent.forEach((e, n) => {
    find(e.source, e.symbol, `silent[${n}]`).silent = true;
  });
  sc.symbol_rates.forEach((e, n) => {
    // Excluded from the weighted draw; the market adds exactly `rate` updates/s for it.
    find(e.source, e.symbol, `symbol_rates[${n}]`).weight = 0;
  });
  sc.anomalies.forEach((e, n) => {
    const inst = find(e.source, e.symbol, `anomalies[${n}]`);
    inst.anomaly = Anomaly[e.kind];
    inst.anomalyProb = e.probability;
  });
}

/** Symbols per source with a given flag, for /state and tests. */
export function flagged(u: Universe, pick: (i: Universe["instruments"][number][number]) => boolean): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  SOURCE_NAMES.forEach((name, s) => {
    out[name] = u.instruments[s]!.filter(pick).map((i) => i.symbol);
  });
  return out;
}
