// Binance frame parser (spot and USD-M bookTicker, combined or raw): structural scan, no allocation on updates.
// https://developers.binance.com/docs/binance-spot-api-docs/web-socket-streams (Individual Symbol Book Ticker Streams)
// https://developers.binance.com/docs/derivatives/usds-margined-futures/websocket-market-streams/Individual-Symbol-Book-Ticker-Streams
import { parseDecimalBytes } from "../num.ts";
import type { SymbolTable } from "../symbol-table.ts";
import { FrameKind, type FrameKindValue, type QuoteRecord } from "../types.ts";
import { classifyBinanceControl } from "./control.ts";
import { escapedSymbolIndex } from "../shared/escaped-symbol.ts";
import { closeAt, BYTES, codes, digitsEndAt, FRAME_END, integerAt, isDataKey, loadCompactObject, MAX_FRAME_CHARS, otherKeyValueAt, quotedDecimalAt, rangeEquals, rangeNum as num, scalarValue, stringEndAt, symbolIndexAt, WALKED, walkFrame, type WalkMessages, type WalkScan, WORDS } from "../shared/scan/index.ts";
import { FAST_FALLBACK, malformed, quoteOutcome } from "../shared/outcome.ts";

const SERVER_SHUTDOWN = codes("serverShutdown");
const BOOK_TICKER = codes("bookTicker");
const COIN_M_STATUS = codes("2");

/** parseBinanceFast's "not handled here" (FAST_FALLBACK): the caller runs the structural walk (parseBinanceSlow). */
export { FAST_FALLBACK };

const BAD_JSON = "binance: truncated or invalid JSON";

/**
 * Parses one Binance frame. Updates: bookTicker payloads, combined ({"stream","data"}) or raw.
 * Compact update frames take parseBinanceFast; everything else (and any frame it is unsure of) takes
 * parseBinanceSlow, the full structural walk. Both give the same outcome and values on every frame the fast
 * path accepts (tests/exchanges/binance-fastpath.test.ts checks that differentially).
 */
export function parseBinance(frame: string | Uint8Array, out: QuoteRecord, symbols: SymbolTable | null): FrameKindValue {
  if (typeof frame === "string" && frame.length <= MAX_FRAME_CHARS) {
    const k = parseBinanceFast(frame, out, symbols);
    if (k !== FAST_FALLBACK) return k as FrameKindValue;
  }
  return parseBinanceSlow(frame, out, symbols);
}

/**
 * Fast path for compact update frames: returns Update or Invalid exactly as parseBinanceSlow would, or
 * FAST_FALLBACK (0) for anything else; `out` is only written when the result is not FAST_FALLBACK.
 *
 * Accepted language (a strict subset of what the slow walk accepts, so "accepted here" implies "same
 * tokens there"): pure ASCII, f[0] = '{', f[last] = '}', no backslash, no whitespace outside strings, the
 * top-level object and at most one "data" object directly inside it (the first "data" key whose value is an
 * object, as in the slow walk); every other value is a string or a plain integer [1-9][0-9]*. Anything else
 * (whitespace, nested objects or arrays, literals, negative, fractional or exponent numbers, a leading zero,
 * non-ASCII text, trailing text) falls back.
 *
 * Why key-looking text cannot fool it ("b":"1" inside a string value or inside an unknown nested object):
 * it never searches for keys. It follows the structure: at each position it expects a key string, ':' and
 * one value. With no backslash in a string, a '"' always opens or closes a string, so the first '"' after an
 * opening one closes it and text inside strings is never read as structure; a string directly followed by
 * ':' at a key position is a key of the object being walked; nested objects and arrays are not skipped but
 * refused (fallback), so no key inside them is ever read. As in the slow walk, the keys of the top level and
 * of "data" share one namespace and a repeated key keeps its last value.
 * (Locating keys with indexOf('"b":"') instead was measured at 15-20 ns per call here: six of them alone
 * exceed the budget, and they would still need this validation to keep the slow path's outcomes.)
 *
 * Outcome rules, the slow path's, restricted to the update case: every "e" must be the string "bookTicker";
 * "s" a string; "b", "B", "a", "A" strings holding numbers; "T" / "E" plain integers; "st" not "2". Any other
 * case (control frames, notices, other events, COIN-M items, missing or garbled fields) falls back, and the
 * slow path produces the Ack / Unknown / Notice / Malformed outcome and message.
 *
 * Reads bytes through shared/scan/bytes.ts (see its preconditions (A) and (S)); every position a scan returns is
 * checked to be < n before it is used.
 */
export function parseBinanceFast(f: string, out: QuoteRecord, symbols: SymbolTable | null): number {
  const n = f.length;
  if (!loadCompactObject(f, n)) return FAST_FALLBACK;
  const b = BYTES;
  const w = WORDS;
  const scan = out.walk;
  let sS = -1;
  let sE = 0;
  let bid = Number.NaN;
  let bidQty = Number.NaN;
  let ask = Number.NaN;
  let askQty = Number.NaN;
  let seen = 0; // bit 1 << class for b, B, a, A
  let txS = -1;
  let txE = 0;
  let etS = -1;
  let etE = 0;
  let stS = -1;
  let stE = 0;
  let depth = 0;
  let sawData = false;
  let i = 1;
  for (;;) {
    // A key at i, which follows '{' or ',' (so i <= n - 1). Each matched pattern ends in ':', a byte that is
    // neither the sentinel nor padding, so a match lies inside the frame. A key char may not be a quote or a
    // backslash (that would be another string shape than the pattern suggests).
    const kw = w.getInt32(i, true);
    let cls: number;
    if ((kw & 0xffff00ff) === 0x3a220022 /* "?": */) {
      const k = (kw >>> 8) & 0xff;
      if (k === 34 || k === 92) return FAST_FALLBACK;
      cls = ONE_LETTER_KEY[k]!; // k < 128 (ASCII)
      i += 4;
    } else if ((kw & 0xff0000ff) === 0x22000022 /* "??" */ && b[i + 4] === 58) {
      const k1 = (kw >>> 8) & 0xff;
      const k2 = (kw >>> 16) & 0xff;
      if (k1 === 34 || k1 === 92 || k2 === 34 || k2 === 92) return FAST_FALLBACK;
      cls = kw === 0x22747322 /* "st" */ ? K_ST : K_OTHER;
      i += 5;
    } else if (isDataKey(kw, i)) {
      cls = K_DATA;
      i += 7;
    } else if (kw === 0x72747322 /* "str */ && w.getInt32(i + 4, true) === 0x226d6165 /* eam" */ && b[i + 8] === 58) {
      cls = K_OTHER; // "stream": saves the general key scan on every combined frame
      i += 9;
    } else {
      i = otherKeyValueAt(kw, i, n);
      if (i < 0) return FAST_FALLBACK;
      cls = K_OTHER;
    }
    // The value at i: i <= n - 1, the ':' before it is not the final '}'.
    const c = b[i]!;
    if (c === 34) {
      const vs = i + 1;
      let ve: number;
      if (cls >= K_BID && cls <= K_ASK_QTY) {
        let v = quotedDecimalAt(vs, scan);
        ve = scan.end;
        if (ve < 0) {
          ve = stringEndAt(vs);
          if (ve < 0 || ve >= n) return FAST_FALLBACK;
          v = parseDecimalBytes(b, vs, ve);
        } else if (ve >= n) return FAST_FALLBACK;
        if (cls === K_BID) bid = v;
        else if (cls === K_BID_QTY) bidQty = v;
        else if (cls === K_ASK) ask = v;
        else askQty = v;
        seen |= 1 << cls;
      } else if (cls === K_EVENT) {
        // exactly "bookTicker": "book", "Tick", 'er"' (this quote is not the sentinel: a '}' ends the frame)
        if (
          w.getInt32(vs, true) !== 0x6b6f6f62 ||
          w.getInt32(vs + 4, true) !== 0x6b636954 ||
          (w.getInt32(vs + 8, true) & 0xffffff) !== 0x227265
        ) {
          return FAST_FALLBACK;
        }
        ve = vs + 10;
      } else {
        ve = stringEndAt(vs);
        if (ve < 0 || ve >= n) return FAST_FALLBACK;
        if (cls === K_SYMBOL) {
          sS = vs;
          sE = ve;
        } else if (cls === K_ST) {
          stS = vs;
          stE = ve;
        } else if (cls === K_TX || cls === K_ET) return FAST_FALLBACK; // T / E as strings: rare, slow path
      }
      i = ve + 1;
    } else if (c >= 49 && c <= 57) {
      // [1-9][0-9]*; what follows must be ',' or '}' (checked below), so fractions and exponents fall back
      const ve = digitsEndAt(i + 1);
      if (cls !== K_OTHER && cls !== K_DATA) {
        if (cls === K_TX) {
          txS = i;
          txE = ve;
        } else if (cls === K_ET) {
          etS = i;
          etE = ve;
        } else if (cls === K_ST) {
          stS = i;
          stE = ve;
        } else return FAST_FALLBACK; // s, e, b, B, a, A as bare numbers: rare, slow path
      }
      i = ve;
    } else if (c === 123 && cls === K_DATA && depth === 0 && !sawData) {
      depth = 1;
      sawData = true;
      i++;
      continue;
    } else return FAST_FALLBACK;
    // After a value: i <= n - 1 (a string's closing quote or a digit run is never the final '}').
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
  if (sS < 0 || seen !== SEEN_ALL) return FAST_FALLBACK;
  // st 2 = a COIN-M item (merged !bookTicker after the CM migration): Unknown, via the slow path.
  if (stS >= 0 && stE - stS === 1 && b[stS] === 50) return FAST_FALLBACK;
  // T, else E, else 0.
  // (No NaN self-compare on this int-or-double value: it made JSC's FTL code exit on every frame.)
  let ts = 0;
  if (txS >= 0) ts = integerAt(txS, txE);
  else if (etS >= 0) ts = integerAt(etS, etE);
  if (bid !== bid || ask !== ask || bidQty !== bidQty || askQty !== askQty) return FAST_FALLBACK;

  out.reset();
  out.symStart = sS;
  out.symEnd = sE;
  // ASCII (A): the byte range is the char range, and lookupBytes (memoized) reads the same codes as lookup.
  if (symbols !== null) out.symbolIndex = symbolIndexAt(symbols, sS, sE);
  out.setQuote(bid, ask, bidQty, askQty);
  out.exchangeTsMs = ts;
  return quoteOutcome(out, bid, ask, bidQty, askQty);
}

// Key classes of the fast path. One-letter keys map through ONE_LETTER_KEY; "st" and "data" are matched as
// whole patterns; every other key is K_OTHER (value checked and ignored, as in the slow walk).
const K_OTHER = 0;
const K_BID = 1;
const K_BID_QTY = 2;
const K_ASK = 3;
const K_ASK_QTY = 4;
const K_SYMBOL = 5;
const K_EVENT = 6;
const K_TX = 7;
const K_ET = 8;
const K_ST = 9;
const K_DATA = 10;
const SEEN_ALL = (1 << K_BID) | (1 << K_BID_QTY) | (1 << K_ASK) | (1 << K_ASK_QTY);
const ONE_LETTER_KEY: number[] = [];
for (let k = 0; k < 128; k++) ONE_LETTER_KEY.push(K_OTHER);
ONE_LETTER_KEY[98 /* b */] = K_BID;
ONE_LETTER_KEY[66 /* B */] = K_BID_QTY;
ONE_LETTER_KEY[97 /* a */] = K_ASK;
ONE_LETTER_KEY[65 /* A */] = K_ASK_QTY;
ONE_LETTER_KEY[115 /* s */] = K_SYMBOL;
ONE_LETTER_KEY[101 /* e */] = K_EVENT;
ONE_LETTER_KEY[84 /* T */] = K_TX;
ONE_LETTER_KEY[69 /* E */] = K_ET;

// Field slots of out.walk (WalkScan) the slow walk keeps, by key: s, b, B, a, A, e, E, T, st.
const F_S = 0, F_B = 1, F_QB = 2, F_A = 3, F_QA = 4, F_EV = 5, F_ET = 6, F_TX = 7, F_ST = 8;

const MESSAGES: WalkMessages = {
  binary: "binance: binary frame (expected JSON text)",
  oversize: "binance: oversize frame",
  badJson: BAD_JSON,
  notObject: "binance: not a JSON object",
};

/** walkFrame's member function: keeps the ranges of s, b, B, a, A, E, T, e, st (top level and "data" share one namespace). */
function binanceMember(f: string, ks: number, ke: number, _depth: number, i: number, c: number, w: WalkScan): number {
  const end = scalarValue(f, i, c, w);
  if (end < 0) return -1;
  const klen = ke - ks;
  if (klen === 1) {
    const k = f.charCodeAt(ks);
    const slot = k < 128 ? ONE_LETTER_SLOT[k]! : -1;
    if (slot >= 0) w.keep(slot, c === 34);
  } else if (klen === 2 && f.charCodeAt(ks) === 115 && f.charCodeAt(ks + 1) === 116 /* st */) w.keep(F_ST, c === 34);
  return end;
}

// Slow-walk field slot per ASCII one-letter key (-1: not kept).
const ONE_LETTER_SLOT: number[] = [];
for (let k = 0; k < 128; k++) ONE_LETTER_SLOT.push(-1);
ONE_LETTER_SLOT[115 /* s */] = F_S;
ONE_LETTER_SLOT[98 /* b */] = F_B;
ONE_LETTER_SLOT[66 /* B */] = F_QB;
ONE_LETTER_SLOT[97 /* a */] = F_A;
ONE_LETTER_SLOT[65 /* A */] = F_QA;
ONE_LETTER_SLOT[101 /* e */] = F_EV;
ONE_LETTER_SLOT[69 /* E */] = F_ET;
ONE_LETTER_SLOT[84 /* T */] = F_TX;

/**
 * The full structural walk (shared/scan/walk.ts): any frame, any outcome. exchangeTsMs: T (transaction
 * time), else E (event time), else 0 (spot bookTicker carries no time).
 */
export function parseBinanceSlow(frame: string | Uint8Array, out: QuoteRecord, symbols: SymbolTable | null): FrameKindValue {
  const w = out.walk;
  w.clearFields();
  const k = walkFrame(frame, out, binanceMember, MESSAGES);
  if (k !== WALKED) return k as FrameKindValue;
  const f = frame as string;
  const st = w.start;
  const en = w.stop;
  const sS = st[F_S]!, bS = st[F_B]!, qbS = st[F_QB]!, aS = st[F_A]!, qaS = st[F_QA]!;
  const evS = st[F_EV]!, etS = st[F_ET]!, txS = st[F_TX]!, stS = st[F_ST]!;

  if (evS !== -1) {
    const evStr = w.isString[F_EV] === 1;
    if (evStr && rangeEquals(f, evS, en[F_EV]!, SERVER_SHUTDOWN)) {
      out.noticeCode = "serverShutdown";
      const t = num(f, etS, en[F_ET]!);
      if (t === t) out.exchangeTsMs = t;
      return FrameKind.Notice;
    }
    if (!evStr || !rangeEquals(f, evS, en[F_EV]!, BOOK_TICKER)) return FrameKind.Unknown;
  }
  if (sS === -1 && bS === -1 && qbS === -1 && aS === -1 && qaS === -1) return classifyBinanceControl(f, out);
  if (sS < 0 || w.isString[F_S] !== 1) return malformed(out, 'binance bookTicker: "s" missing or not a string');
  if (bS === -1 || qbS === -1 || aS === -1 || qaS === -1) return malformed(out, 'binance bookTicker: "b", "B", "a" or "A" missing');
  // st 2 = a COIN-M item (merged !bookTicker after the CM migration): not ours.
  if (stS >= 0 && rangeEquals(f, stS, en[F_ST]!, COIN_M_STATUS)) return FrameKind.Unknown;

  const bid = num(f, bS, en[F_B]!);
  const ask = num(f, aS, en[F_A]!);
  const bidQty = num(f, qbS, en[F_QB]!);
  const askQty = num(f, qaS, en[F_QA]!);
  if (bid !== bid || ask !== ask) return malformed(out, 'binance bookTicker: "b" or "a" is not a number');
  if (bidQty !== bidQty || askQty !== askQty) return malformed(out, 'binance bookTicker: "B" or "A" is not a number');
  let ts = 0;
  if (txS !== -1) ts = num(f, txS, en[F_TX]!);
  else if (etS !== -1) ts = num(f, etS, en[F_ET]!);
  if (ts !== ts) return malformed(out, 'binance bookTicker: "T" or "E" is not a number');

  const sE = en[F_S]!;
  out.symStart = sS;
  out.symEnd = sE;
  if (symbols !== null) out.symbolIndex = w.escaped ? escapedSymbolIndex(f, sS, sE, symbols) : symbols.lookup(f, sS, sE);
  out.setQuote(bid, ask, bidQty, askQty);
  out.exchangeTsMs = ts;
  return quoteOutcome(out, bid, ask, bidQty, askQty);
}
