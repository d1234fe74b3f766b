// Binance <symbol>@bookTicker frames: spot (no event time, 8-decimal strings) and USD-M (2026 field set
// e/u/E/T/s/ps/b/B/a/A/st), raw and combined-stream wrapped. Pre-built per-instrument fragments.
import type { SourceBook } from "../../market/market.ts";
import type { Instrument } from "../../market/instrument.ts";
import { fixed, padded } from "../../format.ts";
import type { Channel } from "../types.ts";

export const BINANCE_RAW = 0;
export const BINANCE_COMBINED = 1;

/** Lower-cased stream name of an instrument ("btcusdt@bookTicker"). */
export function bookTickerStream(symbol: string): string {
  return `${symbol.toLowerCase()}@bookTicker`;
}

/** `ps` (pair) of a USD-M contract: the symbol without a delivery suffix. */
function pairOf(inst: Instrument): string {
  const i = inst.symbol.indexOf("_");
  return i < 0 ? inst.symbol : inst.symbol.slice(0, i);
}

function spotRaw(book: SourceBook): (i: number, now: number, bad: boolean) => string {
  const frag = book.instruments.map((inst) => `,"s":"${inst.symbol}","b":"`);
  return (i, _now, bad) => {
    const inst = book.instruments[i]!;
    const d = inst.tickDec;
    const q = inst.qtyDec;
    const b = bad ? "abc" : padded(book.bid[i]!, d, 8);
    const a = bad ? "abc" : padded(book.ask[i]!, d, 8);
    return `{"u":${book.u[i]}${frag[i]}${b}","B":"${padded(book.bidQty[i]!, q, 8)}","a":"${a}","A":"${padded(book.askQty[i]!, q, 8)}"}`;
  };
}

function futuresRaw(book: SourceBook): (i: number, now: number, bad: boolean) => string {
  const frag = book.instruments.map((inst) => `,"s":"${inst.symbol}","ps":"${pairOf(inst)}","b":"`);
  return (i, now, bad) => {
    const inst = book.instruments[i]!;
    const d = inst.tickDec;
    const q = inst.qtyDec;
    const b = bad ? "abc" : fixed(book.bid[i]!, d);
    const a = bad ? "abc" : fixed(book.ask[i]!, d);
    const t = book.ts[i]! || now;
    return `{"e":"bookTicker","u":${book.u[i]},"E":${now},"T":${t - 2}${frag[i]}${b}","B":"${fixed(book.bidQty[i]!, q)}","a":"${a}","A":"${fixed(book.askQty[i]!, q)}","st":1}`;
  };
}

/** Channel 0 = raw payload (/ws), channel 1 = combined wrapper (/stream). */
export function binanceChannels(book: SourceBook, futures: boolean): Channel[] {
  const raw = futures ? futuresRaw(book) : spotRaw(book);
  const prefix = book.instruments.map((inst) => `{"stream":"${bookTickerStream(inst.symbol)}","data":`);
  return [
    { name: "bookTicker", intervalMs: 0, resendMs: 0, onSubscribe: "none", build: (_b, i, now, bad) => raw(i, now, bad) },
    { name: "bookTicker(combined)", intervalMs: 0, resendMs: 0, onSubscribe: "none", build: (_b, i, now, bad) => `${prefix[i]}${raw(i, now, bad)}}` },
  ];
}
