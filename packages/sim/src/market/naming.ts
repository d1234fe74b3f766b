// How each venue spells a USDT instrument and its multiplier contracts (1000PEPEUSDT, SHIB1000USDT, 1MBABYDOGEUSDT),
// as its venue folder says (venues/<exchange>/index.ts).
import { simMarketOf } from "../venues/index.ts";
import type { Asset } from "./asset.ts";

/** [symbol base, multiplier] for a counted futures listing: the venue's multiplier spelling, or the plain ticker. */
export function futuresBase(source: number, a: Asset): [string, number] {
  return simMarketOf(source).multiplierBase?.(a) ?? [a.ticker, 1];
}

/** Exchange symbol of a USDT instrument for a venue ("BTCUSDT", "BTC-USDT-SWAP", "BTC_USDT"). */
export function usdtSymbol(source: number, base: string): string {
  return simMarketOf(source).usdtSymbol(base);
}
