// MEXC instrument lists → RawInstrument: Spot /api/v3/exchangeInfo and Futures /api/v1/contract/detail.
// https://www.mexc.com/api-docs/spot-v3/market-data-endpoints · https://www.mexc.com/api-docs/futures/market-endpoints
import type { InstrumentKind, RawInstrument } from "../types.ts";
import { multiplierHint } from "../shared/multiplier.ts";
import { describeValue, numberAt, objectAt, optStringAt, positiveOrNull, stringAt, textAt } from "../shared/rest-fields.ts";
import type { MexcContractDetail, MexcSpotSymbol } from "./wire.ts";

type Row<T> = { readonly [K in keyof T]?: unknown };

export function mexcSpotInstrumentsUrl(restBase: string): string {
  return `${trim(restBase)}/api/v3/exchangeInfo`;
}

export function mexcFuturesInstrumentsUrl(restBase: string): string {
  return `${trim(restBase)}/api/v1/contract/detail`;
}

/**
 * Spot: tradable = status "1" (or the pre-2024 "ENABLED"); isSpotTradingAllowed is ignored (false on BTCUSDT).
 * tickSize = 10^-quotePrecision, minQty = baseSizePrecision (base units), minNotional = quoteAmountPrecision
 * (quote units); "0" means no minimum → null. maxQty null: MEXC only caps the order VALUE (maxQuoteAmount, quote units).
 */
export function parseMexcSpotInstruments(body: unknown, name: string, source: number): RawInstrument[] {
  const env = objectAt(body, `${name} instruments`);
  if (!Array.isArray(env.symbols)) {
    if (env.code !== undefined || env.msg !== undefined) {
      throw new Error(`${name} instruments: code ${describeValue(env.code)} (msg ${describeValue(env.msg)})`);
    }
    throw new Error(`${name} instruments symbols: not an array (${describeValue(env.symbols)})`);
  }
  return env.symbols.map((row: unknown, i: number) => {
    const at = `${name} instruments symbols[${i}]`;
    const r = objectAt(row, at) as Row<MexcSpotSymbol>;
    const symbol = stringAt(r.symbol, `${at}.symbol`);
    const status = textAt(r.status, `${at}.status`);
    const base = stringAt(r.baseAsset, `${at}.baseAsset`).toUpperCase();
    const quote = stringAt(r.quoteAsset, `${at}.quoteAsset`).toUpperCase();
    const precision = numberAt(r.quotePrecision, `${at}.quotePrecision`);
    if (precision !== null && !(Number.isInteger(precision) && precision >= 0 && precision <= 30)) {
      throw new Error(`${at}.quotePrecision: not a decimal count (${describeValue(r.quotePrecision)})`);
    }
    const hint = multiplierHint(base);
    return {
      source,
      exchangeSymbol: symbol,
      base,
      quote,
      settle: null,
      tradable: status === "1" || status === "ENABLED",
      status,
      kind: "spot" as InstrumentKind,
      otherReason: null,
      minQty: positiveOrNull(numberAt(r.baseSizePrecision, `${at}.baseSizePrecision`)),
      maxQty: null,
      tickSize: precision === null ? null : parseFloat(`1e-${precision}`),
      minNotional: positiveOrNull(numberAt(r.quoteAmountPrecision, `${at}.quoteAmountPrecision`)),
      contractSize: null,
      multiplierHint: hint.multiplier,
      baseHint: hint.base,
    };
  });
}

/**
 * Futures: data is an array (full list) or one object (?symbol=). tradable = state 0. perpetual = quoteCoin ==
 * settleCoin == "USDT", type 1 (crypto) and futureType 1. minQty/maxQty = minVol/maxVol in CONTRACTS;
 * contractSize = base units per contract (USD on coin-margined); tickSize = priceUnit; no min notional.
 */
export function parseMexcFuturesInstruments(body: unknown, name: string, source: number): RawInstrument[] {
  const env = objectAt(body, `${name} instruments`);
  if (env.success === false || (env.code !== undefined && env.code !== 0 && env.code !== "0")) {
    throw new Error(`${name} instruments: code ${describeValue(env.code)} (message ${describeValue(env.message ?? env.msg)})`);
  }
  const data = env.data;
  const rows: unknown[] = Array.isArray(data) ? data : typeof data === "object" && data !== null ? [data] : [];
  if (rows.length === 0 && !Array.isArray(data)) throw new Error(`${name} instruments data: not an array or object (${describeValue(data)})`);
  return rows.map((row, i) => {
    const at = Array.isArray(data) ? `${name} instruments data[${i}]` : `${name} instruments data`;
    const r = objectAt(row, at) as Row<MexcContractDetail>;
    const symbol = stringAt(r.symbol, `${at}.symbol`);
    const state = textAt(r.state, `${at}.state`);
    const parts = symbol.split("_");
    const base = (optStringAt(r.baseCoin, `${at}.baseCoin`) || parts[0] || "").toUpperCase();
    const quote = (optStringAt(r.quoteCoin, `${at}.quoteCoin`) || parts[1] || "").toUpperCase();
    const settle = optStringAt(r.settleCoin, `${at}.settleCoin`).toUpperCase() || null;
    const type = numberAt(r.type, `${at}.type`);
    const futureType = numberAt(r.futureType, `${at}.futureType`);
    const plates = Array.isArray(r.conceptPlate) ? (r.conceptPlate as unknown[]).filter((p): p is string => typeof p === "string") : [];

    let otherReason: string | null = null;
    if ((type !== null && type !== 1) || plates.some((p) => TRADFI_PLATE.test(p)) || /STOCK_/.test(symbol)) otherReason = "tradfi";
    else if (futureType !== null && futureType !== 1) otherReason = "dated";
    else if (quote === "USD" || (settle !== null && settle === base)) otherReason = "inverse";
    else if (quote === "USDC" || settle === "USDC") otherReason = "usdc";
    else if (!(quote === "USDT" && settle === "USDT")) otherReason = "not_usdt";
    else if (r.preMarket === true) otherReason = "prelaunch";
    const kind: InstrumentKind = otherReason === null ? "perpetual" : "other";

    const hint = multiplierHint(base);
    return {
      source,
      exchangeSymbol: symbol,
      base,
      quote,
      settle,
      tradable: state === "0",
      status: state,
      kind,
      otherReason,
      minQty: numberAt(r.minVol, `${at}.minVol`),
      maxQty: numberAt(r.maxVol, `${at}.maxVol`),
      tickSize: numberAt(r.priceUnit, `${at}.priceUnit`),
      minNotional: null,
      contractSize: numberAt(r.contractSize, `${at}.contractSize`),
      multiplierHint: hint.multiplier,
      baseHint: hint.base,
    };
  });
}

/** conceptPlate names of TradFi zones seen or expected ("mc-trade-zone-Commodities"). */
const TRADFI_PLATE = /commodit|stock|forex|equit|tradfi/i;

function trim(base: string): string {
  return base.replace(/\/+$/, "");
}
