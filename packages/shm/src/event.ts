// The 64-byte signal Event (docs/shm-layout.md, struct Event): the caller-owned record and its byte
// codec. The Event Bus copies records in and out of its ring with EventCodec; tools and tests use
// encodeEvent/decodeEvent on any 64-byte buffer.
import { EVENT_AGE_MAX_US, EVENT_SIZE, Event } from "./layout.ts";
import { getU64, putU64 } from "./u64.ts";

const E = Event.off;
// Field positions in element units of each typed view, relative to the entry's first element.
const B_TYPE = E.type;
const B_DIRECTION = E.direction_id;
const B_FLAGS = E.flags;
const B_SPOT_SOURCE = E.spot_source;
const B_FUTURES_SOURCE = E.futures_source;
const B_RESERVED0 = E.reserved0;
const H_SYMBOL = E.symbol_id / 2;
const S_GROSS = E.gross_pct / 4;
const S_NET = E.net_pct / 4;
const W_TIMESTAMP = E.timestamp / 4;
const W_SPOT_AGE = E.spot_age_us / 4;
const W_FUTURES_AGE = E.futures_age_us / 4;
const F_SPOT_BID = E.spot_bid / 8;
const F_SPOT_ASK = E.spot_ask / 8;
const F_FUTURES_BID = E.futures_bid / 8;
const F_FUTURES_ASK = E.futures_ask / 8;

/** Age in µs of a leg updated at `updatedAt` as seen at `at` (both wall µs), clamped to the u32 field. */
export function eventAge(at: number, updatedAt: number): number {
  const d = at - updatedAt;
  if (!(d > 0)) return 0; // a leg stamped after the engine's clock read (same clock, µs rounding) or NaN
  return d >= EVENT_AGE_MAX_US ? EVENT_AGE_MAX_US : Math.floor(d);
}

/** Caller-owned event; the bus's push() copies from it and pop() fills it in place. */
export class EventRecord {
  /** EventType (1 = signal). */
  type = 0;
  directionId = 0;
  /** EventFlag bits. */
  flags = 0;
  spotSource = 0;
  futuresSource = 0;
  symbolId = 0;
  /** (futures_bid − spot_ask) / spot_ask × 100 as the engine computed it (stored as f32). */
  grossPct = 0;
  /** gross minus both legs' entry taker fees (stored as f32). */
  netPct = 0;
  /** Wall µs since the epoch when the engine produced the event. */
  timestamp = 0;
  spotBid = 0;
  spotAsk = 0;
  futuresBid = 0;
  futuresAsk = 0;
  /** timestamp − the spot leg's Price Store updated_at, µs (saturates at EVENT_AGE_MAX_US). */
  spotAgeUs = 0;
  futuresAgeUs = 0;

  /** Wall µs of the spot leg's Price Store updated_at. */
  spotUpdatedAt(): number {
    return this.timestamp - this.spotAgeUs;
  }

  futuresUpdatedAt(): number {
    return this.timestamp - this.futuresAgeUs;
  }

  /** Sets both ages from the legs' updated_at (wall µs); set `timestamp` first. */
  setLegTimes(spotUpdatedAt: number, futuresUpdatedAt: number): void {
    this.spotAgeUs = eventAge(this.timestamp, spotUpdatedAt);
    this.futuresAgeUs = eventAge(this.timestamp, futuresUpdatedAt);
  }

  copyFrom(o: EventRecord): void {
    this.type = o.type;
    this.directionId = o.directionId;
    this.flags = o.flags;
    this.spotSource = o.spotSource;
    this.futuresSource = o.futuresSource;
    this.symbolId = o.symbolId;
    this.grossPct = o.grossPct;
    this.netPct = o.netPct;
    this.timestamp = o.timestamp;
    this.spotBid = o.spotBid;
    this.spotAsk = o.spotAsk;
    this.futuresBid = o.futuresBid;
    this.futuresAsk = o.futuresAsk;
    this.spotAgeUs = o.spotAgeUs;
    this.futuresAgeUs = o.futuresAgeUs;
  }
}

/** Typed views over a buffer that holds Events at 8-byte aligned offsets (the ring, or a scratch 64 B). */
export class EventCodec {
  private readonly u8: Uint8Array;
  private readonly u16: Uint16Array;
  private readonly u32: Uint32Array;
  private readonly f32: Float32Array;
  private readonly f64: Float64Array;

  constructor(buffer: ArrayBufferLike) {
    this.u8 = new Uint8Array(buffer);
    this.u16 = new Uint16Array(buffer, 0, buffer.byteLength >> 1);
    this.u32 = new Uint32Array(buffer, 0, buffer.byteLength >> 2);
    this.f32 = new Float32Array(buffer, 0, buffer.byteLength >> 2);
    this.f64 = new Float64Array(buffer, 0, buffer.byteLength >> 3);
  }

  /** Writes all 64 bytes at byte offset `b` (a multiple of 8), reserved bytes as 0. */
  encode(b: number, ev: EventRecord): void {
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
    this.f32[w + S_GROSS] = ev.grossPct;
    this.f32[w + S_NET] = ev.netPct;
    putU64(u32, w + W_TIMESTAMP, ev.timestamp);
    f64[f + F_SPOT_BID] = ev.spotBid;
    f64[f + F_SPOT_ASK] = ev.spotAsk;
    f64[f + F_FUTURES_BID] = ev.futuresBid;
    f64[f + F_FUTURES_ASK] = ev.futuresAsk;
    u32[w + W_SPOT_AGE] = ev.spotAgeUs;
    u32[w + W_FUTURES_AGE] = ev.futuresAgeUs;
  }

  /** Reads the 64 bytes at byte offset `b` into `out`. */
  decode(b: number, out: EventRecord): void {
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
    out.grossPct = this.f32[w + S_GROSS]!;
    out.netPct = this.f32[w + S_NET]!;
    out.timestamp = getU64(u32, w + W_TIMESTAMP);
    out.spotBid = f64[f + F_SPOT_BID]!;
    out.spotAsk = f64[f + F_SPOT_ASK]!;
    out.futuresBid = f64[f + F_FUTURES_BID]!;
    out.futuresAsk = f64[f + F_FUTURES_ASK]!;
    out.spotAgeUs = u32[w + W_SPOT_AGE]!;
    out.futuresAgeUs = u32[w + W_FUTURES_AGE]!;
  }
}

/** The 64 bytes of `ev` as docs/shm-layout.md defines them (little-endian host). */
export function encodeEvent(ev: EventRecord, into = new Uint8Array(EVENT_SIZE)): Uint8Array {
  if (into.byteLength < EVENT_SIZE) throw new RangeError(`encodeEvent: buffer of ${into.byteLength} bytes, need ${EVENT_SIZE}`);
  const tmp = new ArrayBuffer(EVENT_SIZE);
  new EventCodec(tmp).encode(0, ev);
  into.set(new Uint8Array(tmp));
  return into;
}

/** Decodes 64 bytes (any alignment) laid out as docs/shm-layout.md defines them. */
export function decodeEvent(bytes: Uint8Array, out = new EventRecord()): EventRecord {
  if (bytes.byteLength < EVENT_SIZE) throw new RangeError(`decodeEvent: ${bytes.byteLength} bytes, need ${EVENT_SIZE}`);
  const tmp = new ArrayBuffer(EVENT_SIZE);
  new Uint8Array(tmp).set(bytes.subarray(0, EVENT_SIZE));
  new EventCodec(tmp).decode(0, out);
  return out;
}
