// OKX v5 public WS frame classifier: bbo-tbt / books5 / tickers pushes without allocation, JSON.parse for the rest.
// https://www.okx.com/docs-v5/en/#order-book-trading-market-data-ws-order-book-channel
import { FrameKind, InvalidReason, type FrameKindValue, type QuoteRecord } from "../types.ts";
import { parseDecimal } from "../num.ts";
import type { SymbolTable } from "../symbol-table.ts";
import { afterClose, codes, codesAt, Key, member, objectBounds, plainStringEnd, rangeEquals, readFirstLevel, readScalar, scalarNum as num, type ScalarRange, skipWs } from "../shared/scan/index.ts";
import { invalid, malformed, priceOutcome } from "../shared/outcome.ts";
import { classifyOkxControl } from "./control.ts";

const BBO_TBT = codes("bbo-tbt");
const BOOKS5 = codes("books5");
const TICKERS = codes("tickers");

/** Frames above this are refused unscanned (OKX closes with 1009 above its own limit). */
export const OKX_MAX_FRAME = 64 * 1024;

// Channel classes.
const CH_BOOK = 1; // bbo-tbt, books5: 1-level / 5-level snapshots, first level = best
const CH_TICKER = 2; // tickers: bidPx/askPx (fallback channel)
const CH_OTHER = 3;

const K_ARG = new Key('"arg"');
const K_CHANNEL = new Key('"channel"');
const K_INST = new Key('"instId"');
const K_DATA = new Key('"data"');
const K_ASKS = new Key('"asks"');
const K_BIDS = new Key('"bids"');
const K_ASK_PX = new Key('"askPx"');
const K_ASK_SZ = new Key('"askSz"');
const K_BID_PX = new Key('"bidPx"');
const K_BID_SZ = new Key('"bidSz"');
const K_TS = new Key('"ts"');


/** True when the scalar at i is absent, null or "" (an empty book side on tickers). */
function emptyAt(s: string, i: number, end: number, sv: ScalarRange): boolean {
  readScalar(s, i, end, sv);
  return sv.kind === 3 || (sv.kind === 1 && sv.start === sv.end);
}

/**
 * ParseFn for okx_spot and okx_futures (same public socket, same frames). Pushes are read by member name (any key
 * order, unknown members skipped); data[0] is used (OKX sends one item per push). Sizes are contracts on SWAP.
 */
export function parseOkx(frame: string | Uint8Array, out: QuoteRecord, symbols: SymbolTable | null): FrameKindValue {
  out.reset();
  const m = out.scan;
  const sv = m.sv;
  const lvl = m.lvl;
  const bounds = m.bounds;
  if (typeof frame !== "string") return malformed(out, "okx: binary frame on a text-only socket");
  const n = frame.length;
  if (n > OKX_MAX_FRAME) return malformed(out, "okx: frame over 64 KiB, not scanned");
  if (n === 4 && frame === "pong") return FrameKind.Pong;
  if (frame.charCodeAt(n - 1) === 125) {
    const k = parseBboAsSent(frame, n, out, symbols);
    if (k !== 0) return k;
  }
  if (!objectBounds(frame, bounds)) return classifyOkxControl(frame, out);
  const a = bounds.open;
  const z = bounds.close;
  // Usual layout: {"arg":{"channel":"bbo-tbt","instId":"X"},"data":[{"asks":[[..]],"bids":[[..]],"ts":"..",...}]}
  const g = member(frame, K_ARG, a, a, z);
  if (g < 0 || frame.charCodeAt(g) !== 123) return classifyOkxControl(frame, out);
  readScalar(frame, member(frame, K_CHANNEL, g, g, z), z, sv);
  if (sv.kind !== 1) return classifyOkxControl(frame, out);
  const ch = rangeEquals(frame, sv.start, sv.end, BBO_TBT) || rangeEquals(frame, sv.start, sv.end, BOOKS5)
    ? CH_BOOK
    : rangeEquals(frame, sv.start, sv.end, TICKERS)
      ? CH_TICKER
      : CH_OTHER;
  if (ch === CH_OTHER) return classifyOkxControl(frame, out);
  readScalar(frame, member(frame, K_INST, sv.next, g, z), z, sv);
  const symStart = sv.start;
  const symEnd = sv.end;
  const hasInst = sv.kind === 1 && symStart < symEnd;
  const d = member(frame, K_DATA, hasInst ? afterClose(frame, sv.next, z) : -1, a, z);
  if (d < 0) return classifyOkxControl(frame, out); // events (acks, errors, notices) carry no data
  if (!hasInst) return malformed(out, "okx: push without arg.instId");
  out.symStart = symStart;
  out.symEnd = symEnd;
  out.symbolIndex = symbols === null ? -1 : symbols.lookup(frame, symStart, symEnd);
  if (frame.charCodeAt(d) !== 91) return malformed(out, "okx: data is not an array");
  const e = skipWs(frame, d + 1, z);
  if (frame.charCodeAt(e) !== 123) return malformed(out, "okx: data is not a non-empty array of objects");

  m.numBad = false;
  let bid: number;
  let ask: number;
  let bidQty: number;
  let askQty: number;
  let tsAt: number;
  if (ch === CH_BOOK) {
    const av = member(frame, K_ASKS, e, e, z);
    readFirstLevel(frame, av, z, m);
    const na = lvl.count;
    const ap = lvl.pxStart, ape = lvl.pxEnd, aq = lvl.szKind === 0 ? -1 : lvl.szStart, aqe = lvl.szEnd;
    const askBlank = lvl.pxKind === 1 && ap === ape;
    const bv = member(frame, K_BIDS, lvl.after, e, z);
    if (av < 0 || bv < 0) return malformed(out, "okx: book push without asks/bids");
    readFirstLevel(frame, bv, z, m);
    const nb = lvl.count;
    if (na < 0 || nb < 0) return malformed(out, "okx: asks/bids is not an array of levels");
    tsAt = lvl.after;
    // [] or a level priced "" = no order on that side (thin books), not a corrupt frame.
    const bidBlank = lvl.pxKind === 1 && lvl.pxStart === lvl.pxEnd;
    if (na === 0 || nb === 0 || askBlank || bidBlank) {
      // The side that is there must still be a decimal: a garbage price is a corrupt frame (counted), not a thin book.
      if (na > 0 && !askBlank && Number.isNaN(parseDecimal(frame, ap, ape))) m.numBad = true;
      if (nb > 0 && !bidBlank && Number.isNaN(parseDecimal(frame, lvl.pxStart, lvl.pxEnd))) m.numBad = true;
      bid = ask = bidQty = askQty = Number.NaN;
    } else {
      ask = parseDecimal(frame, ap, ape);
      bid = parseDecimal(frame, lvl.pxStart, lvl.pxEnd);
      askQty = aq < 0 ? Number.NaN : parseDecimal(frame, aq, aqe);
      bidQty = lvl.szKind === 0 ? Number.NaN : parseDecimal(frame, lvl.szStart, lvl.szEnd);
      if (Number.isNaN(bid) || Number.isNaN(ask) || (aq >= 0 && Number.isNaN(askQty)) || (lvl.szKind !== 0 && Number.isNaN(bidQty))) m.numBad = true;
    }
  } else {
    // tickers: instType, instId, last, lastSz, askPx, askSz, bidPx, bidSz, ..., ts
    const apv = member(frame, K_ASK_PX, -1, e, z);
    const asv = member(frame, K_ASK_SZ, next(frame, apv, z, sv), e, z);
    const bpv = member(frame, K_BID_PX, next(frame, asv, z, sv), e, z);
    const bsv = member(frame, K_BID_SZ, next(frame, bpv, z, sv), e, z);
    if (apv < 0 || bpv < 0) return malformed(out, "okx: tickers push without bidPx/askPx");
    tsAt = -1;
    // "" = no order on that side; the other side must still be a decimal.
    const bidEmpty = emptyAt(frame, bpv, z, sv);
    const askEmpty = emptyAt(frame, apv, z, sv);
    if (bidEmpty || askEmpty) {
      if (!bidEmpty) num(frame, bpv, z, m);
      if (!askEmpty) num(frame, apv, z, m);
      bid = ask = bidQty = askQty = Number.NaN;
    } else {
      bid = num(frame, bpv, z, m);
      ask = num(frame, apv, z, m);
      bidQty = num(frame, bsv, z, m);
      askQty = num(frame, asv, z, m);
    }
  }
  const ts = num(frame, member(frame, K_TS, tsAt, e, z), z, m);
  if (m.numBad) return malformed(out, "okx: price, size or ts is not a decimal");
  if (!Number.isNaN(ts)) out.exchangeTsMs = ts;
  if (Number.isNaN(bid)) return invalid(out, InvalidReason.EmptySide);
  out.setQuote(bid, ask, bidQty, askQty);
  return priceOutcome(out, bid, ask);
}

// bbo-tbt exactly as OKX sends it (compact, this key order); any deviation falls back to the member search.
const AS_SENT_HEAD = codes('{"arg":{"channel":"bbo-tbt","instId":"');
const AS_SENT_ASKS = codes('"},"data":[{"asks":[["');
const AS_SENT_BIDS = codes('"bids":[["');
const AS_SENT_TS = codes('"ts":"');

/**
 * At a level's first quote: reads "px","sz" then skips to after "]]," (one-level side). Writes lv (the record's
 * MemberScan.asSent: px start, px end, sz start, sz end, index after "]],"); false on deviation.
 */
function levelAsSent(s: string, i: number, n: number, lv: Int32Array): boolean {
  const pe = plainStringEnd(s, i - 1, n);
  if (pe < 0 || s.charCodeAt(pe + 1) !== 44 || s.charCodeAt(pe + 2) !== 34) return false;
  const qe = plainStringEnd(s, pe + 2, n);
  if (qe < 0) return false;
  const close = s.indexOf("]", qe);
  if (close < 0 || s.charCodeAt(close + 1) !== 93 || s.charCodeAt(close + 2) !== 44) return false;
  lv[0] = i;
  lv[1] = pe;
  lv[2] = pe + 3;
  lv[3] = qe;
  lv[4] = close + 3;
  return true;
}

/** The common case in one pass of literal compares; 0 = not in the as-sent layout (caller takes the general path). */
function parseBboAsSent(s: string, n: number, out: QuoteRecord, symbols: SymbolTable | null): FrameKindValue | 0 {
  const lv = out.scan.asSent;
  if (!codesAt(s, 0, AS_SENT_HEAD)) return 0;
  const symStart = AS_SENT_HEAD.length;
  const symEnd = plainStringEnd(s, symStart - 1, n);
  if (symEnd <= symStart || !codesAt(s, symEnd, AS_SENT_ASKS)) return 0;
  if (!levelAsSent(s, symEnd + AS_SENT_ASKS.length, n, lv)) return 0;
  const ap = lv[0]!, ape = lv[1]!, aq = lv[2]!, aqe = lv[3]!;
  let i = lv[4]!;
  if (!codesAt(s, i, AS_SENT_BIDS) || !levelAsSent(s, i + AS_SENT_BIDS.length, n, lv)) return 0;
  i = lv[4]!;
  if (!codesAt(s, i, AS_SENT_TS)) return 0;
  const ts0 = i + AS_SENT_TS.length;
  const ts1 = plainStringEnd(s, ts0 - 1, n);
  if (ts1 < 0) return 0;
  const ask = parseDecimal(s, ap, ape);
  const askQty = parseDecimal(s, aq, aqe);
  const bid = parseDecimal(s, lv[0]!, lv[1]!);
  const bidQty = parseDecimal(s, lv[2]!, lv[3]!);
  const ts = parseDecimal(s, ts0, ts1);
  if (Number.isNaN(ask) || Number.isNaN(askQty) || Number.isNaN(bid) || Number.isNaN(bidQty) || Number.isNaN(ts)) return 0;
  out.symStart = symStart;
  out.symEnd = symEnd;
  out.symbolIndex = symbols === null ? -1 : symbols.lookup(s, symStart, symEnd);
  out.exchangeTsMs = ts;
  out.setQuote(bid, ask, bidQty, askQty);
  return priceOutcome(out, bid, ask);
}

/** Index after the scalar at i (a layout hint for the next member), or -1. */
function next(s: string, i: number, end: number, sv: ScalarRange): number {
  if (i < 0) return -1;
  readScalar(s, i, end, sv);
  return sv.next;
}
