// Bybit v5 REST best bid/ask of every symbol, fetched once at feed start to seed symbols that have not ticked yet:
// GET /v5/market/tickers?category=spot|linear → {retCode,retMsg,result:{category,list:[{symbol,bid1Price,bid1Size,
// ask1Price,ask1Size,...}]},retExtInfo,time}. Unlike the WS spot tickers, the REST rows carry bid/ask on spot too.
// Rows have no time of their own: the envelope `time` (ms, when the server built this snapshot) is used for all.
// https://bybit-exchange.github.io/docs/v5/market/tickers
import { joinUrl } from "../shared/batch.ts";
import { type BookTickerEmit, bookTickerTime, emitBookTicker } from "../shared/book-ticker-rows.ts";
import { fieldError, reqArray, reqObject, reqString, show } from "../shared/rest-fields.ts";

export const BYBIT_TICKERS_PATH = "/v5/market/tickers";

export type BybitCategory = "spot" | "linear";

export function bybitBookTickerUrl(restBase: string, category: BybitCategory): string {
  return joinUrl(restBase, `${BYBIT_TICKERS_PATH}?category=${category}`);
}

/** retCode != 0 throws with retCode and retMsg; a body of another category throws too (spot rows in a linear feed). */
export function parseBybitBookTickers(body: unknown, emit: BookTickerEmit, venue: "bybit_spot" | "bybit_futures", category: BybitCategory): number {
  const path = `${venue} tickers`;
  const b = reqObject(body, `${path} body`);
  if (b.retCode !== 0 && b.retCode !== "0") {
    throw new Error(`${path}: retCode ${show(b.retCode)}, retMsg ${show(b.retMsg)}`);
  }
  const result = reqObject(b.result, `${path} result`);
  if (result.category !== undefined && result.category !== category) {
    throw fieldError(`${path} result.category`, `expected "${category}"`, result.category);
  }
  const list = reqArray(result.list, `${path} result.list`);
  const ts = bookTickerTime(b.time);
  let n = 0;
  for (let i = 0; i < list.length; i++) {
    const at = `${path} result.list[${i}]`;
    const r = reqObject(list[i], at);
    const symbol = reqString(r, "symbol", at);
    n += emitBookTicker(emit, symbol, r.bid1Price, r.ask1Price, r.bid1Size, r.ask1Size, ts);
  }
  return n;
}
