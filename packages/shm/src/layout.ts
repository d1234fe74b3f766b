// Every byte of the shared-memory format: region sizes, magics, versions and struct field offsets.
// docs/shm-layout.md states the same numbers; tests/shm/layout.test.ts parses the doc and compares.
// All multi-byte values are little-endian (host order on x86-64/arm64; libc.ts refuses big-endian).
import { MAX_SYMBOLS, NUM_DIRECTIONS, NUM_HEALTH_SLOTS, NUM_SOURCES } from "@spread/common";

export { MAX_SYMBOLS, NUM_DIRECTIONS, NUM_SOURCES };

// ---------------------------------------------------------------------------------------------
// Struct descriptions. Offsets are derived by summing sizes in order, so they cannot overlap; the
// checks below also enforce natural alignment (a C compiler would place every field identically).

export type FieldType = "u8" | "u16" | "u32" | "u64" | "f32" | "f64" | "bytes";
export interface FieldDef {
  readonly name: string;
  readonly offset: number;
  readonly type: FieldType;
  /** Size in bytes (element size × count). */
  readonly size: number;
  /** Array length (1 for scalars, byte length for `bytes`). */
  readonly count: number;
}
export interface StructDef<N extends string> {
  readonly name: string;
  readonly size: number;
  readonly fields: readonly FieldDef[];
  /** Byte offset of each named field from the start of the struct. */
  readonly off: Readonly<Record<N, number>>;
}

const ELEM_SIZE: Record<FieldType, number> = { u8: 1, u16: 2, u32: 4, u64: 8, f32: 4, f64: 8, bytes: 1 };

function struct<const N extends string>(
  name: string,
  size: number,
  spec: readonly (readonly [N, FieldType] | readonly [N, FieldType, number])[],
): StructDef<N> {
  const fields: FieldDef[] = [];
  const off = {} as Record<N, number>;
  let at = 0;
  for (const [field, type, count = 1] of spec) {
    const elem = ELEM_SIZE[type];
    if (at % elem !== 0) throw new Error(`layout: ${name}.${field} at ${at} is not ${elem}-byte aligned`);
    fields.push({ name: field, offset: at, type, size: elem * count, count });
    off[field] = at;
    at += elem * count;
  }
  if (at !== size) throw new Error(`layout: ${name} fields cover ${at} bytes, expected ${size}`);
  return { name, size, fields, off };
}

/** 4 ASCII characters read as a little-endian u32 (so the file starts with the readable tag). */
function tag(s: string): number {
  return (s.charCodeAt(0) | (s.charCodeAt(1) << 8) | (s.charCodeAt(2) << 16) | (s.charCodeAt(3) << 24)) >>> 0;
}

// ---------------------------------------------------------------------------------------------
// Common

export const CACHE_LINE = 64;
export const HEADER_SIZE = 64;

/** First 64 bytes of every region. Written once by shm-init; `magic` is stored last. */
export const RegionHeader = struct("RegionHeader", HEADER_SIZE, [
  ["magic", "u32"],
  ["version", "u32"],
  ["region_size", "u32"],
  ["header_size", "u32"],
  ["entry_size", "u32"],
  ["entry_count", "u32"],
  ["entries_offset", "u32"],
  ["reserved0", "u32"],
  ["created_at", "u64"],
  // seqs/data: symbols in use (written by whoever loads generated/); 0 elsewhere.
  ["num_symbols", "u16"],
  // seqs/data/bitmap: NUM_SOURCES and MAX_SYMBOLS baked into the geometry; 0 elsewhere.
  ["num_sources", "u16"],
  ["max_symbols", "u16"],
  ["reserved1", "u16"],
  ["reserved2", "bytes", 16],
]);

// ---------------------------------------------------------------------------------------------
// Price Store (A.8): two regions indexed by symbol_id × NUM_SOURCES + source_id.

export const PRICE_ENTRIES = MAX_SYMBOLS * NUM_SOURCES;
export const PRICE_ENTRY_SIZE = 64;

/** Only the low u32 is used (Atomics works on u32); seq_hi stays 0 so a u64 reader sees the same value. */
export const PriceSeqEntry = struct("PriceSeqEntry", PRICE_ENTRY_SIZE, [
  ["seq", "u32"],
  ["seq_hi", "u32"],
  ["reserved", "bytes", 56],
]);

export const PriceDataEntry = struct("PriceDataEntry", PRICE_ENTRY_SIZE, [
  ["best_bid", "f64"],
  ["best_ask", "f64"],
  // Local receive time, CLOCK_REALTIME µs since the Unix epoch.
  ["updated_at", "u64"],
  ["bid_qty", "f64"],
  ["ask_qty", "f64"],
  // Exchange event time in µs since the epoch; 0 = the venue sent none.
  ["exchange_ts", "u64"],
  // Local receive time, CLOCK_MONOTONIC µs (for latency and age without wall-clock steps).
  ["recv_mono", "u64"],
  ["flags", "u32"],
  ["reserved", "u32"],
]);

export const PriceFlag = { valid: 1, stale: 2 } as const;

export const SEQS_SIZE = HEADER_SIZE + PRICE_ENTRIES * PRICE_ENTRY_SIZE;
export const DATA_SIZE = HEADER_SIZE + PRICE_ENTRIES * PRICE_ENTRY_SIZE;
export const SEQS_MAGIC = tag("SSPQ");
export const DATA_MAGIC = tag("SSPD");
export const SEQS_VERSION = 1;
export const DATA_VERSION = 1;

/** SeqLock read attempts before a read reports failure (the plan's "4 retries"). */
export const SEQLOCK_READ_ATTEMPTS = 4;

// ---------------------------------------------------------------------------------------------
// Bitmap: one 128-byte block per source, bit k of the block = symbol_id k.

export const BITMAP_BLOCK_SIZE = 128;
export const BITMAP_WORDS_PER_BLOCK = BITMAP_BLOCK_SIZE / 4;
export const BitmapBlock = struct("BitmapBlock", BITMAP_BLOCK_SIZE, [["bits", "u32", BITMAP_WORDS_PER_BLOCK]]);
export const BITMAP_SIZE = HEADER_SIZE + NUM_SOURCES * BITMAP_BLOCK_SIZE;
export const BITMAP_MAGIC = tag("SSBM");
export const BITMAP_VERSION = 1;

// ---------------------------------------------------------------------------------------------
// Event Bus: SPSC ring (engine → tracker).

export const EVENTS_CAPACITY = 65536;
export const EVENT_SIZE = 64;
export const EVENTS_PRODUCER_OFFSET = HEADER_SIZE;
export const EVENTS_CONSUMER_OFFSET = EVENTS_PRODUCER_OFFSET + CACHE_LINE;
export const EVENTS_ENTRIES_OFFSET = EVENTS_CONSUMER_OFFSET + CACHE_LINE;
export const EVENTS_SIZE = EVENTS_ENTRIES_OFFSET + EVENTS_CAPACITY * EVENT_SIZE;
export const EVENTS_MAGIC = tag("SSEV");
// 2: the signal Event carries both legs' bid/ask, gross and net, and leg ages (was v1: spot ask, futures bid, one spread).
export const EVENTS_VERSION = 2;

/** Written only by the producer. Positions are free-running u32 counters (wrap mod 2^32). */
export const EventProducer = struct("EventProducer", CACHE_LINE, [
  ["head", "u32"],
  ["dropped", "u32"],
  ["producer_pid", "u32"],
  ["reserved0", "u32"],
  // The producer's (spread-engine's) counters since it started, for spread-ctl; plain f64 stores by the
  // single producer (an aligned 8-byte store is single-copy atomic on x86-64), exact to 2^53.
  ["wakeups", "f64"],
  ["evaluated", "f64"],
  ["suspects", "f64"],
  ["stale_skips", "f64"],
  ["suppressed", "f64"],
  ["read_failures", "f64"],
]);
/** Written only by the consumer. */
export const EventConsumer = struct("EventConsumer", CACHE_LINE, [
  ["tail", "u32"],
  ["consumer_pid", "u32"],
  ["reserved", "bytes", 56],
]);

// 64 bytes hold both legs' bid/ask (exact f64), the engine's wall time, gross and net (f32: what the
// engine decided on; recompute exact values from the prices with @spread/engine) and the legs' update
// times as ages before `timestamp` (u32 µs; a leg older than 71 min is never signalled).
export const Event = struct("Event", EVENT_SIZE, [
  ["type", "u8"],
  ["direction_id", "u8"],
  ["flags", "u8"],
  ["spot_source", "u8"],
  ["symbol_id", "u16"],
  ["futures_source", "u8"],
  ["reserved0", "u8"],
  ["gross_pct", "f32"],
  ["net_pct", "f32"],
  ["timestamp", "u64"],
  ["spot_bid", "f64"],
  ["spot_ask", "f64"],
  ["futures_bid", "f64"],
  ["futures_ask", "f64"],
  ["spot_age_us", "u32"],
  ["futures_age_us", "u32"],
]);

/** Event.type. 0 never appears in a published entry. */
export const EventType = { signal: 1 } as const;
/** Event.flags bits. scan: found by a full scan (start, config reload), not by a price change. */
export const EventFlag = { scan: 1 } as const;
/** Largest age an Event can carry (u32 µs); older legs saturate to it. */
export const EVENT_AGE_MAX_US = 4294967295;

// ---------------------------------------------------------------------------------------------
// Tracked state (A.1): one entry per (direction_id, symbol_id) shared by engine and tracker, so a
// pair is signalled once while it is tracked and is free again the moment the tracker closes it.

export const TRACKED_ENTRIES = NUM_DIRECTIONS * MAX_SYMBOLS;
export const TRACKED_ENTRY_SIZE = 16;
export const TRACKED_OWNERS_OFFSET = HEADER_SIZE;
export const TRACKED_ENTRIES_OFFSET = TRACKED_OWNERS_OFFSET + CACHE_LINE;
export const TRACKED_SIZE = TRACKED_ENTRIES_OFFSET + TRACKED_ENTRIES * TRACKED_ENTRY_SIZE;
export const TRACKED_MAGIC = tag("SSTR");
export const TRACKED_VERSION = 1;

/** Who uses the tracked region now; written on attach. */
export const TrackedOwners = struct("TrackedOwners", CACHE_LINE, [
  ["tracker_epoch", "u32"],
  ["tracker_pid", "u32"],
  ["engine_pid", "u32"],
  ["reconciled_at", "u32"],
  ["reserved", "bytes", 48],
]);

export const TrackedEntry = struct("TrackedEntry", TRACKED_ENTRY_SIZE, [
  ["state", "u32"],
  ["claimed_at", "u32"],
  ["epoch", "u32"],
  ["claims", "u32"],
]);

/** TrackedEntry.state. */
export const TrackedPairState = { free: 0, signalled: 1, tracked: 2 } as const;


// ---------------------------------------------------------------------------------------------
// Funding (issue 14): the futures legs' funding, Price Store geometry (symbol_id × NUM_SOURCES + source_id) so a
// leg's price and funding share one index; only futures sources' entries are written, each by its own feed.
// The seq word sits in the entry (Health-style): funding changes seconds to minutes apart, nobody polls it hot.

export const FUNDING_ENTRIES = MAX_SYMBOLS * NUM_SOURCES;
export const FUNDING_ENTRY_SIZE = 64;
export const FUNDING_SIZE = HEADER_SIZE + FUNDING_ENTRIES * FUNDING_ENTRY_SIZE;
export const FUNDING_MAGIC = tag("SSFR");
export const FUNDING_VERSION = 1;

export const FundingEntry = struct("FundingEntry", FUNDING_ENTRY_SIZE, [
  ["seq", "u32"],
  ["flags", "u32"],
  // Rate per interval for the settlement at next_funding_at, as the venue gives it (a fraction).
  ["rate", "f64"],
  // The venue's rate for the settlement after it (OKX nextFundingRate); NaN where none.
  ["predicted_rate", "f64"],
  ["next_funding_at", "u64"],
  ["updated_at", "u64"],
  ["exchange_ts", "u64"],
  ["recv_mono", "u64"],
  // 0 = the venue has not said (Binance symbols are 8 h unless fundingInfo lists them).
  ["interval_min", "u32"],
  ["reserved", "u32"],
]);

export const FundingFlag = { valid: 1, stale: 2 } as const;

// ---------------------------------------------------------------------------------------------
// Health: 16 slots, owners per @spread/common HealthSlot (0..7 = feeds by source_id).

export const HEALTH_SLOTS = NUM_HEALTH_SLOTS;
export const HEALTH_SLOT_SIZE = 64;
export const HEALTH_SIZE = HEADER_SIZE + HEALTH_SLOTS * HEALTH_SLOT_SIZE;
export const HEALTH_MAGIC = tag("SSHL");
export const HEALTH_VERSION = 1;

export const HealthSlotEntry = struct("HealthSlotEntry", HEALTH_SLOT_SIZE, [
  // Per-slot SeqLock word (same protocol as the Price Store).
  ["seq", "u32"],
  ["kind", "u8"],
  ["state", "u8"],
  ["last_error", "u16"],
  ["pid", "u32"],
  ["reconnects", "u32"],
  ["heartbeat_at", "u64"],
  ["started_at", "u64"],
  ["messages", "f64"],
  ["updates", "f64"],
  ["invalid", "u32"],
  ["connections_up", "u16"],
  ["symbols_live", "u16"],
  ["symbols_stale", "u16"],
  ["symbols_rejected", "u16"],
  ["config_generation", "u32"],
]);

export const HealthState = { stopped: 0, starting: 1, running: 2, degraded: 3, paused: 4, stopping: 5 } as const;

/** HealthSlotEntry.last_error: the most recent error class the owner saw (0 = none). */
export const HealthError = {
  none: 0,
  connect: 1,
  subscribe: 2,
  venue: 3,
  parse: 4,
  timeout: 5,
  config: 6,
  shm: 7,
  internal: 8,
  disk: 9,
} as const;

// ---------------------------------------------------------------------------------------------
// Control: a 256-byte payload of four cache lines: the control block and three wake channels.

export const CONTROL_PAYLOAD_SIZE = 256;
export const CONTROL_BLOCK_OFFSET = HEADER_SIZE;
export const CONTROL_WAKE_OFFSET = CONTROL_BLOCK_OFFSET + CACHE_LINE;
export const WAKE_CHANNELS = 3;
export const WAKE_CHANNEL_SIZE = CACHE_LINE;
export const CONTROL_SIZE = HEADER_SIZE + CONTROL_PAYLOAD_SIZE;
export const CONTROL_MAGIC = tag("SSCT");
export const CONTROL_VERSION = 1;

export const ControlBlock = struct("ControlBlock", CACHE_LINE, [
  ["global_flags", "u32"],
  ["config_generation", "u32"],
  ["config_updated_at", "u64"],
  // One command byte per Health slot.
  ["commands", "u8", HEALTH_SLOTS],
  ["reserved", "bytes", 32],
]);

/** One futex eventcount. Its own cache line: producers hammer `seq`. */
export const WakeChannelEntry = struct("WakeChannelEntry", WAKE_CHANNEL_SIZE, [
  ["seq", "u32"],
  ["waiters", "u32"],
  ["wakes", "u32"],
  ["sleeps", "u32"],
  ["consumer_pid", "u32"],
  ["reserved", "bytes", 44],
]);

export const GlobalFlag = { shutdown: 1, pause: 2 } as const;
export const Command = { pause: 1, resume: 2, kill: 4, shutdown: 8 } as const;
export const WakeChannel = { engine: 0, tracker: 1, spare: 2 } as const;

// ---------------------------------------------------------------------------------------------
// Regions

export type RegionKey = "seqs" | "data" | "bitmap" | "events" | "health" | "control" | "tracked" | "funding";

export interface RegionSpec {
  /** File name suffix; the system regions use RegionKey, tests may define scratch regions. */
  readonly key: string;
  readonly magic: number;
  readonly version: number;
  readonly size: number;
  readonly entriesOffset: number;
  readonly entrySize: number;
  readonly entryCount: number;
  /** Header num_sources / max_symbols (0 where the geometry does not depend on them). */
  readonly numSources: number;
  readonly maxSymbols: number;
}

/** One of the eight regions every process maps. */
export interface SystemRegionSpec extends RegionSpec {
  readonly key: RegionKey;
}

/** geometry: which of num_sources / max_symbols the region's size depends on. */
function region(key: RegionKey, magic: number, version: number, size: number, entriesOffset: number, entrySize: number, entryCount: number, geometry: "sources×symbols" | "symbols" | "none"): SystemRegionSpec {
  if (entriesOffset + entrySize * entryCount > size) throw new Error(`layout: region ${key} entries overflow its size`);
  const numSources = geometry === "sources×symbols" ? NUM_SOURCES : 0;
  const maxSymbols = geometry === "none" ? 0 : MAX_SYMBOLS;
  return { key, magic, version, size, entriesOffset, entrySize, entryCount, numSources, maxSymbols };
}

export const REGIONS: readonly SystemRegionSpec[] = [
  region("seqs", SEQS_MAGIC, SEQS_VERSION, SEQS_SIZE, HEADER_SIZE, PRICE_ENTRY_SIZE, PRICE_ENTRIES, "sources×symbols"),
  region("data", DATA_MAGIC, DATA_VERSION, DATA_SIZE, HEADER_SIZE, PRICE_ENTRY_SIZE, PRICE_ENTRIES, "sources×symbols"),
  region("bitmap", BITMAP_MAGIC, BITMAP_VERSION, BITMAP_SIZE, HEADER_SIZE, BITMAP_BLOCK_SIZE, NUM_SOURCES, "sources×symbols"),
  region("events", EVENTS_MAGIC, EVENTS_VERSION, EVENTS_SIZE, EVENTS_ENTRIES_OFFSET, EVENT_SIZE, EVENTS_CAPACITY, "none"),
  region("health", HEALTH_MAGIC, HEALTH_VERSION, HEALTH_SIZE, HEADER_SIZE, HEALTH_SLOT_SIZE, HEALTH_SLOTS, "none"),
  // Control's "entries" are its wake channels; the control block sits between header and entries.
  region("control", CONTROL_MAGIC, CONTROL_VERSION, CONTROL_SIZE, CONTROL_WAKE_OFFSET, WAKE_CHANNEL_SIZE, WAKE_CHANNELS, "none"),
  region("tracked", TRACKED_MAGIC, TRACKED_VERSION, TRACKED_SIZE, TRACKED_ENTRIES_OFFSET, TRACKED_ENTRY_SIZE, TRACKED_ENTRIES, "symbols"),
  region("funding", FUNDING_MAGIC, FUNDING_VERSION, FUNDING_SIZE, HEADER_SIZE, FUNDING_ENTRY_SIZE, FUNDING_ENTRIES, "sources×symbols"),
];

export function regionSpec(key: RegionKey): SystemRegionSpec {
  return REGIONS.find((r) => r.key === key)!;
}

export function defineRegion(key: string, magicTag: string, size: number): RegionSpec {
  if (!/^[a-z0-9]+$/.test(key) || magicTag.length !== 4 || size < HEADER_SIZE) throw new Error(`layout: bad region definition ${key}`);
  return { key, magic: tag(magicTag), version: 1, size, entriesOffset: HEADER_SIZE, entrySize: 0, entryCount: 0, numSources: 0, maxSymbols: 0 };
}

/** Every struct, for the doc/code comparison test and the C sketch. */
export const STRUCTS = [
  RegionHeader,
  PriceSeqEntry,
  PriceDataEntry,
  BitmapBlock,
  EventProducer,
  EventConsumer,
  Event,
  HealthSlotEntry,
  ControlBlock,
  WakeChannelEntry,
  TrackedOwners,
  TrackedEntry,
  FundingEntry,
] as const;

/** shm_open name ("/<prefix>-<key>") and its file under /dev/shm. */
export function shmName(prefix: string, key: string): string {
  return `/${prefix}-${key}`;
}
export function shmPath(prefix: string, key: string): string {
  return `/dev/shm/${prefix}-${key}`;
}
