// Binance frame parser (spot and USD-M bookTicker, combined or raw): structural scan, no allocation on updates.
// https://developers.binance.com/docs/binance-spot-api-docs/web-socket-streams (Individual Symbol Book Ticker Streams)
// https://developers.binance.com/docs/derivatives/usds-margined-futures/websocket-market-streams/Individual-Symbol-Book-Ticker-Streams
import { checkPrices, parseDecimal } from "../num.ts";
import type { SymbolTable } from "../symbol-table.ts";
import { FrameKind, type FrameKindValue, InvalidReason, type QuoteRecord } from "../types.ts";
import { classifyBinanceControl, escapedSymbolIndex } from "./control.ts";
import { digitRunEnd, quotedDecimal, quotedEnd } from "./fast-scan.ts";
import { MAX_FRAME_CHARS, code, digitsEnd, escapesValid, rangeEquals, skipWs, stringEnd, valueEnd } from "./json-scan.ts";

const BAD_JSON = "binance: truncated or invalid JSON";

function malformed(out: QuoteRecord, message: string): FrameKindValue {
  out.message = message;
  return FrameKind.Malformed;
}

/** Number field at [start, end) (string content or bare number); NaN when absent (-1) or not a scalar (-2). */
function num(f: string, start: number, end: number): number {
  return start < 0 ? Number.NaN : parseDecimal(f, start, end);
}

/** parseBinanceFast's "not handled here": the caller runs the structural walk (parseBinanceSlow). */
export const FAST_FALLBACK = 0;

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
 * FAST_FALLBACK (0) for anything else; `out` is only meaningful when the result is not FAST_FALLBACK.
 *
 * Accepted language (a strict subset of what the slow walk accepts, so "accepted here" implies "same
 * tokens there"): f[0] = '{', f[last] = '}', no backslash anywhere, no whitespace outside strings, the
 * top-level object and at most one "data" object directly inside it (first "data" key whose value is an
 * object, as in the slow walk); every other value is a string or a plain integer [1-9][0-9]*. Anything
 * else (whitespace, nested objects or arrays, literals, negative, fractional or exponent numbers, a leading
 * zero, trailing text) falls back.
 *
 * Why the walk cannot be fooled by key-looking text ("b":"1" inside a string value, inside an unknown
 * nested object): it never searches for keys. It follows the structure: at each position it expects a key
 * string, ':' and one value; with no backslash in the frame a '"' always opens or closes a string, so
 * indexOf('"', open + 1) is the string's exact end and text inside strings is never read as structure;
 * nested objects and arrays are not skipped but refused (fallback), so no key inside them is ever read.
 * As in the slow walk, keys of the top level and of "data" share one namespace and a repeated key keeps
 * its last value.
 *
 * Outcome rules, the same as the slow path's but only for the update case: every "e" must be the string
 * "bookTicker"; "s" a string; "b", "B", "a", "A" strings holding numbers; "T" / "E" plain integers; "st"
 * not "2". Any other case (control frames, notices, other events, COIN-M items, missing or garbled fields)
 * falls back, and the slow path produces the Ack / Unknown / Notice / Malformed outcome and message.
 */
export function parseBinanceFast(f: string, out: QuoteRecord, symbols: SymbolTable | null): number {
  const n = f.length;
  // (P2) of fast-scan.ts: the last char is '}' (scans stop inside the string); (P1): no backslash.
  if (n < 2 || f.charCodeAt(0) !== 123 || f.charCodeAt(n - 1) !== 125) return FAST_FALLBACK;
  if (f.indexOf("\\") !== -1) return FAST_FALLBACK;
  let sS = -1;
  let sE = 0;
  let bid = Number.NaN;
  let bidQty = Number.NaN;
  let ask = Number.NaN;
  let askQty = Number.NaN;
  let seen = 0; // bits: 1 b, 2 B, 4 a, 8 A
  let tx = Number.NaN;
  let haveT = false;
  let et = Number.NaN;
  let haveE = false;
  let stS = -1;
  let stE = 0;
  let depth = 0;
  let sawData = false;
  let i = 1;
  for (;;) {
    // A key at i (i follows '{' or ',' at an index <= n - 2, so it is in bounds).
    if (f.charCodeAt(i) !== 34) return FAST_FALLBACK;
    const k = f.charCodeAt(i + 1);
    let key: number; // the char code of a one-letter key; KEY_ST / KEY_DATA / KEY_OTHER otherwise
    if (k !== 34 && i + 2 < n && f.charCodeAt(i + 2) === 34) {
      key = k;
      i += 3;
    } else {
      const ke = f.indexOf('"', i + 1);
      if (ke < 0) return FAST_FALLBACK;
      const klen = ke - i - 1;
      key = KEY_OTHER;
      if (klen === 2) {
        if (k === 115 && f.charCodeAt(i + 2) === 116) key = KEY_ST;
      } else if (klen === 4 && k === 100 && f.charCodeAt(i + 2) === 97 && f.charCodeAt(i + 3) === 116 && f.charCodeAt(i + 4) === 97) {
        key = KEY_DATA;
      }
      i = ke + 1;
    }
    // i <= n - 1: the key's closing quote is not the final '}'.
    if (f.charCodeAt(i) !== 58 /* : */) return FAST_FALLBACK;
    const c = f.charCodeAt(++i);
    if (c === 34) {
      const vs = i + 1;
      let ve: number;
      if (key === 98 || key === 66 || key === 97 || key === 65) {
        let v = quotedDecimal(f, vs);
        ve = quotedEnd;
        if (ve < 0) {
          ve = f.indexOf('"', vs);
          if (ve < 0) return FAST_FALLBACK;
          v = parseDecimal(f, vs, ve);
        }
        if (key === 98) {
          bid = v;
          seen |= 1;
        } else if (key === 66) {
          bidQty = v;
          seen |= 2;
        } else if (key === 97) {
          ask = v;
          seen |= 4;
        } else {
          askQty = v;
          seen |= 8;
        }
      } else {
        ve = f.indexOf('"', vs);
        if (ve < 0) return FAST_FALLBACK;
        if (key === 115 /* s */) {
          sS = vs;
          sE = ve;
        } else if (key === 101 /* e */) {
          if (!rangeEquals(f, vs, ve, "bookTicker")) return FAST_FALLBACK;
        } else if (key === KEY_ST) {
          stS = vs;
          stE = ve;
        } else if (key === 84 || key === 69) return FAST_FALLBACK; // T / E as strings: rare, slow path
      }
      i = ve + 1;
    } else if (c >= 49 && c <= 57) {
      const ve = digitRunEnd(f, i + 1);
      if (key === 84 /* T */) {
        tx = intValue(f, i, ve);
        haveT = true;
      } else if (key === 69 /* E */) {
        et = intValue(f, i, ve);
        haveE = true;
      } else if (key === KEY_ST) {
        stS = i;
        stE = ve;
      } else if (key === 115 || key === 98 || key === 66 || key === 97 || key === 65 || key === 101) return FAST_FALLBACK;
      i = ve;
    } else if (c === 123 && key === KEY_DATA && depth === 0 && !sawData) {
      // i <= n - 2 here ('{' is not the final '}'), so i + 1 is in bounds.
      depth = 1;
      sawData = true;
      i++;
      continue;
    } else return FAST_FALLBACK;
    // After a value: i <= n - 1 (a closing quote or a digit run never ends at the final '}').
    let d = f.charCodeAt(i);
    if (d === 44 /* , */) {
      i++;
      continue;
    }
    if (d !== 125) return FAST_FALLBACK;
    if (depth === 1) {
      depth = 0;
      if (++i === n) return FAST_FALLBACK;
      d = f.charCodeAt(i);
      if (d === 44) {
        i++;
        continue;
      }
      if (d !== 125) return FAST_FALLBACK;
    }
    if (i !== n - 1) return FAST_FALLBACK;
    break;
  }
  if (sS < 0 || seen !== 15) return FAST_FALLBACK;
  // st 2 = a COIN-M item (merged !bookTicker after the CM migration): Unknown, via the slow path.
  if (stS >= 0 && stE - stS === 1 && f.charCodeAt(stS) === 50) return FAST_FALLBACK;
  const ts = haveT ? tx : haveE ? et : 0;
  if (bid !== bid || ask !== ask || bidQty !== bidQty || askQty !== askQty || ts !== ts) return FAST_FALLBACK;

  out.reset();
  out.symStart = sS;
  out.symEnd = sE;
  if (symbols !== null) out.symbolIndex = symbols.lookup(f, sS, sE);
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

// Key ids for longer keys: negative, so they never collide with a one-letter key's char code.
const KEY_OTHER = -1;
const KEY_ST = -2;
const KEY_DATA = -3;

/** Value of the digit run [s, e): exact when <= 15 digits, else parseDecimal (which is exact anyway). */
function intValue(f: string, s: number, e: number): number {
  if (e - s > 15) return parseDecimal(f, s, e);
  let m = 0;
  for (let i = s; i < e; i++) m = m * 10 + (f.charCodeAt(i) - 48);
  return m;
}

/**
 * The full structural walk: any frame, any outcome. exchangeTsMs: T (transaction time), else E (event time),
 * else 0 (spot bookTicker carries no time).
 * One function with locals, walking the top-level object and (at depth 1) the "data" object: the walk
 * follows JSON structure, so keys inside string values or unknown nested objects are never read.
 */
export function parseBinanceSlow(frame: string | Uint8Array, out: QuoteRecord, symbols: SymbolTable | null): FrameKindValue {
  out.reset();
  if (typeof frame !== "string") return malformed(out, "binance: binary frame (expected JSON text)");
  const f = frame;
  const n = f.length;
  if (n > MAX_FRAME_CHARS) return malformed(out, "binance: oversize frame");
  // Quote frames carry no backslash: only then are escapes (in strings the walk skips) checked.
  const escaped = f.indexOf("\\") !== -1;
  if (escaped && !escapesValid(f)) return malformed(out, BAD_JSON);
  // Value ranges of the payload keys we read: start -1 = absent, -2 = present but not a string/number.
  let sS = -1, sE = 0, sStr = false;
  let bS = -1, bE = 0, qbS = -1, qbE = 0, aS = -1, aE = 0, qaS = -1, qaE = 0;
  let evS = -1, evE = 0, evStr = false, etS = -1, etE = 0, txS = -1, txE = 0, stS = -1, stE = 0;
  let i = skipWs(f, 0);
  if (code(f, i) !== 123) return malformed(out, "binance: not a JSON object");
  let depth = 0;
  let sawData = false;
  i = skipWs(f, i + 1);
  let c = code(f, i);
  let open = c !== 125;
  if (!open) i++;
  while (open) {
    if (c !== 34) return malformed(out, BAD_JSON);
    const ks = i + 1;
    // One-letter keys (nearly all we read) end two chars on; anything else takes the general string scan.
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
    if (c === 123 && depth === 0 && !sawData && klen === 4 && rangeEquals(f, ks, ke, "data")) {
      // combined stream: continue the same loop inside the payload object
      depth = 1;
      sawData = true;
      i = skipWs(f, i + 1);
      c = code(f, i);
      if (c !== 125) continue;
      depth = 0;
      i++;
    } else {
      let vs = i;
      let ve: number;
      if (c === 34) {
        ve = stringEnd(f, i);
        if (ve < 0) return malformed(out, BAD_JSON);
        vs = i + 1;
        i = ve + 1;
      } else if (c >= 49 && c <= 57) {
        // plain integers (u, E, T) inline; fractions and exponents through the strict scalar grammar
        ve = digitsEnd(f, i + 1);
        const d = code(f, ve);
        if (d === 46 || d === 101 || d === 69) ve = valueEnd(f, i);
        if (ve < 0) return malformed(out, BAD_JSON);
        i = ve;
      } else {
        ve = valueEnd(f, i);
        if (ve < 0) return malformed(out, BAD_JSON);
        i = ve;
        // objects, arrays, literals: present but unusable as a number
        if (c !== 45 && c !== 48) vs = -2;
      }
      if (klen === 1) {
        switch (f.charCodeAt(ks)) {
          case 115 /* s */:
            sS = vs;
            sE = ve;
            sStr = c === 34;
            break;
          case 98 /* b */:
            bS = vs;
            bE = ve;
            break;
          case 66 /* B */:
            qbS = vs;
            qbE = ve;
            break;
          case 97 /* a */:
            aS = vs;
            aE = ve;
            break;
          case 65 /* A */:
            qaS = vs;
            qaE = ve;
            break;
          case 69 /* E */:
            etS = vs;
            etE = ve;
            break;
          case 84 /* T */:
            txS = vs;
            txE = ve;
            break;
          case 101 /* e */:
            evS = vs;
            evE = ve;
            evStr = c === 34;
            break;
        }
      } else if (klen === 2 && f.charCodeAt(ks) === 115 && f.charCodeAt(ks + 1) === 116 /* st */) {
        stS = vs;
        stE = ve;
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

  if (evS !== -1) {
    if (evStr && rangeEquals(f, evS, evE, "serverShutdown")) {
      out.noticeCode = "serverShutdown";
      const t = num(f, etS, etE);
      if (t === t) out.exchangeTsMs = t;
      return FrameKind.Notice;
    }
    if (!evStr || !rangeEquals(f, evS, evE, "bookTicker")) return FrameKind.Unknown;
  }
  if (sS === -1 && bS === -1 && qbS === -1 && aS === -1 && qaS === -1) return classifyBinanceControl(f, out);
  if (sS < 0 || !sStr) return malformed(out, 'binance bookTicker: "s" missing or not a string');
  if (bS === -1 || qbS === -1 || aS === -1 || qaS === -1) return malformed(out, 'binance bookTicker: "b", "B", "a" or "A" missing');
  // st 2 = a COIN-M item (merged !bookTicker after the CM migration): not ours.
  if (stS >= 0 && rangeEquals(f, stS, stE, "2")) return FrameKind.Unknown;

  const bid = num(f, bS, bE);
  const ask = num(f, aS, aE);
  const bidQty = num(f, qbS, qbE);
  const askQty = num(f, qaS, qaE);
  if (bid !== bid || ask !== ask) return malformed(out, 'binance bookTicker: "b" or "a" is not a number');
  if (bidQty !== bidQty || askQty !== askQty) return malformed(out, 'binance bookTicker: "B" or "A" is not a number');
  let ts = 0;
  if (txS !== -1) ts = num(f, txS, txE);
  else if (etS !== -1) ts = num(f, etS, etE);
  if (ts !== ts) return malformed(out, 'binance bookTicker: "T" or "E" is not a number');

  out.symStart = sS;
  out.symEnd = sE;
  if (symbols !== null) out.symbolIndex = escaped ? escapedSymbolIndex(f, sS, sE, symbols) : symbols.lookup(f, sS, sE);
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
