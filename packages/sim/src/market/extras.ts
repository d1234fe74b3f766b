// Instruments a scanner must filter out, per source: non-USDT quotes (BTC, EUR, USDC, USD), dated futures,
// inverse and USDC swaps, TradFi/index perpetuals and suspended / delisted / pre-launch listings.
import { SOURCE_NAMES, SourceId } from "@spread/common";
import type { Rng } from "../rng.ts";
import type { UniverseConfig } from "../scenario/schema.ts";
import type { Asset } from "./asset.ts";
import type { InstrumentStatus } from "./instrument.ts";
import { futuresBase, usdtSymbol } from "./naming.ts";
import { simMarketOf } from "../venues/index.ts";
import type { InstrumentDraft } from "./universe.ts";

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

/** Last Friday 08:00 UTC of the quarter-end month `k` quarters after the one containing `epochMs`. */
export function quarterlyExpiry(epochMs: number, k: number): Date {
  const now = new Date(epochMs);
  let month = Math.floor(now.getUTCMonth() / 3) * 3 + 2 + 3 * k;
  let year = now.getUTCFullYear() + Math.floor(month / 12);
  month %= 12;
  const last = new Date(Date.UTC(year, month + 1, 0, 8));
  last.setUTCDate(last.getUTCDate() - ((last.getUTCDay() + 2) % 7));
  if (k === 0 && last.getTime() < epochMs) return quarterlyExpiry(epochMs, 1);
  return last;
}

const yymmdd = (d: Date) => `${String(d.getUTCFullYear() % 100).padStart(2, "0")}${String(d.getUTCMonth() + 1).padStart(2, "0")}${String(d.getUTCDate()).padStart(2, "0")}`;
const ddMONyy = (d: Date) => `${String(d.getUTCDate()).padStart(2, "0")}${MONTHS[d.getUTCMonth()]}${String(d.getUTCFullYear() % 100).padStart(2, "0")}`;

function draft(p: Partial<InstrumentDraft> & Pick<InstrumentDraft, "symbol" | "asset" | "base" | "quote">): InstrumentDraft {
  return {
    quoteAsset: -1,
    settle: null,
    kind: "spot",
    status: "trading",
    counted: false,
    priceMult: 1,
    contracts: false,
    deliveryMs: 0,
    underlying: "COIN",
    weight: 1,
    ...p,
  };
}

/** Non-counted instruments of one source. */
export function extraInstruments(source: number, assets: readonly Asset[], cfg: UniverseConfig, rng: Rng, epochMs: number): InstrumentDraft[] {
  const id = (t: string) => assets.findIndex((a) => a.ticker === t && a.extra !== "collision" && a.fixed);
  const BTC = id("BTC");
  const ETH = id("ETH");
  const SOL = id("SOL");
  const EUR = id("EUR");
  const out: InstrumentDraft[] = [];
  const q1 = quarterlyExpiry(epochMs, 0);
  const q2 = quarterlyExpiry(epochMs, 1);
  const spotPair = (asset: number, quote: string, quoteAsset: number, symbol: string) =>
    out.push(draft({ symbol, asset, base: assets[asset]!.ticker, quote, quoteAsset }));

  switch (SOURCE_NAMES[source]) {
    case "binance_spot":
      spotPair(ETH, "BTC", BTC, "ETHBTC");
      spotPair(SOL, "BTC", BTC, "SOLBTC");
      spotPair(BTC, "EUR", EUR, "BTCEUR");
      spotPair(ETH, "EUR", EUR, "ETHEUR");
      spotPair(BTC, "USDC", -1, "BTCUSDC");
      spotPair(ETH, "USDC", -1, "ETHUSDC");
      break;
    case "binance_futures":
      for (const [a, t, ct] of [[BTC, q1, "CURRENT_QUARTER"], [ETH, q1, "CURRENT_QUARTER"], [BTC, q2, "NEXT_QUARTER"]] as const) {
        out.push(draft({ symbol: `${assets[a]!.ticker}USDT_${yymmdd(t)}`, asset: a, base: assets[a]!.ticker, quote: "USDT", settle: "USDT", kind: "dated", deliveryMs: t.getTime(), weight: ct === "NEXT_QUARTER" ? 0.5 : 1 }));
      }
      out.push(draft({ symbol: "BTCUSDC", asset: BTC, base: "BTC", quote: "USDC", settle: "USDC", kind: "perp" }));
      out.push(draft({ symbol: "ETHUSDC", asset: ETH, base: "ETH", quote: "USDC", settle: "USDC", kind: "perp" }));
      out.push(draft({ symbol: "XAUUSDT", asset: id("XAU"), base: "XAU", quote: "USDT", settle: "USDT", kind: "tradfi", underlying: "COMMODITY" }));
      out.push(draft({ symbol: "TSLAUSDT", asset: id("TSLA"), base: "TSLA", quote: "USDT", settle: "USDT", kind: "tradfi", underlying: "EQUITY" }));
      out.push(draft({ symbol: "BTCDOMUSDT", asset: id("BTCDOM"), base: "BTCDOM", quote: "USDT", settle: "USDT", kind: "index", underlying: "INDEX" }));
      break;
    case "bybit_spot":
      spotPair(ETH, "BTC", BTC, "ETHBTC");
      spotPair(BTC, "USDC", -1, "BTCUSDC");
      spotPair(ETH, "USDC", -1, "ETHUSDC");
      break;
    case "bybit_futures":
      for (const a of [BTC, ETH]) {
        out.push(draft({ symbol: `${assets[a]!.ticker}USDT-${ddMONyy(q1)}`, asset: a, base: assets[a]!.ticker, quote: "USDT", settle: "USDT", kind: "dated", deliveryMs: q1.getTime() }));
        out.push(draft({ symbol: `${assets[a]!.ticker}PERP`, asset: a, base: assets[a]!.ticker, quote: "USDC", settle: "USDC", kind: "perp" }));
      }
      out.push(draft({ symbol: "XAUUSDT", asset: id("XAU"), base: "XAU", quote: "USDT", settle: "USDT", kind: "tradfi", underlying: "COMMODITY" }));
      break;
    case "mexc_spot":
      spotPair(BTC, "USDC", -1, "BTCUSDC");
      spotPair(ETH, "USDC", -1, "ETHUSDC");
      spotPair(ETH, "BTC", BTC, "ETHBTC");
      break;
    case "mexc_futures":
      for (const a of [BTC, ETH]) {
        const t = assets[a]!.ticker;
        out.push(draft({ symbol: `${t}_USD`, asset: a, base: t, quote: "USD", settle: t, kind: "inverse", contracts: true }));
      }
      out.push(draft({ symbol: "BTC_USDC", asset: BTC, base: "BTC", quote: "USDC", settle: "USDC", kind: "perp", contracts: true }));
      out.push(draft({ symbol: "SILVER_USDT", asset: id("SILVER"), base: "SILVER", quote: "USDT", settle: "USDT", kind: "tradfi", contracts: true, underlying: "COMMODITY" }));
      break;
    case "okx_spot":
      spotPair(BTC, "USDC", -1, "BTC-USDC");
      spotPair(ETH, "USDC", -1, "ETH-USDC");
      spotPair(ETH, "BTC", BTC, "ETH-BTC");
      spotPair(BTC, "EUR", EUR, "BTC-EUR");
      spotPair(BTC, "USD", -1, "BTC-USD");
      break;
    case "okx_futures":
      for (const a of [BTC, ETH]) {
        const t = assets[a]!.ticker;
        out.push(draft({ symbol: `${t}-USD-SWAP`, asset: a, base: t, quote: "USD", settle: t, kind: "inverse", contracts: true }));
        // Dated futures live under instType=FUTURES, never in the SWAP list.
        out.push(draft({ symbol: `${t}-USDT-${yymmdd(q1)}`, asset: a, base: t, quote: "USDT", settle: "USDT", kind: "dated", contracts: true, deliveryMs: q1.getTime() }));
      }
      out.push(draft({ symbol: "BTC-USDC-SWAP", asset: BTC, base: "BTC", quote: "USDC", settle: "USDC", kind: "perp", contracts: true }));
      break;
  }

  // Suspended / delisted / not-yet-trading listings of assets that trade elsewhere.
  const statuses = NON_TRADING[source]!;
  const candidates = assets.filter((a) => !a.fixed && a.pattern !== 0 && !((a.pattern >> source) & 1));
  const n = statuses.length === 0 ? 0 : Math.min(cfg.suspended_per_source, candidates.length);
  for (let i = 0; i < n; i++) {
    const a = candidates.splice(Math.floor(rng.next() * candidates.length), 1)[0]!;
    const futures = source % 2 === 1;
    const [base, mult] = futures ? futuresBase(source, a) : [a.ticker, 1];
    out.push(draft({
      symbol: usdtSymbol(source, base), asset: a.id, base, quote: "USDT", settle: futures ? "USDT" : null,
      kind: futures ? "perp" : "spot", status: statuses[i % statuses.length]!, priceMult: mult,
      contracts: simMarketOf(source).contractQtyDecimals !== null,
    }));
  }
  return out;
}

/** Non-trading statuses each venue actually returns in its default instrument list. */
const NON_TRADING: Record<number, InstrumentStatus[]> = {
  [SourceId.binance_spot]: ["delisted", "halted", "delisted"],
  [SourceId.binance_futures]: ["settling", "pending", "settling"],
  // Bybit spot only ever returns Trading symbols; linear returns PreLaunch only when asked for it.
  [SourceId.bybit_spot]: [],
  [SourceId.bybit_futures]: ["prelaunch"],
  [SourceId.mexc_spot]: ["halted", "delisted"],
  [SourceId.mexc_futures]: ["halted", "delisted"],
  [SourceId.okx_spot]: ["halted", "preopen"],
  [SourceId.okx_futures]: ["halted", "preopen"],
};
