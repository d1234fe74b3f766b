// Little-endian byte writer/reader for the generated/ binaries. The reader checks every bound and names the field.
import { GeneratedFileError } from "./errors.ts";

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder("utf-8", { fatal: true });

export class ByteWriter {
  private buf = new Uint8Array(4096);
  private view = new DataView(this.buf.buffer);
  private pos = 0;

  get length(): number {
    return this.pos;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.pos + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): void {
    this.ensure(1);
    this.view.setUint8(this.pos, v);
    this.pos += 1;
  }
  u16(v: number): void {
    this.ensure(2);
    this.view.setUint16(this.pos, v, true);
    this.pos += 2;
  }
  u32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.pos, v, true);
    this.pos += 4;
  }
  /** f64; null is written as NaN ("not given"). */
  f64(v: number | null): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, v ?? Number.NaN, true);
    this.pos += 8;
  }
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
  /** u8 byte length + UTF-8 bytes; `what` names the field in the error. */
  str8(s: string, what: string): void {
    const b = utf8.encode(s);
    if (b.length > 255) throw new Error(`${what}: "${s.slice(0, 40)}…" is ${b.length} bytes; the format allows 255`);
    this.u8(b.length);
    this.bytes(b);
  }
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

export class ByteReader {
  private readonly view: DataView;
  pos: number;
  constructor(
    private readonly b: Uint8Array,
    private readonly file: string,
    start: number,
    private readonly end: number,
  ) {
    this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    this.pos = start;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number, what: string): void {
    if (this.pos + n > this.end) {
      throw new GeneratedFileError(this.file, "invalid", `${what} at byte ${this.pos} runs past the end of the payload (byte ${this.end})`);
    }
  }
  u8(what: string): number {
    this.need(1, what);
    return this.view.getUint8(this.pos++);
  }
  u16(what: string): number {
    this.need(2, what);
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }
  u32(what: string): number {
    this.need(4, what);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  f64(what: string): number {
    this.need(8, what);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }
  str8(what: string): string {
    const n = this.u8(`${what} length`);
    this.need(n, what);
    let s: string;
    try {
      s = utf8Decoder.decode(this.b.subarray(this.pos, this.pos + n));
    } catch {
      throw new GeneratedFileError(this.file, "invalid", `${what} at byte ${this.pos} is not valid UTF-8`);
    }
    this.pos += n;
    return s;
  }
  fail(what: string): never {
    throw new GeneratedFileError(this.file, "invalid", `${what} (at byte ${this.pos})`);
  }
}
