// How each venue spells a USDT instrument and its multiplier contracts (1000PEPEUSDT, SHIB1000USDT, 1MBABYDOGEUSDT).
import { SOURCE_NAMES, SourceId } from "@spread/common";
import type { Asset } from "./asset.ts";

/** Which venues spell a multiplier and how: [symbol base, multiplier] for a counted futures listing. */
export function futuresBase(source: number, a: Asset): [string, number] {
  const t = a.ticker;
  if (source === SourceId.binance_futures) {
    if (t === "BABYDOGE") return ["1MBABYDOGE", 1e6];
    if (t === "PEPE" || t === "SHIB" || t === "BONK" || t === "FLOKI" || (!a.fixed && a.price0 < 0.0005)) return ["1000" + t, 1000];
  }
  if (source === SourceId.bybit_futures) {
    if (t === "BABYDOGE") return ["1000000BABYDOGE", 1e6];
    // Bybit spells SHIB's multiplier as a suffix (SHIB1000USDT) where Binance uses a prefix.
    if (t === "SHIB") return ["SHIB1000", 1000];
    if (t === "PEPE" || t === "BONK" || t === "FLOKI" || (!a.fixed && a.price0 < 0.0005)) return ["1000" + t, 1000];
  }
  return [t, 1];
}

/** Exchange symbol of a USDT instrument for a venue ("BTCUSDT", "BTC-USDT-SWAP", "BTC_USDT"). */
export function usdtSymbol(source: number, base: string): string {
  switch (SOURCE_NAMES[source]) {
    case "mexc_futures":
      return `${base}_USDT`;
    case "okx_spot":
      return `${base}-USDT`;
    case "okx_futures":
      return `${base}-USDT-SWAP`;
    default:
      return `${base}USDT`;
  }
}

