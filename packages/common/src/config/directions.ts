// config/directions.toml: the 12 directions as source pairs. They must match table A.4 exactly.
import { z } from "zod";
import { DIRECTIONS, NUM_DIRECTIONS, SOURCE_NAMES, type DirectionDef } from "../ids.ts";
import { ConfigError } from "../errors.ts";
import { loadTomlWith } from "./load.ts";

const sourceName = z.enum(SOURCE_NAMES as [string, ...string[]]);

export const DirectionsConfigSchema = z.strictObject({
  direction: z
    .array(
      z.strictObject({
        id: z.number().int().min(0).max(NUM_DIRECTIONS - 1),
        spot: sourceName,
        futures: sourceName,
      }),
    )
    .length(NUM_DIRECTIONS),
});

/** Loads directions.toml and checks it against the architecture's fixed table. */
export function loadDirectionsConfig(file: string): readonly DirectionDef[] {
  const cfg = loadTomlWith(file, DirectionsConfigSchema);
  const problems: string[] = [];
  cfg.direction.forEach((d, i) => {
    const want = DIRECTIONS[d.id]!;
    const got = `${d.spot}_${d.futures}`;
    if (got !== want.name) {
      problems.push(`${file}: direction[${i}] (id ${d.id}): ${d.spot} → ${d.futures} does not match table A.4 (${want.name.replace("_spot_", "_spot → ")})`);
    }
  });
  const ids = new Set(cfg.direction.map((d) => d.id));
  if (ids.size !== NUM_DIRECTIONS) problems.push(`${file}: direction: ids must be 0..11, each once`);
  if (problems.length) throw new ConfigError(problems.join("\n"));
  return DIRECTIONS;
}
