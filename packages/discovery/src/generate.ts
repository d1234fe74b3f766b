// Stage 7a content: the generated/ set as bytes. Binaries first (their payloads define the generation id), then the
// text copies, then metadata.json naming the generation and every other file's size and CRC32.
import {
  DIRECTIONS,
  GENERATED_FORMAT_VERSION,
  GeneratedFile,
  METADATA_FORMAT,
  NUM_SOURCES,
  SOURCE_NAMES,
  computeGeneration,
  crc32,
  encodeDirectionsPayload,
  encodeEnvelope,
  encodeMetadata,
  encodeSourceSymbolsPayload,
  encodeSymbolsPayload,
  hex8,
  sourceSymbolsFile,
  type GeneratedMetadata,
  type GeneratedSymbol,
  type SourceSymbolEntry,
} from "@spread/common";
import type { OutputFile } from "./atomic.ts";
import type { Registry } from "./registry.ts";
import { directionsTxt, symbolsTxt, validationReportTxt } from "./report.ts";
import type { RunSummary } from "./summary.ts";

export function generatedSymbols(reg: Registry): GeneratedSymbol[] {
  return reg.symbols.map((s) => ({
    id: s.id,
    name: s.name,
    listings: s.listings.map((l) => (l ? { exchangeSymbol: l.exchangeSymbol, multiplier: l.multiplier, ...l.params } : null)),
  }));
}

export function sourceEntries(reg: Registry, source: number): SourceSymbolEntry[] {
  const out: SourceSymbolEntry[] = [];
  for (const s of reg.symbols) {
    const l = s.listings[source];
    if (l) out.push({ symbolId: s.id, exchangeSymbol: l.exchangeSymbol, multiplier: l.multiplier });
  }
  return out;
}

export interface GeneratedSet {
  readonly generation: string;
  /** In install order, metadata.json last. */
  readonly files: OutputFile[];
  readonly metadata: GeneratedMetadata;
}

/** Deterministic binaries for a given registry; metadata.json adds the run facts (time, duration, stats). */
export function buildGeneratedSet(s: RunSummary): GeneratedSet {
  const reg = s.registry;
  const n = reg.symbols.length;
  const symbolsPayload = encodeSymbolsPayload(generatedSymbols(reg));
  const directionsPayload = encodeDirectionsPayload(n, s.directions);
  const sourcePayloads = SOURCE_NAMES.map((_, src) => ({ src, entries: sourceEntries(reg, src) })).map(({ src, entries }) => ({
    src,
    count: entries.length,
    payload: encodeSourceSymbolsPayload(src, n, entries),
  }));
  const generation = computeGeneration([
    { name: GeneratedFile.symbols, payload: symbolsPayload },
    { name: GeneratedFile.directions, payload: directionsPayload },
    ...sourcePayloads.map((p) => ({ name: sourceSymbolsFile(p.src), payload: p.payload })),
  ]);
  const text = (t: string) => new TextEncoder().encode(t);
  const files: OutputFile[] = [
    { path: GeneratedFile.symbols, bytes: encodeEnvelope("symbols", generation, n, symbolsPayload) },
    { path: GeneratedFile.directions, bytes: encodeEnvelope("directions", generation, DIRECTIONS.length, directionsPayload) },
    ...sourcePayloads.map((p) => ({ path: sourceSymbolsFile(p.src), bytes: encodeEnvelope("sourceSymbols", generation, p.count, p.payload) })),
    { path: GeneratedFile.symbolsTxt, bytes: text(symbolsTxt(s, generation)) },
    { path: GeneratedFile.directionsTxt, bytes: text(directionsTxt(s, generation)) },
    { path: GeneratedFile.validationReport, bytes: text(validationReportTxt(s, generation)) },
  ];
  const metadata = buildMetadata(s, generation, files);
  files.push({ path: GeneratedFile.metadata, bytes: encodeMetadata(metadata) });
  return { generation, files, metadata };
}

function buildMetadata(s: RunSummary, generation: string, files: readonly OutputFile[]): GeneratedMetadata {
  const pairs = s.sources.flatMap((src) => (src.validation ? [...src.validation.pairs.values()] : []));
  const count = (st: string) => pairs.filter((p) => p.status === st).length;
  const sources: GeneratedMetadata["sources"] = {};
  for (let src = 0; src < NUM_SOURCES; src++) {
    const x = s.sources[src]!;
    const vp = x.validation ? [...x.validation.pairs.values()] : null;
    const valid = vp ? vp.filter((p) => p.status === "valid").length : null;
    sources[SOURCE_NAMES[src]!] = {
      id: src,
      fetched: x.fetch?.ok ?? false,
      error: !x.selected ? "not selected" : (x.fetch?.error ?? x.validation?.error ?? null),
      instruments: x.fetch?.instruments.length ?? 0,
      accepted: x.accepted,
      valid,
      invalid: vp && valid !== null ? vp.length - valid : null,
      excluded: x.excluded,
      symbols: x.symbols,
    };
  }
  return {
    format: METADATA_FORMAT,
    format_version: GENERATED_FORMAT_VERSION,
    generation,
    generated_at: new Date(s.startedAt.getTime() + s.durationMs).toISOString(),
    duration_ms: Math.round(s.durationMs),
    num_symbols: s.registry.symbols.length,
    sources,
    directions: DIRECTIONS.map((d, i) => ({ id: d.id, name: d.name, spot: SOURCE_NAMES[d.spot]!, futures: SOURCE_NAMES[d.futures]!, pairs: s.directions[i]!.length })),
    validation: {
      enabled: s.validation.enabled,
      skipped_reason: s.validation.skippedReason,
      sources_validated: s.validation.validated,
      min_validated_sources: s.validation.minValidated,
      pairs_total: pairs.length,
      pairs_valid: count("valid"),
      invalid_no_data: count("no_data"),
      invalid_prices: count("invalid_prices"),
      invalid_rejected: count("rejected"),
      collisions_excluded: s.decisions.filter((d) => d.kind === "excluded_collision" || d.kind === "excluded_ambiguous").length,
      multipliers_confirmed: s.decisions.filter((d) => d.kind === "multiplier_confirmed").length,
      multipliers_rejected: s.decisions.filter((d) => d.kind === "multiplier_rejected").length,
    },
    cut: { max_symbols: s.maxSymbols, dropped: [...s.registry.dropped] },
    files: Object.fromEntries(files.map((f) => [f.path, { bytes: f.bytes.length, crc32: hex8(crc32(f.bytes)) }])),
  };
}
