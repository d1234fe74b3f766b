// Binance instrument lists: spot /api/v3/exchangeInfo and USD-M /fapi/v1/exchangeInfo → RawInstrument.
// https://developers.binance.com/docs/binance-spot-api-docs/rest-api (Exchange information, filters.md)
// https://developers.binance.com/docs/derivatives/usds-margined-futures/market-data/rest-api/Exchange-Information
import { SourceId } from "@spread/common";
import type { RawInstrument } from "../types.ts";
import { joinUrl } from "../shared/batch.ts";
import { instrumentMultiplierHint } from "../shared/multiplier.ts";
import { isObject, type JsonObject, optNumber, optString, positiveOrNull, reqArray, reqObject, reqString } from "../shared/rest-fields.ts";

export const BINANCE_SPOT_INSTRUMENTS_PATH = "/api/v3/exchangeInfo?permissions=SPOT&showPermissionSets=false";
export const BINANCE_FUTURES_INSTRUMENTS_PATH = "/fapi/v1/exchangeInfo";

/** One request returns every symbol: no paging, the cursor is ignored. */
export function binanceSpotInstrumentsUrl(restBase: string): string {
  return joinUrl(restBase, BINANCE_SPOT_INSTRUMENTS_PATH);
}

export function binanceFuturesInstrumentsUrl(restBase: string): string {
  return joinUrl(restBase, BINANCE_FUTURES_INSTRUMENTS_PATH);
}

interface Filters {
  tickSize: number | null;
  minQty: number | null;
  maxQty: number | null;
  minNotional: number | null;
}

/** Reads PRICE_FILTER, LOT_SIZE and NOTIONAL / MIN_NOTIONAL (spot "minNotional", USD-M "notional"). */
function readFilters(item: JsonObject, path: string): Filters {
  const out: Filters = { tickSize: null, minQty: null, maxQty: null, minNotional: null };
  const list = item.filters === undefined ? [] : reqArray(item.filters, `${path}.filters`);
  let legacyMinNotional: number | null = null;
  for (let i = 0; i < list.length; i++) {
    const f = list[i];
    const fp = `${path}.filters[${i}]`;
    if (!isObject(f)) continue;
    switch (f.filterType) {
      case "PRICE_FILTER":
        out.tickSize = positiveOrNull(optNumber(f, "tickSize", fp));
        break;
      case "LOT_SIZE":
        out.minQty = optNumber(f, "minQty", fp);
        out.maxQty = positiveOrNull(optNumber(f, "maxQty", fp));
        break;
      case "NOTIONAL":
        out.minNotional = optNumber(f, "minNotional", fp);
        break;
      case "MIN_NOTIONAL":
        legacyMinNotional = optNumber(f, "minNotional", fp) ?? optNumber(f, "notional", fp);
        break;
      default:
        break;
    }
  }
  // The current NOTIONAL filter wins over the legacy one when a payload carries both.
  if (out.minNotional === null) out.minNotional = legacyMinNotional;
  return out;
}

/** Body → symbols array; a REST error body ({code,msg}) or a wrong shape throws naming the venue. */
function symbolsOf(body: unknown, venue: string): unknown[] {
  const path = `${venue} instruments`;
  const b = reqObject(body, `${path} body`);
  if (b.symbols === undefined && typeof b.code === "number") {
    throw new Error(`${path}: error code ${b.code}: ${String(b.msg)}`);
  }
  return reqArray(b.symbols, `${path} symbols`);
}

/** What both markets read the same way from one symbols[] entry (assets upper-cased). */
interface SymbolRow {
  readonly s: JsonObject;
  readonly path: string;
  readonly symbol: string;
  readonly status: string;
  readonly base: string;
  readonly quote: string;
}

/** What spot and USD-M decide differently about a row. */
type MarketFields = Pick<RawInstrument, "settle" | "tradable" | "kind" | "otherReason">;

/** Body → one instrument per symbols[] entry, built by `build` from the entry's common fields, in order. */
function parseRows(body: unknown, venue: string, build: (r: SymbolRow) => RawInstrument): RawInstrument[] {
  const symbols = symbolsOf(body, venue);
  const out: RawInstrument[] = [];
  for (let i = 0; i < symbols.length; i++) {
    const path = `${venue} instruments symbols[${i}]`;
    const s = reqObject(symbols[i], path);
    const symbol = reqString(s, "symbol", path);
    const status = reqString(s, "status", path);
    const base = reqString(s, "baseAsset", path).toUpperCase();
    const quote = reqString(s, "quoteAsset", path).toUpperCase();
    out.push(build({ s, path, symbol, status, base, quote }));
  }
  return out;
}

/** A row's instrument: filters and multiplier hint read alike on both markets, `m` what the market decided. */
function instrumentOf(source: number, r: SymbolRow, m: MarketFields): RawInstrument {
  const f = readFilters(r.s, r.path);
  const hint = instrumentMultiplierHint(r.base, r.symbol, r.quote);
  return {
    source,
    exchangeSymbol: r.symbol,
    base: r.base,
    quote: r.quote,
    settle: m.settle,
    tradable: m.tradable,
    status: r.status,
    kind: m.kind,
    otherReason: m.otherReason,
    minQty: f.minQty,
    maxQty: f.maxQty,
    tickSize: f.tickSize,
    minNotional: f.minNotional,
    // Quantities are base-asset units on both markets; USD-M gives no contract size field.
    contractSize: null,
    multiplierHint: hint.multiplier,
    baseHint: hint.base,
  };
}

export function parseBinanceSpotInstruments(body: unknown): RawInstrument[] {
  return parseRows(body, "binance_spot", (r) =>
    instrumentOf(SourceId.binance_spot, r, {
      settle: null,
      // permissions=SPOT already filters; isSpotTradingAllowed=false would still mean "no spot orders".
      tradable: r.status === "TRADING" && r.s.isSpotTradingAllowed !== false,
      kind: "spot",
      otherReason: null,
    }),
  );
}

/** Kind of a USD-M contract: only a COIN-underlying USDT-margined PERPETUAL is "perpetual". */
export function binanceFuturesKind(s: JsonObject, quote: string, settle: string): { kind: RawInstrument["kind"]; otherReason: string | null } {
  const ct = typeof s.contractType === "string" ? s.contractType : "";
  switch (ct) {
    case "PERPETUAL":
      break;
    case "TRADIFI_PERPETUAL":
      return { kind: "other", otherReason: "tradfi" };
    case "CURRENT_QUARTER":
    case "NEXT_QUARTER":
    case "CURRENT_MONTH":
    case "NEXT_MONTH":
      return { kind: "other", otherReason: "dated" };
    case "PERPETUAL_DELIVERING":
      return { kind: "other", otherReason: "delivering" };
    case "":
      // Seen on PENDING_TRADING symbols: the contract is not live yet.
      return { kind: "other", otherReason: "pending" };
    default:
      return { kind: "other", otherReason: ct.includes("QUARTER") || ct.includes("MONTH") ? "dated" : "unknown-contract" };
  }
  const underlying = typeof s.underlyingType === "string" ? s.underlyingType : "COIN";
  const subTypes = Array.isArray(s.underlyingSubType) ? s.underlyingSubType : [];
  if (underlying === "INDEX") return { kind: "other", otherReason: "index" };
  if (underlying === "PREMARKET") return { kind: "other", otherReason: "prelaunch" };
  if (underlying !== "COIN" || subTypes.some((t) => typeof t === "string" && t.toUpperCase() === "TRADFI")) {
    return { kind: "other", otherReason: "tradfi" };
  }
  if (quote !== "USDT" || settle !== "USDT") return { kind: "other", otherReason: quote === "USDC" || settle === "USDC" ? "usdc" : "non-usdt" };
  return { kind: "perpetual", otherReason: null };
}

export function parseBinanceFuturesInstruments(body: unknown): RawInstrument[] {
  return parseRows(body, "binance_futures", (r) => {
    const settle = (optString(r.s, "marginAsset", r.path) ?? r.quote).toUpperCase();
    const { kind, otherReason } = binanceFuturesKind(r.s, r.quote, settle);
    return instrumentOf(SourceId.binance_futures, r, { settle, tradable: r.status === "TRADING", kind, otherReason });
  });
}
