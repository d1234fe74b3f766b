// Bybit v5 public frames: orderbook.1 (snapshot-only since 2025-03-20, `ts` before `type`, cts), linear
// tickers (snapshot then bid/ask deltas) and spot tickers (no bid/ask at all, as on the real feed).
import type { Instrument } from "../../market/instrument.ts";
import type { SourceBook } from "../../market/market.ts";
import { fixed, msString } from "../../format.ts";
import { fundingTrimmed, newSimFunding, simFunding } from "../../market/funding.ts";
import { fieldCaches } from "../shared/field-caches.ts";
import { channel, coalesced } from "../shared/channel.ts";
import type { Channel } from "../types.ts";

export const BYBIT_ORDERBOOK1 = 0;
export const BYBIT_TICKERS = 1;

function side(price: string, qty: number, qtyStr: string): string {
  return qty === 0 ? "[]" : `[["${price}","${qtyStr}"]]`;
}

export function bybitChannels(book: SourceBook, spot: boolean, pushMs: number, resendMs: number): Channel[] {
  const obHead = book.instruments.map((i) => `{"topic":"orderbook.1.${i.symbol}","ts":`);
  const obData = book.instruments.map((i) => `,"type":"snapshot","data":{"s":"${i.symbol}","b":`);
  const f = fieldCaches(book, fixed, fixed);
  const orderbook = channel("orderbook.1", coalesced(pushMs, "now", resendMs), (_inst, i, now, bad) => {
    const bid = bad ? "abc" : f.bid.get(i, book.bid[i]!);
    const ask = bad ? "abc" : f.ask.get(i, book.ask[i]!);
    const bq = book.bidQty[i]!;
    const aq = book.askQty[i]!;
    return `${obHead[i]}${msString(now)}${obData[i]}${side(bid, bq, f.bq.get(i, bq))},"a":${side(ask, aq, f.aq.get(i, aq))},"u":${book.u[i]},"seq":${book.seq[i]}},"cts":${msString(book.ts[i] || now)}}`;
  });
  const tHead = book.instruments.map((i) => `{"topic":"tickers.${i.symbol}",`);
  if (spot) {
    const tickers = channel("tickers", coalesced(50, "now"), (inst, i, now, bad) => {
      const last = bad ? "abc" : fixed(book.bid[i]!, inst.tickDec);
      return `${tHead[i]}"ts":${now},"type":"snapshot","cs":${book.seq[i]},"data":{"symbol":"${inst.symbol}","lastPrice":"${last}","highPrice24h":"${fixed(Math.round(book.ask[i]! * 1.03), inst.tickDec)}","lowPrice24h":"${fixed(Math.round(book.bid[i]! * 0.97), inst.tickDec)}","prevPrice24h":"${fixed(Math.round(book.bid[i]! * 0.99), inst.tickDec)}","volume24h":"${fixed(book.bidQty[i]! * 500, inst.qtyDec)}","turnover24h":"1234567.89","price24hPcnt":"0.0102","usdIndexPrice":"${last}"}}`;
    });
    return [orderbook, tickers];
  }
  // Funding fields (2026 field set: fundingIntervalHour and fundingCap since 2025-10-16) from the simulated model;
  // dated LinearFutures carry "" / "0" as recorded. A delta names them only when they changed since the last
  // delta of that topic (deltas carry "only changed fields"), so a client merging deltas follows the drift, the
  // settlement rollover and an interval change.
  const fm = newSimFunding();
  const lastRate = new Float64Array(book.n).fill(Number.NaN);
  const lastNext = new Float64Array(book.n).fill(Number.NaN);
  const lastHours = new Float64Array(book.n).fill(Number.NaN);
  const perp = (i: number) => book.instruments[i]!.kind !== "dated";
  const delta = (inst: Instrument, i: number, now: number, bad: boolean): string => {
    const d = inst.tickDec;
    const bid = bad ? "abc" : fixed(book.bid[i]!, d);
    const ask = bad ? "abc" : fixed(book.ask[i]!, d);
    let funding = "";
    if (perp(i)) {
      simFunding(inst, now, fm);
      if (fm.intervalHours !== lastHours[i]) funding += `,"fundingIntervalHour":"${fm.intervalHours}","fundingCap":"${fundingTrimmed(fm.capUnits)}"`;
      if (fm.nextMs !== lastNext[i]) funding += `,"nextFundingTime":"${fm.nextMs}"`;
      if (fm.rateUnits !== lastRate[i]) funding += `,"fundingRate":"${fundingTrimmed(fm.rateUnits)}"`;
      lastHours[i] = fm.intervalHours;
      lastNext[i] = fm.nextMs;
      lastRate[i] = fm.rateUnits;
    }
    return `${tHead[i]}"type":"delta","data":{"symbol":"${inst.symbol}"${funding},"bid1Price":"${bid}","bid1Size":"${fixed(book.bidQty[i]!, inst.qtyDec)}","ask1Price":"${ask}","ask1Size":"${fixed(book.askQty[i]!, inst.qtyDec)}"},"cs":${book.seq[i]},"ts":${now}}`;
  };
  // Key order of the 2026-08-13 capture (tests/fixtures/funding/bybit_linear/ws_tickers_2026-08-13_capture.jsonl).
  const snapshot = (inst: Instrument, i: number, now: number): string => {
    const d = inst.tickDec;
    const bid = fixed(book.bid[i]!, d);
    const ask = fixed(book.ask[i]!, d);
    const mid = fixed(Math.round((book.bid[i]! + book.ask[i]!) / 2), d);
    const p = perp(i);
    if (p) simFunding(inst, now, fm);
    const funding = p
      ? `"fundingIntervalHour":"${fm.intervalHours}","fundingCap":"${fundingTrimmed(fm.capUnits)}","singleOpenInterest":"61728.35","singleOpenInterestValue":"4938271.6","nextFundingTime":"${fm.nextMs}","fundingRate":"${fundingTrimmed(fm.rateUnits)}"`
      : `"fundingIntervalHour":"","fundingCap":"","singleOpenInterest":"61728.35","singleOpenInterestValue":"4938271.6","nextFundingTime":"0","fundingRate":""`;
    return `${tHead[i]}"type":"snapshot","data":{"symbol":"${inst.symbol}","tickDirection":"ZeroPlusTick","price24hPcnt":"0.012345","lastPrice":"${bid}","prevPrice24h":"${bid}","highPrice24h":"${ask}","lowPrice24h":"${bid}","prevPrice1h":"${bid}","markPrice":"${mid}","indexPrice":"${mid}","openInterest":"123456.7","openInterestValue":"9876543.21","turnover24h":"123456789.1234","volume24h":"4567890.0000",${funding},"bid1Price":"${bid}","bid1Size":"${fixed(book.bidQty[i]!, inst.qtyDec)}","ask1Price":"${ask}","ask1Size":"${fixed(book.askQty[i]!, inst.qtyDec)}","preOpenPrice":"","preQty":"","curPreListingPhase":""},"cs":${book.seq[i]},"ts":${now}}`;
  };
  return [orderbook, channel("tickers", coalesced(100, "now"), delta, snapshot)];
}
