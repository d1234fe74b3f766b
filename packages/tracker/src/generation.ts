// What the tracker needs from generated/: symbol names (files carry names, never ids) and which
// (direction, symbol) pairs are listed (a pair that disappears on reload closes as DELISTED).
import { loadGeneration, MAX_SYMBOLS, NUM_DIRECTIONS } from "@spread/common";

export interface TrackerGeneration {
  readonly generation: string;
  readonly names: readonly string[];
  readonly ids: ReadonlyMap<string, number>;
  listed(directionId: number, symbolId: number): boolean;
}

export function loadTrackerGeneration(dir: string): TrackerGeneration {
  const g = loadGeneration(dir);
  const names = g.symbols.symbols.map((s) => s.name);
  const bits = new Uint8Array(NUM_DIRECTIONS * MAX_SYMBOLS);
  for (const d of g.directions.directions) for (const s of d.symbols) bits[d.id * MAX_SYMBOLS + s] = 1;
  return {
    generation: g.generation,
    names,
    ids: new Map(names.map((n, i) => [n, i])),
    listed: (d, s) => s < MAX_SYMBOLS && bits[d * MAX_SYMBOLS + s] === 1,
  };
}
