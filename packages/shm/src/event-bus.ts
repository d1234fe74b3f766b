// Event Bus: SPSC ring of 64-byte events (engine → tracker). The producer never blocks: on a full
// ring the event is dropped and counted. Positions are free-running u32 counters; index = pos & MASK.
import {
  EVENTS_CAPACITY, EVENTS_CONSUMER_OFFSET, EVENTS_ENTRIES_OFFSET, EVENTS_PRODUCER_OFFSET, EVENT_SIZE, Event,
  EventConsumer, EventProducer,
} from "./layout.ts";
import type { Region } from "./region.ts";

const TWO32 = 4294967296;
const MASK = EVENTS_CAPACITY - 1;
const HEAD = (EVENTS_PRODUCER_OFFSET + EventProducer.off.head) / 4;
const DROPPED = (EVENTS_PRODUCER_OFFSET + EventProducer.off.dropped) / 4;
const PRODUCER_PID = (EVENTS_PRODUCER_OFFSET + EventProducer.off.producer_pid) / 4;
const TAIL = (EVENTS_CONSUMER_OFFSET + EventConsumer.off.tail) / 4;
const CONSUMER_PID = (EVENTS_CONSUMER_OFFSET + EventConsumer.off.consumer_pid) / 4;
const E = Event.off;
// Field positions in element units of each typed view, relative to the entry's first element.
const B_TYPE = E.type;
const B_DIRECTION = E.direction_id;
const B_FLAGS = E.flags;
const B_SPOT_SOURCE = E.spot_source;
const B_FUTURES_SOURCE = E.futures_source;
const B_RESERVED0 = E.reserved0;
const H_SYMBOL = E.symbol_id / 2;
const W_SEQ = E.seq / 4;
const W_RESERVED1 = E.reserved1 / 4;
const W_TIMESTAMP = E.timestamp / 4;
const W_SPOT_UPDATED = E.spot_updated_at / 4;
const W_FUTURES_UPDATED = E.futures_updated_at / 4;
const F_SPOT_ASK = E.spot_ask / 8;
const F_FUTURES_BID = E.futures_bid / 8;
const F_SPREAD = E.spread_pct / 8;

/** Caller-owned event; push() copies from it, pop() fills it in place. */
export class EventRecord {
  /** EventType (1 = signal). */
  type = 0;
  directionId = 0;
  flags = 0;
  spotSource = 0;
  futuresSource = 0;
  symbolId = 0;
  /** Producer's event sequence number. */
  seq = 0;
  /** Wall µs since the epoch when the event was produced. */
  timestamp = 0;
  spotAsk = 0;
  futuresBid = 0;
  spreadPct = 0;
  /** Wall µs of the two legs' Price Store updated_at. */
  spotUpdatedAt = 0;
  futuresUpdatedAt = 0;
}

export class EventBus {
  private readonly u8: Uint8Array;
  private readonly u16: Uint16Array;
  private readonly u32: Uint32Array;
  private readonly f64: Float64Array;
  // Producer-local: next position to write, and the last tail seen (reloaded only when it looks full).
  private head: number;
  private cachedTail: number;
  // Consumer-local: next position to read, and the last head seen (reloaded only when it looks empty).
  private tail: number;
  private cachedHead: number;

  constructor(readonly region: Region) {
    this.u8 = region.u8;
    this.u16 = region.u16;
    this.u32 = region.u32;
    this.f64 = region.f64;
    this.head = Atomics.load(this.u32, HEAD);
    this.tail = Atomics.load(this.u32, TAIL);
    this.cachedTail = this.tail;
    this.cachedHead = this.head;
  }

  /** Declares this process the producer (records its pid; resumes from the stored head). */
  attachProducer(pid = process.pid): void {
    this.head = Atomics.load(this.u32, HEAD);
    this.cachedTail = Atomics.load(this.u32, TAIL);
    Atomics.store(this.u32, PRODUCER_PID, pid);
  }

  /** Declares this process the consumer (records its pid; resumes from the stored tail). */
  attachConsumer(pid = process.pid): void {
    this.tail = Atomics.load(this.u32, TAIL);
    this.cachedHead = Atomics.load(this.u32, HEAD);
    Atomics.store(this.u32, CONSUMER_PID, pid);
  }

  /** Appends an event; on a full ring drops it, counts it in `dropped` and returns false. */
  push(ev: EventRecord): boolean {
    if (this.tryPush(ev)) return true;
    Atomics.add(this.u32, DROPPED, 1);
    return false;
  }

  /** Appends an event; on a full ring returns false without counting (for producers that retry). */
  tryPush(ev: EventRecord): boolean {
    const h = this.head;
    if (((h - this.cachedTail) >>> 0) >= EVENTS_CAPACITY) {
      this.cachedTail = Atomics.load(this.u32, TAIL);
      if (((h - this.cachedTail) >>> 0) >= EVENTS_CAPACITY) return false;
    }
    const b = EVENTS_ENTRIES_OFFSET + (h & MASK) * EVENT_SIZE;
    const u8 = this.u8;
    const u32 = this.u32;
    const f64 = this.f64;
    const w = b >> 2;
    const f = b >> 3;
    u8[b + B_TYPE] = ev.type;
    u8[b + B_DIRECTION] = ev.directionId;
    u8[b + B_FLAGS] = ev.flags;
    u8[b + B_SPOT_SOURCE] = ev.spotSource;
    this.u16[(b >> 1) + H_SYMBOL] = ev.symbolId;
    u8[b + B_FUTURES_SOURCE] = ev.futuresSource;
    u8[b + B_RESERVED0] = 0;
    u32[w + W_SEQ] = ev.seq;
    u32[w + W_RESERVED1] = 0;
    u32[w + W_TIMESTAMP] = ev.timestamp >>> 0;
    u32[w + W_TIMESTAMP + 1] = (ev.timestamp / TWO32) >>> 0;
    f64[f + F_SPOT_ASK] = ev.spotAsk;
    f64[f + F_FUTURES_BID] = ev.futuresBid;
    f64[f + F_SPREAD] = ev.spreadPct;
    u32[w + W_SPOT_UPDATED] = ev.spotUpdatedAt >>> 0;
    u32[w + W_SPOT_UPDATED + 1] = (ev.spotUpdatedAt / TWO32) >>> 0;
    u32[w + W_FUTURES_UPDATED] = ev.futuresUpdatedAt >>> 0;
    u32[w + W_FUTURES_UPDATED + 1] = (ev.futuresUpdatedAt / TWO32) >>> 0;
    // Publishing store: the entry's plain stores above are ordered before it.
    this.head = (h + 1) >>> 0;
    Atomics.store(u32, HEAD, this.head);
    return true;
  }

  /** Removes the oldest event into `out`; false when the ring is empty. */
  pop(out: EventRecord): boolean {
    const t = this.tail;
    if (t === this.cachedHead) {
      this.cachedHead = Atomics.load(this.u32, HEAD);
      if (t === this.cachedHead) return false;
    }
    const b = EVENTS_ENTRIES_OFFSET + (t & MASK) * EVENT_SIZE;
    const u8 = this.u8;
    const u32 = this.u32;
    const f64 = this.f64;
    const w = b >> 2;
    const f = b >> 3;
    out.type = u8[b + B_TYPE]!;
    out.directionId = u8[b + B_DIRECTION]!;
    out.flags = u8[b + B_FLAGS]!;
    out.spotSource = u8[b + B_SPOT_SOURCE]!;
    out.symbolId = this.u16[(b >> 1) + H_SYMBOL]!;
    out.futuresSource = u8[b + B_FUTURES_SOURCE]!;
    out.seq = u32[w + W_SEQ]!;
    out.timestamp = u32[w + W_TIMESTAMP + 1]! * TWO32 + u32[w + W_TIMESTAMP]!;
    out.spotAsk = f64[f + F_SPOT_ASK]!;
    out.futuresBid = f64[f + F_FUTURES_BID]!;
    out.spreadPct = f64[f + F_SPREAD]!;
    out.spotUpdatedAt = u32[w + W_SPOT_UPDATED + 1]! * TWO32 + u32[w + W_SPOT_UPDATED]!;
    out.futuresUpdatedAt = u32[w + W_FUTURES_UPDATED + 1]! * TWO32 + u32[w + W_FUTURES_UPDATED]!;
    // Releasing store: the slot may be overwritten only after the copy above.
    this.tail = (t + 1) >>> 0;
    Atomics.store(u32, TAIL, this.tail);
    return true;
  }

  /** Consumer: discards the backlog (e.g. a restarted tracker that wants only new events). Returns how many. */
  skipToHead(): number {
    const h = Atomics.load(this.u32, HEAD);
    const n = (h - this.tail) >>> 0;
    this.tail = h;
    this.cachedHead = h;
    Atomics.store(this.u32, TAIL, h);
    return n;
  }

  /** Events published and not yet consumed (a snapshot; either side may move). */
  size(): number {
    return (Atomics.load(this.u32, HEAD) - Atomics.load(this.u32, TAIL)) >>> 0;
  }

  headPosition(): number {
    return Atomics.load(this.u32, HEAD);
  }

  tailPosition(): number {
    return Atomics.load(this.u32, TAIL);
  }

  /** Events dropped on a full ring since the region was created (wraps at 2^32). */
  dropped(): number {
    return Atomics.load(this.u32, DROPPED);
  }

  producerPid(): number {
    return Atomics.load(this.u32, PRODUCER_PID);
  }

  consumerPid(): number {
    return Atomics.load(this.u32, CONSUMER_PID);
  }
}
