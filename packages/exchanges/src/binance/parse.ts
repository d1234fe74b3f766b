// Binance frame parser (spot and USD-M bookTicker, combined or raw): structural scan, no allocation on updates.
// https://developers.binance.com/docs/binance-spot-api-docs/web-socket-streams (Individual Symbol Book Ticker Streams)
// https://developers.binance.com/docs/derivatives/usds-margined-futures/websocket-market-streams/Individual-Symbol-Book-Ticker-Streams
import { checkPrices, parseDecimal } from "../num.ts";
import type { SymbolTable } from "../symbol-table.ts";
import { FrameKind, type FrameKindValue, InvalidReason, type QuoteRecord } from "../types.ts";
import { classifyBinanceControl, escapedSymbolIndex } from "./control.ts";
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

/**
 * Parses one Binance frame. Updates: bookTicker payloads, combined ({"stream","data"}) or raw.
 * exchangeTsMs: T (transaction time), else E (event time), else 0 (spot bookTicker carries no time).
 * One function with locals, walking the top-level object and (at depth 1) the "data" object: the walk
 * follows JSON structure, so keys inside string values or unknown nested objects are never read.
 */
export function parseBinance(frame: string | Uint8Array, out: QuoteRecord, symbols: SymbolTable | null): FrameKindValue {
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
