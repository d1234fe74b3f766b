// The 64-byte region header: writing it once at creation and checking it on every open.
import { HEADER_SIZE, RegionHeader, type RegionSpec } from "./layout.ts";

const H = RegionHeader.off;

/** The 4-character ASCII tag of a magic value ("SSPQ"), for error messages. */
export function magicText(magic: number): string {
  let s = "";
  for (let i = 0; i < 4; i++) {
    const c = (magic >>> (8 * i)) & 0xff;
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : ".";
  }
  return s;
}

function hex(v: number): string {
  return `0x${(v >>> 0).toString(16).padStart(8, "0")}`;
}

/**
 * Fills the header of a freshly created (zeroed) region. `magic` is stored last with Atomics so a
 * process that opens the region concurrently sees either no magic or a complete header.
 */
export function writeHeader(bytes: Uint8Array, spec: RegionSpec, createdAtMicros: number): void {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, HEADER_SIZE);
  dv.setUint32(H.version, spec.version, true);
  dv.setUint32(H.region_size, spec.size, true);
  dv.setUint32(H.header_size, HEADER_SIZE, true);
  dv.setUint32(H.entry_size, spec.entrySize, true);
  dv.setUint32(H.entry_count, spec.entryCount, true);
  dv.setUint32(H.entries_offset, spec.entriesOffset, true);
  dv.setBigUint64(H.created_at, BigInt(createdAtMicros), true);
  dv.setUint16(H.num_sources, spec.numSources, true);
  dv.setUint16(H.max_symbols, spec.maxSymbols, true);
  Atomics.store(new Uint32Array(bytes.buffer, bytes.byteOffset, HEADER_SIZE / 4), H.magic / 4, spec.magic);
}

export interface HeaderInfo {
  readonly magic: number;
  readonly version: number;
  readonly regionSize: number;
  readonly createdAt: number;
  readonly numSymbols: number;
}

export function readHeader(bytes: Uint8Array): HeaderInfo {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, HEADER_SIZE);
  return {
    magic: dv.getUint32(H.magic, true),
    version: dv.getUint32(H.version, true),
    regionSize: dv.getUint32(H.region_size, true),
    createdAt: Number(dv.getBigUint64(H.created_at, true)),
    numSymbols: dv.getUint16(H.num_symbols, true),
  };
}

/**
 * What is wrong with a region's header and file size, or undefined when it matches the spec.
 * `bytes` holds at least the first min(fileSize, 64) bytes of the file.
 */
export function headerProblem(bytes: Uint8Array, fileSize: number, spec: RegionSpec): string | undefined {
  if (fileSize === 0) return `is empty (size 0, expected ${spec.size}); its creator may have died while initializing it`;
  if (fileSize !== spec.size) return `has size ${fileSize}, expected ${spec.size}`;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, HEADER_SIZE);
  const magic = dv.getUint32(H.magic, true);
  if (magic !== spec.magic) {
    return `has magic ${hex(magic)} ("${magicText(magic)}"), expected ${hex(spec.magic)} ("${magicText(spec.magic)}")`;
  }
  const version = dv.getUint32(H.version, true);
  if (version !== spec.version) return `has layout version ${version}, expected ${spec.version}`;
  const checks: [string, number, number][] = [
    ["region_size", dv.getUint32(H.region_size, true), spec.size],
    ["header_size", dv.getUint32(H.header_size, true), HEADER_SIZE],
    ["entry_size", dv.getUint32(H.entry_size, true), spec.entrySize],
    ["entry_count", dv.getUint32(H.entry_count, true), spec.entryCount],
    ["entries_offset", dv.getUint32(H.entries_offset, true), spec.entriesOffset],
    ["num_sources", dv.getUint16(H.num_sources, true), spec.numSources],
    ["max_symbols", dv.getUint16(H.max_symbols, true), spec.maxSymbols],
  ];
  for (const [field, got, want] of checks) {
    if (got !== want) return `has header ${field} ${got}, expected ${want}`;
  }
  return undefined;
}
