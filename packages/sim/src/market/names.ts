// Fixed, real-named assets every universe contains (majors, multiplier memecoins, a look-alike multiplier
// token, a ticker collision, TradFi/index underlyings) and the seeded generator of the other tickers.
import type { Rng } from "../rng.ts";

/** Sources an asset is listed on as a counted (tradable, USDT) instrument, by source name. */
export type ListingSet = "all" | readonly string[];

export interface FixedAsset {
  readonly ticker: string;
  readonly fullName: string;
  /** USD price at start. */
  readonly price: number;
  readonly listed: ListingSet;
  /** Relative update-rate weight (majors are busy). */
  readonly popularity: number;
  /** Not a crypto asset: only used by extra (non-counted) instruments. */
  readonly extra?: "tradfi" | "index" | "fiat" | "collision";
}

const ALL = "all" as const;

/** Majors and memecoins listed everywhere; prices are rough 2025-2026 levels. */
export const FIXED_ASSETS: readonly FixedAsset[] = [
  { ticker: "BTC", fullName: "Bitcoin", price: 87000, listed: ALL, popularity: 40 },
  { ticker: "ETH", fullName: "Ethereum", price: 3000, listed: ALL, popularity: 30 },
  { ticker: "SOL", fullName: "Solana", price: 125, listed: ALL, popularity: 15 },
  { ticker: "XRP", fullName: "XRP", price: 2.1, listed: ALL, popularity: 12 },
  { ticker: "DOGE", fullName: "Dogecoin", price: 0.14, listed: ALL, popularity: 10 },
  { ticker: "ADA", fullName: "Cardano", price: 0.37, listed: ALL, popularity: 6 },
  { ticker: "LINK", fullName: "Chainlink", price: 13.2, listed: ALL, popularity: 6 },
  { ticker: "AVAX", fullName: "Avalanche", price: 13.1, listed: ALL, popularity: 5 },
  { ticker: "DOT", fullName: "Polkadot", price: 1.92, listed: ALL, popularity: 4 },
  { ticker: "LTC", fullName: "Litecoin", price: 78.4, listed: ALL, popularity: 4 },
  { ticker: "BCH", fullName: "Bitcoin Cash", price: 521.3, listed: ALL, popularity: 4 },
  { ticker: "TRX", fullName: "TRON", price: 0.2812, listed: ALL, popularity: 3 },
  { ticker: "NEAR", fullName: "NEAR Protocol", price: 1.63, listed: ALL, popularity: 3 },
  { ticker: "UNI", fullName: "Uniswap", price: 5.52, listed: ALL, popularity: 3 },
  { ticker: "ATOM", fullName: "Cosmos", price: 2.41, listed: ALL, popularity: 3 },
  { ticker: "ARB", fullName: "Arbitrum", price: 0.2113, listed: ALL, popularity: 3 },
  { ticker: "OP", fullName: "Optimism", price: 0.3217, listed: ALL, popularity: 3 },
  { ticker: "SUI", fullName: "Sui", price: 1.517, listed: ALL, popularity: 5 },
  { ticker: "APT", fullName: "Aptos", price: 1.702, listed: ALL, popularity: 3 },
  { ticker: "FIL", fullName: "Filecoin", price: 1.311, listed: ALL, popularity: 2 },
  { ticker: "AAVE", fullName: "Aave", price: 161.4, listed: ALL, popularity: 3 },
  { ticker: "ETC", fullName: "Ethereum Classic", price: 12.48, listed: ALL, popularity: 2 },
  { ticker: "XLM", fullName: "Stellar", price: 0.2234, listed: ALL, popularity: 2 },
  { ticker: "INJ", fullName: "Injective", price: 5.21, listed: ALL, popularity: 2 },
  { ticker: "WLD", fullName: "Worldcoin", price: 0.582, listed: ALL, popularity: 3 },
  { ticker: "TIA", fullName: "Celestia", price: 0.612, listed: ALL, popularity: 2 },
  { ticker: "PEPE", fullName: "Pepe", price: 0.000004123, listed: ALL, popularity: 8 },
  { ticker: "SHIB", fullName: "Shiba Inu", price: 0.000007512, listed: ALL, popularity: 5 },
  { ticker: "BONK", fullName: "Bonk", price: 0.000009531, listed: ALL, popularity: 4 },
  { ticker: "FLOKI", fullName: "Floki", price: 0.00005012, listed: ALL, popularity: 3 },
  // A token whose name merely looks like a multiplier: every venue quotes the 1000SATS unit itself.
  { ticker: "1000SATS", fullName: "SATS (Ordinals) 1000", price: 0.00011823, listed: ["binance_spot", "binance_futures", "bybit_spot", "mexc_spot", "mexc_futures"], popularity: 1 },
  // Binance futures quotes 1M units ("1MBABYDOGE"), Bybit "1000000BABYDOGE", MEXC one token.
  { ticker: "BABYDOGE", fullName: "Baby Doge Coin", price: 0.000000001213, listed: ["binance_futures", "bybit_futures", "mexc_spot", "mexc_futures"], popularity: 1 },
  { ticker: "GAS", fullName: "Gas (NEO)", price: 3.112, listed: ["binance_spot", "binance_futures", "okx_spot", "okx_futures", "mexc_futures"], popularity: 1 },
  // Ticker collision: MEXC spot "GAS" is GasDAO, a different token at a very different price.
  { ticker: "GAS", fullName: "GasDAO", price: 0.0000009134, listed: ["mexc_spot"], popularity: 1, extra: "collision" },
  { ticker: "XAU", fullName: "Gold", price: 2651.4, listed: [], popularity: 1, extra: "tradfi" },
  { ticker: "TSLA", fullName: "Tesla", price: 351.2, listed: [], popularity: 1, extra: "tradfi" },
  { ticker: "BTCDOM", fullName: "Bitcoin Dominance Index", price: 1521.3, listed: [], popularity: 1, extra: "index" },
  { ticker: "SILVER", fullName: "Silver", price: 71.41, listed: [], popularity: 1, extra: "tradfi" },
  { ticker: "EUR", fullName: "Euro", price: 1.082, listed: [], popularity: 0, extra: "fiat" },
];

/** Tickers a generated name must never take (fixed assets, quotes, venue keywords). */
const RESERVED = new Set([
  ...FIXED_ASSETS.map((a) => a.ticker),
  "USDT", "USDC", "USD", "EUR", "BUSD", "FDUSD", "TUSD", "DAI", "PERP", "SWAP", "SATS", "BNB", "MX",
]);

const ONSETS = ["B", "C", "D", "F", "G", "H", "K", "L", "M", "N", "P", "R", "S", "T", "V", "Z", "X", "Q", "J", "W", "BL", "BR", "CR", "DR", "FL", "GR", "KR", "PL", "PR", "SK", "ST", "TR", "ZK"];
const VOWELS = ["A", "E", "I", "O", "U", "Y", "AI", "EA", "OO"];
const CODAS = ["", "", "", "N", "R", "X", "T", "K", "M", "S", "L", "Z"];

/** Generates `count` distinct pronounceable tickers of 2-7 letters (seeded). */
export function generateTickers(rng: Rng, count: number): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  while (out.length < count) {
    const syllables = rng.chance(0.6) ? 1 : rng.chance(0.8) ? 2 : 3;
    let t = "";
    for (let i = 0; i < syllables; i++) t += rng.pick(ONSETS) + rng.pick(VOWELS);
    t += rng.pick(CODAS);
    if (t.length < 2 || t.length > 7 || RESERVED.has(t) || seen.has(t)) continue;
    seen.add(t);
    out.push(t);
  }
  return out;
}

/** A made-up full name for a generated ticker ("Zorex Protocol"). */
export function fullNameFor(rng: Rng, ticker: string): string {
  const suffix = rng.pick(["Protocol", "Network", "Finance", "Chain", "AI", "Token", "Labs", "DAO", "Swap", ""]);
  const name = ticker.charAt(0) + ticker.slice(1).toLowerCase();
  return suffix ? `${name} ${suffix}` : name;
}
