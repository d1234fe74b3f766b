// MEXC spot protobuf pushes (PushDataV3ApiWrapper, fields 1 channel / 3 symbol / 6 sendTime + body):
// aggre.bookTicker 315 (10 ms / 100 ms), bookTicker.batch 311 and limit.depth 303, byte-compatible with the
// recorded frames in fixtures/mexc_spot/frames.
import type { SourceBook } from "../../market/market.ts";
import { fixed, trimmed } from "../../format.ts";
import { fieldCaches } from "../binance/channels.ts";
import { ProtoWriter, Wrapper } from "../../proto.ts";
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
  const aggre = (ch: number, intervalMs: number): Channel => ({
    name: ch === MEXC_AGGRE_10 ? "aggre.bookTicker@10ms" : "aggre.bookTicker@100ms",
    intervalMs,
    resendMs: 0,
    onSubscribe: "none",
    build(b, i, now, bad) {
      const inst = b.instruments[i]!;
      body.reset()
        .string(1, bad ? "abc" : f.bid.get(i, b.bid[i]!))
        .string(2, f.bq.get(i, b.bidQty[i]!))
        .string(3, bad ? "abc" : f.ask.get(i, b.ask[i]!))
        .string(4, f.aq.get(i, b.askQty[i]!))
        .string(5, String(b.u[i]))
        .uint(6, b.ts[i] || now);
      return wrap(names[ch]![i]!, inst.symbol, now, Wrapper.publicAggreBookTicker);
    },
  });
  const batch: Channel = {
    name: "bookTicker.batch",
    intervalMs: 100,
    resendMs: 0,
    onSubscribe: "none",
    build(b, i, now, bad) {
      const inst = b.instruments[i]!;
      item.reset()
        .string(1, bad ? "abc" : trimmed(b.bid[i]!, inst.tickDec))
        .string(2, trimmed(b.bidQty[i]!, inst.qtyDec))
        .string(3, bad ? "abc" : trimmed(b.ask[i]!, inst.tickDec))
        .string(4, trimmed(b.askQty[i]!, inst.qtyDec));
      body.reset().message(1, item).string(2, String(b.u[i])).uint(3, b.ts[i] || now);
      return wrap(names[MEXC_BATCH]![i]!, inst.symbol, now, Wrapper.publicBookTickerBatch);
    },
  };
  const depth = (ch: number, levels: number): Channel => ({
    name: `limit.depth@${levels}`,
    intervalMs: 100,
    resendMs: 0,
    onSubscribe: "none",
    build(b, i, now, bad) {
      const inst = b.instruments[i]!;
      const d = inst.tickDec;
      const q = inst.qtyDec;
      body.reset();
      for (let k = 0; k < levels; k++) {
        item.reset().string(1, bad ? "abc" : fixed(b.ask[i]! + k, d)).string(2, fixed(b.askQty[i]! + k * 7, q));
        body.message(1, item);
      }
      for (let k = 0; k < levels; k++) {
        item.reset().string(1, bad ? "abc" : fixed(Math.max(0, b.bid[i]! - k), d)).string(2, fixed(b.bidQty[i]! + k * 11, q));
        body.message(2, item);
      }
      body.string(3, "spot@public.limit.depth.v3.api.pb").string(4, String(b.u[i])).uint(5, b.ts[i] || now);
      return wrap(names[ch]![i]!, inst.symbol, now, Wrapper.publicLimitDepths);
    },
  });
  return [aggre(MEXC_AGGRE_10, 10), aggre(MEXC_AGGRE_100, 100), batch, depth(MEXC_DEPTH_5, 5), depth(MEXC_DEPTH_10, 10), depth(MEXC_DEPTH_20, 20)];
}
