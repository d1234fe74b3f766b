// MEXC contract funding: REST GET /api/v1/contract/funding_rate (no symbol: every contract in one reply;
// {success,code,data:[rows]}; fundingRate JSON number, possibly in exponent form 6.2e-05; collectCycle hours;
// nextSettleTime ms) and WS sub.funding.rate → push.funding.rate {rate (docs: fundingRate), nextSettleTime},
// push.ticker also carrying fundingRate. Errors arrive as HTTP 200 {"success":false,"code":1001,...} and on WS as
// rs.error. Rows of USDC, USD1 and inverse *_USD contracts are skipped (only *_USDT).
// https://mexcdevelop.github.io/apidocs/contract_v1_en/#get-contract-funding-rate
import { joinUrl } from "../shared/batch.ts";
import { FundingKind, fundingMalformed as malformed, type FundingEmit, type FundingKindValue, type FundingRecord } from "../funding.ts";
import type { SymbolTable } from "../symbol-table.ts";
import { codes, Key, lastMember, member, nestedEnd, objectBounds, rangeEquals, readScalar, scalarNum } from "../shared/scan/index.ts";
import { rangeEndsWith, restMs, restNum } from "../shared/funding-fields.ts";
import { isObject, reqObject, reqString, show, type JsonObject } from "../shared/rest-fields.ts";

const PUSH_TICKER = codes("push.ticker");
const PUSH_FUNDING_RATE = codes("push.funding.rate");
const RS_ERROR = codes("rs.error");

export const MEXC_FUNDING_PATH = "/api/v1/contract/funding_rate";

export const mexcFundingRestUrl = (restBase: string): string => joinUrl(restBase, MEXC_FUNDING_PATH);
/** sub.funding.rate takes one contract per request; the topic is the symbol itself. */
export const mexcFundingTopic = (exchangeSymbol: string): string => exchangeSymbol;
export const mexcFundingSubscribe = (exchangeSymbol: string): string => JSON.stringify({ method: "sub.funding.rate", param: { symbol: exchangeSymbol } });

/** Envelope {success,code,data:row|rows} (success:false throws with code and message), or one bare row. */
export function parseMexcFundingRest(body: unknown, out: FundingRecord, symbols: SymbolTable | null, emit: FundingEmit): number {
  const path = "mexc_futures funding_rate";
  const b = reqObject(body, `${path} body`);
  let rows: unknown[];
  let at0 = `${path} data`;
  if (b.success === undefined && b.symbol !== undefined) {
    rows = [b];
    at0 = path;
  } else {
    if (b.success !== true || (b.code !== undefined && b.code !== 0)) throw new Error(`${path}: success ${show(b.success)}, code ${show(b.code)}, message ${show(b.message)}`);
    rows = Array.isArray(b.data) ? b.data : [reqObject(b.data, `${path} data`)];
    if (!Array.isArray(b.data)) at0 = `${path} data`;
  }
  out.reset();
  let n = 0;
  for (let i = 0; i < rows.length; i++) {
    const at = rows.length > 1 || Array.isArray(b.data) ? `${at0}[${i}]` : at0;
    const r: JsonObject = reqObject(rows[i], at);
    const sym = reqString(r, "symbol", at);
    out.clearValues();
    out.setSymbol(sym, symbols);
    out.rate = restNum(r.fundingRate, `${at}.fundingRate`);
    out.nextFundingMs = restMs(r.nextSettleTime, `${at}.nextSettleTime`);
    const h = restNum(r.collectCycle, `${at}.collectCycle`);
    out.intervalHours = h > 0 ? h : 0;
    out.exchangeTsMs = restMs(r.timestamp, `${at}.timestamp`);
    if (!sym.endsWith("_USDT") || Number.isNaN(out.rate) || out.nextFundingMs === 0) continue;
    emit(out);
    n++;
  }
  return n;
}

/** REST replies carry success (or are a bare row with collectCycle); WS frames carry channel or method. */
export function isMexcFundingRestBody(body: unknown): boolean {
  return isObject(body) && body.channel === undefined && body.method === undefined && (body.success !== undefined || body.collectCycle !== undefined);
}

const K_CHANNEL = new Key('"channel"');
const K_DATA = new Key('"data"');
const K_SYMBOL = new Key('"symbol"');
const K_RATE = new Key('"rate"');
const K_FUNDING_RATE = new Key('"fundingRate"');
const K_NEXT = new Key('"nextSettleTime"');
const K_TS = new Key('"ts"');

/** push.funding.rate / push.ticker; rs.* acks and pong are Other, rs.error is Error. No allocation for pushes. */
export function parseMexcFundingWs(frame: string, out: FundingRecord, symbols: SymbolTable | null, emit: FundingEmit): FundingKindValue {
  out.reset();
  const m = out.scan;
  const sv = m.sv;
  if (!objectBounds(frame, m.bounds)) return malformed(out, "mexc_futures: not a JSON object");
  const a = m.bounds.open;
  const z = m.bounds.close;
  readScalar(frame, lastMember(frame, K_CHANNEL, a, z), z, sv);
  if (sv.kind !== 1) return FundingKind.Other;
  const ticker = rangeEquals(frame, sv.start, sv.end, PUSH_TICKER);
  if (!ticker && !rangeEquals(frame, sv.start, sv.end, PUSH_FUNDING_RATE)) {
    if (!rangeEquals(frame, sv.start, sv.end, RS_ERROR)) return FundingKind.Other;
    readScalar(frame, member(frame, K_DATA, -1, a, z), z, sv);
    out.message = `mexc_futures: ${sv.kind === 1 ? frame.slice(sv.start, sv.end) : "rs.error"}`;
    return FundingKind.Error;
  }
  const d = member(frame, K_DATA, -1, a, z);
  if (d < 0 || frame.charCodeAt(d) !== 123) return malformed(out, "mexc_futures funding: data is not an object");
  const de = nestedEnd(frame, d);
  if (de < 0) return malformed(out, "mexc_futures funding: data object cut");
  const dz = de - 1;
  m.numBad = false;
  readScalar(frame, member(frame, K_SYMBOL, -1, d, dz), dz, sv);
  if (sv.kind !== 1 || sv.start === sv.end) {
    readScalar(frame, member(frame, K_SYMBOL, a, a, z), z, sv);
    if (sv.kind !== 1 || sv.start === sv.end) return malformed(out, "mexc_futures funding: no symbol");
  }
  out.setSymbolRange(frame, sv.start, sv.end, symbols);
  let r = ticker ? -1 : member(frame, K_RATE, -1, d, dz);
  if (r < 0) r = member(frame, K_FUNDING_RATE, -1, d, dz);
  out.rate = scalarNum(frame, r, dz, m);
  const t = scalarNum(frame, member(frame, K_NEXT, -1, d, dz), dz, m);
  out.nextFundingMs = t > 0 ? t : 0;
  const ts = scalarNum(frame, lastMember(frame, K_TS, a, z), z, m);
  out.exchangeTsMs = ts > 0 ? ts : 0;
  if (m.numBad) return malformed(out, "mexc_futures funding: rate, nextSettleTime or ts not a number");
  if (Number.isNaN(out.rate)) return ticker ? FundingKind.Other : malformed(out, "mexc_futures push.funding.rate: no rate");
  if (!rangeEndsWith(frame, out.symStart, out.symEnd, "_USDT")) return FundingKind.Skip;
  emit(out);
  return FundingKind.Value;
}
