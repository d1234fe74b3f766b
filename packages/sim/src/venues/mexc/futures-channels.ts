// MEXC futures JSON pushes on /edge: push.ticker (JSON numbers, bid1/ask1 without sizes, ~1/s) and
// push.depth.full ([price, contracts, orderCount]); small prices in exponent form ("3.4103e-06") as live.
import type { SourceBook } from "../../market/market.ts";
import { newSimFunding, simFunding } from "../../market/funding.ts";
import { mexcNumber, mexcRate } from "./number.ts";
import { channel, coalesced, fundingClock } from "../shared/channel.ts";
import type { Channel } from "../types.ts";

export const MEXC_TICKER = 0;
export const MEXC_DEPTH_FULL_5 = 1;
export const MEXC_DEPTH_FULL_10 = 2;
export const MEXC_DEPTH_FULL_20 = 3;
export const MEXC_FUNDING_RATE = 4;
/**
 * push.funding.rate cadence. The venue pushes on change (one frame in a 25 s window in the 2026-09 probe); the
 * model's rate moves every few seconds, so the simulator pushes the current value every 20 s and at once on
 * subscribing.
 */
export const MEXC_FUNDING_PUSH_MS = 20_000;

export function mexcFuturesChannels(book: SourceBook, tickerMs: number): Channel[] {
  const tHead = book.instruments.map((i) => `{"symbol":"${i.symbol}","data":{"symbol":"${i.symbol}","lastPrice":`);
  const fm = newSimFunding();
  const rateOf = (i: number, now: number) => (book.instruments[i]!.kind === "dated" ? "0" : mexcRate(simFunding(book.instruments[i]!, now, fm).rateUnits));
  const ticker = channel("push.ticker", coalesced(tickerMs, "next"), (inst, i, now, bad) => {
    const d = inst.tickDec;
    const bid = bad ? `"abc"` : mexcNumber(book.bid[i]!, d);
    const ask = bad ? `"abc"` : mexcNumber(book.ask[i]!, d);
    const fair = mexcNumber(Math.round((book.bid[i]! + book.ask[i]!) / 2), d);
    return `${tHead[i]}${bid},"riseFallRate":-0.0006,"fairPrice":${fair},"indexPrice":${fair},"volume24":${book.bidQty[i]! * 311},"amount24":7344207079.96768,"maxBidPrice":${mexcNumber(Math.round(book.ask[i]! * 1.1), d)},"minAskPrice":${mexcNumber(Math.round(book.bid[i]! * 0.9), d)},"lower24Price":${mexcNumber(Math.round(book.bid[i]! * 0.97), d)},"high24Price":${mexcNumber(Math.round(book.ask[i]! * 1.03), d)},"timestamp":${book.ts[i] || now},"bid1":${bid},"ask1":${ask},"holdVol":${book.askQty[i]! * 97},"riseFallValue":-46.5,"fundingRate":${rateOf(i, now)},"zone":"UTC+8","riseFallRates":[-0.0006,0.1008,0.2262,0.2628,0.2439,1.0564],"riseFallRatesOfTimezone":[0.0065,-0.0013,-0.0006]},"channel":"push.ticker","ts":${now}}`;
  });
  const depth = (levels: number): Channel =>
    channel(`push.depth.full@${levels}`, coalesced(250, "next"), (inst, i, now, bad) => {
      const d = inst.tickDec;
      const asks: string[] = [];
      const bids: string[] = [];
      for (let k = 0; k < levels; k++) {
        asks.push(`[${bad ? `"abc"` : mexcNumber(book.ask[i]! + k, d)},${book.askQty[i]! + k * 3},${1 + (k % 3)}]`);
        bids.push(`[${bad ? `"abc"` : mexcNumber(Math.max(0, book.bid[i]! - k), d)},${book.bidQty[i]! + k * 5},${1 + (k % 2)}]`);
      }
      return `{"symbol":"${inst.symbol}","data":{"cts":${book.ts[i] || now},"asks":[${asks.join(",")}],"bids":[${bids.join(",")}],"version":${book.u[i]}},"channel":"push.depth.full","ts":${now}}`;
    });
  // Recorded 2026-09-15: {"symbol":S,"data":{"symbol":S,"rate":0.000081,"nextSettleTime":…},"channel":"push.funding.rate","ts":…}.
  const fHead = book.instruments.map((i) => `{"symbol":"${i.symbol}","data":{"symbol":"${i.symbol}","rate":`);
  const funding = channel("push.funding.rate", fundingClock(MEXC_FUNDING_PUSH_MS), (_inst, i, now) => {
    const rate = rateOf(i, now);
    return `${fHead[i]}${rate},"nextSettleTime":${fm.nextMs}},"channel":"push.funding.rate","ts":${now}}`;
  });
  return [ticker, depth(5), depth(10), depth(20), funding];
}
