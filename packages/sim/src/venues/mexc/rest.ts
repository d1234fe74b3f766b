// MEXC REST. Spot api.mexc.com: GET /api/v3/exchangeInfo (status "1"/"2"/"3", isSpotTradingAllowed false on
// majors as live), bookTicker. Futures contract.mexc.com: GET /api/v1/contract/detail (array; object with
// ?symbol=; success:false code 1001 for unknown), contract/ticker.
import { BodyCache, json, type SimContext } from "../../context.ts";
import type { Instrument } from "../../market/instrument.ts";
import type { Universe } from "../../market/universe.ts";
import { fixed, trimmed } from "../../format.ts";
import { mexcNumber, mexcRate } from "./number.ts";
import { newSimFunding, simFunding } from "../../market/funding.ts";
import { SourceId } from "@spread/common";

const SPOT_STATUS: Record<string, string> = { trading: "1", halted: "2", delisted: "3" };
const FUT_STATE: Record<string, number> = { trading: 0, halted: 4, delisted: 3 };

function spotItem(inst: Instrument, u: Universe): string {
  const a = u.assets[inst.asset]!;
  const major = a.popularity >= 3;
  return `{"baseAsset":"${inst.base}","baseAssetPrecision":${inst.qtyDec},"baseCommissionPrecision":${inst.qtyDec},"baseSizePrecision":"${trimmed(1, inst.qtyDec)}","conceptPlateIds":[${major ? "50,5" : "51"}],"contractAddress":"${a.fixed ? "" : "0x" + (inst.venueId * 7919).toString(16).padStart(40, "0")}",`
    + `"filters":[{"askMultiplierDown":"${major ? "0.005" : "0.2"}","bidMultiplierUp":"${major ? "0.005" : "0.2"}","filterType":"PERCENT_PRICE_BY_SIDE"}],"fullName":${JSON.stringify(a.fullName)},"isMarginTradingAllowed":false,"isSpotTradingAllowed":${!major},"makerCommission":"0",`
    + `"maxQuoteAmount":"2000000","maxQuoteAmountMarket":"100000","orderTypes":["LIMIT","MARKET","LIMIT_MAKER"],"permissions":["SPOT"],"quoteAmountPrecision":"1","quoteAmountPrecisionMarket":"1","quoteAsset":"${inst.quote}",`
    + `"quoteAssetPrecision":${inst.tickDec},"quoteCommissionPrecision":${inst.tickDec},"quotePrecision":${inst.tickDec},"st":false,"status":"${SPOT_STATUS[inst.status] ?? "3"}","symbol":"${inst.symbol}","takerCommission":"0.0005","tradeSideType":1}`;
}

const RISK_CUSTOM = `"riskLimitCustom":[{"imr":0.002,"level":1,"maxLeverage":500,"maxVol":50000,"mmr":0.001},{"imr":0.005,"level":2,"maxLeverage":200,"maxVol":120000,"mmr":0.004},{"imr":0.01,"level":3,"maxLeverage":100,"maxVol":250000,"mmr":0.005}],`;

function contractItem(inst: Instrument, u: Universe): string {
  const a = u.assets[inst.asset]!;
  const custom = a.ticker === "BTC" || a.ticker === "ETH";
  const t = inst.tickDec;
  return `{"amountScale":4,"apiAllowed":${!a.fixed},"appraisal":0,"askLimitPriceRate":0.1,"automaticDelivery":0,"baseCoin":"${inst.base}","baseCoinIconUrl":"https://public.mocortech.com/coin/${inst.base}.png","baseCoinId":"${(inst.venueId * 104729).toString(16).padStart(32, "0")}","baseCoinName":"${inst.base}","bidLimitPriceRate":0.1,`
    + `"conceptPlate":["mc-trade-zone-${inst.kind === "tradfi" ? "Commodities" : "layer2"}"],"conceptPlateId":[${inst.kind === "tradfi" ? 67 : 5}],"contractSize":${inst.contractSize},"countryConfigContractMaxLeverage":0,"createTime":${inst.listMs},"depthStepList":["${trimmed(1, t)}","${trimmed(10, t)}"],`
    + `"displayName":"${inst.symbol}永续","displayNameEn":"${inst.symbol} PERPETUAL","feeRateMode":"NORMAL","futureType":1,"id":${inst.venueId},"indexOrigin":["BINANCE","OKX","MEXC"],"initialMarginRate":0.01,"isHidden":false,"isHot":false,"isMaxLeverage":false,"isNew":false,"isZeroFeeRate":false,"isZeroFeeSymbol":false,"leverageFeeRates":[],`
    + `"limitMaxVol":1000000,"liquidationFeeRate":0.0004,"maintenanceMarginRate":0.005,"makerFeeRate":0,"marketOrderMaxLevel":20,"marketOrderPriceLimitRate1":0.2,"marketOrderPriceLimitRate2":0.005,"maxLeverage":${custom ? 500 : 100},"maxNumOrders":[200,50],"maxVol":1000000,"minLeverage":1,"minVol":1,`
    + `"openingCountdownOption":1,"openingTime":0,"positionOpenType":3,"preMarket":false,"priceCoefficientVariation":0.01,"priceScale":${t},"priceUnit":${mexcNumber(1, t)},"quoteCoin":"${inst.quote}","quoteCoinName":"${inst.quote}","riskBaseVol":100000,"riskIncrImr":${custom ? 0 : 0.01},"riskIncrMmr":${custom ? 0 : 0.01},"riskIncrVol":${custom ? 0 : 100000},"riskLevelLimit":1,`
    + (custom ? RISK_CUSTOM : "")
    + `"riskLimitMode":"${custom ? "CUSTOM" : "INCREASE"}","riskLimitType":"BY_VOLUME","riskLongShortSwitch":0,"settleCoin":"${inst.settle}","showAppraisalCountdown":0,"showBeforeOpen":true,"state":${FUT_STATE[inst.status] ?? 3},"stopOnlyFair":false,"symbol":"${inst.symbol}","takerFeeRate":0.0002,"threshold":0,"tieredFeeRates":[],"triggerProtect":0.1,"type":${inst.kind === "tradfi" ? 2 : 1},"vid":"128f589271cb4951b03e71e6323eb7be","volScale":0,"volUnit":1}`;
}

export class MexcSpotRest {
  private readonly cache = new BodyCache();
  constructor(private readonly ctx: SimContext) {}

  handle(url: URL): Response {
    const q = url.searchParams;
    switch (url.pathname) {
      case "/api/v3/exchangeInfo":
      case "/api/v3/ticker/bookTicker": {
        const list = this.select(q);
        if (list instanceof Response) return list;
        return url.pathname === "/api/v3/exchangeInfo" ? this.exchangeInfo(list) : this.bookTicker(list, q.has("symbol"));
      }
      case "/api/v3/ping":
        return json("{}");
      case "/api/v3/time":
        return json(`{"serverTime":${Date.now()}}`);
      default:
        return new Response(`{"code":404,"msg":"Not Found"}`, { status: 404, headers: { "content-type": "application/json" } });
    }
  }

  private select(q: URLSearchParams): Instrument[] | Response {
    const all = this.ctx.universe.instruments[SourceId.mexc_spot]!;
    const names = q.get("symbol") ?? q.get("symbols");
    if (names === null) return [...all];
    const map = this.ctx.universe.bySymbol[SourceId.mexc_spot]!;
    const out: Instrument[] = [];
    for (const n of names.split(",")) {
      const i = map.get(n.trim());
      if (i === undefined) return json(`{"code":-1121,"msg":"Invalid symbol."}`, 400);
      out.push(all[i]!);
    }
    return out;
  }

  private exchangeInfo(list: Instrument[]): Response {
    const body = this.cache.get(list.map((i) => i.index).join(","), () => list.map((i) => spotItem(i, this.ctx.universe)).join(","));
    return json(`{"exchangeFilters":[],"rateLimits":[],"serverTime":${Date.now()},"symbols":[${body}],"timezone":"CST"}`);
  }

  /**
   * GET /api/v3/ticker/bookTicker[?symbol=] from the current book (the prices the WS pushes), keys sorted and
   * quantities padded to the step like the recording. Lists status "1" symbols (silent ones with their static book);
   * suspended ("2") and delisted ("3") ones are left out, and asking for one by name answers -1121.
   */
  private bookTicker(list: Instrument[], single: boolean): Response {
    const book = this.ctx.market.books[SourceId.mexc_spot]!;
    const rows: string[] = [];
    for (const inst of list) {
      const i = inst.index;
      if (inst.status !== "trading" || book.has[i] !== 1) continue;
      rows.push(`{"askPrice":"${fixed(book.ask[i]!, inst.tickDec)}","askQty":"${fixed(book.askQty[i]!, inst.qtyDec)}","bidPrice":"${fixed(book.bid[i]!, inst.tickDec)}","bidQty":"${fixed(book.bidQty[i]!, inst.qtyDec)}","symbol":"${inst.symbol}"}`);
    }
    if (single) return rows.length ? json(rows[0]!) : json(`{"code":-1121,"msg":"Invalid symbol."}`, 400);
    return json(`[${rows.join(",")}]`);
  }
}

const MEXC_FUNDING_PATH = "/api/v1/contract/funding_rate";

export const mexcFuturesError = (code: number, message: string) => `{"success":false,"code":${code},"message":${JSON.stringify(message)}}`;

export class MexcFuturesRest {
  private readonly cache = new BodyCache();
  constructor(private readonly ctx: SimContext) {}

  handle(url: URL): Response {
    // funding_rate/{symbol}: the contract in the path (the one endpoint here that takes it there).
    if (url.pathname.startsWith(`${MEXC_FUNDING_PATH}/`)) {
      const sym = decodeURIComponent(url.pathname.slice(MEXC_FUNDING_PATH.length + 1));
      const at = this.ctx.universe.bySymbol[SourceId.mexc_futures]!.get(sym);
      return this.fundingRate(at === undefined ? null : this.ctx.universe.instruments[SourceId.mexc_futures]![at]!, sym);
    }
    const symbol = url.searchParams.get("symbol");
    const u = this.ctx.universe;
    const list = u.instruments[SourceId.mexc_futures]!;
    let one: Instrument | null = null;
    if (symbol !== null) {
      const i = u.bySymbol[SourceId.mexc_futures]!.get(symbol);
      if (i === undefined) {
        if (url.pathname === "/api/v1/contract/detail" || url.pathname === "/api/v1/contract/ticker") return json(mexcFuturesError(1001, "Contract does not exist"));
      } else one = list[i]!;
    }
    switch (url.pathname) {
      case "/api/v1/contract/detail": {
        if (one) return json(`{"success":true,"code":0,"data":${contractItem(one, u)}}`);
        const body = this.cache.get("all", () => list.map((i) => contractItem(i, u)).join(","));
        return json(`{"success":true,"code":0,"data":[${body}]}`);
      }
      case "/api/v1/contract/ticker": {
        // Lists state-0 contracts with a book (silent ones with their static book); ?symbol= answers one object,
        // zero prices for a paused/delisted contract (no book here).
        const book = this.ctx.market.books[SourceId.mexc_futures]!;
        if (one) return json(`{"success":true,"code":0,"data":${this.tickerRow(one)}}`);
        const rows = list.filter((i) => i.status === "trading" && book.has[i.index] === 1).map((i) => this.tickerRow(i));
        return json(`{"success":true,"code":0,"data":[${rows.join(",")}]}`);
      }
      case MEXC_FUNDING_PATH:
        return this.fundingRate(one, symbol);
      case "/api/v1/contract/ping":
        return json(`{"success":true,"code":0,"data":${Date.now()}}`);
      default:
        return new Response(mexcFuturesError(404, "Not Found"), { status: 404, headers: { "content-type": "application/json" } });
    }
  }

  /**
   * GET /api/v1/contract/funding_rate[/{symbol}]: every contract (array) or one (object); numbers in MEXC's form
   * (exponent for small values), collectCycle in hours. An unknown symbol answers HTTP 200 success:false.
   */
  private fundingRate(one: Instrument | null, symbol: string | null): Response {
    const f = newSimFunding();
    const now = Date.now();
    const row = (inst: Instrument): string => {
      simFunding(inst, now, f);
      const r = mexcRate(f.rateUnits);
      const cap = mexcNumber(f.capUnits, 8);
      return `{"symbol":"${inst.symbol}","fundingRate":${r},"maxFundingRate":${cap},"minFundingRate":-${cap},"collectCycle":${f.intervalHours},"nextSettleTime":${f.nextMs},"timestamp":${now}}`;
    };
    if (symbol !== null) return json(one ? `{"success":true,"code":0,"data":${row(one)}}` : mexcFuturesError(1001, "Contract does not exist"));
    const list = this.ctx.universe.instruments[SourceId.mexc_futures]!.filter((i) => i.kind !== "dated" && i.status === "trading");
    return json(`{"success":true,"code":0,"data":[${list.map(row).join(",")}]}`);
  }

  private tickerRow(inst: Instrument): string {
    const book = this.ctx.market.books[SourceId.mexc_futures]!;
    const i = inst.index;
    const d = inst.tickDec;
    const bid = mexcNumber(book.bid[i]!, d);
    const rate = inst.kind === "dated" ? "0" : mexcRate(simFunding(inst, Date.now(), newSimFunding()).rateUnits);
    return `{"amount24":1234567.891,"ask1":${mexcNumber(book.ask[i]!, d)},"bid1":${bid},"contractId":${inst.venueId},"fairPrice":${bid},"fundingRate":${rate},"high24Price":${bid},"holdVol":${book.askQty[i]! * 97},"indexPrice":${bid},"lastPrice":${bid},"lower24Price":${bid},"maxBidPrice":${bid},"minAskPrice":${bid},"riseFallRate":-0.0021,"riseFallRates":{"r":-0.0021,"r180":-0.1842,"r30":0.0362,"r365":-0.0804,"r7":0.0081,"r90":-0.2682,"v":-1.2,"zone":"UTC+8"},"riseFallRatesOfTimezone":[-0.0061,-0.0082,-0.0021],"riseFallValue":-1.2,"symbol":"${inst.symbol}","timestamp":${book.ts[i] || Date.now()},"volume24":${book.bidQty[i]! * 311}}`;
  }
}
