// OKX v5 public pushes: bbo-tbt (1-level snapshot, no instId in data, 10 ms when changed, ~60 s re-send),
// tickers and books5. Level arrays are [price, size, "0", orderCount]; numbers are trimmed decimal strings.
// A side without orders (thin-book.ts) is [] in the books and "" prices and sizes in tickers, as OKX sends it.
import type { SourceBook } from "../../market/market.ts";
import { msString, trimmed } from "../../format.ts";
import { fieldCaches } from "../shared/field-caches.ts";
import { channel, coalesced, fundingClock } from "../shared/channel.ts";
import type { Channel } from "../types.ts";
import { newSimFunding } from "../../market/funding.ts";
import { okxFundingRow } from "./rest.ts";
import { EmptySide, OkxThinBooks } from "./thin-book.ts";

export const OKX_BBO = 0;
export const OKX_TICKERS = 1;
export const OKX_BOOKS5 = 2;
/** SWAP only: the funding-rate channel. */
export const OKX_FUNDING_RATE = 3;
/** funding-rate pushes "in 30s to 90s" (OKX docs): one full object per push, the first right after subscribing. */
export const OKX_FUNDING_PUSH_MS = 30_000;

function level(price: string, qty: number, qtyDec: number, qtyStr?: string): string {
  return `["${price}","${qtyStr ?? trimmed(qty, qtyDec)}","0","${1 + (qty % 7)}"]`;
}

export function okxChannels(book: SourceBook, pushMs: number, resendMs: number, instType: "SPOT" | "SWAP"): Channel[] {
  const bboHead = book.instruments.map((i) => `{"arg":{"channel":"bbo-tbt","instId":"${i.symbol}"},"data":[{"asks":`);
  const f = fieldCaches(book, trimmed, trimmed);
  const thin = new OkxThinBooks(book);
  const bbo = channel("bbo-tbt", coalesced(pushMs, "now", resendMs), (inst, i, now, bad) => {
    const aq = book.askQty[i]!;
    const bq = book.bidQty[i]!;
    const empty = thin.emptySide(i);
    const asks = empty === EmptySide.ask ? "[]" : `[${level(bad ? "abc" : f.ask.get(i, book.ask[i]!), aq, inst.qtyDec, f.aq.get(i, aq))}]`;
    const bids = empty === EmptySide.bid ? "[]" : `[${level(bad ? "abc" : f.bid.get(i, book.bid[i]!), bq, inst.qtyDec, f.bq.get(i, bq))}]`;
    return `${bboHead[i]}${asks},"bids":${bids},"ts":"${msString(book.ts[i] || now)}","seqId":${book.u[i]}}]}`;
  });
  const tHead = book.instruments.map((i) => `{"arg":{"channel":"tickers","instId":"${i.symbol}"},"data":[{"instType":"${instType}","instId":"${i.symbol}","last":"`);
  const tickers = channel("tickers", coalesced(100, "now"), (inst, i, now, bad) => {
    const d = inst.tickDec;
    const q = inst.qtyDec;
    const empty = thin.emptySide(i);
    const last = bad ? "abc" : trimmed(book.bid[i]!, d);
    const bid = empty === EmptySide.bid ? "" : last;
    const ask = empty === EmptySide.ask ? "" : bad ? "abc" : trimmed(book.ask[i]!, d);
    const bidSz = empty === EmptySide.bid ? "" : trimmed(book.bidQty[i]!, q);
    const askSz = empty === EmptySide.ask ? "" : trimmed(book.askQty[i]!, q);
    return `${tHead[i]}${last}","lastSz":"${trimmed(book.bidQty[i]! % 1000 + 1, q)}","askPx":"${ask}","askSz":"${askSz}","bidPx":"${bid}","bidSz":"${bidSz}","open24h":"${trimmed(Math.round(book.bid[i]! * 0.99), d)}","high24h":"${trimmed(Math.round(book.ask[i]! * 1.02), d)}","low24h":"${trimmed(Math.round(book.bid[i]! * 0.97), d)}","sodUtc0":"${trimmed(Math.round(book.bid[i]! * 0.995), d)}","sodUtc8":"${trimmed(Math.round(book.bid[i]! * 1.004), d)}","volCcy24h":"1234567.89","vol24h":"98765432","ts":"${book.ts[i] || now}"}]}`;
  });
  const b5Head = book.instruments.map((i) => `{"arg":{"channel":"books5","instId":"${i.symbol}"},"data":[{"asks":[`);
  const books5 = channel("books5", coalesced(100, "now", resendMs), (inst, i, now, bad) => {
    const d = inst.tickDec;
    const empty = thin.emptySide(i);
    const asks: string[] = [];
    const bids: string[] = [];
    for (let k = 0; k < 5; k++) {
      if (empty !== EmptySide.ask) asks.push(level(bad ? "abc" : trimmed(book.ask[i]! + k, d), book.askQty[i]! + k * 3, inst.qtyDec));
      if (empty !== EmptySide.bid) bids.push(level(bad ? "abc" : trimmed(Math.max(0, book.bid[i]! - k), d), book.bidQty[i]! + k * 5, inst.qtyDec));
    }
    return `${b5Head[i]}${asks.join(",")}],"bids":[${bids.join(",")}],"instId":"${inst.symbol}","ts":"${book.ts[i] || now}","seqId":${book.u[i]}}]}`;
  });
  if (instType === "SPOT") return [bbo, tickers, books5];
  const fHead = book.instruments.map((i) => `{"arg":{"channel":"funding-rate","instId":"${i.symbol}"},"data":[`);
  const fm = newSimFunding();
  const funding = channel("funding-rate", fundingClock(OKX_FUNDING_PUSH_MS), (inst, i, now) => `${fHead[i]}${okxFundingRow(inst, now, fm)}]}`);
  return [bbo, tickers, books5, funding];
}
