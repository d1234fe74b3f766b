// MEXC REST best bid/ask of every symbol, fetched once at feed start to seed symbols that have not ticked yet
// (the spot aggre.bookTicker stream pushes only on change):
// - spot GET /api/v3/ticker/bookTicker (weight 1) → [{symbol,bidPrice,bidQty,askPrice,askQty}] decimal strings, no
//   time; one object with ?symbol=. Error body {code,msg}.
// - futures GET /api/v1/contract/ticker (20 req / 2 s) → {success:true,code:0,data:[{symbol,bid1,ask1,timestamp,...}]}
//   with JSON numbers (small ones in exponent form, 3.4103e-06) and NO sizes (emitted as NaN); data is one object
//   with ?symbol=. Error body {success:false,code,message}.
// https://www.mexc.com/api-docs/spot-v3/market-data-endpoints · https://www.mexc.com/api-docs/futures/market-endpoints
import { joinUrl } from "../shared/batch.ts";
import { type BookTickerEmit, bookTickerRows, bookTickerTime, emitBookTicker } from "../shared/book-ticker-rows.ts";
import { isObject, reqObject, reqString, show } from "../shared/rest-fields.ts";

export const MEXC_SPOT_BOOK_TICKER_PATH = "/api/v3/ticker/bookTicker";
export const MEXC_FUTURES_TICKER_PATH = "/api/v1/contract/ticker";

export function mexcSpotBookTickerUrl(restBase: string): string {
  return joinUrl(restBase, MEXC_SPOT_BOOK_TICKER_PATH);
}

export function mexcFuturesBookTickerUrl(restBase: string): string {
  return joinUrl(restBase, MEXC_FUTURES_TICKER_PATH);
}

export function parseMexcSpotBookTickers(body: unknown, emit: BookTickerEmit, name: string): number {
  const path = `${name} bookTicker`;
  if (isObject(body) && body.symbol === undefined && (body.code !== undefined || body.msg !== undefined)) {
    throw new Error(`${path}: error code ${show(body.code)}: ${show(body.msg)}`);
  }
  const rows = bookTickerRows(body, `${path} body`);
  let n = 0;
  for (let i = 0; i < rows.length; i++) {
    const at = `${path}[${i}]`;
    const r = reqObject(rows[i], at);
    n += emitBookTicker(emit, reqString(r, "symbol", at), r.bidPrice, r.askPrice, r.bidQty, r.askQty, 0);
  }
  return n;
}

export function parseMexcFuturesBookTickers(body: unknown, emit: BookTickerEmit, name: string): number {
  const path = `${name} contract/ticker`;
  const b = reqObject(body, `${path} body`);
  if (b.success === false || (b.code !== undefined && b.code !== 0 && b.code !== "0")) {
    throw new Error(`${path}: code ${show(b.code)}, message ${show(b.message ?? b.msg)}`);
  }
  const rows = bookTickerRows(b.data, `${path} data`);
  let n = 0;
  for (let i = 0; i < rows.length; i++) {
    const at = `${path} data[${i}]`;
    const r = reqObject(rows[i], at);
    // No sizes on this endpoint (nor on push.ticker): undefined → NaN.
    n += emitBookTicker(emit, reqString(r, "symbol", at), r.bid1, r.ask1, undefined, undefined, bookTickerTime(r.timestamp));
  }
  return n;
}
