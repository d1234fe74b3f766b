// Parse cost per frame: Binance spot / USD-M bookTicker and Bybit orderbook.1 through the adapters (compact-frame
// fast path), the structural walk alone (the slow path, what every frame took before the fast path) and JSON.parse.
import { blackhole, measure } from "./harness.ts";
import { parseBinanceSlow } from "../packages/exchanges/src/binance/parse.ts";
import { parseBybitSlow } from "../packages/exchanges/src/bybit/parse.ts";
import { SymbolTable } from "../packages/exchanges/src/symbol-table.ts";
import { FrameKind, QuoteRecord } from "../packages/exchanges/src/types.ts";
import { binance, bybit as bybitVenue } from "@spread/exchanges";

const binanceFutures = binance.futures;
const binanceSpot = binance.spot;
const bybitSpot = bybitVenue.spot;

// Realistic, varied frames (shapes as in the fixtures); 256 distinct frames per venue to defeat caching.
const N = 256;
const names: string[] = [];
for (let i = 0; i < 500; i++) names.push(`${String.fromCharCode(65 + (i % 26), 65 + ((i * 7) % 26), 65 + ((i * 13) % 26))}${i}USDT`);
const table = new SymbolTable(names);

const px = (i: number, base: number) => (base + (i % 97) * 0.0137).toFixed(4);
// ask one tick above the bid so every frame is a valid Update
const spot: string[] = [];
const fut: string[] = [];
const bybit: string[] = [];
for (let i = 0; i < N; i++) {
  const s = names[(i * 31) % names.length]!;
  const b = px(i, 7.6);
  const a = px(i, 7.6001);
  spot.push(`{"stream":"${s.toLowerCase()}@bookTicker","data":{"u":${499869768 + i},"s":"${s}","b":"${b}0000","B":"${672 + i}.00000000","a":"${a}0000","A":"${3199 + i}.00000000"}}`);
  // 2026 USD-M field set (/public/stream): e, u, E, T, s, ps, b, B, a, A, st
  fut.push(
    `{"stream":"${s.toLowerCase()}@bookTicker","data":{"e":"bookTicker","u":${600859600576 + i},"E":${1626992741017 + i},"T":${1626992741012 + i},"s":"${s}","ps":"${s}","b":"${b}","B":"${2 + (i % 50)}","a":"${a}","A":"${297 + i}","st":1}}`,
  );
  bybit.push(
    `{"topic":"orderbook.1.${s}","ts":${1680652806504 + i},"type":"snapshot","data":{"s":"${s}","b":[["${b}","0.${175231 + i}"]],"a":[["${a}","0.${996816 + i}"]],"u":${20404754 + i},"seq":${4281281856 + i}},"cts":${1680652806500 + i}}`,
  );
}

const out = new QuoteRecord();
for (const [name, frames, parse] of [
  ["binance_spot", spot, binanceSpot.parse],
  ["binance_futures", fut, binanceFutures.parse],
  ["bybit", bybit, bybitSpot.parse],
] as const) {
  for (const f of frames) if (parse(f, out, table) !== FrameKind.Update || out.symbolIndex < 0) throw new Error(`${name}: bench frame not an Update: ${f}`);
}

const mask = N - 1;
measure("parse binance_spot bookTicker (combined)", (i) => {
  binanceSpot.parse(spot[i & mask]!, out, table);
  blackhole(out.symbolIndex);
}, { target: "<= 150 ns" });
measure("JSON.parse binance_spot bookTicker", (i) => {
  const o = JSON.parse(spot[i & mask]!) as { data: { b: string; a: string } };
  blackhole(Number(o.data.b) + Number(o.data.a));
});
measure("parse binance_futures bookTicker (combined, 2026)", (i) => {
  binanceFutures.parse(fut[i & mask]!, out, table);
  blackhole(out.symbolIndex);
}, { target: "<= 150 ns" });
measure("JSON.parse binance_futures bookTicker", (i) => {
  const o = JSON.parse(fut[i & mask]!) as { data: { b: string; a: string } };
  blackhole(Number(o.data.b) + Number(o.data.a));
});
measure("parse bybit orderbook.1 snapshot", (i) => {
  bybitSpot.parse(bybit[i & mask]!, out, table);
  blackhole(out.symbolIndex);
}, { target: "<= 400 ns" });
measure("JSON.parse bybit orderbook.1 snapshot", (i) => {
  const o = JSON.parse(bybit[i & mask]!) as { data: { b: string[][]; a: string[][] } };
  blackhole(Number(o.data.b[0]![0]) + Number(o.data.a[0]![0]));
});
// The structural walk on the same frames (measured last so its profile doesn't shape the fast path's JIT code).
measure("slow path: binance_spot structural walk", (i) => {
  parseBinanceSlow(spot[i & mask]!, out, table);
  blackhole(out.symbolIndex);
});
measure("slow path: binance_futures structural walk", (i) => {
  parseBinanceSlow(fut[i & mask]!, out, table);
  blackhole(out.symbolIndex);
});
measure("slow path: bybit structural walk", (i) => {
  parseBybitSlow(bybit[i & mask]!, out, table);
  blackhole(out.symbolIndex);
});
