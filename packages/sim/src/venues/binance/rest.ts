// Binance REST: spot GET /api/v3/exchangeInfo (2026 schema: NOTIONAL, permissionSets, STP modes) and USD-M
// GET /fapi/v1/exchangeInfo (PERPETUAL, CURRENT_QUARTER/NEXT_QUARTER, TRADIFI_PERPETUAL, INDEX), bookTicker,
// ping and time. Unknown paths answer Binance's HTML 404 page.
import { SourceId } from "@spread/common";
import { BodyCache, json, type SimContext } from "../../context.ts";
import type { Instrument } from "../../market/instrument.ts";
import { fixed, padded } from "../../format.ts";
import { fundingDecimal, fundingIntervalHours, newSimFunding, simFunding } from "../../market/funding.ts";

const PERP_DELIVERY = 4133404800000;
const NOT_FOUND_HTML = "<!DOCTYPE html>\n<html><head><title>Binance</title></head><body><h3>404 Not Found</h3><p>Sorry! The page you're looking for cannot be found.</p></body></html>";

export function binanceNotFound(): Response {
  return new Response(NOT_FOUND_HTML, { status: 404, headers: { "content-type": "text/html" } });
}
function binanceError(code: number, msg: string, status = 400): Response {
  return json(`{"code":${code},"msg":${JSON.stringify(msg)}}`, status);
}

const SPOT_STATUS: Record<string, string> = { trading: "TRADING", halted: "HALT", delisted: "BREAK" };
const FUT_STATUS: Record<string, string> = { trading: "TRADING", settling: "SETTLING", pending: "PENDING_TRADING" };

const p8 = (units: number, dec: number) => padded(units, dec, 8);

function spotSymbol(inst: Instrument, base: string, margin: boolean, showSets: boolean): string {
  const t = inst.tickDec;
  const q = inst.qtyDec;
  const sets = showSets ? (margin ? `[["SPOT","MARGIN","TRD_GRP_004","TRD_GRP_005","TRD_GRP_006"]]` : `[["SPOT","TRD_GRP_005"]]`) : "[]";
  return `{"symbol":"${inst.symbol}","status":"${SPOT_STATUS[inst.status] ?? "BREAK"}","baseAsset":"${base}","baseAssetPrecision":8,"quoteAsset":"${inst.quote}","quotePrecision":8,"quoteAssetPrecision":8,"baseCommissionPrecision":8,"quoteCommissionPrecision":8,`
    + `"orderTypes":["LIMIT","LIMIT_MAKER","MARKET","STOP_LOSS","STOP_LOSS_LIMIT","TAKE_PROFIT","TAKE_PROFIT_LIMIT"],"icebergAllowed":true,"ocoAllowed":true,"otoAllowed":true,"opoAllowed":true,"quoteOrderQtyMarketAllowed":true,"allowTrailingStop":true,"cancelReplaceAllowed":true,"amendAllowed":true,"pegInstructionsAllowed":true,"isSpotTradingAllowed":true,"isMarginTradingAllowed":${margin},`
    + `"filters":[{"filterType":"PRICE_FILTER","minPrice":"${p8(1, t)}","maxPrice":"${p8(1_000_000 * 10 ** t, t)}","tickSize":"${p8(1, t)}"},`
    + `{"filterType":"LOT_SIZE","minQty":"${p8(1, q)}","maxQty":"${p8(9_000_000 * 10 ** q, q)}","stepSize":"${p8(1, q)}"},`
    + `{"filterType":"ICEBERG_PARTS","limit":10},{"filterType":"MARKET_LOT_SIZE","minQty":"0.00000000","maxQty":"${p8(100_000 * 10 ** q, q)}","stepSize":"0.00000000"},`
    + `{"filterType":"TRAILING_DELTA","minTrailingAboveDelta":10,"maxTrailingAboveDelta":2000,"minTrailingBelowDelta":10,"maxTrailingBelowDelta":2000},`
    + `{"filterType":"PERCENT_PRICE_BY_SIDE","bidMultiplierUp":"5","bidMultiplierDown":"0.2","askMultiplierUp":"5","askMultiplierDown":"0.2","avgPriceMins":5},`
    + `{"filterType":"NOTIONAL","minNotional":"5.00000000","applyMinToMarket":true,"maxNotional":"9000000.00000000","applyMaxToMarket":false,"avgPriceMins":5},`
    + `{"filterType":"MAX_NUM_ORDERS","maxNumOrders":200},{"filterType":"MAX_NUM_ALGO_ORDERS","maxNumAlgoOrders":5}],`
    + `"permissions":[],"permissionSets":${sets},"defaultSelfTradePreventionMode":"EXPIRE_MAKER","allowedSelfTradePreventionModes":["EXPIRE_TAKER","EXPIRE_MAKER","EXPIRE_BOTH","DECREMENT"]}`;
}

function contractType(inst: Instrument, quarters: number[]): string {
  if (inst.status === "pending") return "";
  if (inst.kind === "tradfi") return "TRADIFI_PERPETUAL";
  if (inst.kind !== "dated") return "PERPETUAL";
  return inst.deliveryMs === quarters[0] ? "CURRENT_QUARTER" : "NEXT_QUARTER";
}

function futuresSymbol(inst: Instrument, quarters: number[]): string {
  const t = inst.tickDec;
  const q = inst.qtyDec;
  const pair = inst.symbol.includes("_") ? inst.symbol.slice(0, inst.symbol.indexOf("_")) : inst.symbol;
  const sub = inst.kind === "tradfi" ? `["TradFi"]` : inst.kind === "index" ? `["Index"]` : "[]";
  return `{"symbol":"${inst.symbol}","pair":"${pair}","contractType":"${contractType(inst, quarters)}","deliveryDate":${inst.deliveryMs || PERP_DELIVERY},"onboardDate":${inst.listMs},"status":"${FUT_STATUS[inst.status] ?? "SETTLING"}",`
    + `"maintMarginPercent":"2.5000","requiredMarginPercent":"5.0000","baseAsset":"${inst.base}","quoteAsset":"${inst.quote}","marginAsset":"${inst.quote}","pricePrecision":${t},"quantityPrecision":${q},"baseAssetPrecision":8,"quotePrecision":8,`
    + `"underlyingType":"${inst.underlying}","underlyingSubType":${sub},"settlePlan":0,"triggerProtect":"0.0500","liquidationFee":"0.012500","marketTakeBound":"0.05",`
    + `"filters":[{"filterType":"PRICE_FILTER","minPrice":"${fixed(1, t)}","maxPrice":"${fixed(1_000_000 * 10 ** t, t)}","tickSize":"${fixed(1, t)}"},`
    + `{"filterType":"LOT_SIZE","minQty":"${fixed(1, q)}","maxQty":"${fixed(1_000_000 * 10 ** q, q)}","stepSize":"${fixed(1, q)}"},`
    + `{"filterType":"MARKET_LOT_SIZE","minQty":"${fixed(1, q)}","maxQty":"${fixed(100_000 * 10 ** q, q)}","stepSize":"${fixed(1, q)}"},`
    + `{"filterType":"MAX_NUM_ORDERS","limit":200},{"filterType":"MIN_NOTIONAL","notional":"5"},`
    + `{"filterType":"PERCENT_PRICE","multiplierUp":"1.0500","multiplierDown":"0.9500","multiplierDecimal":"4"}],`
    + `"orderTypes":["LIMIT","MARKET","STOP","STOP_MARKET","TAKE_PROFIT","TAKE_PROFIT_MARKET","TRAILING_STOP_MARKET"],"timeInForce":["GTC","IOC","FOK","GTX","GTD"]}`;
}

const SPOT_LIMITS = `[{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":6000},{"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":10,"limit":100},{"rateLimitType":"ORDERS","interval":"DAY","intervalNum":1,"limit":200000},{"rateLimitType":"RAW_REQUESTS","interval":"MINUTE","intervalNum":5,"limit":61000}]`;
const FUT_LIMITS = `[{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":2400},{"rateLimitType":"ORDERS","interval":"MINUTE","intervalNum":1,"limit":1200},{"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":10,"limit":300}]`;
const FUT_ASSETS = `[{"asset":"USDT","marginAvailable":true,"autoAssetExchange":"-10000"},{"asset":"USDC","marginAvailable":true,"autoAssetExchange":"-10000"},{"asset":"BTC","marginAvailable":true,"autoAssetExchange":"-0.10000000"},{"asset":"BNB","marginAvailable":true,"autoAssetExchange":"-10"},{"asset":"ETH","marginAvailable":true,"autoAssetExchange":"-5"}]`;

/** Parses Binance's `symbols=["A","B"]` JSON-array parameter; null when malformed. */
function parseSymbolsParam(v: string): string[] | null {
  try {
    const arr = JSON.parse(v);
    return Array.isArray(arr) && arr.every((s) => typeof s === "string") ? arr : null;
  } catch {
    return null;
  }
}

export class BinanceRest {
  private readonly cache = new BodyCache();
  private readonly quarters: number[];

  constructor(private readonly ctx: SimContext, private readonly source: number) {
    this.quarters = [...new Set(ctx.universe.instruments[source]!.filter((i) => i.kind === "dated").map((i) => i.deliveryMs))].sort((a, b) => a - b);
  }

  private get futures(): boolean {
    return this.source === SourceId.binance_futures;
  }

  handle(url: URL): Response {
    const p = url.pathname;
    const prefix = this.futures ? "/fapi/v1" : "/api/v3";
    if (!p.startsWith(prefix + "/")) return binanceNotFound();
    switch (p.slice(prefix.length)) {
      case "/exchangeInfo":
        return this.exchangeInfo(url.searchParams);
      case "/ticker/bookTicker":
        return this.bookTicker(url.searchParams);
      case "/premiumIndex":
        return this.futures ? this.premiumIndex(url.searchParams) : binanceNotFound();
      case "/fundingInfo":
        return this.futures ? this.fundingInfo() : binanceNotFound();
      case "/ping":
        return json("{}");
      case "/time":
        return json(`{"serverTime":${Date.now()}}`);
      default:
        return binanceNotFound();
    }
  }

  /**
   * GET /fapi/v1/premiumIndex[?symbol=]: mark price and funding of every USD-M contract; dated contracts carry rate
   * "0.00000000" and nextFundingTime 0, as the venue's do. Without ?symbol= an array, `time` second-aligned.
   */
  private premiumIndex(q: URLSearchParams): Response {
    const book = this.ctx.market.books[this.source]!;
    const symbol = q.get("symbol");
    const now = Date.now();
    const f = newSimFunding();
    const rows: string[] = [];
    for (const inst of this.ctx.universe.instruments[this.source]!) {
      if (inst.status !== "trading" || (symbol !== null && inst.symbol !== symbol)) continue;
      const i = inst.index;
      const mark = book.has[i] === 1 ? fixed(Math.round((book.bid[i]! + book.ask[i]!) / 2), inst.tickDec) : "0";
      const perp = inst.kind !== "dated"; // tradfi and index perpetuals pay funding too
      if (perp) simFunding(inst, now, f);
      rows.push(`{"symbol":"${inst.symbol}","markPrice":"${mark}","indexPrice":"${mark}","estimatedSettlePrice":"${mark}","lastFundingRate":"${perp ? fundingDecimal(f.rateUnits, 8) : "0.00000000"}","interestRate":"${perp ? "0.00010000" : "0.00000000"}","nextFundingTime":${perp ? f.nextMs : 0},"time":${symbol === null ? Math.floor(now / 1000) * 1000 : now}}`);
    }
    if (symbol !== null) return rows.length ? json(rows[0]!) : binanceError(-1121, "Invalid symbol.");
    return json(`[${rows.join(",")}]`);
  }

  /** GET /fapi/v1/fundingInfo: only the symbols whose interval differs from the default 8 h (the venue's rule). */
  private fundingInfo(): Response {
    const rows = this.ctx.universe.instruments[this.source]!.filter((i) => i.kind !== "dated" && fundingIntervalHours(i) !== 8).map((i) => {
      const h = fundingIntervalHours(i);
      const cap = h === 1 ? "0.02000000" : "0.00750000";
      return `{"symbol":"${i.symbol}","adjustedFundingRateCap":"${cap}","adjustedFundingRateFloor":"-${cap}","fundingIntervalHours":${h},"disclaimer":false,"updateTime":${i.listMs}}`;
    });
    return json(`[${rows.join(",")}]`);
  }

  private select(q: URLSearchParams): Instrument[] | Response {
    const list = this.ctx.universe.instruments[this.source]!;
    const bySym = this.ctx.universe.bySymbol[this.source]!;
    const symbol = q.get("symbol");
    const symbolsRaw = q.get("symbols");
    if (symbol !== null || symbolsRaw !== null) {
      if (q.has("permissions") || q.has("symbolStatus")) return binanceError(-1128, "Combination of optional parameters invalid.");
      const wanted = symbol !== null ? [symbol] : parseSymbolsParam(symbolsRaw!);
      if (wanted === null) return binanceError(-1100, "Illegal characters found in parameter 'symbols'; legal range is '^\\[(\"[A-Z0-9-_.]{1,20}\"(,\"[A-Z0-9-_.]{1,20}\"){0,}){0,1}\\]$'.");
      const out: Instrument[] = [];
      for (const s of wanted) {
        const i = bySym.get(s);
        if (i === undefined) return binanceError(-1121, "Invalid symbol.");
        out.push(list[i]!);
      }
      return out;
    }
    const status = q.get("symbolStatus");
    if (status !== null) {
      if (!["TRADING", "HALT", "BREAK", "END_OF_DAY", "CANCEL_ONLY"].includes(status)) return binanceError(-1100, "Illegal characters found in parameter 'symbolStatus'.");
      return list.filter((i) => (SPOT_STATUS[i.status] ?? "BREAK") === status);
    }
    return [...list];
  }

  private exchangeInfo(q: URLSearchParams): Response {
    const sel = this.select(q);
    if (sel instanceof Response) return sel;
    const u = this.ctx.universe;
    if (this.futures) {
      const body = this.cache.get("fut:" + sel.map((i) => i.index).join(","), () => sel.map((i) => futuresSymbol(i, this.quarters)).join(","));
      return json(`{"timezone":"UTC","serverTime":${Date.now()},"rateLimits":${FUT_LIMITS},"exchangeFilters":[],"assets":${FUT_ASSETS},"symbols":[${body}]}`);
    }
    const showSets = q.get("showPermissionSets") !== "false";
    const key = `spot:${showSets}:` + sel.map((i) => i.index).join(",");
    const body = this.cache.get(key, () => sel.map((i) => spotSymbol(i, i.base, u.assets[i.asset]!.popularity >= 3, showSets)).join(","));
    return json(`{"timezone":"UTC","serverTime":${Date.now()},"rateLimits":${SPOT_LIMITS},"exchangeFilters":[],"symbols":[${body}]}`);
  }

  /**
   * GET /api/v3/ticker/bookTicker and /fapi/v1/ticker/bookTicker from the current books (the prices the WS pushes).
   * Spot lists every symbol, like the real endpoint: BREAK/HALT ones (no book here) as all-"0.00000000" rows;
   * USD-M lists TRADING contracts. Silent symbols are listed with their static book. `?symbol=` answers one object.
   */
  private bookTicker(q: URLSearchParams): Response {
    const sel = this.select(q);
    if (sel instanceof Response) return sel;
    const book = this.ctx.market.books[this.source]!;
    const now = Date.now();
    const single = q.has("symbol");
    const f = this.futures ? fixed : p8;
    const rows: string[] = [];
    for (const inst of sel) {
      const i = inst.index;
      const live = inst.status === "trading" && book.has[i] === 1;
      if (!live && this.futures && !single) continue;
      const core = live
        ? `"symbol":"${inst.symbol}","bidPrice":"${f(book.bid[i]!, inst.tickDec)}","bidQty":"${f(book.bidQty[i]!, inst.qtyDec)}","askPrice":"${f(book.ask[i]!, inst.tickDec)}","askQty":"${f(book.askQty[i]!, inst.qtyDec)}"`
        : `"symbol":"${inst.symbol}","bidPrice":"${f(0, inst.tickDec)}","bidQty":"${f(0, inst.qtyDec)}","askPrice":"${f(0, inst.tickDec)}","askQty":"${f(0, inst.qtyDec)}"`;
      rows.push(this.futures ? `{${core},"time":${book.ts[i] || now},"lastUpdateId":${book.u[i]}}` : `{${core}}`);
    }
    return json(single ? rows[0]! : `[${rows.join(",")}]`);
  }
}
