// OKX v5 REST best bid/ask of every instrument, fetched once at feed start to seed symbols that have not ticked yet:
// GET /api/v5/market/tickers?instType=SPOT|SWAP → {code:"0",msg:"",data:[{instType,instId,last,lastSz,askPx,askSz,
// bidPx,bidSz,...,ts}]}, every value a string. SWAP bidSz/askSz are CONTRACTS (× ctVal for base units, as on the
// WS); they are emitted as given. 20 requests / 2 s per IP.
// https://www.okx.com/docs-v5/en/#order-book-trading-market-data-get-tickers
import { joinUrl } from "../shared/batch.ts";
import { type BookTickerEmit, bookTickerTime, emitBookTicker } from "../shared/book-ticker-rows.ts";
import { fieldError, reqArray, reqObject, reqString, show } from "../shared/rest-fields.ts";
import type { OkxMarket } from "./instruments.ts";

export const OKX_TICKERS_PATH = "/api/v5/market/tickers";

const INST_TYPE: Record<OkxMarket, string> = { spot: "SPOT", swap: "SWAP" };

export function okxBookTickerUrl(restBase: string, market: OkxMarket): string {
  return joinUrl(restBase, `${OKX_TICKERS_PATH}?instType=${INST_TYPE[market]}`);
}

/** code != "0" throws with code and msg; a row of another instType (SPOT body in the SWAP feed) throws too. */
export function parseOkxBookTickers(body: unknown, emit: BookTickerEmit, name: string, market: OkxMarket): number {
  const path = `${name} tickers`;
  const b = reqObject(body, `${path} body`);
  if (b.code !== "0" && b.code !== 0) throw new Error(`${path}: code ${show(b.code)}, msg ${show(b.msg)}`);
  const data = reqArray(b.data, `${path} data`);
  const want = INST_TYPE[market];
  let n = 0;
  for (let i = 0; i < data.length; i++) {
    const at = `${path} data[${i}]`;
    const r = reqObject(data[i], at);
    const instId = reqString(r, "instId", at);
    if (r.instType !== undefined && r.instType !== want) throw fieldError(`${at}.instType`, `expected "${want}"`, r.instType);
    n += emitBookTicker(emit, instId, r.bidPx, r.askPx, r.bidSz, r.askSz, bookTickerTime(r.ts));
  }
  return n;
}
