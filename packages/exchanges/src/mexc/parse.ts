// MEXC frame classifiers. Spot: binary protobuf pushes (proto.ts walk) + JSON text control. Futures: JSON text,
// push.ticker / push.depth.full scanned without allocation, rs.* control via JSON.parse.
// https://www.mexc.com/api-docs/spot-v3/websocket-market-streams · https://www.mexc.com/api-docs/futures/websocket-api
import { FrameKind, InvalidReason, type FrameKindValue, type QuoteRecord } from "../types.ts";
import { parseDecimal, parseDecimalBytes } from "../num.ts";
import type { SymbolTable } from "../symbol-table.ts";
import { codes, codesAt, Key, lastMember, member, objectBounds, rangeEquals, readFirstLevel, readScalar, scalarNum as num } from "../shared/scan/index.ts";
import { invalid, malformed, priceOutcome } from "../shared/outcome.ts";
import { channelCarriesQuotes, F_AGGRE_BOOK_TICKER, F_BOOK_TICKER_BATCH, F_LIMIT_DEPTHS, push, symbolFromChannel, walkBody, walkPush } from "./proto.ts";
import { classifyMexcFuturesControl, classifyMexcSpotControl } from "./control.ts";

const PUSH_TICKER = codes("push.ticker");
const PUSH_DEPTH_FULL = codes("push.depth.full");
const PONG = codes("pong");

/** Frames above this are refused unscanned. */
export const MEXC_MAX_FRAME = 64 * 1024;


// ---------------------------------------------------------------- spot

/** ParseFn for mexc_spot: Uint8Array = protobuf PushDataV3ApiWrapper, string = JSON control reply. */
export function parseMexcSpot(frame: string | Uint8Array, out: QuoteRecord, symbols: SymbolTable | null): FrameKindValue {
  out.reset();
  if (typeof frame === "string") return frame.length > MEXC_MAX_FRAME ? malformed(out, "mexc: frame over 64 KiB, not scanned") : classifyMexcSpotControl(frame, out);
  const n = frame.length;
  if (n > MEXC_MAX_FRAME) return malformed(out, "mexc: frame over 64 KiB, not scanned");
  if (!walkPush(frame, n)) return malformed(out, push.error ?? "mexc: invalid protobuf");
  const body = push.body;
  if (body === 0 && channelCarriesQuotes(frame)) return malformed(out, "mexc: book-ticker push without its body (truncated)");
  if (body !== F_AGGRE_BOOK_TICKER && body !== F_BOOK_TICKER_BATCH && body !== F_LIMIT_DEPTHS) return FrameKind.Unknown;
  if (!walkBody(frame)) return malformed(out, push.error ?? "mexc: invalid protobuf body");
  if (push.symStart < 0 && !symbolFromChannel(frame)) return malformed(out, "mexc: push without symbol");
  out.symStart = push.symStart;
  out.symEnd = push.symEnd;
  out.symbolIndex = symbols === null ? -1 : symbols.lookupBytes(frame, push.symStart, push.symEnd);
  const t = Number.isNaN(push.sendTime) ? push.createTime : push.sendTime;
  out.exchangeTsMs = Number.isNaN(t) ? 0 : t;
  // proto3 omits empty strings: an absent price is an empty side.
  if (push.bidStart < 0 || push.askStart < 0 || push.bidStart === push.bidEnd || push.askStart === push.askEnd) {
    return invalid(out, InvalidReason.EmptySide);
  }
  const bid = parseDecimalBytes(frame, push.bidStart, push.bidEnd);
  const ask = parseDecimalBytes(frame, push.askStart, push.askEnd);
  const bidQty = push.bidQtyStart < 0 ? Number.NaN : parseDecimalBytes(frame, push.bidQtyStart, push.bidQtyEnd);
  const askQty = push.askQtyStart < 0 ? Number.NaN : parseDecimalBytes(frame, push.askQtyStart, push.askQtyEnd);
  if (Number.isNaN(bid) || Number.isNaN(ask)) return malformed(out, "mexc: price is not a decimal");
  if ((Number.isNaN(bidQty) && push.bidQtyStart < push.bidQtyEnd) || (Number.isNaN(askQty) && push.askQtyStart < push.askQtyEnd)) {
    return malformed(out, "mexc: quantity is not a decimal");
  }
  out.setQuote(bid, ask, bidQty, askQty);
  return priceOutcome(out, bid, ask);
}

// ---------------------------------------------------------------- futures

// As sent: {...,"channel":"push.ticker","ts":1731137509138}
const TAIL_TICKER = codes(',"channel":"push.ticker","ts":');
const TAIL_DEPTH = codes(',"channel":"push.depth.full","ts":');
const K_CHANNEL = new Key('"channel"');
const K_SYMBOL = new Key('"symbol"');
const K_DATA = new Key('"data"');
const K_TIMESTAMP = new Key('"timestamp"');
const K_BID1 = new Key('"bid1"');
const K_ASK1 = new Key('"ask1"');
const K_CTS = new Key('"cts"');
const K_ASKS = new Key('"asks"');
const K_BIDS = new Key('"bids"');
const K_TS = new Key('"ts"');

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * ParseFn for mexc_futures. push.ticker and push.depth.full are read by member name (any key order, unknown members
 * skipped, JSON numbers in any notation parsed from the text); everything else goes through JSON.parse.
 */
export function parseMexcFutures(frame: string | Uint8Array, out: QuoteRecord, symbols: SymbolTable | null): FrameKindValue {
  out.reset();
  const m = out.scan;
  const sv = m.sv;
  const lvl = m.lvl;
  const bounds = m.bounds;
  // Docs mention gzip'd binary pushes; every observed frame is text. Binary is refused, not guessed at.
  if (typeof frame !== "string") return malformed(out, "mexc_futures: binary frame (gzip not requested)");
  const n = frame.length;
  if (n > MEXC_MAX_FRAME) return malformed(out, "mexc_futures: frame over 64 KiB, not scanned");
  if (!objectBounds(frame, bounds)) return classifyMexcFuturesControl(frame, out);
  const a = bounds.open;
  const z = bounds.close;
  // MEXC puts "channel" (and "ts") after "data": check the as-sent tail, else search from the end.
  let ticker = false;
  let depth = false;
  let tsAt = -1;
  let j = z - 1;
  while (j > a && isDigit(frame.charCodeAt(j))) j--;
  if (j < z - 1) {
    if (codesAt(frame, j + 1 - TAIL_TICKER.length, TAIL_TICKER)) ticker = true;
    else if (codesAt(frame, j + 1 - TAIL_DEPTH.length, TAIL_DEPTH)) depth = true;
    if (ticker || depth) tsAt = j + 1;
  }
  if (!ticker && !depth) {
    readScalar(frame, lastMember(frame, K_CHANNEL, a, z), z, sv);
    if (sv.kind !== 1) return classifyMexcFuturesControl(frame, out);
    ticker = rangeEquals(frame, sv.start, sv.end, PUSH_TICKER);
    depth = !ticker && rangeEquals(frame, sv.start, sv.end, PUSH_DEPTH_FULL);
    if (!ticker && !depth) {
      if (rangeEquals(frame, sv.start, sv.end, PONG)) return FrameKind.Pong;
      return classifyMexcFuturesControl(frame, out); // rs.* replies, push.tickers (no bid/ask), push.depth deltas, ...
    }
  }
  // Usual layout: {"symbol":"BTC_USDT","data":{...,"timestamp":..,"bid1":..,"ask1":..,...},"channel":..,"ts":..}
  readScalar(frame, member(frame, K_SYMBOL, a, a, z), z, sv);
  let symOk = sv.kind === 1 && sv.start < sv.end;
  let symStart = sv.start;
  let symEnd = sv.end;
  const dv = member(frame, K_DATA, symOk ? sv.next : -1, a, z);
  if (dv < 0 || frame.charCodeAt(dv) !== 123) return malformed(out, "mexc_futures: push without a data object");
  if (!symOk) {
    readScalar(frame, member(frame, K_SYMBOL, dv, dv, z), z, sv); // data.symbol (same text when both are sent)
    symOk = sv.kind === 1 && sv.start < sv.end;
    symStart = sv.start;
    symEnd = sv.end;
    if (!symOk) return malformed(out, "mexc_futures: push without symbol");
  }
  out.symStart = symStart;
  out.symEnd = symEnd;
  out.symbolIndex = symbols === null ? -1 : symbols.lookup(frame, symStart, symEnd);

  m.numBad = false;
  let bid: number;
  let ask: number;
  let ts: number;
  if (ticker) {
    const tv = member(frame, K_TIMESTAMP, -1, dv, z);
    ts = num(frame, tv, z, m);
    const bv = member(frame, K_BID1, tv < 0 ? -1 : sv.next, dv, z);
    bid = num(frame, bv, z, m);
    const av = member(frame, K_ASK1, bv < 0 ? -1 : sv.next, dv, z);
    ask = num(frame, av, z, m);
    if (bv < 0 || av < 0) return malformed(out, "mexc_futures: push.ticker without bid1/ask1");
    // push.ticker carries no sizes: bidQty/askQty stay NaN.
  } else {
    // {"cts":..,"asks":[[px,contracts,orders],..],"bids":[..],"version":..}
    const cv = member(frame, K_CTS, dv, dv, z);
    ts = num(frame, cv, z, m);
    const av = member(frame, K_ASKS, cv < 0 ? -1 : sv.next, dv, z);
    readFirstLevel(frame, av, z, m);
    const na = lvl.count;
    const ap = lvl.pxStart, ape = lvl.pxEnd, aq = lvl.szKind === 0 ? -1 : lvl.szStart, aqe = lvl.szEnd;
    const bv = member(frame, K_BIDS, lvl.after, dv, z);
    if (av < 0 || bv < 0) return malformed(out, "mexc_futures: push.depth.full without asks/bids");
    readFirstLevel(frame, bv, z, m);
    if (na < 0 || lvl.count < 0) return malformed(out, "mexc_futures: asks/bids is not an array of levels");
    if (na === 0 || lvl.count === 0) {
      bid = ask = Number.NaN;
    } else {
      ask = parseDecimal(frame, ap, ape);
      bid = parseDecimal(frame, lvl.pxStart, lvl.pxEnd);
      // Sizes are contracts (× contractSize for base units).
      out.askQty = aq < 0 ? Number.NaN : parseDecimal(frame, aq, aqe);
      out.bidQty = lvl.szKind === 0 ? Number.NaN : parseDecimal(frame, lvl.szStart, lvl.szEnd);
      if (Number.isNaN(bid) || Number.isNaN(ask) || (aq >= 0 && Number.isNaN(out.askQty)) || (lvl.szKind !== 0 && Number.isNaN(out.bidQty))) m.numBad = true;
    }
  }
  if (Number.isNaN(ts)) ts = num(frame, tsAt >= 0 ? tsAt : lastMember(frame, K_TS, a, z), z, m);
  if (m.numBad) return malformed(out, "mexc_futures: price, size or timestamp is not a number");
  out.exchangeTsMs = Number.isNaN(ts) ? 0 : ts;
  if (Number.isNaN(bid) || Number.isNaN(ask)) return invalid(out, InvalidReason.EmptySide);
  out.bid = bid;
  out.ask = ask;
  return priceOutcome(out, bid, ask);
}
