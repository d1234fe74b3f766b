// Event Bus: SPSC ring of 64-byte events (engine → tracker). The producer never blocks: on a full
// ring the event is dropped and counted. Positions are free-running u32 counters; index = pos & MASK.
import { EVENTS_CAPACITY, EVENTS_CONSUMER_OFFSET, EVENTS_ENTRIES_OFFSET, EVENTS_PRODUCER_OFFSET, EVENT_SIZE, EventConsumer, EventProducer } from "./layout.ts";
import { EventCodec, type EventRecord } from "./event.ts";
import type { Region } from "./region.ts";

const MASK = EVENTS_CAPACITY - 1;
const HEAD = (EVENTS_PRODUCER_OFFSET + EventProducer.off.head) / 4;
const DROPPED = (EVENTS_PRODUCER_OFFSET + EventProducer.off.dropped) / 4;
const PRODUCER_PID = (EVENTS_PRODUCER_OFFSET + EventProducer.off.producer_pid) / 4;
const TAIL = (EVENTS_CONSUMER_OFFSET + EventConsumer.off.tail) / 4;
const CONSUMER_PID = (EVENTS_CONSUMER_OFFSET + EventConsumer.off.consumer_pid) / 4;
const P = EventProducer.off;
const STAT_WAKEUPS = (EVENTS_PRODUCER_OFFSET + P.wakeups) / 8;
const STAT_EVALUATED = (EVENTS_PRODUCER_OFFSET + P.evaluated) / 8;
const STAT_SUSPECTS = (EVENTS_PRODUCER_OFFSET + P.suspects) / 8;
const STAT_STALE = (EVENTS_PRODUCER_OFFSET + P.stale_skips) / 8;
const STAT_SUPPRESSED = (EVENTS_PRODUCER_OFFSET + P.suppressed) / 8;
const STAT_READ_FAILURES = (EVENTS_PRODUCER_OFFSET + P.read_failures) / 8;

/** The producer's counters in its EventProducer line (docs/shm-layout.md). */
export class ProducerStats {
  wakeups = 0;
  evaluated = 0;
  suspects = 0;
  staleSkips = 0;
  suppressed = 0;
  readFailures = 0;
}

export class EventBus {
  private readonly u32: Uint32Array;
  private readonly f64: Float64Array;
  private readonly codec: EventCodec;
  // Producer-local: next position to write, and the last tail seen (reloaded only when it looks full).
  private head: number;
  private cachedTail: number;
  // Consumer-local: next position to read, and the last head seen (reloaded only when it looks empty).
  private tail: number;
  private cachedHead: number;

  constructor(readonly region: Region) {
    this.u32 = region.u32;
    this.f64 = region.f64;
    this.codec = new EventCodec(region.buffer);
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

  /** Producer: publishes its counters (plain f64 stores; one writer). */
  writeStats(s: ProducerStats): void {
    const f = this.f64;
    f[STAT_WAKEUPS] = s.wakeups;
    f[STAT_EVALUATED] = s.evaluated;
    f[STAT_SUSPECTS] = s.suspects;
    f[STAT_STALE] = s.staleSkips;
    f[STAT_SUPPRESSED] = s.suppressed;
    f[STAT_READ_FAILURES] = s.readFailures;
  }

  /** Anyone: the producer's last published counters (a snapshot). */
  readStats(out: ProducerStats = new ProducerStats()): ProducerStats {
    const f = this.f64;
    out.wakeups = f[STAT_WAKEUPS]!;
    out.evaluated = f[STAT_EVALUATED]!;
    out.suspects = f[STAT_SUSPECTS]!;
    out.staleSkips = f[STAT_STALE]!;
    out.suppressed = f[STAT_SUPPRESSED]!;
    out.readFailures = f[STAT_READ_FAILURES]!;
    return out;
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
    this.codec.encode(EVENTS_ENTRIES_OFFSET + (h & MASK) * EVENT_SIZE, ev);
    // Publishing store: the entry's plain stores above are ordered before it.
    this.head = (h + 1) >>> 0;
    Atomics.store(this.u32, HEAD, this.head);
    return true;
  }

  /** Removes the oldest event into `out`; false when the ring is empty. */
  pop(out: EventRecord): boolean {
    const t = this.tail;
    if (t === this.cachedHead) {
      this.cachedHead = Atomics.load(this.u32, HEAD);
      if (t === this.cachedHead) return false;
    }
    this.codec.decode(EVENTS_ENTRIES_OFFSET + (t & MASK) * EVENT_SIZE, out);
    // Releasing store: the slot may be overwritten only after the copy above.
    this.tail = (t + 1) >>> 0;
    Atomics.store(this.u32, TAIL, this.tail);
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
