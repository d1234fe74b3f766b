// MEXC spot protobuf pushes (PushDataV3ApiWrapper, fields 1 channel / 3 symbol / 6 sendTime + body):
// aggre.bookTicker 315 (10 ms / 100 ms), bookTicker.batch 311 and limit.depth 303, byte-compatible with the
// recorded frames in fixtures/mexc_spot/frames.
import type { SourceBook } from "../../market/market.ts";
import { fixed, trimmed } from "../../format.ts";
import { fieldCaches } from "../shared/field-caches.ts";
import { ProtoWriter, Wrapper } from "../../proto.ts";
import { channel, coalesced } from "../shared/channel.ts";
import type { Channel } from "../types.ts";

export const MEXC_AGGRE_10 = 0;
export const MEXC_AGGRE_100 = 1;
export const MEXC_BATCH = 2;
export const MEXC_DEPTH_5 = 3;
export const MEXC_DEPTH_10 = 4;
export const MEXC_DEPTH_20 = 5;

/** Channel name a client subscribes with, per variant. */
export function mexcSpotChannelName(ch: number, symbol: string): string {
  switch (ch) {
    case MEXC_AGGRE_10:
      return `spot@public.aggre.bookTicker.v3.api.pb@10ms@${symbol}`;
    case MEXC_AGGRE_100:
      return `spot@public.aggre.bookTicker.v3.api.pb@100ms@${symbol}`;
    case MEXC_BATCH:
      return `spot@public.bookTicker.batch.v3.api.pb@${symbol}`;
    default:
      return `spot@public.limit.depth.v3.api.pb@${symbol}@${[5, 10, 20][ch - MEXC_DEPTH_5]}`;
  }
}

const outer = new ProtoWriter();
const body = new ProtoWriter();
const item = new ProtoWriter();

function wrap(channel: string, symbol: string, now: number, field: number): Uint8Array {
  outer.reset().string(Wrapper.channel, channel).string(Wrapper.symbol, symbol).uint(Wrapper.sendTime, now).message(field, body);
  return outer.bytes();
}

export function mexcSpotChannels(book: SourceBook): Channel[] {
  const names = [0, 1, 2, 3, 4, 5].map((ch) => book.instruments.map((i) => mexcSpotChannelName(ch, i.symbol)));
  const f = fieldCaches(book, trimmed, trimmed);
  const aggre = (ch: number, intervalMs: number): Channel =>
    channel(ch === MEXC_AGGRE_10 ? "aggre.bookTicker@10ms" : "aggre.bookTicker@100ms", coalesced(intervalMs, "none"), (inst, i, now, bad) => {
      body.reset()
        .string(1, bad ? "abc" : f.bid.get(i, book.bid[i]!))
        .string(2, f.bq.get(i, book.bidQty[i]!))
        .string(3, bad ? "abc" : f.ask.get(i, book.ask[i]!))
        .string(4, f.aq.get(i, book.askQty[i]!))
        .string(5, String(book.u[i]))
        .uint(6, book.ts[i] || now);
      return wrap(names[ch]![i]!, inst.symbol, now, Wrapper.publicAggreBookTicker);
    });
  const batch = channel("bookTicker.batch", coalesced(100, "none"), (inst, i, now, bad) => {
    item.reset()
      .string(1, bad ? "abc" : trimmed(book.bid[i]!, inst.tickDec))
      .string(2, trimmed(book.bidQty[i]!, inst.qtyDec))
      .string(3, bad ? "abc" : trimmed(book.ask[i]!, inst.tickDec))
      .string(4, trimmed(book.askQty[i]!, inst.qtyDec));
    body.reset().message(1, item).string(2, String(book.u[i])).uint(3, book.ts[i] || now);
    return wrap(names[MEXC_BATCH]![i]!, inst.symbol, now, Wrapper.publicBookTickerBatch);
  });
  const depth = (ch: number, levels: number): Channel =>
    channel(`limit.depth@${levels}`, coalesced(100, "none"), (inst, i, now, bad) => {
      const d = inst.tickDec;
      const q = inst.qtyDec;
      body.reset();
      for (let k = 0; k < levels; k++) {
        item.reset().string(1, bad ? "abc" : fixed(book.ask[i]! + k, d)).string(2, fixed(book.askQty[i]! + k * 7, q));
        body.message(1, item);
      }
      for (let k = 0; k < levels; k++) {
        item.reset().string(1, bad ? "abc" : fixed(Math.max(0, book.bid[i]! - k), d)).string(2, fixed(book.bidQty[i]! + k * 11, q));
        body.message(2, item);
      }
      body.string(3, "spot@public.limit.depth.v3.api.pb").string(4, String(book.u[i])).uint(5, book.ts[i] || now);
      return wrap(names[ch]![i]!, inst.symbol, now, Wrapper.publicLimitDepths);
    });
  return [aggre(MEXC_AGGRE_10, 10), aggre(MEXC_AGGRE_100, 100), batch, depth(MEXC_DEPTH_5, 5), depth(MEXC_DEPTH_10, 10), depth(MEXC_DEPTH_20, 20)];
}
