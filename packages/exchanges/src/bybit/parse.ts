// Bybit v5 frame parser (spot and linear orderbook.1): structural scan, best level per side, no allocation on updates.
// https://bybit-exchange.github.io/docs/v5/websocket/public/orderbook
import { checkPrices, parseDecimal } from "../num.ts";
import type { SymbolTable } from "../symbol-table.ts";
import { FrameKind, type FrameKindValue, InvalidReason, type QuoteRecord } from "../types.ts";
import { escapedSymbolIndex } from "../binance/control.ts";
import { MAX_FRAME_CHARS, code, hasEscape, rangeEquals, rangeStartsWith, scalarEnd, skipWs, stringEnd, valueEnd } from "../binance/json-scan.ts";
import { classifyBybitControl } from "./control.ts";

// R: [start, end, type] for topic, ts, cts, data.s; then side states and the data-object flag.
const F_TOPIC = 0;
const F_TS = 3;
const F_CTS = 6;
const F_SYM = 9;
const SIDE_BID = 12;
const SIDE_ASK = 13;
const DATA_SEEN = 14;
const ABSENT = 0;
const STR = 1;
const NUM = 2;
const OTHER = 3;
// side states
const LV_OK = 1;
const LV_BAD_SHAPE = 2;
const LV_GARBLED = 3;
// Module-level scratch is safe: parse is synchronous and never re-entered.
const R = new Int32Array(15);
/** [bidPx, bidQty, bidCount, askPx, askQty, askCount] */
const L = new Float64Array(6);
let next = 0;

const ORDERBOOK_1 = "orderbook.1.";

function capture(f: string, field: number, vs: number, ve: number): void {
  const c = f.charCodeAt(vs);
  if (c === 34) {
    R[field] = vs + 1;
    R[field + 1] = ve - 1;
    R[field + 2] = STR;
  } else {
    R[field] = vs;
    R[field + 1] = ve;
    R[field + 2] = c === 45 || (c >= 48 && c <= 57) ? NUM : OTHER;
  }
}

/** One level element (string or bare number) as a number; sets `next` (-1 on broken structure). */
function element(f: string, i: number): number {
  if (code(f, i) === 34) {
    const j = stringEnd(f, i);
    next = j < 0 ? -1 : j + 1;
    return j < 0 ? Number.NaN : parseDecimal(f, i + 1, j);
  }
  const j = scalarEnd(f, i);
  next = j;
  return j < 0 ? Number.NaN : parseDecimal(f, i, j);
}

/**
 * Scans [[price,size],...] at i, keeping the best level with a non-zero size (highest bid / lowest ask):
 * size "0" is a removal in the pre-2025 L1 deltas. End index, or -1 if not shaped as levels.
 */
function scanLevels(f: string, i: number, o: number, side: number, bid: boolean): number {
  let best = Number.NaN;
  let bestQty = Number.NaN;
  let count = 0;
  let garbled = false;
  i = skipWs(f, i + 1);
  if (code(f, i) !== 93) {
    for (;;) {
      if (code(f, i) !== 91) return -1;
      const px = element(f, skipWs(f, i + 1));
      if (next < 0) return -1;
      i = skipWs(f, next);
      if (code(f, i) !== 44) return -1;
      const qty = element(f, skipWs(f, i + 1));
      if (next < 0) return -1;
      i = skipWs(f, next);
      while (code(f, i) === 44) {
        const e = valueEnd(f, skipWs(f, i + 1));
        if (e < 0) return -1;
        i = skipWs(f, e);
      }
      if (code(f, i) !== 93) return -1;
      if (px !== px || qty !== qty || qty < 0) garbled = true;
      else if (qty !== 0) {
        if (count === 0 || (bid ? px > best : px < best)) {
          best = px;
          bestQty = qty;
        }
        count++;
      }
      i = skipWs(f, i + 1);
      const d = code(f, i);
      if (d === 44) {
        i = skipWs(f, i + 1);
        continue;
      }
      if (d !== 93) return -1;
      break;
    }
  }
  L[o] = best;
  L[o + 1] = bestQty;
  L[o + 2] = count;
  R[side] = garbled ? LV_GARBLED : LV_OK;
  return i + 1;
}

/** Walks `data`: captures s, scans b and a. End index or -1. */
function walkData(f: string, i: number): number {
  i = skipWs(f, i + 1);
  if (code(f, i) === 125) return i + 1;
  for (;;) {
    if (code(f, i) !== 34) return -1;
    const ks = i + 1;
    const ke = stringEnd(f, i);
    if (ke < 0) return -1;
    i = skipWs(f, ke + 1);
    if (code(f, i) !== 58) return -1;
    const vs = skipWs(f, i + 1);
    const k = ke - ks === 1 ? f.charCodeAt(ks) : 0;
    let ve = -1;
    if (k === 98 /* b */ || k === 97 /* a */) {
      const bid = k === 98;
      const side = bid ? SIDE_BID : SIDE_ASK;
      if (code(f, vs) === 91) ve = scanLevels(f, vs, bid ? 0 : 3, side, bid);
      if (ve < 0) {
        ve = valueEnd(f, vs);
        R[side] = LV_BAD_SHAPE;
      }
    } else {
      ve = valueEnd(f, vs);
      if (k === 115 /* s */ && ve >= 0) capture(f, F_SYM, vs, ve);
    }
    if (ve < 0) return -1;
    i = skipWs(f, ve);
    const d = code(f, i);
    if (d === 44) {
      i = skipWs(f, i + 1);
      continue;
    }
    return d === 125 ? i + 1 : -1;
  }
}

/** Walks the top-level object: captures topic, ts, cts, descends into data. End index or -1. */
function walkTop(f: string, i: number): number {
  i = skipWs(f, i + 1);
  if (code(f, i) === 125) return i + 1;
  for (;;) {
    if (code(f, i) !== 34) return -1;
    const ks = i + 1;
    const ke = stringEnd(f, i);
    if (ke < 0) return -1;
    i = skipWs(f, ke + 1);
    if (code(f, i) !== 58) return -1;
    const vs = skipWs(f, i + 1);
    const klen = ke - ks;
    let ve: number;
    if (klen === 4 && code(f, vs) === 123 && rangeEquals(f, ks, ke, "data")) {
      ve = walkData(f, vs);
      R[DATA_SEEN] = 1;
    } else {
      ve = valueEnd(f, vs);
      if (ve >= 0) {
        if (klen === 5 && rangeEquals(f, ks, ke, "topic")) capture(f, F_TOPIC, vs, ve);
        else if (klen === 2 && rangeEquals(f, ks, ke, "ts")) capture(f, F_TS, vs, ve);
        else if (klen === 3 && rangeEquals(f, ks, ke, "cts")) capture(f, F_CTS, vs, ve);
      }
    }
    if (ve < 0) return -1;
    i = skipWs(f, ve);
    const d = code(f, i);
    if (d === 44) {
      i = skipWs(f, i + 1);
      continue;
    }
    return d === 125 ? i + 1 : -1;
  }
}

function malformed(out: QuoteRecord, message: string): FrameKindValue {
  out.message = message;
  return FrameKind.Malformed;
}

function num(f: string, field: number): number {
  const t = R[field + 2];
  if (t !== STR && t !== NUM) return Number.NaN;
  return parseDecimal(f, R[field]!, R[field + 1]!);
}

/**
 * Parses one Bybit v5 public frame. Updates come from orderbook.1.<SYMBOL>, snapshot or (pre-2025) delta:
 * each side's best level with a non-zero size is taken, without merging into earlier state (parse is pure).
 * For an L1 delta that is the new top of book as long as the delta names it, which L1 deltas did.
 * A side with no non-zero level (b:[] / a:[], or only removals) → Invalid EmptySide: for a delta that
 * means "unchanged side" and the caller keeps its last quote. exchangeTsMs: cts (matching engine) else ts.
 */
export function parseBybit(frame: string | Uint8Array, out: QuoteRecord, symbols: SymbolTable | null): FrameKindValue {
  out.reset();
  if (typeof frame !== "string") return malformed(out, "bybit: binary frame (expected JSON text)");
  if (frame.length > MAX_FRAME_CHARS) return malformed(out, "bybit: oversize frame");
  R[F_TOPIC + 2] = ABSENT;
  R[F_TS + 2] = ABSENT;
  R[F_CTS + 2] = ABSENT;
  R[F_SYM + 2] = ABSENT;
  R[SIDE_BID] = ABSENT;
  R[SIDE_ASK] = ABSENT;
  R[DATA_SEEN] = 0;
  const start = skipWs(frame, 0);
  if (code(frame, start) !== 123) return malformed(out, "bybit: not a JSON object");
  const end = walkTop(frame, start);
  if (end < 0 || skipWs(frame, end) !== frame.length) return malformed(out, "bybit: truncated or invalid JSON");

  const topicType = R[F_TOPIC + 2];
  if (topicType === ABSENT) return classifyBybitControl(frame, out);
  if (topicType !== STR) return malformed(out, 'bybit: "topic" is not a string');
  if (!rangeStartsWith(frame, R[F_TOPIC]!, R[F_TOPIC + 1]!, ORDERBOOK_1)) return FrameKind.Unknown;
  if (R[DATA_SEEN] === 0) return malformed(out, 'bybit orderbook.1: "data" missing or not an object');
  if (R[F_SYM + 2] !== STR) return malformed(out, 'bybit orderbook.1: "data.s" missing or not a string');
  const bidState = R[SIDE_BID];
  const askState = R[SIDE_ASK];
  if (bidState === ABSENT || bidState === LV_BAD_SHAPE || askState === ABSENT || askState === LV_BAD_SHAPE) {
    return malformed(out, 'bybit orderbook.1: "data.b" or "data.a" missing or not [[price, size], ...]');
  }
  if (bidState === LV_GARBLED || askState === LV_GARBLED) return malformed(out, "bybit orderbook.1: a level price or size is not a number");
  let ts = 0;
  if (R[F_CTS + 2] !== ABSENT) ts = num(frame, F_CTS);
  else if (R[F_TS + 2] !== ABSENT) ts = num(frame, F_TS);
  if (ts !== ts) return malformed(out, 'bybit orderbook.1: "cts" or "ts" is not a number');

  const s0 = R[F_SYM]!;
  const s1 = R[F_SYM + 1]!;
  out.symStart = s0;
  out.symEnd = s1;
  if (symbols !== null) out.symbolIndex = hasEscape(frame, s0, s1) ? escapedSymbolIndex(frame, s0, s1, symbols) : symbols.lookup(frame, s0, s1);
  out.exchangeTsMs = ts;
  out.bid = L[0]!;
  out.bidQty = L[1]!;
  out.ask = L[3]!;
  out.askQty = L[4]!;
  if (L[2] === 0 || L[5] === 0) {
    out.invalidReason = InvalidReason.EmptySide;
    return FrameKind.Invalid;
  }
  const reason = checkPrices(out.bid, out.ask);
  if (reason !== 0) {
    out.invalidReason = reason;
    return FrameKind.Invalid;
  }
  if (!Number.isFinite(out.bidQty) || !Number.isFinite(out.askQty)) {
    out.invalidReason = InvalidReason.NonFinite;
    return FrameKind.Invalid;
  }
  return FrameKind.Update;
}
