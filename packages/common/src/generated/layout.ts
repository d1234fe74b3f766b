// generated/ file layout shared by Pair Discovery (writer) and every process that reads it (docs/formats.md).
import { SOURCE_NAMES } from "../ids.ts";

/** Format version written into every generated file (binary headers and metadata.json). */
export const GENERATED_FORMAT_VERSION = 1;

/** Common binary header: 32 bytes, little-endian. A CRC32 trailer (4 bytes) follows the payload. */
export const HEADER_SIZE = 32;
export const TRAILER_SIZE = 4;
export const GENERATION_BYTES = 8;

export const HeaderOffset = {
  magic: 0, // u8[8] ASCII
  version: 8, // u16
  headerSize: 10, // u16 (= 32)
  count: 12, // u32 records
  generation: 16, // u8[8]
  payloadSize: 24, // u32
  reserved: 28, // u32 (= 0)
} as const;

/** 8-byte ASCII magics, one per binary file kind. */
export const Magic = {
  symbols: "SPSYMBOL",
  directions: "SPDIRECT",
  sourceSymbols: "SPSRCSYM",
} as const;
export type FileKind = keyof typeof Magic;

/** File names relative to the generated/ directory. */
export const GeneratedFile = {
  symbols: "symbols.bin",
  directions: "directions.bin",
  metadata: "metadata.json",
  symbolsTxt: "symbols.txt",
  directionsTxt: "directions.txt",
  validationReport: "validation_report.txt",
  sourceSymbolsDir: "source_symbols",
} as const;

export function sourceSymbolsFile(source: number): string {
  const name = SOURCE_NAMES[source];
  if (name === undefined) throw new Error(`source_symbols: no source with id ${source}`);
  return `${GeneratedFile.sourceSymbolsDir}/${name}.bin`;
}

/** Every generated file in install order: binaries first, text next, metadata.json LAST (it commits the set). */
export function generatedFileList(): string[] {
  return [
    GeneratedFile.symbols,
    GeneratedFile.directions,
    ...SOURCE_NAMES.map((_, s) => sourceSymbolsFile(s)),
    GeneratedFile.symbolsTxt,
    GeneratedFile.directionsTxt,
    GeneratedFile.validationReport,
    GeneratedFile.metadata,
  ];
}

/** A writer that was interrupted while installing leaves a complete generation in `<dir>/.pending-<generation>/`. */
export const PENDING_PREFIX = ".pending-";
/** Files being written (incomplete until renamed to .pending-*). */
export const INCOMING_PREFIX = ".incoming-";
/** Single-writer lock file inside generated/. */
export const LOCK_FILE = ".lock";

/** No multiplier / parameter given by the venue: stored as NaN in f64 fields. */
export const MISSING = Number.NaN;
