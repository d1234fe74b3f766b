// Per-source subscription registry and fan-out: realtime channels get one frame per quote update, coalesced
// channels the latest state every interval, resend channels the unchanged snapshot after silence. A frame is
// built once and queued to every subscriber; each connection flushes its queue once per tick under cork.
import type { SourceBook } from "../market/market.ts";
import type { Channel } from "../venues/types.ts";
import type { Conn } from "./conn.ts";

interface Sub {
  readonly conn: Conn;
  readonly ch: number;
}

const GARBAGE_TEXT = "\u0000\u0007}{]\"garbage:;@@";

export class SourceHub {
  readonly conns = new Set<Conn>();
  private readonly subs: (Sub[] | undefined)[];
  private readonly chCount: number;
  private readonly interval: number[];
  /** Per channel: instruments with at least one subscriber (for resends). */
  private readonly subscribed: Set<number>[];
  private readonly dirty: Uint8Array[];
  private readonly dirtyList: Int32Array[];
  private readonly dirtyLen: number[];
  private readonly lastSent: Float64Array[];
  private readonly nextFlushAt: number[];
  private readonly cache: (string | Uint8Array | undefined)[];
  /** Frames queued for subscribers (all channels), for /state. */
  framesBuilt = 0;

  constructor(
    readonly source: number,
    readonly book: SourceBook,
    readonly channels: readonly Channel[],
  ) {
    const n = book.n;
    this.subs = new Array(n).fill(undefined);
    this.chCount = channels.length;
    this.interval = channels.map((c) => c.intervalMs);
    this.subscribed = channels.map(() => new Set<number>());
    this.dirty = channels.map(() => new Uint8Array(n));
    this.dirtyList = channels.map(() => new Int32Array(n));
    this.dirtyLen = channels.map(() => 0);
    this.lastSent = channels.map(() => new Float64Array(n));
    this.nextFlushAt = channels.map(() => 0);
    this.cache = channels.map(() => undefined);
  }

  /** Adds (conn, instrument, channel); false when already subscribed. */
  subscribe(conn: Conn, index: number, ch: number, now: number): boolean {
    let list = this.subs[index];
    if (list === undefined) list = this.subs[index] = [];
    for (const s of list) if (s.conn === conn && s.ch === ch) return false;
    list.push({ conn, ch });
    this.subscribed[ch]!.add(index);
    const channel = this.channels[ch]!;
    const inst = this.book.instruments[index]!;
    if (!inst.silent && this.book.has[index]) {
      if (channel.onSubscribe === "now") {
        const frame = channel.snapshot ? channel.snapshot(inst, index, now) : channel.build(inst, index, now, false);
        this.framesBuilt++;
        this.deliver(conn, ch, index, frame, now);
      }
      else if (channel.onSubscribe === "next") this.markDirty(ch, index);
    }
    return true;
  }

  unsubscribe(conn: Conn, index: number, ch: number): boolean {
    const list = this.subs[index];
    if (list === undefined) return false;
    const i = list.findIndex((s) => s.conn === conn && s.ch === ch);
    if (i < 0) return false;
    list.splice(i, 1);
    if (!list.some((s) => s.ch === ch)) this.subscribed[ch]!.delete(index);
    return true;
  }

  removeConn(conn: Conn): void {
    this.conns.delete(conn);
    for (let ch = 0; ch < this.chCount; ch++) {
      for (const index of [...this.subscribed[ch]!]) this.unsubscribe(conn, index, ch);
    }
  }

  subscriberCount(index: number): number {
    return this.subs[index]?.length ?? 0;
  }

  private markDirty(ch: number, index: number): void {
    const d = this.dirty[ch]!;
    if (d[index]) return;
    d[index] = 1;
    this.dirtyList[ch]![this.dirtyLen[ch]!++] = index;
  }

  /** Quote listener: fan out realtime channels now, mark coalesced channels dirty. */
  onQuote(index: number, now: number): void {
    const list = this.subs[index];
    if (list === undefined || list.length === 0) return;
    const cache = this.cache;
    for (let k = 0; k < list.length; k++) {
      const sub: Sub = list[k]!;
      const ch = sub.ch;
      if (this.interval[ch] !== 0) {
        this.markDirty(ch, index);
        continue;
      }
      let frame = cache[ch];
      if (frame === undefined) {
        frame = cache[ch] = this.channels[ch]!.build(this.book.instruments[index]!, index, now, false);
        this.framesBuilt++;
      }
      this.deliver(sub.conn, ch, index, frame, now);
    }
    for (let ch = 0; ch < this.chCount; ch++) cache[ch] = undefined;
  }

  private deliver(conn: Conn, ch: number, index: number, frame: string | Uint8Array, now: number): void {
    if (conn.corrupt !== null) frame = this.maybeCorrupt(conn, ch, index, frame, now);
    conn.data(frame, now);
  }

  private sendToChannelSubs(ch: number, index: number, now: number): void {
    const list = this.subs[index];
    if (list === undefined) return;
    let frame: string | Uint8Array | undefined;
    for (const sub of list) {
      if (sub.ch !== ch) continue;
      if (frame === undefined) {
        frame = this.channels[ch]!.build(this.book.instruments[index]!, index, now, false);
        this.framesBuilt++;
      }
      this.deliver(sub.conn, ch, index, frame, now);
    }
    this.lastSent[ch]![index] = now;
  }

  /** Coalesced-channel flush (when due) and snapshot resends; then every connection flushes its queue. */
  flush(now: number): void {
    for (let ch = 0; ch < this.chCount; ch++) {
      const iv = this.interval[ch]!;
      if (iv === 0 || this.dirtyLen[ch] === 0 || now < this.nextFlushAt[ch]!) continue;
      this.nextFlushAt[ch] = Math.max(this.nextFlushAt[ch]! + iv, now - iv);
      const list = this.dirtyList[ch]!;
      const d = this.dirty[ch]!;
      const len = this.dirtyLen[ch]!;
      for (let k = 0; k < len; k++) {
        const index = list[k]!;
        d[index] = 0;
        this.sendToChannelSubs(ch, index, now);
      }
      this.dirtyLen[ch] = 0;
    }
    for (const conn of this.conns) conn.flush(now);
  }

  /** A scripted funding change of one instrument: its slow funding channels push now (the venue pushes on change). */
  pushFunding(index: number, now: number): void {
    if (this.book.instruments[index]!.silent || !this.book.has[index]) return;
    for (let ch = 0; ch < this.chCount; ch++) if (this.channels[ch]!.funding && this.subscribed[ch]!.has(index)) this.sendToChannelSubs(ch, index, now);
  }

  /** Re-sends unchanged snapshots on channels with a resend period (Bybit 3 s, OKX ~60 s). */
  resend(now: number): void {
    for (let ch = 0; ch < this.chCount; ch++) {
      const period = this.channels[ch]!.resendMs;
      if (period <= 0) continue;
      const last = this.lastSent[ch]!;
      for (const index of this.subscribed[ch]!) {
        if (now - last[index]! < period) continue;
        if (this.book.instruments[index]!.silent || !this.book.has[index]) continue;
        this.sendToChannelSubs(ch, index, now);
      }
    }
  }

  private maybeCorrupt(conn: Conn, ch: number, index: number, frame: string | Uint8Array, now: number): string | Uint8Array {
    const c = conn.corrupt!;
    if (c.remaining <= 0 || Math.random() >= c.probability) return frame;
    c.remaining--;
    conn.corrupted++;
    switch (c.kind) {
      case "truncated":
        return typeof frame === "string" ? frame.slice(0, frame.length >> 1) : frame.slice(0, frame.length >> 1);
      case "garbage":
        if (typeof frame === "string") return GARBAGE_TEXT + String(now);
        {
          // Random bytes form a valid protobuf message with unknown fields ~0.3 % of the time; a first byte of
          // 0x07 (field 0, wire type 7: both invalid) makes every garbage frame undecodable, as the fault promises.
          const g = Uint8Array.from({ length: 24 }, () => (Math.random() * 256) | 0);
          g[0] = 0x07;
          return g;
        }
      default:
        return this.channels[ch]!.build(this.book.instruments[index]!, index, now, true);
    }
  }
}
