// The 32-byte header + payload + CRC32 trailer wrapped around every generated/*.bin file.
import { crc32 } from "./crc32.ts";
import { GeneratedFileError } from "./errors.ts";
import { ByteReader } from "./codec.ts";
import { GENERATED_FORMAT_VERSION, GENERATION_BYTES, HEADER_SIZE, HeaderOffset, Magic, TRAILER_SIZE, type FileKind } from "./layout.ts";

const ascii = new TextEncoder();

/** Generation id as 16 lower-case hex digits (8 bytes). */
export function generationToBytes(generation: string): Uint8Array {
  if (!/^[0-9a-f]{16}$/.test(generation)) throw new Error(`generation id must be 16 lower-case hex digits, got "${generation}"`);
  const out = new Uint8Array(GENERATION_BYTES);
  for (let i = 0; i < GENERATION_BYTES; i++) out[i] = parseInt(generation.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function generationFromBytes(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += x.toString(16).padStart(2, "0");
  return s;
}

/** Wraps a payload: header (magic, version, count, generation, payload size) + payload + CRC32 of everything before it. */
export function encodeEnvelope(kind: FileKind, generation: string, count: number, payload: Uint8Array): Uint8Array {
  const total = HEADER_SIZE + payload.length + TRAILER_SIZE;
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  out.set(ascii.encode(Magic[kind]), HeaderOffset.magic);
  v.setUint16(HeaderOffset.version, GENERATED_FORMAT_VERSION, true);
  v.setUint16(HeaderOffset.headerSize, HEADER_SIZE, true);
  v.setUint32(HeaderOffset.count, count, true);
  out.set(generationToBytes(generation), HeaderOffset.generation);
  v.setUint32(HeaderOffset.payloadSize, payload.length, true);
  v.setUint32(HeaderOffset.reserved, 0, true);
  out.set(payload, HEADER_SIZE);
  v.setUint32(HEADER_SIZE + payload.length, crc32(out.subarray(0, HEADER_SIZE + payload.length)), true);
  return out;
}

export interface Envelope {
  readonly version: number;
  readonly count: number;
  readonly generation: string;
  /** Reader positioned at the first payload byte, bounded by the payload end. */
  readonly reader: ByteReader;
}

/**
 * Checks, in order: size >= header, magic, version (newer → refused), header size, exact total size (truncated or
 * trailing bytes), CRC32. Every failure is a GeneratedFileError naming `file`.
 */
export function decodeEnvelope(bytes: Uint8Array, file: string, kind: FileKind): Envelope {
  if (bytes.length < HEADER_SIZE + TRAILER_SIZE) {
    throw new GeneratedFileError(file, "truncated", `truncated: ${bytes.length} bytes, a ${Magic[kind]} file has at least ${HEADER_SIZE + TRAILER_SIZE}`);
  }
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = String.fromCharCode(...bytes.subarray(0, 8));
  if (magic !== Magic[kind]) {
    throw new GeneratedFileError(file, "bad_magic", `not a ${kind} file: magic "${printable(magic)}", expected "${Magic[kind]}"`);
  }
  const version = v.getUint16(HeaderOffset.version, true);
  if (version > GENERATED_FORMAT_VERSION) {
    throw new GeneratedFileError(file, "newer_version", `format version ${version} is newer than this build reads (${GENERATED_FORMAT_VERSION}); upgrade the reader or rerun this build's pair-discovery`);
  }
  if (version < 1) throw new GeneratedFileError(file, "unsupported_version", `format version ${version} is not supported`);
  const headerSize = v.getUint16(HeaderOffset.headerSize, true);
  if (headerSize !== HEADER_SIZE) throw new GeneratedFileError(file, "corrupted", `header size ${headerSize}, expected ${HEADER_SIZE}`);
  const payloadSize = v.getUint32(HeaderOffset.payloadSize, true);
  const want = HEADER_SIZE + payloadSize + TRAILER_SIZE;
  if (bytes.length < want) {
    throw new GeneratedFileError(file, "truncated", `truncated: header announces ${payloadSize} payload bytes (${want} in total), the file has ${bytes.length}`);
  }
  if (bytes.length > want) {
    throw new GeneratedFileError(file, "corrupted", `${bytes.length - want} unexpected bytes after the checksum (file ${bytes.length} bytes, expected ${want})`);
  }
  const stored = v.getUint32(HEADER_SIZE + payloadSize, true);
  const actual = crc32(bytes.subarray(0, HEADER_SIZE + payloadSize));
  if (stored !== actual) {
    throw new GeneratedFileError(file, "corrupted", `checksum mismatch: stored CRC32 ${hex8(stored)}, computed ${hex8(actual)}`);
  }
  return {
    version,
    count: v.getUint32(HeaderOffset.count, true),
    generation: generationFromBytes(bytes.subarray(HeaderOffset.generation, HeaderOffset.generation + GENERATION_BYTES)),
    reader: new ByteReader(bytes, file, HEADER_SIZE, HEADER_SIZE + payloadSize),
  };
}

export function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, "0");
}

function printable(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, "?");
}
