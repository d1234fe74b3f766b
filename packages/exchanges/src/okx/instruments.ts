// OKX v5 instrument list (SPOT and SWAP) → RawInstrument. Pure: the caller fetches, this only reads the body.
// https://www.okx.com/docs-v5/en/#public-data-rest-api-get-instruments
import type { InstrumentKind, RawInstrument } from "../types.ts";
import { multiplierHint } from "../shared/multiplier.ts";
import { describeValue, numberAt, optStringAt, stringAt } from "../shared/rest-fields.ts";
import type { OkxInstrument } from "./wire.ts";

export type OkxMarket = "spot" | "swap";
type Row = { readonly [K in keyof OkxInstrument]?: unknown };

export function okxInstrumentsUrl(restBase: string, market: OkxMarket): string {
  return `${restBase.replace(/\/+$/, "")}/api/v5/public/instruments?instType=${market === "spot" ? "SPOT" : "SWAP"}`;
}

/**
 * Parses {"code":"0","msg":"","data":[...]}. Throws naming venue, field and value on a bad envelope or a
 * malformed numeric field; "" and absent numbers become null.
 * Units: SPOT minQty/maxQty in base currency; SWAP minQty/maxQty in CONTRACTS (× contractSize for base units).
 * contractSize = ctVal × ctMult (base units for linear SWAP; USD for inverse). OKX has no spot min notional.
 */
export function parseOkxInstruments(body: unknown, name: string, source: number, market: OkxMarket): RawInstrument[] {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new Error(`${name} instruments: body is not an object (${describeValue(body)})`);
  }
  const env = body as { code?: unknown; msg?: unknown; data?: unknown };
  if (env.code !== "0" && env.code !== 0) {
    throw new Error(`${name} instruments: code ${describeValue(env.code)} (msg ${describeValue(env.msg)})`);
  }
  if (!Array.isArray(env.data)) throw new Error(`${name} instruments data: not an array (${describeValue(env.data)})`);
  return env.data.map((row: unknown, i: number) => parseRow(row, `${name} instruments data[${i}]`, source, market));
}

function parseRow(row: unknown, at: string, source: number, market: OkxMarket): RawInstrument {
  if (typeof row !== "object" || row === null) throw new Error(`${at}: not an object (${describeValue(row)})`);
  const r = row as Row;
  const instId = stringAt(r.instId, `${at}.instId`);
  const state = stringAt(r.state, `${at}.state`);
  const instType = optStringAt(r.instType, `${at}.instType`) || (instId.endsWith("-SWAP") ? "SWAP" : "SPOT");
  const idParts = instId.split("-");
  const tickSize = numberAt(r.tickSz, `${at}.tickSz`);
  const minQty = numberAt(r.minSz, `${at}.minSz`);
  const maxQty = numberAt(r.maxLmtSz, `${at}.maxLmtSz`);

  let base: string;
  let quote: string;
  let settle: string | null = null;
  let contractSize: number | null = null;
  let kind: InstrumentKind = market === "spot" ? "spot" : "perpetual";
  let otherReason: string | null = null;

  if (market === "spot") {
    base = (optStringAt(r.baseCcy, `${at}.baseCcy`) || idParts[0] || "").toUpperCase();
    quote = (optStringAt(r.quoteCcy, `${at}.quoteCcy`) || idParts[1] || "").toUpperCase();
  } else {
    // SWAP: baseCcy/quoteCcy are "" → derive from instFamily/uly ("BTC-USDT") and ctValCcy.
    const family = (optStringAt(r.instFamily, `${at}.instFamily`) || optStringAt(r.uly, `${at}.uly`) || instId.replace(/-SWAP$/, "")).toUpperCase();
    const dash = family.indexOf("-");
    const ctType = optStringAt(r.ctType, `${at}.ctType`);
    const ctValCcy = optStringAt(r.ctValCcy, `${at}.ctValCcy`).toUpperCase();
    base = dash > 0 ? family.slice(0, dash) : ctType === "linear" ? ctValCcy : family;
    quote = dash > 0 ? family.slice(dash + 1) : "";
    settle = optStringAt(r.settleCcy, `${at}.settleCcy`).toUpperCase() || null;
    const ctVal = numberAt(r.ctVal, `${at}.ctVal`);
    const ctMult = numberAt(r.ctMult, `${at}.ctMult`) ?? 1;
    contractSize = ctVal === null ? null : ctVal * ctMult;
    if (ctType === "inverse") otherReason = "inverse";
    else if (quote === "USDC" || settle === "USDC") otherReason = "usdc";
    else if (quote.startsWith("USD_") || (settle !== null && settle.startsWith("USD") && settle !== "USDT")) otherReason = "usd_margined";
    else if (!(ctType === "linear" && settle === "USDT" && family.endsWith("-USDT"))) otherReason = "not_usdt_linear";
  }

  // Overrides in order of importance: wrong product, TradFi underlyings, pre-market listings.
  const wanted = market === "spot" ? "SPOT" : "SWAP";
  const category = optStringAt(r.instCategory, `${at}.instCategory`);
  const ruleType = optStringAt(r.ruleType, `${at}.ruleType`);
  if (instType !== wanted) otherReason = INST_TYPE_REASON[instType] ?? instType.toLowerCase();
  else if (category !== "" && category !== "1") otherReason = "tradfi";
  else if (ruleType === "pre_market") otherReason = "prelaunch";
  if (otherReason !== null) kind = "other";

  const hint = multiplierHint(base);
  return {
    source,
    exchangeSymbol: instId,
    base,
    quote,
    settle,
    tradable: state === "live",
    status: state,
    kind,
    otherReason,
    minQty,
    maxQty,
    tickSize,
    minNotional: null,
    contractSize,
    multiplierHint: hint.multiplier,
    baseHint: hint.base,
  };
}

const INST_TYPE_REASON: Readonly<Record<string, string>> = { FUTURES: "dated", OPTION: "option", MARGIN: "margin", SPOT: "spot", SWAP: "swap" };
