// MEXC instrument lists → RawInstrument: Spot /api/v3/exchangeInfo and Futures /api/v1/contract/detail.
// https://www.mexc.com/api-docs/spot-v3/market-data-endpoints · https://www.mexc.com/api-docs/futures/market-endpoints
import type { InstrumentKind, RawInstrument } from "../types.ts";
import { restNumber } from "../num.ts";
import { multiplierHint } from "../shared/multiplier.ts";
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
  const env = asObject(body, `${name} instruments`);
  if (!Array.isArray(env.symbols)) {
    if (env.code !== undefined || env.msg !== undefined) {
      throw new Error(`${name} instruments: code ${describe(env.code)} (msg ${describe(env.msg)})`);
    }
    throw new Error(`${name} instruments symbols: not an array (${describe(env.symbols)})`);
  }
  return env.symbols.map((row: unknown, i: number) => {
    const at = `${name} instruments symbols[${i}]`;
    const r = asObject(row, at) as Row<MexcSpotSymbol>;
    const symbol = reqStr(r.symbol, `${at}.symbol`);
    const status = reqText(r.status, `${at}.status`);
    const base = reqStr(r.baseAsset, `${at}.baseAsset`).toUpperCase();
    const quote = reqStr(r.quoteAsset, `${at}.quoteAsset`).toUpperCase();
    const precision = num(r.quotePrecision, `${at}.quotePrecision`);
    if (precision !== null && !(Number.isInteger(precision) && precision >= 0 && precision <= 30)) {
      throw new Error(`${at}.quotePrecision: not a decimal count (${describe(r.quotePrecision)})`);
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
      minQty: positive(num(r.baseSizePrecision, `${at}.baseSizePrecision`)),
      maxQty: null,
      tickSize: precision === null ? null : parseFloat(`1e-${precision}`),
      minNotional: positive(num(r.quoteAmountPrecision, `${at}.quoteAmountPrecision`)),
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
  const env = asObject(body, `${name} instruments`);
  if (env.success === false || (env.code !== undefined && env.code !== 0 && env.code !== "0")) {
    throw new Error(`${name} instruments: code ${describe(env.code)} (message ${describe(env.message ?? env.msg)})`);
  }
  const data = env.data;
  const rows: unknown[] = Array.isArray(data) ? data : typeof data === "object" && data !== null ? [data] : [];
  if (rows.length === 0 && !Array.isArray(data)) throw new Error(`${name} instruments data: not an array or object (${describe(data)})`);
  return rows.map((row, i) => {
    const at = Array.isArray(data) ? `${name} instruments data[${i}]` : `${name} instruments data`;
    const r = asObject(row, at) as Row<MexcContractDetail>;
    const symbol = reqStr(r.symbol, `${at}.symbol`);
    const state = reqText(r.state, `${at}.state`);
    const parts = symbol.split("_");
    const base = (optStr(r.baseCoin, `${at}.baseCoin`) || parts[0] || "").toUpperCase();
    const quote = (optStr(r.quoteCoin, `${at}.quoteCoin`) || parts[1] || "").toUpperCase();
    const settle = optStr(r.settleCoin, `${at}.settleCoin`).toUpperCase() || null;
    const type = num(r.type, `${at}.type`);
    const futureType = num(r.futureType, `${at}.futureType`);
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
      minQty: num(r.minVol, `${at}.minVol`),
      maxQty: num(r.maxVol, `${at}.maxVol`),
      tickSize: num(r.priceUnit, `${at}.priceUnit`),
      minNotional: null,
      contractSize: num(r.contractSize, `${at}.contractSize`),
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

function describe(v: unknown): string {
  if (v === undefined) return "undefined";
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}

function asObject(v: unknown, at: string): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error(`${at}: not an object (${describe(v)})`);
  return v as Record<string, unknown>;
}

function reqStr(v: unknown, at: string): string {
  if (typeof v !== "string" || v === "") throw new Error(`${at}: missing or not a string (${describe(v)})`);
  return v;
}

/** A status/state that may be a string or a number; returned as text. */
function reqText(v: unknown, at: string): string {
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  if (typeof v === "string" && v !== "") return v;
  throw new Error(`${at}: missing (${describe(v)})`);
}

function optStr(v: unknown, at: string): string {
  if (v === undefined || v === null) return "";
  if (typeof v !== "string") throw new Error(`${at}: not a string (${describe(v)})`);
  return v;
}

function num(v: unknown, at: string): number | null {
  if (v === undefined || v === null || v === "") return null;
  const n = restNumber(v);
  if (n === null) throw new Error(`${at}: not a number (${describe(v)})`);
  return n;
}

function positive(n: number | null): number | null {
  return n !== null && n > 0 ? n : null;
}
