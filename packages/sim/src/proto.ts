// Hand-written protobuf encoding for MEXC spot pushes (PushDataV3ApiWrapper, protocol notes §4.3): varints and
// length-delimited ASCII fields written into a reused scratch buffer. No schema library on the hot path.

/** Append-only protobuf writer over a growable scratch buffer. */
export class ProtoWriter {
  buf = new Uint8Array(1024);
  pos = 0;

  reset(): this {
    this.pos = 0;
    return this;
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    let n = this.buf.length * 2;
    while (n < this.pos + extra) n *= 2;
    const b = new Uint8Array(n);
    b.set(this.buf.subarray(0, this.pos));
    this.buf = b;
  }

  /** Unsigned varint; exact for integers up to 2^53 (int64 millisecond timestamps fit). */
  varint(v: number): this {
    this.ensure(10);
    while (v >= 128) {
      this.buf[this.pos++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.pos++] = v;
    return this;
  }

  tag(field: number, wireType: 0 | 2): this {
    return this.varint(field * 8 + wireType);
  }

  /** Field of wire type 2 holding an ASCII/Latin-1 string (channels, symbols, decimal prices). */
  string(field: number, s: string): this {
    this.tag(field, 2).varint(s.length);
    this.ensure(s.length);
    for (let i = 0; i < s.length; i++) this.buf[this.pos++] = s.charCodeAt(i);
    return this;
  }

  uint(field: number, v: number): this {
    return this.tag(field, 0).varint(v);
  }

  /** Embedded message: the already-encoded bytes of `inner`. */
  message(field: number, inner: ProtoWriter): this {
    this.tag(field, 2).varint(inner.pos);
    this.ensure(inner.pos);
    this.buf.set(inner.buf.subarray(0, inner.pos), this.pos);
    this.pos += inner.pos;
    return this;
  }

  /** A copy of the encoded bytes (the scratch buffer is reused by the next frame). */
  bytes(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

/** Wrapper field numbers (PushDataV3ApiWrapper). */
export const Wrapper = {
  channel: 1,
  symbol: 3,
  symbolId: 4,
  createTime: 5,
  sendTime: 6,
  publicLimitDepths: 303,
  publicBookTickerBatch: 311,
  publicAggreBookTicker: 315,
} as const;
