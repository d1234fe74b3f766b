// Binance <symbol>@bookTicker frames: spot (no event time, 8-decimal strings) and USD-M (2026 field set
// e/u/E/T/s/ps/b/B/a/A/st), raw and combined-stream wrapped. Pre-built per-instrument fragments.
import type { SourceBook } from "../../market/market.ts";
import type { Instrument } from "../../market/instrument.ts";
import { fixed, msString, padded } from "../../format.ts";
import { fundingDecimal, newSimFunding, simFunding } from "../../market/funding.ts";
import { channel, clocked, ON_UPDATE } from "../shared/channel.ts";
import { fieldCaches } from "../shared/field-caches.ts";
import type { Channel } from "../types.ts";

export const BINANCE_RAW = 0;
export const BINANCE_COMBINED = 1;
/** USD-M <symbol>@markPrice (3 s) and @markPrice@1s: MARK_PRICE + (combined ? 1 : 0) + (1 s ? 2 : 0). */
export const BINANCE_MARK_PRICE = 2;

/** Lower-cased stream name of an instrument ("btcusdt@bookTicker"). */
export function bookTickerStream(symbol: string): string {
  return `${symbol.toLowerCase()}@bookTicker`;
}

/** `ps` (pair) of a USD-M contract: the symbol without a delivery suffix. */
function pairOf(inst: Instrument): string {
  const i = inst.symbol.indexOf("_");
  return i < 0 ? inst.symbol : inst.symbol.slice(0, i);
}

const pad8 = (u: number, d: number) => padded(u, d, 8);

type Builder = (i: number, now: number, bad: boolean, prefix: string, suffix: string) => string;

/** Spot payload; `prefix`/`suffix` wrap it for the combined stream in the same single concatenation. */
function spotFrame(book: SourceBook): Builder {
  const frag = book.instruments.map((inst) => `,"s":"${inst.symbol}","b":"`);
  const f = fieldCaches(book, pad8, pad8);
  return (i, _now, bad, prefix, suffix) => {
    const b = bad ? "abc" : f.bid.get(i, book.bid[i]!);
    const a = bad ? "abc" : f.ask.get(i, book.ask[i]!);
    return `${prefix}{"u":${book.u[i]}${frag[i]}${b}","B":"${f.bq.get(i, book.bidQty[i]!)}","a":"${a}","A":"${f.aq.get(i, book.askQty[i]!)}"}${suffix}`;
  };
}

function futuresFrame(book: SourceBook): Builder {
  const frag = book.instruments.map((inst) => `,"s":"${inst.symbol}","ps":"${pairOf(inst)}","b":"`);
  const f = fieldCaches(book, fixed, fixed);
  return (i, now, bad, prefix, suffix) => {
    const b = bad ? "abc" : f.bid.get(i, book.bid[i]!);
    const a = bad ? "abc" : f.ask.get(i, book.ask[i]!);
    const t = book.ts[i]! || now;
    return `${prefix}{"e":"bookTicker","u":${book.u[i]},"E":${msString(now)},"T":${msString(t - 2)}${frag[i]}${b}","B":"${f.bq.get(i, book.bidQty[i]!)}","a":"${a}","A":"${f.aq.get(i, book.askQty[i]!)}","st":1}${suffix}`;
  };
}

/**
 * One markPriceUpdate event as the 2026 USD-M stream sends it (e, E, s, p, ap, P, i, r, T, st; prices with 8
 * decimals). Funding from the simulated model; dated contracts carry rate "0.00000000" and T 0 as in premiumIndex.
 * `E` is second-aligned on the 1 s streams, as recorded.
 */
export function markPriceEvent(book: SourceBook): (i: number, now: number, aligned: boolean, bad: boolean) => string {
  const head = book.instruments.map((inst) => `,"s":"${inst.symbol}","p":"`);
  const f = newSimFunding();
  return (i, now, aligned, bad) => {
    const inst = book.instruments[i]!;
    const mark = bad ? "abc" : padded(Math.round((book.bid[i]! + book.ask[i]!) / 2), inst.tickDec, 8);
    // Index a touch below the mark (a small premium), the settle estimate in between, in the contract's ticks.
    const idx = padded(Math.round(((book.bid[i]! + book.ask[i]!) / 2) * 0.9998), inst.tickDec, 8);
    const perp = inst.kind !== "dated";
    if (perp) simFunding(inst, now, f);
    const e = aligned ? Math.floor(now / 1000) * 1000 : now;
    return `{"e":"markPriceUpdate","E":${msString(e)}${head[i]}${mark}","ap":"${mark}","P":"${idx}","i":"${idx}","r":"${perp ? fundingDecimal(f.rateUnits, 8) : "0.00000000"}","T":${perp ? f.nextMs : 0},"st":1}`;
  };
}

/** Channel 0 = raw payload (/ws), channel 1 = combined wrapper (/stream); USD-M adds the markPrice streams. */
export function binanceChannels(book: SourceBook, futures: boolean): Channel[] {
  const frame = futures ? futuresFrame(book) : spotFrame(book);
  const prefix = book.instruments.map((inst) => `{"stream":"${bookTickerStream(inst.symbol)}","data":`);
  const channels: Channel[] = [
    channel("bookTicker", ON_UPDATE, (_inst, i, now, bad) => frame(i, now, bad, "", "")),
    channel("bookTicker(combined)", ON_UPDATE, (_inst, i, now, bad) => frame(i, now, bad, prefix[i]!, "}")),
  ];
  if (!futures) return channels;
  const event = markPriceEvent(book);
  for (const [suffix, period] of [["", 3000], ["@1s", 1000]] as const) {
    const wrap = book.instruments.map((inst) => `{"stream":"${inst.symbol.toLowerCase()}@markPrice${suffix}","data":`);
    const aligned = period === 1000;
    channels.push(
      channel(`markPrice${suffix}`, clocked(period, "next"), (_inst, i, now, bad) => event(i, now, aligned, bad)),
      channel(`markPrice${suffix}(combined)`, clocked(period, "next"), (_inst, i, now, bad) => `${wrap[i]}${event(i, now, aligned, bad)}}`),
    );
  }
  return channels;
}
