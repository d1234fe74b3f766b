// Bybit v5 frame parser (spot and linear orderbook.1): structural scan, best level per side, no allocation on updates.
// https://bybit-exchange.github.io/docs/v5/websocket/public/orderbook
import { parseDecimal, parseDecimalBytes } from "../num.ts";
import type { SymbolTable } from "../symbol-table.ts";
import { FrameKind, type FrameKindValue, InvalidReason, type QuoteRecord } from "../types.ts";
import { escapedSymbolIndex } from "../shared/escaped-symbol.ts";
import { closeAt, BYTES, code, codes, digitsEndAt, FRAME_END, integerAt, isDataKey, loadCompactObject, MAX_FRAME_CHARS, otherKeyValueAt, quotedDecimalAt, rangeEquals, rangeNum as num, rangeStartsWith, scalarEnd, scalarValue, skipWs, stringEnd, stringEndAt, symbolIndexAt, valueEnd, WALKED, walkFrame, type WalkMessages, type WalkScan, WORDS } from "../shared/scan/index.ts";
import { FAST_FALLBACK, invalid, malformed, quoteOutcome } from "../shared/outcome.ts";
import { classifyBybitControl } from "./control.ts";

const TOPIC = codes("topic");
const CTS = codes("cts");

const ORDERBOOK_1 = codes("orderbook.1.");
const BAD_JSON = "bybit: truncated or invalid JSON";
// A book side's scan state (WalkScan.sideState).
const LV_ABSENT = 0;
const LV_OK = 1;
const LV_BAD_SHAPE = 2;
const LV_GARBLED = 3;
// WalkScan.levels offsets of the two sides ([px, qty, count] each) and sideState indexes.
const BID = 0;
const ASK = 3;

/** One level element (string or bare number) as a number; sets w.end (-1 on broken structure). */
function element(f: string, i: number, w: WalkScan): number {
  if (code(f, i) === 34) {
    const j = stringEnd(f, i);
    w.end = j < 0 ? -1 : j + 1;
    return j < 0 ? Number.NaN : parseDecimal(f, i + 1, j);
  }
  const j = scalarEnd(f, i);
  w.end = j;
  return j < 0 ? Number.NaN : parseDecimal(f, i, j);
}

/**
 * Scans [[price,size],...] at i, keeping the level with the best price and a non-zero size (highest bid,
 * lowest ask): size "0" is a removal in the pre-2025 L1 deltas. Writes w.levels[o..o+2] and the side's state.
 * End index, or -1 if the value is not shaped as levels.
 */
function scanLevels(f: string, i: number, o: number, w: WalkScan): number {
  const bid = o === BID;
  let best = Number.NaN;
  let bestQty = Number.NaN;
  let count = 0;
  let garbled = false;
  i = skipWs(f, i + 1);
  if (code(f, i) !== 93) {
    for (;;) {
      if (code(f, i) !== 91) return -1;
      const px = element(f, skipWs(f, i + 1), w);
      if (w.end < 0) return -1;
      i = skipWs(f, w.end);
      if (code(f, i) !== 44) return -1;
      const qty = element(f, skipWs(f, i + 1), w);
      if (w.end < 0) return -1;
      i = skipWs(f, w.end);
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
  const l = w.levels;
  l[o] = best;
  l[o + 1] = bestQty;
  l[o + 2] = count;
  w.sideState[bid ? 0 : 1] = garbled ? LV_GARBLED : LV_OK;
  return i + 1;
}

/** parseBybitFast's "not handled here" (FAST_FALLBACK): the caller runs the structural walk (parseBybitSlow). */
export { FAST_FALLBACK };

/**
 * Parses one Bybit v5 public frame. Updates come from orderbook.1.<SYMBOL>, snapshot or (pre-2025) delta:
 * each side's best level with a non-zero size is taken, without merging into earlier state (parse is pure).
 * For an L1 delta that is the new top of book as long as the delta names it, which L1 deltas did.
 * A side with no non-zero level (b:[] / a:[], or only removals) → Invalid EmptySide: for a delta that
 * means "unchanged side" and the caller keeps its last quote. exchangeTsMs: cts (matching engine) else ts.
 * Other topics are Unknown, tickers.* included: spot tickers carry no bid/ask, and linear ticker deltas
 * are partial (they need the merge state a pure parser doesn't keep).
 * Compact orderbook.1 frames take parseBybitFast; everything else (and any frame it is unsure of) takes
 * parseBybitSlow. Both give the same outcome and values on every frame the fast path accepts
 * (tests/exchanges/bybit-fastpath.test.ts checks that differentially).
 */
export function parseBybit(frame: string | Uint8Array, out: QuoteRecord, symbols: SymbolTable | null): FrameKindValue {
  if (typeof frame === "string" && frame.length <= MAX_FRAME_CHARS) {
    const k = parseBybitFast(frame, out, symbols);
    if (k !== FAST_FALLBACK) return k as FrameKindValue;
  }
  return parseBybitSlow(frame, out, symbols);
}

/**
 * Fast path for compact orderbook.1 frames: returns Update or Invalid exactly as parseBybitSlow would, or
 * FAST_FALLBACK (0) for anything else; `out` is only written when the result is not FAST_FALLBACK.
 *
 * Accepted language (a strict subset of what the slow walk accepts, so "accepted here" implies "same tokens
 * there"): pure ASCII, f[0] = '{', f[last] = '}', no backslash, no whitespace outside strings, the top-level
 * object and at most one "data" object directly inside it (the first "data" key whose value is an object, as
 * in the slow walk). Values: strings, plain integers [1-9][0-9]*, and, for "b" / "a" inside "data" only,
 * level arrays [] or [["px","size"],...] whose elements are strings holding numbers. Anything else
 * (whitespace, other nested values, literals, other number forms, extra level elements, non-ASCII,
 * trailing text) falls back.
 *
 * Key-looking text can't fool it (see parseBinanceFast in binance/parse.ts for the argument): it follows
 * the structure, never searches for keys; with no backslash a string ends at its first '"'; nested values
 * other than "data" and the level arrays are refused, so keys inside them are never read. As in the slow
 * walk, "topic", "ts", "cts" count at the top level only, "s", "b", "a" inside "data" only, and a repeated
 * key keeps its last value.
 *
 * Outcome rules, the slow path's restricted to the update case: "topic" a string starting "orderbook.1.";
 * "data" present; "s" a string; "b" and "a" level arrays whose prices and sizes are numbers, sizes >= 0;
 * "cts" / "ts" plain integers. Anything else (control frames, other topics, missing or garbled fields)
 * falls back, and the slow path produces the outcome and message.
 */
export function parseBybitFast(f: string, out: QuoteRecord, symbols: SymbolTable | null): number {
  const n = f.length;
  if (!loadCompactObject(f, n)) return FAST_FALLBACK;
  const b = BYTES;
  const w = WORDS;
  const scan = out.walk;
  let topicSeen = false;
  let tsS = -1;
  let tsE = 0;
  let ctsS = -1;
  let ctsE = 0;
  let sS = -1;
  let sE = 0;
  let bidSeen = false;
  let askSeen = false;
  let bid = Number.NaN;
  let bidQty = Number.NaN;
  let bidCount = 0;
  let ask = Number.NaN;
  let askQty = Number.NaN;
  let askCount = 0;
  let depth = 0;
  let sawData = false;
  let i = 1;
  for (;;) {
    // A key at i, which follows '{' or ',' (so i <= n - 1). Each matched pattern ends in ':', a byte that is
    // neither the sentinel nor padding, so a match lies inside the frame.
    const kw = w.getInt32(i, true);
    let cls: number;
    if ((kw & 0xffff00ff) === 0x3a220022 /* "?": */) {
      const k = (kw >>> 8) & 0xff;
      if (k === 34 || k === 92) return FAST_FALLBACK; // a quote or backslash: another string shape
      cls = depth === 0 ? K_OTHER : k === 98 /* b */ ? K_BIDS : k === 97 /* a */ ? K_ASKS : k === 115 /* s */ ? K_SYMBOL : K_OTHER;
      i += 4;
    } else if (kw === 0x22737422 /* "ts" */ && b[i + 4] === 58) {
      cls = depth === 0 ? K_TS : K_OTHER;
      i += 5;
    } else if (kw === 0x73746322 /* "cts */ && b[i + 4] === 34 && b[i + 5] === 58) {
      cls = depth === 0 ? K_CTS : K_OTHER;
      i += 6;
    } else if (kw === 0x706f7422 /* "top */ && w.getInt32(i + 4, true) === 0x3a226369 /* ic": */) {
      cls = depth === 0 ? K_TOPIC : K_OTHER;
      i += 8;
    } else if (isDataKey(kw, i)) {
      cls = K_DATA;
      i += 7;
    } else {
      i = otherKeyValueAt(kw, i, n);
      if (i < 0) return FAST_FALLBACK;
      cls = K_OTHER;
    }
    // The value at i: i <= n - 1, the ':' before it is not the final '}'.
    const c = b[i]!;
    if (c === 34) {
      const vs = i + 1;
      if (cls === K_TOPIC) {
        // "orderbook.1." then the symbol: "orde", "rboo", "k.1." (else another topic: the slow path says Unknown)
        if (w.getInt32(vs, true) !== 0x6564726f || w.getInt32(vs + 4, true) !== 0x6f6f6272 || w.getInt32(vs + 8, true) !== 0x2e312e6b) {
          return FAST_FALLBACK;
        }
        topicSeen = true;
      } else if (cls !== K_OTHER && cls !== K_SYMBOL && cls !== K_DATA) return FAST_FALLBACK; // b / a / ts / cts as strings
      const ve = stringEndAt(vs);
      if (ve < 0 || ve >= n) return FAST_FALLBACK;
      if (cls === K_SYMBOL) {
        sS = vs;
        sE = ve;
      }
      i = ve + 1;
    } else if (c >= 49 && c <= 57) {
      // [1-9][0-9]*; what follows must be ',' or '}' (checked below), so fractions and exponents fall back
      const ve = digitsEndAt(i + 1);
      if (cls === K_TS) {
        tsS = i;
        tsE = ve;
      } else if (cls === K_CTS) {
        ctsS = i;
        ctsE = ve;
      } else if (cls !== K_OTHER && cls !== K_DATA) return FAST_FALLBACK;
      i = ve;
    } else if (c === 91 /* [ */ && (cls === K_BIDS || cls === K_ASKS)) {
      const o = cls === K_BIDS ? BID : ASK;
      i = levelsAt(i, n, o, scan);
      if (i < 0) return FAST_FALLBACK;
      const l = scan.levels;
      if (o === BID) {
        bidSeen = true;
        bid = l[BID]!;
        bidQty = l[BID + 1]!;
        bidCount = l[BID + 2]!;
      } else {
        askSeen = true;
        ask = l[ASK]!;
        askQty = l[ASK + 1]!;
        askCount = l[ASK + 2]!;
      }
    } else if (c === 123 && cls === K_DATA && depth === 0 && !sawData) {
      depth = 1;
      sawData = true;
      i++;
      continue;
    } else return FAST_FALLBACK;
    // After a value: i <= n - 1 (a string's closing quote, a digit run or a ']' is never the final '}').
    if (b[i] === 44 /* , */) {
      i++;
      continue;
    }
    const next = closeAt(i, n, depth);
    if (next === FRAME_END) break;
    if (next < 0) return FAST_FALLBACK;
    depth = 0; // "data" closed
    i = next;
  }
  if (!topicSeen || !sawData || sS < 0 || !bidSeen || !askSeen) return FAST_FALLBACK;
  // cts, else ts, else 0.
  let ts = 0;
  if (ctsS >= 0) ts = integerAt(ctsS, ctsE);
  else if (tsS >= 0) ts = integerAt(tsS, tsE);

  out.reset();
  out.symStart = sS;
  out.symEnd = sE;
  // ASCII: the byte range is the char range, and lookupBytes (memoized) reads the same codes as lookup.
  if (symbols !== null) out.symbolIndex = symbolIndexAt(symbols, sS, sE);
  out.setQuote(bid, ask, bidQty, askQty);
  out.exchangeTsMs = ts;
  if (bidCount === 0 || askCount === 0) return invalid(out, InvalidReason.EmptySide);
  return quoteOutcome(out, bid, ask, bidQty, askQty);
}

// Key classes of the fast path (depth decides: topic / ts / cts count at the top level, s / b / a in "data").
const K_OTHER = 0;
const K_TOPIC = 1;
const K_TS = 2;
const K_CTS = 3;
const K_DATA = 4;
const K_SYMBOL = 5;
const K_BIDS = 6;
const K_ASKS = 7;

/** One level element at i (just after its opening quote): its value; w.end = closing quote, -1 if unusable. */
function levelElement(i: number, n: number, w: WalkScan): number {
  let v = quotedDecimalAt(i, w);
  let e = w.end;
  if (e < 0) {
    e = stringEndAt(i);
    if (e >= 0 && e < n) v = parseDecimalBytes(BYTES, i, e);
  }
  w.end = e < n ? e : -1;
  return v;
}

/**
 * Fast form of scanLevels: [] or [["px","size"],...] at i (the '['), exactly two string elements per level.
 * Keeps the level with the best price and a non-zero size, as scanLevels does (size "0" is a removal).
 * Returns the index after the ']' and sets w.levels[o..o+2] (price, size, count), or -1 for any other shape
 * and for a price or size that is not a number or a negative size (the slow path then decides).
 */
function levelsAt(i: number, n: number, o: number, w: WalkScan): number {
  const b = BYTES;
  const bids = o === BID;
  let best = Number.NaN;
  let bestQty = Number.NaN;
  let count = 0;
  i++;
  if (b[i] !== 93 /* ] */) {
    for (;;) {
      if (b[i] !== 91 || b[i + 1] !== 34) return -1; // ["
      const px = levelElement(i + 2, n, w);
      const pe = w.end;
      if (pe < 0 || b[pe + 1] !== 44 || b[pe + 2] !== 34) return -1; // ","
      const qty = levelElement(pe + 3, n, w);
      const qe = w.end;
      if (qe < 0 || b[qe + 1] !== 93) return -1; // "]
      if (!(qty >= 0) || px !== px) return -1;
      if (qty !== 0) {
        if (count === 0 || (bids ? px > best : px < best)) {
          best = px;
          bestQty = qty;
        }
        count++;
      }
      i = qe + 2;
      const d = b[i];
      if (d === 93) break;
      if (d !== 44) return -1;
      i++;
    }
  }
  const l = w.levels;
  l[o] = best;
  l[o + 1] = bestQty;
  l[o + 2] = count;
  return i + 1;
}

// Field slots of out.walk (WalkScan) the slow walk keeps: topic, ts, cts at the top level, s inside "data".
const F_TOPIC = 0, F_TS = 1, F_CTS = 2, F_S = 3;

const MESSAGES: WalkMessages = {
  binary: "bybit: binary frame (expected JSON text)",
  oversize: "bybit: oversize frame",
  badJson: BAD_JSON,
  notObject: "bybit: not a JSON object",
};

/**
 * walkFrame's member function: "topic", "ts", "cts" count at the top level only; "s" and the level arrays
 * "b" / "a" inside "data" only.
 */
function bybitMember(f: string, ks: number, ke: number, depth: number, i: number, c: number, w: WalkScan): number {
  const klen = ke - ks;
  const k0 = f.charCodeAt(ks);
  if (depth === 1 && klen === 1 && (k0 === 98 /* b */ || k0 === 97) /* a */) {
    const side = k0 === 98 ? 0 : 1;
    let ve = c === 91 ? scanLevels(f, i, side === 0 ? BID : ASK, w) : -1;
    if (ve < 0) {
      ve = valueEnd(f, i);
      if (ve < 0) return -1;
      w.sideState[side] = LV_BAD_SHAPE;
    }
    return ve;
  }
  const end = scalarValue(f, i, c, w);
  if (end < 0) return -1;
  if (depth === 0) {
    if (klen === 5 && k0 === 116 && rangeEquals(f, ks, ke, TOPIC)) w.keep(F_TOPIC, c === 34);
    else if (klen === 2 && k0 === 116 && f.charCodeAt(ks + 1) === 115 /* ts */) w.keep(F_TS, c === 34);
    else if (klen === 3 && k0 === 99 && rangeEquals(f, ks, ke, CTS)) w.keep(F_CTS, c === 34);
  } else if (klen === 1 && k0 === 115 /* s */) w.keep(F_S, c === 34);
  return end;
}

/** The full structural walk (shared/scan/walk.ts): any frame, any outcome. */
export function parseBybitSlow(frame: string | Uint8Array, out: QuoteRecord, symbols: SymbolTable | null): FrameKindValue {
  const w = out.walk;
  w.clearFields();
  const sides = w.sideState;
  sides[0] = sides[1] = LV_ABSENT;
  const k = walkFrame(frame, out, bybitMember, MESSAGES);
  if (k !== WALKED) return k as FrameKindValue;
  const f = frame as string;
  const st = w.start;
  const en = w.stop;
  const topicS = st[F_TOPIC]!, tsS = st[F_TS]!, ctsS = st[F_CTS]!, sS = st[F_S]!;

  if (topicS === -1) return classifyBybitControl(f, out);
  if (w.isString[F_TOPIC] !== 1) return malformed(out, 'bybit: "topic" is not a string');
  if (!rangeStartsWith(f, topicS, en[F_TOPIC]!, ORDERBOOK_1)) return FrameKind.Unknown;
  if (!w.sawData) return malformed(out, 'bybit orderbook.1: "data" missing or not an object');
  if (sS < 0 || w.isString[F_S] !== 1) return malformed(out, 'bybit orderbook.1: "data.s" missing or not a string');
  const bidState = sides[0]!;
  const askState = sides[1]!;
  if (bidState === LV_ABSENT || bidState === LV_BAD_SHAPE || askState === LV_ABSENT || askState === LV_BAD_SHAPE) {
    return malformed(out, 'bybit orderbook.1: "data.b" or "data.a" missing or not [[price, size], ...]');
  }
  if (bidState === LV_GARBLED || askState === LV_GARBLED) return malformed(out, "bybit orderbook.1: a level price or size is not a number");
  let ts = 0;
  if (ctsS !== -1) ts = num(f, ctsS, en[F_CTS]!);
  else if (tsS !== -1) ts = num(f, tsS, en[F_TS]!);
  if (ts !== ts) return malformed(out, 'bybit orderbook.1: "cts" or "ts" is not a number');

  const sE = en[F_S]!;
  const l = w.levels;
  out.symStart = sS;
  out.symEnd = sE;
  if (symbols !== null) out.symbolIndex = w.escaped ? escapedSymbolIndex(f, sS, sE, symbols) : symbols.lookup(f, sS, sE);
  out.exchangeTsMs = ts;
  out.setQuote(l[BID]!, l[ASK]!, l[BID + 1]!, l[ASK + 1]!);
  if (l[BID + 2] === 0 || l[ASK + 2] === 0) return invalid(out, InvalidReason.EmptySide);
  return quoteOutcome(out, out.bid, out.ask, out.bidQty, out.askQty);
}
