// A long-lived private copy of every region for a reader that refreshes on a timer (spread-web). Unlike
// snapshotShm(), the buffers are allocated once and refilled by pread, so a refresh makes no garbage, and it
// says which Price Store entries changed (their seq moved) since the previous refresh, so the reader recomputes
// only those. Like a snapshot it never maps and never writes: any byte content is safe.
import { closeSync, fstatSync, openSync } from "node:fs";
import { headerProblem, readHeader } from "./header.ts";
import {
  EVENTS_ENTRIES_OFFSET, HEADER_SIZE, HEALTH_SLOTS, MAX_SYMBOLS, NUM_SOURCES, PRICE_ENTRIES, PRICE_ENTRY_SIZE, REGIONS, shmPath,
  type RegionKey, type SystemRegionSpec,
} from "./layout.ts";
import { Region } from "./region.ts";
import { Shm } from "./shm.ts";
import { pread } from "./snapshot.ts";

/** Tries at copying the Health slots consistently before a slot is marked inconsistent (odd seq) for this refresh. */
const HEALTH_ATTEMPTS = 5;
/** u32 words per 64-byte entry (Price Store, Funding, Health): an entry's seq word is word 0 of it. */
const ENTRY_WORDS = PRICE_ENTRY_SIZE / 4;
const FIRST_WORD = HEADER_SIZE / 4;

const specOf = (key: RegionKey): SystemRegionSpec => REGIONS.find((r) => r.key === key)!;

export class ShmMirror {
  readonly shm: Shm;
  /** Price Store entries (symbol_id × 8 + source_id) whose consistent copy changed in the last refreshPrices(). */
  readonly changedPrices = new Int32Array(PRICE_ENTRIES);
  changedPriceCount = 0;
  /** Symbol ids in use (the seqs header's num_symbols): entries beyond them are neither copied nor reported. */
  numSymbols = 0;
  /**
   * Bumped when a Price Store region was recreated (its created_at moved) or num_symbols changed: every entry is
   * reported again, and a reader holding values derived from the old copies starts over.
   */
  epoch = 0;
  /** Why the last refresh of some region failed (missing, mismatching), or null. */
  problem: string | null = "not read yet";

  private readonly regions: Record<RegionKey, Region>;
  private readonly priceSeen = new Uint32Array(PRICE_ENTRIES);
  private readonly priceAfter: Uint32Array;
  private readonly fundingBefore: Uint32Array;
  private readonly fundingAfter: Uint32Array;
  private readonly healthBefore: Uint32Array;
  private readonly healthAfter: Uint32Array;
  private readonly createdAt = new Map<RegionKey, number>();
  private readonly problems = new Map<RegionKey, string>();

  constructor(readonly prefix: string) {
    this.regions = {} as Record<RegionKey, Region>;
    for (const spec of REGIONS) this.regions[spec.key] = new Region(prefix, spec, 0, new ArrayBuffer(spec.size));
    this.shm = new Shm(prefix, this.regions);
    this.priceAfter = new Uint32Array(specOf("seqs").size / 4);
    this.fundingBefore = new Uint32Array(specOf("funding").size / 4);
    this.fundingAfter = new Uint32Array(specOf("funding").size / 4);
    this.healthBefore = new Uint32Array(specOf("health").size / 4);
    this.healthAfter = new Uint32Array(specOf("health").size / 4);
  }

  /** The Shm over the copies, or undefined while any region failed its last refresh. */
  get view(): Shm | undefined {
    return this.problem === null ? this.shm : undefined;
  }

  /**
   * Opens `key` and checks its size and header (read into the copy); a descriptor, or -1 with the problem
   * recorded. A region recreated since the last open (created_at moved) bumps the epoch.
   */
  private open(key: RegionKey): number {
    const spec = specOf(key);
    const region = this.regions[key];
    let fd: number;
    try {
      fd = openSync(shmPath(this.prefix, key), "r");
    } catch {
      this.problems.set(key, `${shmPath(this.prefix, key)} missing or unreadable`);
      return -1;
    }
    try {
      const size = fstatSync(fd).size;
      pread(fd, region.u8, 0, Math.min(size, HEADER_SIZE), 0);
      const bad = headerProblem(region.u8, size, spec);
      if (bad !== undefined) {
        this.problems.set(key, `${region.path} ${bad}`);
        closeSync(fd);
        return -1;
      }
      const created = readHeader(region.u8).createdAt;
      const before = this.createdAt.get(key);
      // Only the Price Store's copies feed the change lists; other regions are re-read whole anyway.
      if (before !== undefined && before !== created && (key === "seqs" || key === "data")) this.restart();
      this.createdAt.set(key, created);
      this.problems.delete(key);
      return fd;
    } catch (err) {
      this.problems.set(key, `${region.path}: ${(err as Error).message}`);
      closeSync(fd);
      return -1;
    }
  }

  private restart(): void {
    this.epoch++;
    this.priceSeen.fill(0);
  }

  private settle(): boolean {
    this.problem = this.problems.size ? [...this.problems.values()].join("; ") : null;
    return this.problem === null;
  }

  /**
   * Copies the Price Store (entries of the first num_symbols symbols) and lists the entries whose seq moved since
   * they were last reported. seqs is copied before and after data: an entry counts only when both agree and are
   * even; one a writer touched meanwhile is made odd in the copy (its read() reports busy) and reported later.
   * data is not read at all when no seq moved.
   */
  refreshPrices(): boolean {
    this.changedPriceCount = 0;
    const fs = this.open("seqs");
    const fd = fs < 0 ? -1 : this.open("data");
    try {
      if (fs < 0 || fd < 0) return this.settle();
      const seqs = this.regions.seqs;
      const n = Math.min(MAX_SYMBOLS, readHeader(seqs.u8).numSymbols || MAX_SYMBOLS);
      if (n !== this.numSymbols) {
        this.numSymbols = n;
        this.restart();
      }
      const entries = n * NUM_SOURCES;
      const bytes = entries * PRICE_ENTRY_SIZE;
      pread(fs, seqs.u8, HEADER_SIZE, bytes, HEADER_SIZE);
      const s = seqs.u32;
      const seen = this.priceSeen;
      let moved = false;
      for (let e = 0, i = FIRST_WORD; e < entries; e++, i += ENTRY_WORDS) {
        if (s[i] !== seen[e]) {
          moved = true;
          break;
        }
      }
      if (!moved) return this.settle();
      pread(fd, this.regions.data.u8, HEADER_SIZE, bytes, HEADER_SIZE);
      const after = this.priceAfter;
      pread(fs, new Uint8Array(after.buffer), HEADER_SIZE, bytes, HEADER_SIZE);
      let m = 0;
      for (let e = 0, i = FIRST_WORD; e < entries; e++, i += ENTRY_WORDS) {
        const v = s[i]!;
        if (after[i] !== v || (v & 1) !== 0) {
          s[i] = (v | 1) >>> 0;
          continue;
        }
        if (v !== seen[e]) {
          seen[e] = v;
          this.changedPrices[m++] = e;
        }
      }
      this.changedPriceCount = m;
      return this.settle();
    } finally {
      if (fs >= 0) closeSync(fs);
      if (fd >= 0) closeSync(fd);
    }
  }

  /**
   * Copies the Funding entries of the first num_symbols symbols (once a second is enough for spread-web). Each holds
   * its own seq, so the range is read three times (seqs, entries, seqs again: each its own syscall, so ordered):
   * an entry whose two seq copies differ or are odd is made odd in the copy (read() reports busy).
   */
  refreshFunding(): boolean {
    const fd = this.open("funding");
    if (fd < 0) return this.settle();
    try {
      const region = this.regions.funding;
      const entries = (this.numSymbols || MAX_SYMBOLS) * NUM_SOURCES;
      const bytes = entries * PRICE_ENTRY_SIZE;
      const before = this.fundingBefore;
      const after = this.fundingAfter;
      pread(fd, new Uint8Array(before.buffer), HEADER_SIZE, bytes, HEADER_SIZE);
      pread(fd, region.u8, HEADER_SIZE, bytes, HEADER_SIZE);
      pread(fd, new Uint8Array(after.buffer), HEADER_SIZE, bytes, HEADER_SIZE);
      const w = region.u32;
      for (let e = 0, i = FIRST_WORD; e < entries; e++, i += ENTRY_WORDS) {
        const v = before[i]!;
        w[i] = after[i] !== v || (v & 1) !== 0 ? (v | 1) >>> 0 : v;
      }
      return this.settle();
    } finally {
      closeSync(fd);
    }
  }

  /** Copies the 16 Health slots consistently (the three-read scheme of refreshFunding, retried for torn slots). */
  refreshHealth(): boolean {
    const fd = this.open("health");
    if (fd < 0) return this.settle();
    try {
      const region = this.regions.health;
      const bytes = HEALTH_SLOTS * PRICE_ENTRY_SIZE;
      const before = this.healthBefore;
      const after = this.healthAfter;
      for (let attempt = 0; attempt < HEALTH_ATTEMPTS; attempt++) {
        pread(fd, new Uint8Array(before.buffer), HEADER_SIZE, bytes, HEADER_SIZE);
        pread(fd, region.u8, HEADER_SIZE, bytes, HEADER_SIZE);
        pread(fd, new Uint8Array(after.buffer), HEADER_SIZE, bytes, HEADER_SIZE);
        let torn = 0;
        for (let slot = 0, i = FIRST_WORD; slot < HEALTH_SLOTS; slot++, i += ENTRY_WORDS) {
          const v = before[i]!;
          if (after[i] !== v || (v & 1) !== 0) {
            region.u32[i] = (v | 1) >>> 0;
            torn++;
          } else region.u32[i] = v;
        }
        if (torn === 0) break;
      }
      return this.settle();
    } finally {
      closeSync(fd);
    }
  }

  /** Copies a region without per-entry SeqLocks (tracked: single atomic words; control; the Event Bus header). */
  refreshPlain(key: "tracked" | "control" | "events"): boolean {
    const fd = this.open(key);
    if (fd < 0) return this.settle();
    try {
      const spec = specOf(key);
      const end = key === "events" ? EVENTS_ENTRIES_OFFSET : spec.size;
      pread(fd, this.regions[key].u8, HEADER_SIZE, end - HEADER_SIZE, HEADER_SIZE);
      return this.settle();
    } finally {
      closeSync(fd);
    }
  }
}
