// Binance USD-M funding: REST GET /fapi/v1/premiumIndex (all symbols: weight 10; lastFundingRate string 8 dp,
// nextFundingTime ms number), GET /fapi/v1/fundingInfo (only symbols whose interval/cap was adjusted; others 8 h),
// WS <symbol>@markPrice[@1s] and !markPrice@arr[@1s] (markPriceUpdate: r rate, T next funding ms, E event ms).
// Delivery rows (BTCUSDT_261225) carry rate "0.00000000" with nextFundingTime 0; COIN-M documents r "" / T 0:
// both mean "no funding". USDC-margined rows (BTCUSDC) are skipped.
// https://developers.binance.com/docs/derivatives/usds-margined-futures/market-data/rest-api/Mark-Price
import { joinUrl } from "../shared/batch.ts";
import { FundingKind, fundingMalformed as malformed, type FundingEmit, type FundingKindValue, type FundingRecord } from "../funding.ts";
import type { SymbolTable } from "../symbol-table.ts";
import { codes, Key, member, nestedEnd, objectBounds, rangeEquals, readScalar, scalarNum, skipWs } from "../shared/scan/index.ts";
import { rangeEndsWith, rangeHas, restMs, restNum } from "../shared/funding-fields.ts";
import { fieldError, isObject, reqArray, reqObject, reqString, show } from "../shared/rest-fields.ts";

const MARK_PRICE_UPDATE = codes("markPriceUpdate");

export const BINANCE_PREMIUM_INDEX_PATH = "/fapi/v1/premiumIndex";
export const BINANCE_FUNDING_INFO_PATH = "/fapi/v1/fundingInfo";
/** Symbols fundingInfo does not list settle every 8 h (Get-Funding-Rate-Info). */
export const BINANCE_DEFAULT_FUNDING_HOURS = 8;

export const binancePremiumIndexUrl = (restBase: string): string => joinUrl(restBase, BINANCE_PREMIUM_INDEX_PATH);
export const binanceFundingInfoUrl = (restBase: string): string => joinUrl(restBase, BINANCE_FUNDING_INFO_PATH);
/** Per-symbol mark-price stream (1 s); the all-market stream is "!markPrice@arr@1s". */
export const binanceFundingTopic = (exchangeSymbol: string): string => `${exchangeSymbol.toLowerCase()}@markPrice@1s`;
export const BINANCE_ALL_FUNDING_TOPIC = "!markPrice@arr@1s";

/** USDT-margined perpetual by name: ends USDT, no "_" (delivery contracts are BTCUSDT_261225). */
function isUsdtPerp(s: string, start: number, end: number): boolean {
  return rangeEndsWith(s, start, end, "USDT") && !rangeHas(s, start, end, 95 /* _ */);
}

/** premiumIndex body: one row (with ?symbol=) or the array of all. */
export function parseBinanceFundingRest(body: unknown, out: FundingRecord, symbols: SymbolTable | null, emit: FundingEmit): number {
  const path = "binance_futures premiumIndex";
  if (isObject(body) && typeof body.code === "number" && body.symbol === undefined) throw new Error(`${path}: code ${body.code}, msg ${show(body.msg)}`);
  const rows = Array.isArray(body) ? body : [reqObject(body, `${path} body`)];
  out.reset();
  let n = 0;
  for (let i = 0; i < rows.length; i++) {
    const at = Array.isArray(body) ? `${path}[${i}]` : path;
    const r = reqObject(rows[i], at);
    const sym = reqString(r, "symbol", at);
    out.clearValues();
    out.setSymbol(sym, symbols);
    out.rate = restNum(r.lastFundingRate, `${at}.lastFundingRate`);
    out.nextFundingMs = restMs(r.nextFundingTime, `${at}.nextFundingTime`);
    out.exchangeTsMs = restMs(r.time, `${at}.time`);
    if (!isUsdtPerp(sym, 0, sym.length) || Number.isNaN(out.rate) || out.nextFundingMs === 0) continue;
    emit(out);
    n++;
  }
  return n;
}

/** premiumIndex / fundingInfo replies: an array of rows, a row with lastFundingRate, or an error {code,msg}. */
export function isBinanceFundingRestBody(body: unknown): boolean {
  if (Array.isArray(body)) return body.length === 0 || (isObject(body[0]) && body[0].e === undefined);
  return isObject(body) && body.e === undefined && (body.lastFundingRate !== undefined || typeof body.code === "number");
}

/** fundingInfo: symbol → fundingIntervalHours (integer) for the adjusted symbols only. */
export function parseBinanceFundingInfo(body: unknown): Map<string, number> {
  const path = "binance_futures fundingInfo";
  const rows = reqArray(body, `${path} body`);
  const m = new Map<string, number>();
  for (let i = 0; i < rows.length; i++) {
    const at = `${path}[${i}]`;
    const r = reqObject(rows[i], at);
    const h = r.fundingIntervalHours;
    if (typeof h !== "number" || !Number.isInteger(h) || h <= 0) throw fieldError(`${at}.fundingIntervalHours`, "expected a positive integer", h);
    m.set(reqString(r, "symbol", at), h);
  }
  return m;
}

const K_STREAM = new Key('"stream"');
const K_DATA = new Key('"data"');
const K_E = new Key('"e"');
const K_S = new Key('"s"');
const K_R = new Key('"r"');
const K_T = new Key('"T"');
const K_EV_TIME = new Key('"E"');

/**
 * markPriceUpdate frames: the bare event, the bare all-market array, or either wrapped by a combined stream
 * ({"stream":..,"data":..}); acks ({"result":null,"id":1}) are Other. Allocation-free for events.
 */
export function parseBinanceFundingWs(frame: string, out: FundingRecord, symbols: SymbolTable | null, emit: FundingEmit): FundingKindValue {
  out.reset();
  const m = out.scan;
  const n = frame.length;
  let i = skipWs(frame, 0, n);
  if (i >= n) return malformed(out, "binance_futures markPrice: empty frame");
  if (frame.charCodeAt(i) === 123) {
    if (!objectBounds(frame, m.bounds)) return malformed(out, "binance_futures markPrice: not a JSON object");
    const a = m.bounds.open;
    const z = m.bounds.close;
    const d = member(frame, K_DATA, -1, a, z);
    if (d >= 0 && member(frame, K_STREAM, a, a, z) >= 0) {
      i = d;
      if (frame.charCodeAt(i) === 123) {
        const e = nestedEnd(frame, i);
        if (e < 0) return malformed(out, "binance_futures markPrice: data object cut");
        return event(frame, i, e - 1, out, symbols, emit);
      }
    } else return event(frame, a, z, out, symbols, emit);
  }
  if (frame.charCodeAt(i) !== 91) return malformed(out, "binance_futures markPrice: neither an object nor an array");
  // The all-market array: flat event objects, one after another.
  let emitted = 0;
  let bad = 0;
  let others = 0;
  let count = 0;
  i = skipWs(frame, i + 1, n);
  while (i < n && frame.charCodeAt(i) === 123) {
    const e = nestedEnd(frame, i);
    if (e < 0) return malformed(out, "binance_futures markPrice: array element cut");
    const k = event(frame, i, e - 1, out, symbols, emit);
    if (k === FundingKind.Value) emitted++;
    else if (k === FundingKind.Malformed) bad++;
    else if (k === FundingKind.Other) others++;
    count++;
    i = skipWs(frame, e, n);
    if (frame.charCodeAt(i) === 44) i = skipWs(frame, i + 1, n);
  }
  if (i >= n || frame.charCodeAt(i) !== 93) return malformed(out, "binance_futures markPrice: array cut");
  if (emitted > 0) return FundingKind.Value;
  if (count === others) return FundingKind.Other; // not markPriceUpdate elements (a REST premiumIndex array)
  return bad > 0 ? malformed(out, "binance_futures markPrice: no usable element") : FundingKind.Skip;
}

/** One markPriceUpdate object [a, z]. */
function event(s: string, a: number, z: number, out: FundingRecord, symbols: SymbolTable | null, emit: FundingEmit): FundingKindValue {
  const m = out.scan;
  const sv = m.sv;
  readScalar(s, member(s, K_E, a, a, z), z, sv);
  if (sv.kind !== 1 || !rangeEquals(s, sv.start, sv.end, MARK_PRICE_UPDATE)) return FundingKind.Other;
  out.clearValues();
  m.numBad = false;
  readScalar(s, member(s, K_S, -1, a, z), z, sv);
  if (sv.kind !== 1 || sv.start === sv.end) return malformed(out, "binance_futures markPriceUpdate: no symbol s");
  out.setSymbolRange(s, sv.start, sv.end, symbols);
  out.rate = scalarNum(s, member(s, K_R, -1, a, z), z, m);
  const t = scalarNum(s, member(s, K_T, -1, a, z), z, m);
  out.nextFundingMs = t > 0 ? t : 0;
  const e = scalarNum(s, member(s, K_EV_TIME, -1, a, z), z, m);
  out.exchangeTsMs = e > 0 ? e : 0;
  if (m.numBad) return malformed(out, "binance_futures markPriceUpdate: r, T or E not a number");
  if (!isUsdtPerp(s, out.symStart, out.symEnd) || Number.isNaN(out.rate) || out.nextFundingMs === 0) return FundingKind.Skip;
  emit(out);
  return FundingKind.Value;
}
