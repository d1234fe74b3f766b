// Health: 16 slots of 64 bytes, each written by its owner process (HealthSlot in @spread/common) under
// a per-slot SeqLock so a reader (spread-ctl, the demo) always sees one consistent slot.
import { HEADER_SIZE, HEALTH_SLOTS, HEALTH_SLOT_SIZE, HealthSlotEntry, HealthState } from "./layout.ts";
import type { Region } from "./region.ts";
import { seqWriteBegin, seqWriteEnd } from "./seqlock.ts";
import { getU64, putU64 } from "./u64.ts";

const S = HealthSlotEntry.off;
/** Health is read once a second by a human tool: retry generously before reporting "busy". */
const HEALTH_READ_ATTEMPTS = 1000;

/** Caller-owned image of one slot. Counters are plain numbers the owner keeps up to date. */
export class HealthRecord {
  /** ProcessKind (@spread/common). */
  kind = 0;
  /** HealthState. */
  state: number = HealthState.stopped;
  /** HealthError of the most recent error (0 = none). */
  lastError = 0;
  pid = 0;
  reconnects = 0;
  /** Wall µs since the epoch of the last write. */
  heartbeatAt = 0;
  /** Wall µs since the epoch when the process started. */
  startedAt = 0;
  /** Feed: WS data frames received. Engine: price updates examined. Tracker: events consumed. */
  messages = 0;
  /** Feed: Price Store writes. Engine: events pushed. Tracker: snapshot lines written. */
  updates = 0;
  /** Frames or events that failed validation and were skipped. */
  invalid = 0;
  connectionsUp = 0;
  symbolsLive = 0;
  symbolsStale = 0;
  symbolsRejected = 0;
  /** Control config_generation this process has loaded. */
  configGeneration = 0;
  /** Sequence value the copy is consistent with (reads only). */
  seq = 0;
}

function slotBase(slot: number): number {
  if (slot >>> 0 >= HEALTH_SLOTS) throw new RangeError(`health: slot ${slot} out of range 0..${HEALTH_SLOTS - 1}`);
  return HEADER_SIZE + slot * HEALTH_SLOT_SIZE;
}

export class Health {
  private readonly u8: Uint8Array;
  private readonly u16: Uint16Array;
  private readonly u32: Uint32Array;
  private readonly f64: Float64Array;

  constructor(readonly region: Region) {
    this.u8 = region.u8;
    this.u16 = region.u16;
    this.u32 = region.u32;
    this.f64 = region.f64;
  }

  /** Publishes the whole slot (its owner only). */
  write(slot: number, rec: HealthRecord): void {
    const b = slotBase(slot);
    const w = b >> 2;
    const u32 = this.u32;
    const even = seqWriteBegin(u32, w + S.seq / 4);
    this.u8[b + S.kind] = rec.kind;
    this.u8[b + S.state] = rec.state;
    this.u16[(b + S.last_error) >> 1] = rec.lastError;
    u32[w + S.pid / 4] = rec.pid;
    u32[w + S.reconnects / 4] = rec.reconnects;
    putU64(u32, w + S.heartbeat_at / 4, rec.heartbeatAt);
    putU64(u32, w + S.started_at / 4, rec.startedAt);
    this.f64[(b + S.messages) >> 3] = rec.messages;
    this.f64[(b + S.updates) >> 3] = rec.updates;
    u32[w + S.invalid / 4] = rec.invalid;
    this.u16[(b + S.connections_up) >> 1] = rec.connectionsUp;
    this.u16[(b + S.symbols_live) >> 1] = rec.symbolsLive;
    this.u16[(b + S.symbols_stale) >> 1] = rec.symbolsStale;
    this.u16[(b + S.symbols_rejected) >> 1] = rec.symbolsRejected;
    u32[w + S.config_generation / 4] = rec.configGeneration;
    seqWriteEnd(u32, w + S.seq / 4, even);
  }

  /** Consistent copy of a slot into `out`; false if the owner kept it busy for every attempt. */
  read(slot: number, out: HealthRecord): boolean {
    const b = slotBase(slot);
    const w = b >> 2;
    const u32 = this.u32;
    for (let attempt = 0; attempt < HEALTH_READ_ATTEMPTS; attempt++) {
      const s1 = Atomics.load(u32, w + S.seq / 4);
      if ((s1 & 1) !== 0) continue;
      out.kind = this.u8[b + S.kind]!;
      out.state = this.u8[b + S.state]!;
      out.lastError = this.u16[(b + S.last_error) >> 1]!;
      out.pid = u32[w + S.pid / 4]!;
      out.reconnects = u32[w + S.reconnects / 4]!;
      out.heartbeatAt = getU64(u32, w + S.heartbeat_at / 4);
      out.startedAt = getU64(u32, w + S.started_at / 4);
      out.messages = this.f64[(b + S.messages) >> 3]!;
      out.updates = this.f64[(b + S.updates) >> 3]!;
      out.invalid = u32[w + S.invalid / 4]!;
      out.connectionsUp = this.u16[(b + S.connections_up) >> 1]!;
      out.symbolsLive = this.u16[(b + S.symbols_live) >> 1]!;
      out.symbolsStale = this.u16[(b + S.symbols_stale) >> 1]!;
      out.symbolsRejected = this.u16[(b + S.symbols_rejected) >> 1]!;
      out.configGeneration = u32[w + S.config_generation / 4]!;
      if (Atomics.load(u32, w + S.seq / 4) === s1) {
        out.seq = s1;
        return true;
      }
    }
    return false;
  }
}
