// Private copies of regions for tools that only look (spread-ctl status, shm-init --status). They read the file
// with pread instead of mapping it: a PROT_READ mapping crashes the process as soon as the JIT compiles an
// Atomics.load over it, and a read-write mapping would need write permission a monitoring user may not have.
// A copy is inert: whatever bytes it holds (odd seqs, garbage), reading it cannot fault.
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { headerProblem, readHeader } from "./header.ts";
import { EVENTS_ENTRIES_OFFSET, HEADER_SIZE, MAX_SYMBOLS, NUM_SOURCES, PRICE_ENTRY_SIZE, REGIONS, shmPath, type RegionKey, type RegionSpec } from "./layout.ts";
import { Region } from "./region.ts";
import { Shm } from "./shm.ts";

/** pread attempts per SeqLock-protected entry before the copy is marked inconsistent (an owner keeps its slot odd ~100 ns a second). */
const SNAPSHOT_ATTEMPTS = 20;

/** pread until `length` bytes of the file at `fileOffset` are in `into` at `at` (a short file leaves zeros). */
export function pread(fd: number, into: Uint8Array, at: number, length: number, fileOffset: number): void {
  let done = 0;
  while (done < length) {
    const n = readSync(fd, into, at + done, length - done, fileOffset + done);
    if (n <= 0) return;
    done += n;
  }
}

/**
 * Copies the entry at byte `off` (its SeqLock word in its first 4 bytes) consistently: seq, entry, seq again,
 * each by its own pread (syscalls order them). On failure the copy's seq is made odd, so the region's own
 * read() reports "busy" instead of returning a torn copy.
 */
function copyEntry(fd: number, region: Region, off: number, size: number, seq: Uint32Array, seqBytes: Uint8Array): boolean {
  for (let attempt = 0; attempt < SNAPSHOT_ATTEMPTS; attempt++) {
    pread(fd, seqBytes, 0, 4, off);
    const s1 = seq[0]!;
    if ((s1 & 1) !== 0) continue;
    pread(fd, region.u8, off, size, off);
    pread(fd, seqBytes, 0, 4, off);
    if (seq[0] === s1) {
      region.u32[off / 4] = s1;
      return true;
    }
  }
  region.u32[off / 4] = (region.u32[off / 4]! | 1) >>> 0;
  return false;
}

/**
 * A private copy of one region, or undefined when it is missing, unreadable or does not match its spec.
 * `seqlocked`: every entry starts with a SeqLock word (Health) and is copied consistently on its own.
 * `bytes`: copy only the first `bytes` (e.g. the header and control lines of the 4 MB Event Bus); the rest of the
 * copy reads as zeros. Never throws.
 */
export function snapshotRegion(prefix: string, spec: RegionSpec, opts: { seqlocked?: boolean; bytes?: number } = {}): Region | undefined {
  let fd: number;
  try {
    fd = openSync(shmPath(prefix, spec.key), "r");
  } catch {
    return undefined;
  }
  try {
    const size = fstatSync(fd).size;
    if (size !== spec.size) return undefined;
    const region = new Region(prefix, spec, 0, new ArrayBuffer(spec.size));
    pread(fd, region.u8, 0, Math.min(spec.size, Math.max(HEADER_SIZE, opts.bytes ?? spec.size)), 0);
    if (headerProblem(region.u8, size, spec) !== undefined) return undefined;
    if (opts.seqlocked) {
      const seq = new Uint32Array(1);
      const seqBytes = new Uint8Array(seq.buffer);
      for (let i = 0; i < spec.entryCount; i++) copyEntry(fd, region, spec.entriesOffset + i * spec.entrySize, spec.entrySize, seq, seqBytes);
    }
    return region;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * Price entries of a seqs/data snapshot pair that a writer touched between the two copies are made odd in the
 * seqs copy, so PriceStore.read() on the copy reports them busy instead of returning a torn quote: seqs are
 * copied before and after data, and an entry counts only when both seq copies agree and are even.
 */
function markTornPrices(prefix: string, seqs: Region, entries: number): void {
  let fd: number;
  try {
    fd = openSync(shmPath(prefix, "seqs"), "r");
  } catch {
    return;
  }
  try {
    const after = new Uint32Array(entries * (PRICE_ENTRY_SIZE / 4));
    pread(fd, new Uint8Array(after.buffer), 0, after.byteLength, HEADER_SIZE);
    const words = PRICE_ENTRY_SIZE / 4;
    const base = HEADER_SIZE / 4;
    for (let e = 0; e < entries; e++) {
      const i = e * words;
      if (after[i] !== seqs.u32[base + i]) seqs.u32[base + i] = (after[i]! | 1) >>> 0;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Private copies of all seven regions of `prefix` as an Shm, for a read-only view (spread-web): Price Store
 * entries up to the header's num_symbols (torn ones read as busy), Health slot by slot, the Event Bus header and
 * control lines only. Undefined when any region is missing or does not match its spec. Never throws, never
 * writes; the copies are ordinary buffers, so any byte content is safe to read with the usual accessors.
 */
export function snapshotShm(prefix: string): Shm | undefined {
  const seqsSpec = REGIONS.find((r) => r.key === "seqs")!;
  const head = snapshotRegion(prefix, seqsSpec, { bytes: HEADER_SIZE });
  if (!head) return undefined;
  const n = Math.min(MAX_SYMBOLS, readHeader(head.u8).numSymbols || MAX_SYMBOLS);
  const priceBytes = HEADER_SIZE + n * NUM_SOURCES * PRICE_ENTRY_SIZE;
  const regions = {} as Record<RegionKey, Region>;
  for (const spec of REGIONS) {
    const opts = spec.key === "seqs" || spec.key === "data" ? { bytes: priceBytes } : spec.key === "events" ? { bytes: EVENTS_ENTRIES_OFFSET } : { seqlocked: spec.key === "health" };
    const r = snapshotRegion(prefix, spec, opts);
    if (!r) return undefined;
    regions[spec.key] = r;
  }
  try {
    markTornPrices(prefix, regions.seqs, n * NUM_SOURCES);
  } catch {
    return undefined;
  }
  return new Shm(prefix, regions);
}
