// MEXC spot protobuf push (PushDataV3ApiWrapper) walked field by field: no decoder, no allocation, no BigInt.
// Schema: https://github.com/mexcdevelop/websocket-proto (field numbers verbatim in shared okx-mexc.md §4.3)

/** Wrapper fields. */
export const F_CHANNEL = 1;
export const F_SYMBOL = 3;
export const F_SYMBOL_ID = 4;
export const F_CREATE_TIME = 5;
export const F_SEND_TIME = 6;
/** oneof body: 301..315; the three that carry a best bid/ask. */
export const F_LIMIT_DEPTHS = 303;
export const F_BOOK_TICKER_BATCH = 311;
export const F_AGGRE_BOOK_TICKER = 315;
const BODY_FIRST = 301;
const BODY_LAST = 315;

const WT_VARINT = 0;
const WT_I64 = 1;
const WT_LEN = 2;
const WT_I32 = 5;

/**
 * Result of walkPush(): byte ranges into the frame (-1 = absent), times in ms (NaN = absent), the body field and
 * the best level. `error` is a constant string when the walk failed.
 */
export class MexcPush {
  chStart = -1;
  chEnd = -1;
  symStart = -1;
  symEnd = -1;
  sendTime = Number.NaN;
  createTime = Number.NaN;
  /** Oneof field number (0 = none). */
  body = 0;
  bodyStart = 0;
  bodyEnd = 0;
  /** Best bid/ask price and quantity string ranges; -1 = absent (proto3 omits ""). */
  bidStart = -1;
  bidEnd = -1;
  bidQtyStart = -1;
  bidQtyEnd = -1;
  askStart = -1;
  askEnd = -1;
  askQtyStart = -1;
  askQtyEnd = -1;
  error: string | null = null;
}
export const push = new MexcPush();

// Cursor of the walk (module scope: the walk is synchronous and not re-entrant).
let p = 0;
let bad = false;

/** Tag or length: ≤ 5 bytes, < 2^32. Returns -1 on truncation/overlong. */
function varint32(b: Uint8Array, end: number): number {
  let v = 0;
  let mul = 1;
  for (let k = 0; k < 5; k++) {
    if (p >= end) return -1;
    const x = b[p++]!;
    v += (x & 0x7f) * mul;
    if (x < 0x80) return v <= 0xffffffff ? v : -1;
    mul *= 128;
  }
  return -1;
}

function skipVarint(b: Uint8Array, end: number): void {
  for (let k = 0; k < 10; k++) {
    if (p >= end) break;
    if (b[p++]! < 0x80) return;
  }
  bad = true;
}

/** int64 varint as a Number exactly like protobufjs LongBits.toNumber() (two's complement for negatives). */
function varint64(b: Uint8Array, end: number): number {
  let lo = 0;
  let hi = 0;
  let x = 0;
  for (let k = 0; k < 4; k++) {
    if (p >= end) return fail64();
    x = b[p++]!;
    lo = (lo | ((x & 0x7f) << (7 * k))) >>> 0;
    if (x < 0x80) return lo;
  }
  if (p >= end) return fail64();
  x = b[p++]!;
  lo = (lo | ((x & 0x7f) << 28)) >>> 0;
  hi = (x & 0x7f) >> 4;
  if (x < 0x80) return hi * 4294967296 + lo;
  for (let k = 0; k < 5; k++) {
    if (p >= end) return fail64();
    x = b[p++]!;
    hi = (hi | ((x & 0x7f) << (7 * k + 3))) >>> 0;
    if (x < 0x80) {
      if (hi >>> 31) {
        let nlo = (~lo + 1) >>> 0;
        let nhi = ~hi >>> 0;
        if (nlo === 0) nhi = (nhi + 1) >>> 0;
        return -(nlo + nhi * 4294967296);
      }
      return hi * 4294967296 + lo;
    }
  }
  return fail64();
}

function fail64(): number {
  bad = true;
  return Number.NaN;
}

/** Skips one field of wire type wt at p. */
function skipField(b: Uint8Array, end: number, wt: number): void {
  if (wt === WT_VARINT) skipVarint(b, end);
  else if (wt === WT_LEN) {
    const len = varint32(b, end);
    if (len < 0 || len > end - p) bad = true;
    else p += len;
  } else if (wt === WT_I64) {
    p += 8;
    if (p > end) bad = true;
  } else if (wt === WT_I32) {
    p += 4;
    if (p > end) bad = true;
  } else bad = true; // groups (3/4) and 6/7: not in this schema
}

function stop(why: string): boolean {
  push.error = why;
  return false;
}

/** Walks the wrapper in b[0, end). False (push.error set) when the bytes are not a valid wrapper. */
export function walkPush(b: Uint8Array, end: number): boolean {
  const r = push;
  r.chStart = r.chEnd = r.symStart = r.symEnd = -1;
  r.sendTime = r.createTime = Number.NaN;
  r.body = 0;
  r.error = null;
  p = 0;
  bad = false;
  while (p < end) {
    const tag = varint32(b, end);
    if (tag < 0) return stop("mexc: truncated or overlong tag");
    const field = tag >>> 3;
    const wt = tag & 7;
    if (field === 0) return stop("mexc: field number 0");
    if (field === F_CHANNEL || field === F_SYMBOL || (field >= BODY_FIRST && field <= BODY_LAST)) {
      if (wt !== WT_LEN) return stop("mexc: wrong wire type for a string/message field");
      const len = varint32(b, end);
      if (len < 0 || len > end - p) return stop("mexc: length past the end of the frame");
      const s = p;
      p += len;
      if (field === F_CHANNEL) {
        r.chStart = s;
        r.chEnd = p;
      } else if (field === F_SYMBOL) {
        r.symStart = s;
        r.symEnd = p;
      } else {
        r.body = field;
        r.bodyStart = s;
        r.bodyEnd = p;
      }
    } else if (field === F_SEND_TIME || field === F_CREATE_TIME) {
      if (wt !== WT_VARINT) return stop("mexc: wrong wire type for an int64 field");
      const v = varint64(b, end);
      if (field === F_SEND_TIME) r.sendTime = v;
      else r.createTime = v;
    } else skipField(b, end, wt);
    if (bad) return stop("mexc: truncated field");
  }
  return true;
}

/**
 * Walks a book-ticker message (aggre 315 body or batch item): bidPrice=1, bidQuantity=2, askPrice=3, askQuantity=4.
 * Later occurrences win (protobuf semantics); other fields are skipped by wire type.
 */
function walkTicker(b: Uint8Array, start: number, end: number): boolean {
  const r = push;
  p = start;
  while (p < end) {
    const tag = varint32(b, end);
    if (tag < 0) return stop("mexc: truncated tag in book ticker");
    const field = tag >>> 3;
    const wt = tag & 7;
    if (field >= 1 && field <= 4) {
      if (wt !== WT_LEN) return stop("mexc: wrong wire type in book ticker");
      const len = varint32(b, end);
      if (len < 0 || len > end - p) return stop("mexc: length past the end of book ticker");
      const s = p;
      p += len;
      if (field === 1) {
        r.bidStart = s;
        r.bidEnd = p;
      } else if (field === 2) {
        r.bidQtyStart = s;
        r.bidQtyEnd = p;
      } else if (field === 3) {
        r.askStart = s;
        r.askEnd = p;
      } else {
        r.askQtyStart = s;
        r.askQtyEnd = p;
      }
    } else {
      if (field === 0) return stop("mexc: field number 0 in book ticker");
      skipField(b, end, wt);
      if (bad) return stop("mexc: truncated field in book ticker");
    }
  }
  return true;
}

/** PublicLimitDepthV3ApiItem {price=1, quantity=2} into the bid (side 0) or ask (side 1) slots. */
function walkLevel(b: Uint8Array, start: number, end: number, side: number): boolean {
  const r = push;
  p = start;
  while (p < end) {
    const tag = varint32(b, end);
    if (tag < 0) return stop("mexc: truncated tag in depth level");
    const field = tag >>> 3;
    const wt = tag & 7;
    if (field === 1 || field === 2) {
      if (wt !== WT_LEN) return stop("mexc: wrong wire type in depth level");
      const len = varint32(b, end);
      if (len < 0 || len > end - p) return stop("mexc: length past the end of depth level");
      const s = p;
      p += len;
      if (side === 0) {
        if (field === 1) {
          r.bidStart = s;
          r.bidEnd = p;
        } else {
          r.bidQtyStart = s;
          r.bidQtyEnd = p;
        }
      } else if (field === 1) {
        r.askStart = s;
        r.askEnd = p;
      } else {
        r.askQtyStart = s;
        r.askQtyEnd = p;
      }
    } else {
      if (field === 0) return stop("mexc: field number 0 in depth level");
      skipField(b, end, wt);
      if (bad) return stop("mexc: truncated field in depth level");
    }
  }
  return true;
}

/**
 * Walks push.body into the best-level slots. 315: the ticker itself; 311: the LAST item of `items` (field 1);
 * 303: the FIRST ask (field 1) and FIRST bid (field 2). An empty side leaves its slots at -1.
 */
export function walkBody(b: Uint8Array): boolean {
  const r = push;
  r.bidStart = r.bidEnd = r.bidQtyStart = r.bidQtyEnd = -1;
  r.askStart = r.askEnd = r.askQtyStart = r.askQtyEnd = -1;
  bad = false;
  const start = r.bodyStart;
  const end = r.bodyEnd;
  if (r.body === F_AGGRE_BOOK_TICKER) return walkTicker(b, start, end);
  // 311 and 303: find the repeated items first, then walk the chosen ones.
  let aS = -1;
  let aE = -1;
  let bS = -1;
  let bE = -1;
  p = start;
  while (p < end) {
    const tag = varint32(b, end);
    if (tag < 0) return stop("mexc: truncated tag in body");
    const field = tag >>> 3;
    const wt = tag & 7;
    const isItems = r.body === F_BOOK_TICKER_BATCH ? field === 1 : field === 1 || field === 2;
    if (isItems) {
      if (wt !== WT_LEN) return stop("mexc: wrong wire type for a repeated message");
      const len = varint32(b, end);
      if (len < 0 || len > end - p) return stop("mexc: length past the end of body");
      const s = p;
      p += len;
      if (r.body === F_BOOK_TICKER_BATCH) {
        aS = s; // last item wins
        aE = p;
      } else if (field === 1 && aS < 0) {
        aS = s; // first ask
        aE = p;
      } else if (field === 2 && bS < 0) {
        bS = s; // first bid
        bE = p;
      }
    } else {
      if (field === 0) return stop("mexc: field number 0 in body");
      skipField(b, end, wt);
      if (bad) return stop("mexc: truncated field in body");
    }
  }
  if (r.body === F_BOOK_TICKER_BATCH) return aS < 0 || walkTicker(b, aS, aE);
  if (aS >= 0 && !walkLevel(b, aS, aE, 1)) return false;
  if (bS >= 0 && !walkLevel(b, bS, bE, 0)) return false;
  return true;
}

/**
 * Symbol range from the channel when the wrapper has no symbol field: the last '@' segment, or the one before it
 * when the last is a depth level ("spot@public.limit.depth.v3.api.pb@BTCUSDT@5"). Returns false if none.
 */
export function symbolFromChannel(b: Uint8Array): boolean {
  const r = push;
  if (r.chStart < 0) return false;
  let e = r.chEnd;
  for (let pass = 0; pass < 2; pass++) {
    let s = e;
    while (s > r.chStart && b[s - 1] !== 64) s--;
    if (s === r.chStart || s === e) return false;
    let digits = true;
    for (let k = s; k < e; k++) if (b[k]! < 48 || b[k]! > 57) digits = false;
    if (!digits) {
      r.symStart = s;
      r.symEnd = e;
      return true;
    }
    e = s - 1;
  }
  return false;
}

/** Channel prefixes of the three streams whose pushes carry a best bid/ask (the bodies walkBody reads). */
const QUOTE_CHANNELS = ["spot@public.aggre.bookTicker.", "spot@public.bookTicker.batch.", "spot@public.limit.depth."].map((s) => new TextEncoder().encode(s));

/**
 * The walked wrapper's channel names a stream that always carries a book-ticker or depth body. Such a push without
 * its body was cut at a field boundary (protobuf cannot tell a truncated frame from a shorter valid one otherwise).
 */
export function channelCarriesQuotes(b: Uint8Array): boolean {
  const r = push;
  if (r.chStart < 0) return false;
  next: for (const pre of QUOTE_CHANNELS) {
    if (r.chEnd - r.chStart < pre.length) continue;
    for (let k = 0; k < pre.length; k++) if (b[r.chStart + k] !== pre[k]) continue next;
    return true;
  }
  return false;
}
