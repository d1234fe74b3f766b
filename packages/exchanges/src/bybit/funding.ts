// Bybit v5 linear funding: REST GET /v5/market/tickers?category=linear (all symbols in one request;
// fundingRate string, nextFundingTime ms string, fundingIntervalHour string hours) and WS tickers.<SYMBOL>
// (snapshot with every field, then deltas with only the changed ones: absent = unchanged, the reader merges).
// Dated futures (BTCUSDT-09OCT26) have fundingRate "" / nextFundingTime "0"; USDC perps end in PERP: skipped.
// fundingIntervalHour appeared in 2025-10; older replies need instruments-info fundingInterval (MINUTES).
// https://bybit-exchange.github.io/docs/v5/market/tickers
import { joinUrl } from "../shared/batch.ts";
import { FundingKind, fundingMalformed as malformed, type FundingEmit, type FundingKindValue, type FundingRecord } from "../funding.ts";
import type { SymbolTable } from "../symbol-table.ts";
import { codes, Key, lastMember, member, nestedEnd, objectBounds, rangeStartsWith, readScalar, scalarNum } from "../shared/scan/index.ts";
import { rangeEndsWith, rangeHas, restMs, restNum } from "../shared/funding-fields.ts";
import { fieldError, isObject, optObject, reqArray, reqObject, reqString, show, type JsonObject } from "../shared/rest-fields.ts";

const TICKERS_TOPIC = codes("tickers.");

export const BYBIT_TICKERS_PATH = "/v5/market/tickers";
export const BYBIT_INSTRUMENTS_PATH = "/v5/market/instruments-info";

export const bybitFundingRestUrl = (restBase: string): string => joinUrl(restBase, `${BYBIT_TICKERS_PATH}?category=linear`);
export const bybitFundingIntervalsUrl = (restBase: string): string => joinUrl(restBase, `${BYBIT_INSTRUMENTS_PATH}?category=linear&limit=1000`);
/** The same tickers topic carries funding; the feed's price channel is orderbook.1, so funding needs its own. */
export const bybitFundingTopic = (exchangeSymbol: string): string => `tickers.${exchangeSymbol}`;

/** USDT perpetual by name: ends USDT, no "-" (dated futures are BTCUSDT-09OCT26; USDC perps end in PERP). */
function isUsdtPerp(s: string, start: number, end: number): boolean {
  return rangeEndsWith(s, start, end, "USDT") && !rangeHas(s, start, end, 45 /* - */);
}

function envelope(body: unknown, path: string): JsonObject {
  const b = reqObject(body, `${path} body`);
  if (b.retCode !== 0) throw new Error(`${path}: retCode ${show(b.retCode)}, retMsg ${show(b.retMsg)}`);
  return optObject(b, "result", path);
}

/** REST replies carry retCode; WS frames never do. */
export function isBybitFundingRestBody(body: unknown): boolean {
  return isObject(body) && body.retCode !== undefined;
}

/** tickers?category=linear (one symbol or all). */
export function parseBybitFundingRest(body: unknown, out: FundingRecord, symbols: SymbolTable | null, emit: FundingEmit): number {
  const path = "bybit_futures tickers";
  const result = envelope(body, path);
  if (result.category !== undefined && result.category !== "linear") throw fieldError(`${path} result.category`, 'expected "linear"', result.category);
  const list = reqArray(result.list, `${path} result.list`);
  const time = restMs((body as JsonObject).time, `${path} time`);
  out.reset();
  let n = 0;
  for (let i = 0; i < list.length; i++) {
    const at = `${path} result.list[${i}]`;
    const r = reqObject(list[i], at);
    const sym = reqString(r, "symbol", at);
    out.clearValues();
    out.setSymbol(sym, symbols);
    out.rate = restNum(r.fundingRate, `${at}.fundingRate`);
    out.nextFundingMs = restMs(r.nextFundingTime, `${at}.nextFundingTime`);
    const h = restNum(r.fundingIntervalHour, `${at}.fundingIntervalHour`);
    out.intervalHours = h > 0 ? h : 0;
    out.exchangeTsMs = time;
    if (!isUsdtPerp(sym, 0, sym.length) || Number.isNaN(out.rate) || out.nextFundingMs === 0) continue;
    emit(out);
    n++;
  }
  return n;
}

/** instruments-info: symbol → hours from fundingInterval (minutes), USDT LinearPerpetual rows only. */
export function parseBybitFundingIntervals(body: unknown): Map<string, number> {
  const path = "bybit_futures instruments-info";
  const list = reqArray(envelope(body, path).list, `${path} result.list`);
  const m = new Map<string, number>();
  for (let i = 0; i < list.length; i++) {
    const at = `${path} result.list[${i}]`;
    const r = reqObject(list[i], at);
    if (r.contractType !== "LinearPerpetual" || r.settleCoin !== "USDT") continue;
    const min = r.fundingInterval;
    if (typeof min !== "number" || !Number.isInteger(min) || min <= 0) throw fieldError(`${at}.fundingInterval`, "expected positive minutes", min);
    m.set(reqString(r, "symbol", at), min / 60);
  }
  return m;
}

const K_TOPIC = new Key('"topic"');
const K_DATA = new Key('"data"');
const K_SYMBOL = new Key('"symbol"');
const K_RATE = new Key('"fundingRate"');
const K_NEXT = new Key('"nextFundingTime"');
const K_HOURS = new Key('"fundingIntervalHour"');
const K_TS = new Key('"ts"');
const K_SUCCESS = new Key('"success"');
const K_RET_MSG = new Key('"ret_msg"');

/**
 * tickers.<SYMBOL> push (snapshot or delta). Value when the push carries at least one funding field; a delta
 * without any (mark price only) is Other. Acks and pongs are Other; success:false is Error. No allocation for pushes.
 */
export function parseBybitFundingWs(frame: string, out: FundingRecord, symbols: SymbolTable | null, emit: FundingEmit): FundingKindValue {
  out.reset();
  const m = out.scan;
  const sv = m.sv;
  if (!objectBounds(frame, m.bounds)) return malformed(out, "bybit_futures tickers: not a JSON object");
  const a = m.bounds.open;
  const z = m.bounds.close;
  readScalar(frame, member(frame, K_TOPIC, a, a, z), z, sv);
  if (sv.kind !== 1) {
    const ok = member(frame, K_SUCCESS, a, a, z);
    if (ok >= 0 && frame.startsWith("false", ok)) {
      readScalar(frame, member(frame, K_RET_MSG, -1, a, z), z, sv);
      out.message = `bybit_futures: ${sv.kind === 1 ? frame.slice(sv.start, sv.end) : "success:false"}`;
      return FundingKind.Error;
    }
    return FundingKind.Other;
  }
  if (!rangeStartsWith(frame, sv.start, sv.end, TICKERS_TOPIC)) return FundingKind.Other;
  const d = member(frame, K_DATA, sv.next, a, z);
  if (d < 0 || frame.charCodeAt(d) !== 123) return malformed(out, "bybit_futures tickers: data is not an object");
  const de = nestedEnd(frame, d);
  if (de < 0) return malformed(out, "bybit_futures tickers: data object cut");
  const dz = de - 1;
  m.numBad = false;
  readScalar(frame, member(frame, K_SYMBOL, d, d, dz), dz, sv);
  if (sv.kind !== 1 || sv.start === sv.end) return malformed(out, "bybit_futures tickers: no data.symbol");
  out.setSymbolRange(frame, sv.start, sv.end, symbols);
  const rAt = member(frame, K_RATE, -1, d, dz);
  const tAt = member(frame, K_NEXT, -1, d, dz);
  const hAt = member(frame, K_HOURS, -1, d, dz);
  out.rate = scalarNum(frame, rAt, dz, m);
  const t = scalarNum(frame, tAt, dz, m);
  out.nextFundingMs = t > 0 ? t : 0;
  const h = scalarNum(frame, hAt, dz, m);
  out.intervalHours = h > 0 ? h : 0;
  const ts = scalarNum(frame, lastMember(frame, K_TS, a, z), z, m);
  out.exchangeTsMs = ts > 0 ? ts : 0;
  if (m.numBad) return malformed(out, "bybit_futures tickers: fundingRate, nextFundingTime, fundingIntervalHour or ts not a number");
  if (rAt < 0 && tAt < 0 && hAt < 0) return FundingKind.Other;
  if (!isUsdtPerp(frame, out.symStart, out.symEnd)) return FundingKind.Skip;
  // A dated future's snapshot: rate "" with nextFundingTime "0" (a delta may legitimately omit both).
  if (rAt >= 0 && Number.isNaN(out.rate) && out.nextFundingMs === 0) return FundingKind.Skip;
  emit(out);
  return FundingKind.Value;
}
