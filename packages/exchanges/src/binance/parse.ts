// Binance frame parser (spot and USD-M bookTicker, combined or raw): structural scan, no allocation on updates.
// https://developers.binance.com/docs/binance-spot-api-docs/web-socket-streams (Individual Symbol Book Ticker Streams)
// https://developers.binance.com/docs/derivatives/usds-margined-futures/websocket-market-streams/Individual-Symbol-Book-Ticker-Streams
import { checkPrices, parseDecimal } from "../num.ts";
import type { SymbolTable } from "../symbol-table.ts";
import { FrameKind, type FrameKindValue, InvalidReason, type QuoteRecord } from "../types.ts";
import { classifyBinanceControl, escapedSymbolIndex } from "./control.ts";
import { MAX_FRAME_CHARS, code, hasEscape, rangeEquals, skipWs, stringEnd, valueEnd } from "./json-scan.ts";

// Captured payload fields: R[f*3] start, R[f*3+1] end (quotes excluded), R[f*3+2] value type.
const F_S = 0;
const F_BID = 1;
const F_BID_QTY = 2;
const F_ASK = 3;
const F_ASK_QTY = 4;
const F_EVENT_TIME = 5;
const F_TX_TIME = 6;
const F_EVENT = 7;
const F_ST = 8;
const NUM_FIELDS = 9;
const ABSENT = 0;
const STR = 1;
const NUM = 2;
const OTHER = 3;
// Module-level scratch is safe: parse is synchronous and never re-entered.
const R = new Int32Array(NUM_FIELDS * 3);

function capture(f: string, ks: number, klen: number, vs: number, ve: number): void {
  const k0 = f.charCodeAt(ks);
  let field: number;
  if (klen === 1) {
    switch (k0) {
      case 115 /* s */:
        field = F_S;
        break;
      case 98 /* b */:
        field = F_BID;
        break;
      case 66 /* B */:
        field = F_BID_QTY;
        break;
      case 97 /* a */:
        field = F_ASK;
        break;
      case 65 /* A */:
        field = F_ASK_QTY;
        break;
      case 69 /* E */:
        field = F_EVENT_TIME;
        break;
      case 84 /* T */:
        field = F_TX_TIME;
        break;
      case 101 /* e */:
        field = F_EVENT;
        break;
      default:
        return;
    }
  } else if (k0 === 115 && f.charCodeAt(ks + 1) === 116 /* st */) field = F_ST;
  else return;
  const c = f.charCodeAt(vs);
  const o = field * 3;
  if (c === 34) {
    R[o] = vs + 1;
    R[o + 1] = ve - 1;
    R[o + 2] = STR;
  } else {
    R[o] = vs;
    R[o + 1] = ve;
    R[o + 2] = c === 45 || (c >= 48 && c <= 57) ? NUM : OTHER;
  }
}

/** Walks the object at i; descends into a top-level "data" object (combined stream). End index or -1. */
function walkObject(f: string, i: number, top: boolean): number {
  const n = f.length;
  i = skipWs(f, i + 1);
  if (code(f, i) === 125) return i + 1;
  for (;;) {
    if (code(f, i) !== 34) return -1;
    const ks = i + 1;
    // One-letter keys (all we read) end two chars on; anything else takes the general string scan.
    const ke = i + 2 < n && f.charCodeAt(i + 2) === 34 && f.charCodeAt(ks) !== 92 ? i + 2 : stringEnd(f, i);
    if (ke < 0) return -1;
    i = ke + 1;
    if (code(f, i) !== 58 /* : */) {
      i = skipWs(f, i);
      if (code(f, i) !== 58) return -1;
    }
    i++;
    let c = code(f, i);
    if (c === 32 || c === 10 || c === 13 || c === 9) {
      i = skipWs(f, i);
      c = code(f, i);
    }
    const klen = ke - ks;
    let ve: number;
    if (c === 123 && top && klen === 4 && rangeEquals(f, ks, ke, "data")) ve = walkObject(f, i, false);
    else {
      // Strings and plain numbers inline (the common values); anything else through valueEnd.
      if (c === 34) {
        ve = stringEnd(f, i);
        if (ve >= 0) ve++;
      } else if (c >= 48 && c <= 57) {
        ve = i + 1;
        while (ve < n) {
          const d = f.charCodeAt(ve);
          if (d >= 48 && d <= 57) ve++;
          else break;
        }
        const d = code(f, ve);
        if (d === 46 || d === 101 || d === 69) ve = valueEnd(f, i);
      } else ve = valueEnd(f, i);
      if (ve >= 0 && klen <= 2 && klen > 0) capture(f, ks, klen, i, ve);
    }
    if (ve < 0) return -1;
    i = ve;
    c = code(f, i);
    if (c !== 44 && c !== 125) {
      i = skipWs(f, i);
      c = code(f, i);
    }
    if (c === 125) return i + 1;
    if (c !== 44) return -1;
    i++;
    if (code(f, i) !== 34) i = skipWs(f, i);
  }
}

function malformed(out: QuoteRecord, message: string): FrameKindValue {
  out.message = message;
  return FrameKind.Malformed;
}

/** A number field (string or bare number); NaN when absent or garbled. */
function num(f: string, field: number): number {
  const o = field * 3;
  const t = R[o + 2];
  if (t !== STR && t !== NUM) return Number.NaN;
  return parseDecimal(f, R[o]!, R[o + 1]!);
}

/**
 * Parses one Binance frame. Updates: bookTicker payloads, combined ({"stream","data"}) or raw.
 * exchangeTsMs: T (transaction time), else E (event time), else 0 (spot bookTicker carries no time).
 */
export function parseBinance(frame: string | Uint8Array, out: QuoteRecord, symbols: SymbolTable | null): FrameKindValue {
  out.reset();
  if (typeof frame !== "string") return malformed(out, "binance: binary frame (expected JSON text)");
  if (frame.length > MAX_FRAME_CHARS) return malformed(out, "binance: oversize frame");
  for (let k = 2; k < R.length; k += 3) R[k] = ABSENT;
  const start = skipWs(frame, 0);
  if (code(frame, start) !== 123) return malformed(out, "binance: not a JSON object");
  const end = walkObject(frame, start, true);
  if (end < 0 || skipWs(frame, end) !== frame.length) return malformed(out, "binance: truncated or invalid JSON");

  const eventType = R[F_EVENT * 3 + 2];
  if (eventType !== ABSENT) {
    const e0 = R[F_EVENT * 3]!;
    const e1 = R[F_EVENT * 3 + 1]!;
    if (eventType === STR && rangeEquals(frame, e0, e1, "serverShutdown")) {
      out.noticeCode = "serverShutdown";
      const t = num(frame, F_EVENT_TIME);
      if (t === t) out.exchangeTsMs = t;
      return FrameKind.Notice;
    }
    if (eventType !== STR || !rangeEquals(frame, e0, e1, "bookTicker")) return FrameKind.Unknown;
  }

  const hasS = R[F_S * 3 + 2] !== ABSENT;
  const hasB = R[F_BID * 3 + 2] !== ABSENT;
  const hasBQ = R[F_BID_QTY * 3 + 2] !== ABSENT;
  const hasA = R[F_ASK * 3 + 2] !== ABSENT;
  const hasAQ = R[F_ASK_QTY * 3 + 2] !== ABSENT;
  if (!hasS && !hasB && !hasBQ && !hasA && !hasAQ) return classifyBinanceControl(frame, out);
  if (!hasS || R[F_S * 3 + 2] !== STR) return malformed(out, 'binance bookTicker: "s" missing or not a string');
  if (!hasB || !hasBQ || !hasA || !hasAQ) return malformed(out, 'binance bookTicker: "b", "B", "a" or "A" missing');
  // st 2 = a COIN-M item (merged !bookTicker after the CM migration): not ours.
  if (R[F_ST * 3 + 2] === NUM && rangeEquals(frame, R[F_ST * 3]!, R[F_ST * 3 + 1]!, "2")) return FrameKind.Unknown;

  const bid = num(frame, F_BID);
  const ask = num(frame, F_ASK);
  const bidQty = num(frame, F_BID_QTY);
  const askQty = num(frame, F_ASK_QTY);
  if (bid !== bid || ask !== ask) return malformed(out, 'binance bookTicker: "b" or "a" is not a number');
  if (bidQty !== bidQty || askQty !== askQty) return malformed(out, 'binance bookTicker: "B" or "A" is not a number');
  let ts = 0;
  if (R[F_TX_TIME * 3 + 2] !== ABSENT) ts = num(frame, F_TX_TIME);
  else if (R[F_EVENT_TIME * 3 + 2] !== ABSENT) ts = num(frame, F_EVENT_TIME);
  if (ts !== ts) return malformed(out, 'binance bookTicker: "T" or "E" is not a number');

  const s0 = R[F_S * 3]!;
  const s1 = R[F_S * 3 + 1]!;
  out.symStart = s0;
  out.symEnd = s1;
  if (symbols !== null) out.symbolIndex = hasEscape(frame, s0, s1) ? escapedSymbolIndex(frame, s0, s1, symbols) : symbols.lookup(frame, s0, s1);
  out.bid = bid;
  out.ask = ask;
  out.bidQty = bidQty;
  out.askQty = askQty;
  out.exchangeTsMs = ts;
  const reason = checkPrices(bid, ask);
  if (reason !== 0) {
    out.invalidReason = reason;
    return FrameKind.Invalid;
  }
  if (!Number.isFinite(bidQty) || !Number.isFinite(askQty)) {
    out.invalidReason = InvalidReason.NonFinite;
    return FrameKind.Invalid;
  }
  return FrameKind.Update;
}
