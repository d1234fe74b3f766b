// Bybit instrument lists: /v5/market/instruments-info category=spot (one page) and category=linear (cursor pages) → RawInstrument.
// https://bybit-exchange.github.io/docs/v5/market/instrument
import { SourceId } from "@spread/common";
import type { RawInstrument } from "../types.ts";
import { joinUrl } from "../shared/batch.ts";
import { instrumentMultiplierHint } from "../shared/multiplier.ts";
import { isObject, type JsonObject, optNumber, optObject, optString, positiveOrNull, reqArray, reqObject, reqString, show } from "../shared/rest-fields.ts";

export const BYBIT_INSTRUMENTS_PATH = "/v5/market/instruments-info";
/** Linear pages hold 500 by default and more than 500 symbols exist: ask for the maximum. */
export const BYBIT_LINEAR_PAGE_LIMIT = 1000;

/** Spot ignores limit and cursor (one page, Trading symbols only). */
export function bybitSpotInstrumentsUrl(restBase: string): string {
  return joinUrl(restBase, `${BYBIT_INSTRUMENTS_PATH}?category=spot`);
}

export function bybitLinearInstrumentsUrl(restBase: string, cursor: string | null): string {
  const url = joinUrl(restBase, `${BYBIT_INSTRUMENTS_PATH}?category=linear&limit=${BYBIT_LINEAR_PAGE_LIMIT}`);
  return cursor ? `${url}&cursor=${encodeCursor(cursor)}` : url;
}

/**
 * The venue hands the cursor out already percent-encoded ("first%3DBIOUSDT%26last%3DBIOUSDT") and the docs
 * say to pass it back as is: keep existing %XX escapes and URL-safe characters, encode anything else
 * (so a raw "first=X&last=Y" cursor can't break the query string).
 */
export function encodeCursor(cursor: string): string {
  return cursor.replace(/%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~%]/gu, (ch) => encodeURIComponent(ch));
}

/** result.nextPageCursor; "" or absent = last page. */
export function bybitNextCursor(body: unknown): string | null {
  if (!isObject(body) || !isObject(body.result)) return null;
  const c = body.result.nextPageCursor;
  return typeof c === "string" && c !== "" ? c : null;
}

/** Envelope → result.list; retCode != 0 throws naming the venue, retCode and retMsg. */
function listOf(body: unknown, venue: string): unknown[] {
  const path = `${venue} instruments`;
  const b = reqObject(body, `${path} body`);
  if (b.retCode !== 0 && b.retCode !== "0") {
    throw new Error(`${path}: retCode ${show(b.retCode)}, retMsg ${show(b.retMsg)}`);
  }
  const result = reqObject(b.result, `${path} result`);
  return reqArray(result.list, `${path} result.list`);
}

interface Common {
  symbol: string;
  status: string;
  base: string;
  quote: string;
  tickSize: number | null;
}

function common(it: JsonObject, path: string): Common {
  const pf = optObject(it, "priceFilter", path);
  return {
    symbol: reqString(it, "symbol", path),
    status: reqString(it, "status", path),
    base: reqString(it, "baseCoin", path).toUpperCase(),
    quote: reqString(it, "quoteCoin", path).toUpperCase(),
    tickSize: positiveOrNull(optNumber(pf, "tickSize", `${path}.priceFilter`)),
  };
}

export function parseBybitSpotInstruments(body: unknown): RawInstrument[] {
  const venue = "bybit_spot";
  const list = listOf(body, venue);
  return list.map((raw, i): RawInstrument => {
    const path = `${venue} instruments result.list[${i}]`;
    const it = reqObject(raw, path);
    const c = common(it, path);
    const lot = optObject(it, "lotSizeFilter", path);
    const lp = `${path}.lotSizeFilter`;
    const symbolType = optString(it, "symbolType", path) ?? "";
    const hint = instrumentMultiplierHint(c.base, c.symbol, c.quote);
    // xstocks are tokenized shares priced per share / xstockMultiplier: never a crypto spot leg.
    const xstock = symbolType === "xstocks";
    return {
      source: SourceId.bybit_spot,
      exchangeSymbol: c.symbol,
      base: c.base,
      quote: c.quote,
      settle: null,
      tradable: c.status === "Trading",
      status: c.status,
      kind: xstock ? "other" : "spot",
      otherReason: xstock ? "tradfi" : null,
      // minOrderQty is deprecated (no longer checked) but still the only minimum quantity given.
      minQty: optNumber(lot, "minOrderQty", lp),
      maxQty: positiveOrNull(optNumber(lot, "maxLimitOrderQty", lp) ?? optNumber(lot, "maxOrderQty", lp)),
      tickSize: c.tickSize,
      minNotional: optNumber(lot, "minOrderAmt", lp),
      contractSize: null,
      multiplierHint: hint.multiplier,
      baseHint: hint.base,
    };
  });
}

const TRADFI_SYMBOL_TYPES = new Set(["commodity", "stock", "forex", "xstocks"]);

/** Only a Trading-phase LinearPerpetual quoted and settled in USDT on a crypto underlying is "perpetual". */
export function bybitLinearKind(it: JsonObject, status: string, quote: string, settle: string): { kind: RawInstrument["kind"]; otherReason: string | null } {
  const ct = typeof it.contractType === "string" ? it.contractType : "";
  switch (ct) {
    case "LinearPerpetual":
      break;
    case "LinearFutures":
      return { kind: "other", otherReason: "dated" };
    case "InversePerpetual":
    case "InverseFutures":
      return { kind: "other", otherReason: "inverse" };
    default:
      return { kind: "other", otherReason: "unknown-contract" };
  }
  if (status === "PreLaunch" || it.isPreListing === true) return { kind: "other", otherReason: "prelaunch" };
  const symbolType = typeof it.symbolType === "string" ? it.symbolType.toLowerCase() : "";
  if (TRADFI_SYMBOL_TYPES.has(symbolType)) return { kind: "other", otherReason: "tradfi" };
  if (quote !== "USDT" || settle !== "USDT") return { kind: "other", otherReason: quote === "USDC" || settle === "USDC" ? "usdc" : "non-usdt" };
  return { kind: "perpetual", otherReason: null };
}

export function parseBybitLinearInstruments(body: unknown): RawInstrument[] {
  const venue = "bybit_futures";
  const list = listOf(body, venue);
  return list.map((raw, i): RawInstrument => {
    const path = `${venue} instruments result.list[${i}]`;
    const it = reqObject(raw, path);
    const c = common(it, path);
    const settle = (optString(it, "settleCoin", path) ?? c.quote).toUpperCase();
    const { kind, otherReason } = bybitLinearKind(it, c.status, c.quote, settle);
    const lot = optObject(it, "lotSizeFilter", path);
    const lp = `${path}.lotSizeFilter`;
    const hint = instrumentMultiplierHint(c.base, c.symbol, c.quote);
    return {
      source: SourceId.bybit_futures,
      exchangeSymbol: c.symbol,
      base: c.base,
      quote: c.quote,
      settle,
      tradable: c.status === "Trading",
      status: c.status,
      kind,
      otherReason,
      minQty: optNumber(lot, "minOrderQty", lp),
      maxQty: positiveOrNull(optNumber(lot, "maxOrderQty", lp)),
      tickSize: c.tickSize,
      minNotional: optNumber(lot, "minNotionalValue", lp),
      // Linear quantities are in base-coin units; the venue gives no contract size field.
      contractSize: null,
      multiplierHint: hint.multiplier,
      baseHint: hint.base,
    };
  });
}
