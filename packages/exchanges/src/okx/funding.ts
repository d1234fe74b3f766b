// OKX v5 funding: REST GET /api/v5/public/funding-rate?instId=ANY (every perpetual in one request; 10 req / 2 s)
// and WS channel funding-rate per instId (one full object per push, every 30-90 s). fundingRate is the estimate
// for the UPCOMING settlement at fundingTime; nextFundingTime is the one after it, so the interval is
// nextFundingTime - fundingTime. nextFundingRate is "" (method current_period): absent, never 0. All values are
// strings. instId=ANY mixes in inverse (BTC-USD-SWAP) and X-Perps FUTURES rows: only *-USDT-SWAP SWAP rows count.
// https://www.okx.com/docs-v5/en/#public-data-rest-api-get-funding-rate
import { joinUrl } from "../shared/batch.ts";
import { FundingKind, HOUR_MS, fundingMalformed as malformed, type FundingEmit, type FundingKindValue, type FundingRecord } from "../funding.ts";
import type { SymbolTable } from "../symbol-table.ts";
import { codes, Key, member, nestedEnd, objectBounds, rangeEquals, readScalar, scalarNum, skipWs } from "../shared/scan/index.ts";
import { rangeEndsWith, restMs, restNum } from "../shared/funding-fields.ts";
import { isObject, reqArray, reqObject, reqString, show } from "../shared/rest-fields.ts";

const ERROR = codes("error");
const FUNDING_RATE = codes("funding-rate");
const SWAP = codes("SWAP");

export const OKX_FUNDING_PATH = "/api/v5/public/funding-rate";

export const okxFundingRestUrl = (restBase: string): string => joinUrl(restBase, `${OKX_FUNDING_PATH}?instId=ANY`);
/** The channel's arg for one instrument (the subscribe frame carries it as an object). */
export const okxFundingTopic = (instId: string): string => JSON.stringify({ channel: "funding-rate", instId });

/** Interval from the two settlement times, in whole hours; 0 when either is missing or the gap is not positive. */
function intervalHours(fundingTime: number, next: number): number {
  return fundingTime > 0 && next > fundingTime ? Math.round((next - fundingTime) / HOUR_MS) : 0;
}

/** REST replies carry code and data; WS events carry event, pushes arg. */
export function isOkxFundingRestBody(body: unknown): boolean {
  return isObject(body) && body.code !== undefined && body.event === undefined && body.arg === undefined;
}

/** funding-rate body: {code:"0",msg:"",data:[rows]}; code != "0" throws. */
export function parseOkxFundingRest(body: unknown, out: FundingRecord, symbols: SymbolTable | null, emit: FundingEmit): number {
  const path = "okx_futures funding-rate";
  const b = reqObject(body, `${path} body`);
  if (b.code !== "0" && b.code !== 0) throw new Error(`${path}: code ${show(b.code)}, msg ${show(b.msg)}`);
  const data = reqArray(b.data, `${path} data`);
  out.reset();
  let n = 0;
  for (let i = 0; i < data.length; i++) {
    const at = `${path} data[${i}]`;
    const r = reqObject(data[i], at);
    const instId = reqString(r, "instId", at);
    out.clearValues();
    out.setSymbol(instId, symbols);
    out.rate = restNum(r.fundingRate, `${at}.fundingRate`);
    out.predictedRate = restNum(r.nextFundingRate, `${at}.nextFundingRate`);
    out.nextFundingMs = restMs(r.fundingTime, `${at}.fundingTime`);
    out.intervalHours = intervalHours(out.nextFundingMs, restMs(r.nextFundingTime, `${at}.nextFundingTime`));
    out.exchangeTsMs = restMs(r.ts, `${at}.ts`);
    if (r.instType !== "SWAP" || !instId.endsWith("-USDT-SWAP") || Number.isNaN(out.rate) || out.nextFundingMs === 0) continue;
    emit(out);
    n++;
  }
  return n;
}

const K_ARG = new Key('"arg"');
const K_CHANNEL = new Key('"channel"');
const K_DATA = new Key('"data"');
const K_EVENT = new Key('"event"');
const K_INST = new Key('"instId"');
const K_INST_TYPE = new Key('"instType"');
const K_RATE = new Key('"fundingRate"');
const K_NEXT_RATE = new Key('"nextFundingRate"');
const K_TIME = new Key('"fundingTime"');
const K_NEXT_TIME = new Key('"nextFundingTime"');
const K_TS = new Key('"ts"');

/** funding-rate channel push; events (subscribe acks) Other, event error → Error. No allocation for pushes. */
export function parseOkxFundingWs(frame: string, out: FundingRecord, symbols: SymbolTable | null, emit: FundingEmit): FundingKindValue {
  out.reset();
  const m = out.scan;
  const sv = m.sv;
  if (frame === "pong") return FundingKind.Other;
  if (!objectBounds(frame, m.bounds)) return malformed(out, "okx_futures funding-rate: not a JSON object");
  const a = m.bounds.open;
  const z = m.bounds.close;
  readScalar(frame, member(frame, K_EVENT, a, a, z), z, sv);
  if (sv.kind === 1) {
    if (!rangeEquals(frame, sv.start, sv.end, ERROR)) return FundingKind.Other;
    out.message = okxErrorText(frame);
    return FundingKind.Error;
  }
  const g = member(frame, K_ARG, a, a, z);
  if (g < 0 || frame.charCodeAt(g) !== 123) return FundingKind.Other;
  readScalar(frame, member(frame, K_CHANNEL, g, g, z), z, sv);
  if (sv.kind !== 1 || !rangeEquals(frame, sv.start, sv.end, FUNDING_RATE)) return FundingKind.Other;
  const d = member(frame, K_DATA, -1, a, z);
  if (d < 0 || frame.charCodeAt(d) !== 91) return malformed(out, "okx_futures funding-rate: data is not an array");
  let i = skipWs(frame, d + 1, z);
  let emitted = 0;
  let kind: FundingKindValue = FundingKind.Skip;
  while (i < z && frame.charCodeAt(i) === 123) {
    const e = nestedEnd(frame, i);
    if (e < 0) return malformed(out, "okx_futures funding-rate: data item cut");
    kind = row(frame, i, e - 1, out, symbols);
    if (kind === FundingKind.Malformed) return kind;
    if (kind === FundingKind.Value) {
      emit(out);
      emitted++;
    }
    i = skipWs(frame, e, z);
    if (frame.charCodeAt(i) === 44) i = skipWs(frame, i + 1, z);
  }
  return emitted > 0 ? FundingKind.Value : kind;
}

/** One data item [o, c]: values set on out, then Value or Skip. */
function row(s: string, o: number, c: number, out: FundingRecord, symbols: SymbolTable | null): FundingKindValue {
  const m = out.scan;
  const sv = m.sv;
  out.clearValues();
  m.numBad = false;
  readScalar(s, member(s, K_INST, -1, o, c), c, sv);
  if (sv.kind !== 1 || sv.start === sv.end) return malformed(out, "okx_futures funding-rate: no data[].instId");
  out.setSymbolRange(s, sv.start, sv.end, symbols);
  readScalar(s, member(s, K_INST_TYPE, -1, o, c), c, sv);
  const swap = sv.kind === 1 && rangeEquals(s, sv.start, sv.end, SWAP);
  out.rate = scalarNum(s, member(s, K_RATE, -1, o, c), c, m);
  out.predictedRate = scalarNum(s, member(s, K_NEXT_RATE, -1, o, c), c, m);
  const t = scalarNum(s, member(s, K_TIME, -1, o, c), c, m);
  out.nextFundingMs = t > 0 ? t : 0;
  out.intervalHours = intervalHours(out.nextFundingMs, scalarNum(s, member(s, K_NEXT_TIME, -1, o, c), c, m));
  const ts = scalarNum(s, member(s, K_TS, -1, o, c), c, m);
  out.exchangeTsMs = ts > 0 ? ts : 0;
  if (m.numBad) return malformed(out, "okx_futures funding-rate: a rate or time is not a number");
  if (!swap || !rangeEndsWith(s, out.symStart, out.symEnd, "-USDT-SWAP") || Number.isNaN(out.rate) || out.nextFundingMs === 0) return FundingKind.Skip;
  return FundingKind.Value;
}

/** "okx_futures: error <code>: <msg>" from an error event (control path: JSON.parse is fine here). */
function okxErrorText(frame: string): string {
  try {
    const e = JSON.parse(frame) as { code?: unknown; msg?: unknown };
    return `okx_futures: error ${String(e.code)}: ${String(e.msg)}`;
  } catch {
    return "okx_futures: error event";
  }
}
