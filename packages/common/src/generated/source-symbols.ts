// generated/source_symbols/<source>.bin: what one feed subscribes to: (symbol_id, exchange_symbol, multiplier).
import { MAX_SYMBOLS, NUM_SOURCES, SOURCE_NAMES } from "../ids.ts";
import { ByteWriter } from "./codec.ts";
import { decodeEnvelope, encodeEnvelope } from "./envelope.ts";
import { GeneratedFileError } from "./errors.ts";

export interface SourceSymbolEntry {
  readonly symbolId: number;
  readonly exchangeSymbol: string;
  /** Exchange price ÷ multiplier = price per ONE unit (what the feed publishes). */
  readonly multiplier: number;
}

export interface SourceSymbolsFile {
  readonly generation: string;
  readonly source: number;
  /** Number of symbols in symbols.bin of the same generation. */
  readonly numSymbols: number;
  /** Ascending symbol_id. Empty when the source failed or listed nothing valid. */
  readonly entries: readonly SourceSymbolEntry[];
}

export function encodeSourceSymbols(generation: string, source: number, numSymbols: number, entries: readonly SourceSymbolEntry[]): Uint8Array {
  return encodeEnvelope("sourceSymbols", generation, entries.length, encodeSourceSymbolsPayload(source, numSymbols, entries));
}

export function encodeSourceSymbolsPayload(source: number, numSymbols: number, entries: readonly SourceSymbolEntry[]): Uint8Array {
  const w = new ByteWriter();
  w.u8(source);
  w.u8(0);
  w.u16(numSymbols);
  let prev = -1;
  for (const e of entries) {
    if (e.symbolId <= prev || e.symbolId >= numSymbols) throw new Error(`source_symbols/${SOURCE_NAMES[source]}.bin: symbol ids must ascend below ${numSymbols}`);
    prev = e.symbolId;
    w.u16(e.symbolId);
    w.f64(e.multiplier);
    w.str8(e.exchangeSymbol, `source ${source} symbol ${e.symbolId} exchange_symbol`);
  }
  return w.finish();
}

export function decodeSourceSymbols(bytes: Uint8Array, file: string, expectSource?: number): SourceSymbolsFile {
  const env = decodeEnvelope(bytes, file, "sourceSymbols");
  const r = env.reader;
  const source = r.u8("source_id");
  if (source >= NUM_SOURCES) r.fail(`source_id ${source} is not 0..${NUM_SOURCES - 1}`);
  if (expectSource !== undefined && source !== expectSource) {
    throw new GeneratedFileError(file, "invalid", `holds source ${source} (${SOURCE_NAMES[source]}), expected ${expectSource} (${SOURCE_NAMES[expectSource]})`);
  }
  r.u8("reserved");
  const numSymbols = r.u16("num_symbols");
  if (numSymbols > MAX_SYMBOLS) r.fail(`num_symbols ${numSymbols} exceeds MAX_SYMBOLS ${MAX_SYMBOLS}`);
  if (env.count > numSymbols) r.fail(`count ${env.count} exceeds num_symbols ${numSymbols}`);
  const entries: SourceSymbolEntry[] = [];
  let prev = -1;
  for (let i = 0; i < env.count; i++) {
    const symbolId = r.u16(`entry[${i}].symbol_id`);
    if (symbolId <= prev || symbolId >= numSymbols) r.fail(`entry[${i}].symbol_id ${symbolId}: ids must ascend and stay below ${numSymbols}`);
    prev = symbolId;
    const multiplier = r.f64(`entry[${i}].multiplier`);
    if (!(multiplier > 0) || !Number.isFinite(multiplier)) r.fail(`entry[${i}].multiplier ${multiplier} is not a positive number`);
    const exchangeSymbol = r.str8(`entry[${i}].exchange_symbol`);
    entries.push({ symbolId, exchangeSymbol, multiplier });
  }
  if (r.remaining !== 0) r.fail(`${r.remaining} bytes left after ${env.count} entries`);
  return { generation: env.generation, source, numSymbols, entries };
}
