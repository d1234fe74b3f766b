// Loaders every process uses. Each verifies its file(s) and that they carry the generation named by metadata.json,
// reading through an interrupted install (`.pending-<generation>/`) so a reader never mixes two generations.
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { NUM_SOURCES, SOURCE_NAMES, parseSourceName, type SourceName } from "../ids.ts";
import { GeneratedFileError } from "./errors.ts";
import { GeneratedFile, PENDING_PREFIX, sourceSymbolsFile } from "./layout.ts";
import { decodeMetadata, type GeneratedMetadata } from "./metadata.ts";
import { decodeSymbols, type SymbolsFile } from "./symbols.ts";
import { decodeDirections, type DirectionsFile } from "./directions.ts";
import { decodeSourceSymbols, type SourceSymbolsFile } from "./source-symbols.ts";

export interface LoadOptions {
  /** Attempts while a writer is installing a new set (generation mismatch or a file renamed away). Default 40. */
  readonly attempts?: number;
  /** Pause between attempts in ms. Default 25 (the install window is a handful of renames). */
  readonly retryDelayMs?: number;
}

export interface Generation {
  readonly dir: string;
  readonly generation: string;
  readonly metadata: GeneratedMetadata;
  readonly symbols: SymbolsFile;
  readonly directions: DirectionsFile;
  /** Indexed by source_id. */
  readonly sources: readonly SourceSymbolsFile[];
}

/** Where `rel` currently lives: inside an interrupted install's `.pending-*` dir if it is still there, else `dir/rel`. */
export function resolveGeneratedPath(dir: string, rel: string): string {
  let pending: string[] = [];
  try {
    pending = readdirSync(dir).filter((n) => n.startsWith(PENDING_PREFIX)).sort();
  } catch {
    // dir missing: reported by the read below with the file name
  }
  for (let i = pending.length - 1; i >= 0; i--) {
    const p = join(dir, pending[i]!, rel);
    if (existsSync(p)) return p;
  }
  return join(dir, rel);
}

class Transient extends Error {}

function readBytes(dir: string, rel: string): { path: string; bytes: Uint8Array } {
  const path = resolveGeneratedPath(dir, rel);
  try {
    return { path, bytes: new Uint8Array(readFileSync(path)) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      // A concurrent install may have just renamed it from .pending-*: retry, then report as missing.
      throw new Transient(join(dir, rel));
    }
    throw new GeneratedFileError(join(dir, rel), "missing", `cannot read (${code ?? String(err)})`);
  }
}

/**
 * Runs `read` until every generation it reports equals metadata.json's, retrying while an install is in progress.
 * A persistent mismatch or missing file becomes a GeneratedFileError naming the file.
 */
function consistent<T>(dir: string, opts: LoadOptions, read: (meta: GeneratedMetadata) => { value: T; gens: { file: string; generation: string }[] }): { meta: GeneratedMetadata; value: T } {
  const attempts = opts.attempts ?? 40;
  const delay = opts.retryDelayMs ?? 25;
  let last: GeneratedFileError | null = null;
  for (let a = 0; a < attempts; a++) {
    if (a > 0) Bun.sleepSync(delay);
    try {
      const m = readBytes(dir, GeneratedFile.metadata);
      const meta = decodeMetadata(m.bytes, m.path);
      const { value, gens } = read(meta);
      const bad = gens.find((g) => g.generation !== meta.generation);
      if (!bad) return { meta, value };
      last = new GeneratedFileError(bad.file, "mismatch", `generation ${bad.generation}, but ${join(dir, GeneratedFile.metadata)} names ${meta.generation}: the files belong to different pair-discovery runs (an install is in progress or was interrupted; rerun pair-discovery)`);
    } catch (err) {
      if (err instanceof Transient) {
        last = new GeneratedFileError(err.message, "missing", `missing (run pair-discovery to create ${dir})`);
        continue;
      }
      throw err;
    }
  }
  throw last!;
}

function readSymbols(dir: string): SymbolsFile {
  const f = readBytes(dir, GeneratedFile.symbols);
  return decodeSymbols(f.bytes, f.path);
}
function readDirections(dir: string): DirectionsFile {
  const f = readBytes(dir, GeneratedFile.directions);
  return decodeDirections(f.bytes, f.path);
}
function readSource(dir: string, source: number): SourceSymbolsFile {
  const f = readBytes(dir, sourceSymbolsFile(source));
  return decodeSourceSymbols(f.bytes, f.path, source);
}

function sourceIndex(source: number | SourceName): number {
  if (typeof source === "number") {
    if (!Number.isInteger(source) || source < 0 || source >= NUM_SOURCES) throw new Error(`source_id ${source} is not 0..${NUM_SOURCES - 1}`);
    return source;
  }
  return parseSourceName(source);
}

/** metadata.json of the current set (format, generation, counts, validation stats). */
export function loadGeneratedMetadata(dir: string, opts: LoadOptions = {}): GeneratedMetadata {
  return consistent(dir, opts, () => ({ value: null, gens: [] })).meta;
}

/** symbols.bin: id → name and per-source listings (exchange symbol, multiplier, order parameters). */
export function loadSymbols(dir: string, opts: LoadOptions = {}): SymbolsFile {
  return consistent(dir, opts, () => {
    const s = readSymbols(dir);
    return { value: s, gens: [{ file: join(dir, GeneratedFile.symbols), generation: s.generation }] };
  }).value;
}

/** Tracker: symbol_id → normalized name ("BTC-USDT"), index = symbol_id. */
export function loadSymbolNames(dir: string, opts: LoadOptions = {}): readonly string[] {
  return loadSymbols(dir, opts).symbols.map((s) => s.name);
}

/** Engine: the 12 direction lists. */
export function loadDirections(dir: string, opts: LoadOptions = {}): DirectionsFile {
  return consistent(dir, opts, () => {
    const d = readDirections(dir);
    return { value: d, gens: [{ file: join(dir, GeneratedFile.directions), generation: d.generation }] };
  }).value;
}

/** Feed of `source`: its (symbol_id, exchange_symbol, multiplier) list. */
export function loadSourceSymbols(dir: string, source: number | SourceName, opts: LoadOptions = {}): SourceSymbolsFile {
  const s = sourceIndex(source);
  return consistent(dir, opts, () => {
    const f = readSource(dir, s);
    return { value: f, gens: [{ file: join(dir, sourceSymbolsFile(s)), generation: f.generation }] };
  }).value;
}

/** Every file of the set, checked against each other (ids, counts, listings). */
export function loadGeneration(dir: string, opts: LoadOptions = {}): Generation {
  const { meta, value } = consistent(dir, opts, () => {
    const symbols = readSymbols(dir);
    const directions = readDirections(dir);
    const sources = SOURCE_NAMES.map((_, s) => readSource(dir, s));
    return {
      value: { symbols, directions, sources },
      gens: [
        { file: join(dir, GeneratedFile.symbols), generation: symbols.generation },
        { file: join(dir, GeneratedFile.directions), generation: directions.generation },
        ...sources.map((f, s) => ({ file: join(dir, sourceSymbolsFile(s)), generation: f.generation })),
      ],
    };
  });
  const n = value.symbols.symbols.length;
  const metaFile = join(dir, GeneratedFile.metadata);
  if (meta.num_symbols !== n) throw new GeneratedFileError(metaFile, "invalid", `num_symbols ${meta.num_symbols}, symbols.bin holds ${n}`);
  if (value.directions.numSymbols !== n) throw new GeneratedFileError(join(dir, GeneratedFile.directions), "invalid", `num_symbols ${value.directions.numSymbols}, symbols.bin holds ${n}`);
  value.sources.forEach((f, s) => {
    const file = join(dir, sourceSymbolsFile(s));
    if (f.numSymbols !== n) throw new GeneratedFileError(file, "invalid", `num_symbols ${f.numSymbols}, symbols.bin holds ${n}`);
    for (const e of f.entries) {
      const l = value.symbols.symbols[e.symbolId]!.listings[s];
      if (!l || l.exchangeSymbol !== e.exchangeSymbol || l.multiplier !== e.multiplier) {
        throw new GeneratedFileError(file, "invalid", `entry for symbol ${e.symbolId} (${e.exchangeSymbol}) disagrees with symbols.bin`);
      }
    }
  });
  return { dir, generation: meta.generation, metadata: meta, ...value };
}
