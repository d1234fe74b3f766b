// Bybit v5 frame parser (spot and linear orderbook.1): structural scan, best level per side, no allocation on updates.
// https://bybit-exchange.github.io/docs/v5/websocket/public/orderbook
import { checkPrices, parseDecimal } from "../num.ts";
import type { SymbolTable } from "../symbol-table.ts";
import { FrameKind, type FrameKindValue, InvalidReason, type QuoteRecord } from "../types.ts";
import { escapedSymbolIndex } from "../binance/control.ts";
import { MAX_FRAME_CHARS, code, digitsEnd, escapesValid, rangeEquals, rangeStartsWith, scalarEnd, skipWs, stringEnd, valueEnd } from "../binance/json-scan.ts";
import { classifyBybitControl } from "./control.ts";

const ORDERBOOK_1 = "orderbook.1.";
const BAD_JSON = "bybit: truncated or invalid JSON";
// Result of scanning one side's levels.
const LV_ABSENT = 0;
const LV_OK = 1;
const LV_BAD_SHAPE = 2;
const LV_GARBLED = 3;
/** Best level per side, written by scanLevels: [bidPx, bidQty, bidCount, askPx, askQty, askCount]. */
const L = new Float64Array(6);
// scanLevels outputs (module-level: parse is synchronous and never re-entered)
let levelState = LV_ABSENT;
let levelElementEnd = 0;

/** One level element (string or bare number) as a number; sets levelElementEnd (-1 on broken structure). */
function element(f: string, i: number): number {
  if (code(f, i) === 34) {
    const j = stringEnd(f, i);
    levelElementEnd = j < 0 ? -1 : j + 1;
    return j < 0 ? Number.NaN : parseDecimal(f, i + 1, j);
  }
  const j = scalarEnd(f, i);
  levelElementEnd = j;
  return j < 0 ? Number.NaN : parseDecimal(f, i, j);
}

/**
 * Scans [[price,size],...] at i, keeping the level with the best price and a non-zero size (highest bid,
 * lowest ask): size "0" is a removal in the pre-2025 L1 deltas. Writes L[o..o+2] and levelState.
 * End index, or -1 if the value is not shaped as levels.
 */
function scanLevels(f: string, i: number, o: number, bid: boolean): number {
  let best = Number.NaN;
  let bestQty = Number.NaN;
  let count = 0;
  let garbled = false;
  i = skipWs(f, i + 1);
  if (code(f, i) !== 93) {
    for (;;) {
      if (code(f, i) !== 91) return -1;
      const px = element(f, skipWs(f, i + 1));
      if (levelElementEnd < 0) return -1;
      i = skipWs(f, levelElementEnd);
      if (code(f, i) !== 44) return -1;
      const qty = element(f, skipWs(f, i + 1));
      if (levelElementEnd < 0) return -1;
      i = skipWs(f, levelElementEnd);
      // tolerate extra elements after [price, size]
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
      if (d === 93) break;
      if (d !== 44) return -1;
      i = skipWs(f, i + 1);
    }
  }
  L[o] = best;
  L[o + 1] = bestQty;
  L[o + 2] = count;
  levelState = garbled ? LV_GARBLED : LV_OK;
  return i + 1;
}

function malformed(out: QuoteRecord, message: string): FrameKindValue {
  out.message = message;
  return FrameKind.Malformed;
}

/** Number field at [start, end); NaN when absent (-1) or not a scalar (-2). */
function num(f: string, start: number, end: number): number {
  return start < 0 ? Number.NaN : parseDecimal(f, start, end);
}

/**
 * Parses one Bybit v5 public frame. Updates come from orderbook.1.<SYMBOL>, snapshot or (pre-2025) delta:
 * each side's best level with a non-zero size is taken, without merging into earlier state (parse is pure).
 * For an L1 delta that is the new top of book as long as the delta names it, which L1 deltas did.
 * A side with no non-zero level (b:[] / a:[], or only removals) → Invalid EmptySide: for a delta that
 * means "unchanged side" and the caller keeps its last quote. exchangeTsMs: cts (matching engine) else ts.
 * Other topics are Unknown, tickers.* included: spot tickers carry no bid/ask, and linear ticker deltas
 * are partial (they need the merge state a pure parser doesn't keep).
 * One function with locals walking the top-level object and (at depth 1) "data".
 */
export function parseBybit(frame: string | Uint8Array, out: QuoteRecord, symbols: SymbolTable | null): FrameKindValue {
  out.reset();
  if (typeof frame !== "string") return malformed(out, "bybit: binary frame (expected JSON text)");
  const f = frame;
  const n = f.length;
  if (n > MAX_FRAME_CHARS) return malformed(out, "bybit: oversize frame");
  // Quote frames carry no backslash: only then are escapes (in strings the walk skips) checked.
  const escaped = f.indexOf("\\") !== -1;
  if (escaped && !escapesValid(f)) return malformed(out, BAD_JSON);
  // Ranges of the values we read: start -1 = absent, -2 = present but not a string/number.
  let topicS = -1, topicE = 0, topicStr = false, tsS = -1, tsE = 0, ctsS = -1, ctsE = 0;
  let sS = -1, sE = 0, sStr = false, bidState = LV_ABSENT, askState = LV_ABSENT;
  let i = skipWs(f, 0);
  if (code(f, i) !== 123) return malformed(out, "bybit: not a JSON object");
  let depth = 0;
  let sawData = false;
  i = skipWs(f, i + 1);
  let c = code(f, i);
  let open = c !== 125;
  if (!open) i++;
  while (open) {
    if (c !== 34) return malformed(out, BAD_JSON);
    const ks = i + 1;
    // One-letter keys end two chars on; anything else takes the general string scan.
    const k1 = i + 2 < n && f.charCodeAt(i + 2) === 34 ? f.charCodeAt(ks) : 34;
    const ke = k1 !== 34 && k1 !== 92 ? i + 2 : stringEnd(f, i);
    if (ke < 0) return malformed(out, BAD_JSON);
    i = ke + 1;
    if (code(f, i) !== 58 /* : */) {
      i = skipWs(f, i);
      if (code(f, i) !== 58) return malformed(out, BAD_JSON);
    }
    c = code(f, ++i);
    if (c === 32 || c === 10 || c === 13 || c === 9) c = code(f, (i = skipWs(f, i)));
    const klen = ke - ks;
    const k0 = f.charCodeAt(ks);
    if (depth === 0 && c === 123 && !sawData && klen === 4 && rangeEquals(f, ks, ke, "data")) {
      depth = 1;
      sawData = true;
      i = skipWs(f, i + 1);
      c = code(f, i);
      if (c !== 125) continue;
      depth = 0;
      i++;
    } else if (depth === 1 && klen === 1 && (k0 === 98 /* b */ || k0 === 97) /* a */) {
      const bid = k0 === 98;
      let ve = c === 91 ? scanLevels(f, i, bid ? 0 : 3, bid) : -1;
      let state = levelState;
      if (ve < 0) {
        ve = valueEnd(f, i);
        if (ve < 0) return malformed(out, BAD_JSON);
        state = LV_BAD_SHAPE;
      }
      if (bid) bidState = state;
      else askState = state;
      i = ve;
    } else {
      let vs = i;
      let ve: number;
      if (c === 34) {
        ve = stringEnd(f, i);
        if (ve < 0) return malformed(out, BAD_JSON);
        vs = i + 1;
        i = ve + 1;
      } else if (c >= 49 && c <= 57) {
        // plain integers (ts, cts, u, seq) inline; fractions and exponents through the strict grammar
        ve = digitsEnd(f, i + 1);
        const d = code(f, ve);
        if (d === 46 || d === 101 || d === 69) ve = valueEnd(f, i);
        if (ve < 0) return malformed(out, BAD_JSON);
        i = ve;
      } else {
        ve = valueEnd(f, i);
        if (ve < 0) return malformed(out, BAD_JSON);
        i = ve;
        if (c !== 45 && c !== 48) vs = -2;
      }
      if (depth === 0) {
        if (klen === 5 && k0 === 116 && rangeEquals(f, ks, ke, "topic")) {
          topicS = vs;
          topicE = ve;
          topicStr = c === 34;
        } else if (klen === 2 && k0 === 116 && f.charCodeAt(ks + 1) === 115 /* ts */) {
          tsS = vs;
          tsE = ve;
        } else if (klen === 3 && k0 === 99 && rangeEquals(f, ks, ke, "cts")) {
          ctsS = vs;
          ctsE = ve;
        }
      } else if (klen === 1 && k0 === 115 /* s */) {
        sS = vs;
        sE = ve;
        sStr = c === 34;
      }
    }
    c = code(f, i);
    if (c !== 44 && c !== 125) {
      i = skipWs(f, i);
      c = code(f, i);
    }
    while (c === 125) {
      i++;
      if (depth === 0) {
        open = false;
        break;
      }
      depth = 0;
      c = code(f, i);
      if (c !== 44 && c !== 125) {
        i = skipWs(f, i);
        c = code(f, i);
      }
    }
    if (!open) break;
    if (c !== 44) return malformed(out, BAD_JSON);
    c = code(f, ++i);
    if (c !== 34) c = code(f, (i = skipWs(f, i)));
  }
  if (skipWs(f, i) !== n) return malformed(out, BAD_JSON);

  if (topicS === -1) return classifyBybitControl(f, out);
  if (!topicStr) return malformed(out, 'bybit: "topic" is not a string');
  if (!rangeStartsWith(f, topicS, topicE, ORDERBOOK_1)) return FrameKind.Unknown;
  if (!sawData) return malformed(out, 'bybit orderbook.1: "data" missing or not an object');
  if (sS < 0 || !sStr) return malformed(out, 'bybit orderbook.1: "data.s" missing or not a string');
  if (bidState === LV_ABSENT || bidState === LV_BAD_SHAPE || askState === LV_ABSENT || askState === LV_BAD_SHAPE) {
    return malformed(out, 'bybit orderbook.1: "data.b" or "data.a" missing or not [[price, size], ...]');
  }
  if (bidState === LV_GARBLED || askState === LV_GARBLED) return malformed(out, "bybit orderbook.1: a level price or size is not a number");
  let ts = 0;
  if (ctsS !== -1) ts = num(f, ctsS, ctsE);
  else if (tsS !== -1) ts = num(f, tsS, tsE);
  if (ts !== ts) return malformed(out, 'bybit orderbook.1: "cts" or "ts" is not a number');

  out.symStart = sS;
  out.symEnd = sE;
  if (symbols !== null) out.symbolIndex = escaped ? escapedSymbolIndex(f, sS, sE, symbols) : symbols.lookup(f, sS, sE);
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
