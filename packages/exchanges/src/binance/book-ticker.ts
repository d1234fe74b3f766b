// Binance REST best bid/ask of every symbol, fetched once at feed start to seed symbols that have not ticked yet:
// spot GET /api/v3/ticker/bookTicker (weight 4 for all symbols; rows carry no time) and USD-M
// GET /fapi/v1/ticker/bookTicker (weight 5; `time` = last book change in ms, RPI orders excluded).
// Body: [{symbol,bidPrice,bidQty,askPrice,askQty[,time,lastUpdateId]}] with decimal strings; one object with ?symbol=.
// Spot also lists delisted (BREAK) symbols with every value "0.00000000": such rows are emitted with 0 prices.
// https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints#symbol-order-book-ticker
// https://developers.binance.com/docs/derivatives/usds-margined-futures/market-data/rest-api/Symbol-Order-Book-Ticker
import { joinUrl } from "../shared/batch.ts";
import { type BookTickerEmit, bookTickerRows, bookTickerTime, emitBookTicker } from "../shared/book-ticker-rows.ts";
import { isObject, reqObject, reqString, show } from "../shared/rest-fields.ts";

export const BINANCE_SPOT_BOOK_TICKER_PATH = "/api/v3/ticker/bookTicker";
export const BINANCE_FUTURES_BOOK_TICKER_PATH = "/fapi/v1/ticker/bookTicker";

export function binanceSpotBookTickerUrl(restBase: string): string {
  return joinUrl(restBase, BINANCE_SPOT_BOOK_TICKER_PATH);
}

export function binanceFuturesBookTickerUrl(restBase: string): string {
  return joinUrl(restBase, BINANCE_FUTURES_BOOK_TICKER_PATH);
}

/** Spot and USD-M share the row shape; only USD-M rows have `time`. An error body {code,msg} throws. */
export function parseBinanceBookTickers(body: unknown, emit: BookTickerEmit, venue: "binance_spot" | "binance_futures"): number {
  const path = `${venue} bookTicker`;
  if (isObject(body) && body.symbol === undefined && body.code !== undefined) {
    throw new Error(`${path}: error code ${show(body.code)}: ${show(body.msg)}`);
  }
  const rows = bookTickerRows(body, `${path} body`);
  const timed = venue === "binance_futures";
  let n = 0;
  for (let i = 0; i < rows.length; i++) {
    const at = `${path}[${i}]`;
    const r = reqObject(rows[i], at);
    const symbol = reqString(r, "symbol", at);
    n += emitBookTicker(emit, symbol, r.bidPrice, r.askPrice, r.bidQty, r.askQty, timed ? bookTickerTime(r.time) : 0);
  }
  return n;
}
