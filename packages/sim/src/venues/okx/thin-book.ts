// OKX thin books: a side with no orders is part of OKX's normal output, not an anomaly. Recorded frames carry
// "" for tickers prices and sizes (bidPx, bidSz, askPx, askSz, last, lastSz) and [] for bbo-tbt / books5 sides.
// The least active instruments of a source show one empty side on some of their updates; which updates and
// which side follow from the instrument's update id, so every OKX channel and the REST tickers rendering the
// same book state agree, and runs with one seed repeat exactly.
import type { SourceBook } from "../../market/market.ts";

/** Share of a source's trading instruments (the least active by update weight) whose book is thin. */
export const THIN_SHARE = 0.25;
/** A thin instrument shows an empty side on about one update in this many. */
export const THIN_EMPTY_EVERY = 6;

export const EmptySide = { none: 0, bid: 1, ask: 2 } as const;
export type EmptySideValue = (typeof EmptySide)[keyof typeof EmptySide];

export class OkxThinBooks {
  /** 1 = thin instrument (index into the source's book). */
  readonly thin: Uint8Array;

  constructor(private readonly book: SourceBook) {
    this.thin = new Uint8Array(book.n);
    const trading = book.instruments.filter((i) => i.status === "trading" && i.weight > 0).sort((a, b) => a.weight - b.weight || a.index - b.index);
    const n = Math.floor(trading.length * THIN_SHARE);
    for (let k = 0; k < n; k++) this.thin[trading[k]!.index] = 1;
  }

  /** Which side of instrument `i` is empty in its current state (a zero size is always an empty side). */
  emptySide(i: number): EmptySideValue {
    const b = this.book;
    if (b.bidQty[i] === 0) return EmptySide.bid;
    if (b.askQty[i] === 0) return EmptySide.ask;
    if (this.thin[i] === 0) return EmptySide.none;
    // murmur3 fmix32 of (update id, instrument): a well-spread draw that is the same for every reader.
    let h = (b.u[i]! >>> 0) ^ Math.imul(i + 1, 0x9e3779b1);
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    h = (h ^ (h >>> 16)) >>> 0;
    if (h % THIN_EMPTY_EVERY !== 0) return EmptySide.none;
    return (h >>> 16) & 1 ? EmptySide.bid : EmptySide.ask;
  }
}
