// Tracker test bed: a small generated/ set written directly with the @spread/common encoders (names chosen by
// the test, every symbol on every source unless a direction list says otherwise), temp dirs, config files.
import { tempDir as makeTempDir, tempDirs as makeTempDirs } from "../temp.ts";
import { waitFor } from "../wait.ts";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  computeGeneration, DIRECTIONS, encodeDirectionsPayload, encodeEnvelope, encodeMetadata, encodeSourceSymbolsPayload,
  encodeSymbolsPayload, GENERATED_FORMAT_VERSION, GeneratedFile, METADATA_FORMAT, NUM_SOURCES, SOURCE_NAMES,
  sourceSymbolsFile, type GeneratedSymbol,
} from "@spread/common";

export const ROOT = resolve(import.meta.dir, "../..");

export function tempDir(tag: string): { dir: string; cleanup: () => void } {
  return makeTempDir("tracker", tag);
}

/** A temp dir per call, all removed after the file's tests (call at module level of a test file). */
export function tempDirs(): (tag: string) => string {
  return makeTempDirs("tracker");
}


/**
 * Writes a consistent generated/ set into `dir`: symbols `names` (sorted by the caller), each listed on all 8
 * sources; `lists[d]` = symbol ids of direction d (default: every symbol in every direction).
 */
export function writeGenerated(dir: string, names: readonly string[], lists?: readonly (readonly number[])[]): string {
  mkdirSync(join(dir, GeneratedFile.sourceSymbolsDir), { recursive: true });
  const symbols: GeneratedSymbol[] = names.map((name, id) => ({
    id,
    name,
    listings: SOURCE_NAMES.map(() => ({ exchangeSymbol: name.replace("-", ""), multiplier: 1, minQty: null, maxQty: null, tickSize: null, minNotional: null, contractSize: null })),
  }));
  const dirLists = lists ?? DIRECTIONS.map(() => names.map((_, i) => i));
  const symbolsPayload = encodeSymbolsPayload(symbols);
  const directionsPayload = encodeDirectionsPayload(names.length, dirLists);
  const sources = SOURCE_NAMES.map((_, src) => encodeSourceSymbolsPayload(src, names.length, names.map((n, i) => ({ symbolId: i, exchangeSymbol: n.replace("-", ""), multiplier: 1 }))));
  const generation = computeGeneration([
    { name: GeneratedFile.symbols, payload: symbolsPayload },
    { name: GeneratedFile.directions, payload: directionsPayload },
    ...sources.map((payload, src) => ({ name: sourceSymbolsFile(src), payload })),
  ]);
  writeFileSync(join(dir, GeneratedFile.symbols), encodeEnvelope("symbols", generation, names.length, symbolsPayload));
  writeFileSync(join(dir, GeneratedFile.directions), encodeEnvelope("directions", generation, DIRECTIONS.length, directionsPayload));
  sources.forEach((payload, src) => writeFileSync(join(dir, sourceSymbolsFile(src)), encodeEnvelope("sourceSymbols", generation, names.length, payload)));
  const srcStats = Object.fromEntries(SOURCE_NAMES.map((n, id) => [n, { id, fetched: true, error: null, instruments: names.length, accepted: names.length, valid: null, invalid: null, excluded: 0, symbols: names.length }]));
  const meta = {
    format: METADATA_FORMAT as typeof METADATA_FORMAT,
    format_version: GENERATED_FORMAT_VERSION,
    generation,
    generated_at: new Date().toISOString(),
    duration_ms: 0,
    num_symbols: names.length,
    sources: srcStats,
    directions: DIRECTIONS.map((d, i) => ({ id: d.id, name: d.name, spot: SOURCE_NAMES[d.spot]!, futures: SOURCE_NAMES[d.futures]!, pairs: dirLists[i]!.length })),
    validation: { enabled: false, skipped_reason: "test", sources_validated: 0, min_validated_sources: 0, pairs_total: 0, pairs_valid: 0, invalid_no_data: 0, invalid_prices: 0, invalid_rejected: 0, collisions_excluded: 0, multipliers_confirmed: 0, multipliers_rejected: 0 },
    cut: { max_symbols: 1024, dropped: [] },
    files: {},
  };
  writeFileSync(join(dir, GeneratedFile.metadata), encodeMetadata(meta));
  void NUM_SOURCES;
  return generation;
}

/** Reads a text file's lines (without the trailing empty one). */
export function lines(text: string): string[] {
  const l = text.split("\n");
  if (l[l.length - 1] === "") l.pop();
  return l;
}

/** Polls `cond` every 20 ms until true or `timeoutMs` passes (then throws with `what`, and what `saw` reports). */
export function until(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 20_000, saw?: () => unknown): Promise<number> {
  return waitFor(what, cond, timeoutMs, 20, saw);
}
