#!/usr/bin/env bun
// Regenerates the real-size instrument lists in this folder: `bun tests/fixtures-discovery/generate.ts [OUT_DIR]`.
// Deterministic (seeded PRNG, fixed timestamps): running it again must leave the files byte-identical.
// Each record copies the field shape of a REAL recorded response in tests/fixtures (named per builder below);
// only identifiers, statuses and numbers vary. The coin universe and per-source counts follow the A.4 table;
// tricky instruments are listed explicitly (multipliers, statuses, other quotes, dated/index/TradFi contracts,
// renamed tokens for aliases, ticker collisions for the deny list and the collision guard).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { COINS, plainBases, prng, priceOf } from "./universe.ts";

/** Output folder: this one, or the first argument (the determinism test regenerates into a temp dir). */
const OUT = process.argv[2] ?? import.meta.dir;
mkdirSync(OUT, { recursive: true });
const T0 = 1784577617554; // fixed "serverTime"

/** Decimal string with `d` places ("0.00010000"). */
function fx(x: number, d: number): string {
  return x.toFixed(d);
}
/** Tick ≈ price / 10^4 as a power of ten. */
function tickOf(price: number): number {
  return 10 ** Math.floor(Math.log10(price) - 4);
}
function decimals(step: number): number {
  return Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
}
function plain(step: number): string {
  return fx(step, decimals(step));
}
function notIn<T>(xs: readonly T[], set: ReadonlySet<T>): T[] {
  return xs.filter((x) => !set.has(x));
}
function pick<T>(xs: readonly T[], n: number, seed: number): T[] {
  const r = prng(seed);
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a.slice(0, n).sort();
}

// ---------------------------------------------------------------------------------------------------------------
// Binance spot: shape of binance_spot/exchangeInfo_2021-10-11_trimmed.json (2021 schema: permissions, MIN_NOTIONAL).
function binanceSpot(base: string, quote: string, status = "TRADING", opts: { spotAllowed?: boolean; symbol?: string } = {}) {
  const price = priceOf(base) / (quote === "BTC" ? 60000 : quote === "ETH" ? 3000 : quote === "BNB" ? 600 : quote === "TRY" ? 1 / 34 : 1);
  const tick = Math.max(tickOf(price), 1e-8);
  const step = price > 100 ? 0.00001 : price > 1 ? 0.01 : 1;
  return {
    symbol: opts.symbol ?? `${base}${quote}`,
    status,
    baseAsset: base,
    baseAssetPrecision: 8,
    quoteAsset: quote,
    quotePrecision: 8,
    quoteAssetPrecision: 8,
    baseCommissionPrecision: 8,
    quoteCommissionPrecision: 8,
    orderTypes: ["LIMIT", "LIMIT_MAKER", "MARKET", "STOP_LOSS_LIMIT", "TAKE_PROFIT_LIMIT"],
    icebergAllowed: true,
    ocoAllowed: true,
    quoteOrderQtyMarketAllowed: true,
    isSpotTradingAllowed: opts.spotAllowed ?? true,
    isMarginTradingAllowed: false,
    filters: [
      { filterType: "PRICE_FILTER", minPrice: fx(tick, 8), maxPrice: "1000000.00000000", tickSize: fx(tick, 8) },
      { filterType: "PERCENT_PRICE", multiplierUp: "5", multiplierDown: "0.2", avgPriceMins: 5 },
      { filterType: "LOT_SIZE", minQty: fx(step, 8), maxQty: "9000000.00000000", stepSize: fx(step, 8) },
      { filterType: "MIN_NOTIONAL", minNotional: "10.00000000", applyToMarket: true, avgPriceMins: 5 },
      { filterType: "ICEBERG_PARTS", limit: 10 },
      { filterType: "MARKET_LOT_SIZE", minQty: "0.00000000", maxQty: "1000000.00000000", stepSize: "0.00000000" },
      { filterType: "MAX_NUM_ORDERS", maxNumOrders: 200 },
      { filterType: "MAX_NUM_ALGO_ORDERS", maxNumAlgoOrders: 5 },
    ],
    permissions: ["SPOT"],
  };
}

// Binance USD-M: shape of binance_futures/exchangeInfo_2021-07-22_trimmed.json (BTCUSDT record).
function binanceFutures(base: string, opts: { symbol?: string; quote?: string; contractType?: string; status?: string; underlyingType?: string; perUnit?: number; delivery?: number } = {}) {
  const quote = opts.quote ?? "USDT";
  const price = opts.perUnit ?? priceOf(base);
  const tick = tickOf(price);
  return {
    symbol: opts.symbol ?? `${base}${quote}`,
    pair: opts.symbol?.split("_")[0] ?? `${base}${quote}`,
    contractType: opts.contractType ?? "PERPETUAL",
    deliveryDate: opts.delivery ?? 4133404800000,
    onboardDate: 1569398400000,
    status: opts.status ?? "TRADING",
    maintMarginPercent: "2.5000",
    requiredMarginPercent: "5.0000",
    baseAsset: base,
    quoteAsset: quote,
    marginAsset: quote,
    pricePrecision: decimals(tick),
    quantityPrecision: price > 100 ? 3 : 0,
    baseAssetPrecision: 8,
    quotePrecision: 8,
    underlyingType: opts.underlyingType ?? "COIN",
    underlyingSubType: [],
    settlePlan: 0,
    triggerProtect: "0.0500",
    liquidationFee: "0.012000",
    marketTakeBound: "0.30",
    filters: [
      { minPrice: plain(tick), maxPrice: "1000000", filterType: "PRICE_FILTER", tickSize: plain(tick) },
      { stepSize: price > 100 ? "0.001" : "1", filterType: "LOT_SIZE", maxQty: "10000000", minQty: price > 100 ? "0.001" : "1" },
      { stepSize: price > 100 ? "0.001" : "1", filterType: "MARKET_LOT_SIZE", maxQty: "5000000", minQty: price > 100 ? "0.001" : "1" },
      { limit: 200, filterType: "MAX_NUM_ORDERS" },
      { limit: 10, filterType: "MAX_NUM_ALGO_ORDERS" },
      { notional: "5", filterType: "MIN_NOTIONAL" },
      { multiplierDown: "0.8500", multiplierUp: "1.1500", multiplierDecimal: "4", filterType: "PERCENT_PRICE" },
    ],
    orderTypes: ["LIMIT", "MARKET", "STOP", "STOP_MARKET", "TAKE_PROFIT", "TAKE_PROFIT_MARKET", "TRAILING_STOP_MARKET"],
    timeInForce: ["GTC", "IOC", "FOK", "GTX"],
  };
}

// Bybit spot: shape of bybit_spot/instruments_info_spot_docs_example.json (2025-10 docs example).
function bybitSpot(base: string, quote: string, opts: { symbolType?: string } = {}) {
  const price = priceOf(base) / (quote === "BTC" ? 60000 : quote === "EUR" ? 1.08 : 1);
  const tick = tickOf(price);
  return {
    symbol: `${base}${quote}`,
    baseCoin: base,
    quoteCoin: quote,
    innovation: "0",
    status: "Trading",
    marginTrading: "utaOnly",
    stTag: "0",
    lotSizeFilter: {
      basePrecision: price > 100 ? "0.000001" : "0.01",
      quotePrecision: "0.0000001",
      minOrderQty: price > 100 ? "0.000011" : "1",
      maxOrderQty: "8300000",
      minOrderAmt: "5",
      maxOrderAmt: "8000000",
      maxLimitOrderQty: "8300000",
      maxMarketOrderQty: "4150000",
      postOnlyMaxLimitOrderSize: "60000",
    },
    priceFilter: { tickSize: plain(tick) },
    riskParameters: { priceLimitRatioX: "0.005", priceLimitRatioY: "0.01" },
    symbolType: opts.symbolType ?? "",
  };
}

// Bybit linear: shape of bybit_linear/instruments_info_linear_docs_example.json (+ prelaunch example fields).
function bybitLinear(base: string, opts: { symbol?: string; quote?: string; settle?: string; contractType?: string; status?: string; symbolType?: string; perUnit?: number; preListing?: boolean } = {}) {
  const quote = opts.quote ?? "USDT";
  const price = opts.perUnit ?? priceOf(base);
  const tick = tickOf(price);
  return {
    symbol: opts.symbol ?? `${base}${quote}`,
    contractType: opts.contractType ?? "LinearPerpetual",
    status: opts.status ?? "Trading",
    baseCoin: base,
    quoteCoin: quote,
    launchTime: "1585526400000",
    deliveryTime: opts.contractType === "LinearFutures" ? "1798272000000" : "0",
    deliveryFeeRate: "",
    priceScale: String(decimals(tick)),
    leverageFilter: { minLeverage: "1", maxLeverage: "50.00", leverageStep: "0.01" },
    priceFilter: { minPrice: plain(tick), maxPrice: plain(price * 100), tickSize: plain(tick) },
    lotSizeFilter: {
      maxOrderQty: price > 100 ? "1190.000" : "7000000",
      minOrderQty: price > 100 ? "0.001" : "1",
      qtyStep: price > 100 ? "0.001" : "1",
      postOnlyMaxOrderQty: price > 100 ? "1190.000" : "7000000",
      maxMktOrderQty: price > 100 ? "500.000" : "1400000",
      minNotionalValue: "5",
    },
    unifiedMarginTrade: true,
    fundingInterval: 480,
    settleCoin: opts.settle ?? quote,
    copyTrading: "both",
    upperFundingRate: "0.00375",
    lowerFundingRate: "-0.00375",
    isPreListing: opts.preListing ?? false,
    preListingInfo: opts.preListing
      ? { curAuctionPhase: "CallAuction", phases: [{ phase: "CallAuction", startTime: "1735113600000", endTime: "1735116600000" }], auctionFeeInfo: { auctionFeeRate: "0", takerFeeRate: "0.001", makerFeeRate: "0.0004" } }
      : null,
    riskParameters: { priceLimitRatioX: "0.01", priceLimitRatioY: "0.02" },
    symbolType: opts.symbolType ?? "",
  };
}

// MEXC spot: shape of mexc_spot/exchangeInfo.json (live GCT recording, keys sorted by the recorder).
function mexcSpot(base: string, quote: string, status = "1") {
  const price = priceOf(base) / (quote === "BTC" ? 60000 : 1);
  const qp = Math.min(12, decimals(tickOf(price)));
  return {
    baseAsset: base,
    baseAssetPrecision: 2,
    baseCommissionPrecision: 2,
    baseSizePrecision: price > 100 ? "0.000001" : "0.01",
    conceptPlateIds: [51],
    contractAddress: "",
    filters: [{ askMultiplierDown: "0.2", bidMultiplierUp: "0.2", filterType: "PERCENT_PRICE_BY_SIDE" }],
    fullName: base,
    isMarginTradingAllowed: false,
    isSpotTradingAllowed: true,
    makerCommission: "0",
    maxQuoteAmount: "2000000",
    maxQuoteAmountMarket: "100000",
    orderTypes: ["LIMIT", "MARKET", "LIMIT_MAKER"],
    permissions: ["SPOT"],
    quoteAmountPrecision: "1",
    quoteAmountPrecisionMarket: "1",
    quoteAsset: quote,
    quoteAssetPrecision: qp,
    quoteCommissionPrecision: qp,
    quotePrecision: qp,
    st: false,
    status,
    symbol: `${base}${quote}`,
    takerCommission: "0.0005",
    tradeSideType: 1,
  };
}

// MEXC futures: shape of mexc_futures/contract_detail.json (live GCT recording, trimmed of icon URLs/risk tiers).
function mexcFutures(base: string, opts: { quote?: string; settle?: string; state?: number; type?: number; futureType?: number; preMarket?: boolean; contractSize?: number; plates?: string[]; symbol?: string } = {}) {
  const quote = opts.quote ?? "USDT";
  const price = priceOf(base);
  const unit = tickOf(price);
  return {
    amountScale: 4,
    apiAllowed: false,
    baseCoin: base,
    baseCoinName: base,
    conceptPlate: opts.plates ?? ["mc-trade-zone-layer2"],
    contractSize: opts.contractSize ?? (price > 1000 ? 0.0001 : price > 1 ? 0.1 : Number((10 ** Math.round(-Math.log10(price))).toPrecision(1))),
    displayName: `${base}_${quote}永续`,
    displayNameEn: `${base}_${quote} PERPETUAL`,
    futureType: opts.futureType ?? 1,
    initialMarginRate: 0.01,
    isHidden: false,
    isNew: false,
    maintenanceMarginRate: 0.005,
    makerFeeRate: 0,
    maxLeverage: 200,
    maxVol: 400000,
    minLeverage: 1,
    minVol: 1,
    openingTime: 0,
    preMarket: opts.preMarket ?? false,
    priceScale: decimals(unit),
    priceUnit: Number(plain(unit)),
    quoteCoin: quote,
    quoteCoinName: quote,
    settleCoin: opts.settle ?? quote,
    state: opts.state ?? 0,
    symbol: opts.symbol ?? `${base}_${quote}`,
    takerFeeRate: 0.0001,
    type: opts.type ?? 1,
    volScale: 0,
    volUnit: 1,
  };
}

// OKX: shapes of okx_spot/instruments_usdt_pairs_from_ccxt_static.json (SPOT) and okx_swap/instruments.json (SWAP).
function okxSpot(base: string, quote: string, state = "live", opts: { category?: string; ruleType?: string } = {}) {
  const price = priceOf(base) / (quote === "BTC" ? 60000 : quote === "EUR" ? 1.08 : 1);
  return {
    alias: "", baseCcy: base, category: opts.category ?? "1", ctMult: "", ctType: "", ctVal: "", ctValCcy: "", expTime: "", instFamily: "",
    instId: `${base}-${quote}`, instType: "SPOT", lever: "", listTime: "1548133413000", lotSz: "0.000001",
    maxIcebergSz: "9999999999.0000000000000000", maxLmtAmt: "20000000", maxLmtSz: "9999999999", maxMktAmt: "1000000", maxMktSz: "1000000",
    maxStopSz: "1000000", maxTriggerSz: "9999999999.0000000000000000", maxTwapSz: "9999999999.0000000000000000",
    minSz: price > 100 ? "0.00001" : "1", optType: "", quoteCcy: quote, ruleType: opts.ruleType ?? "normal", settleCcy: "", state, stk: "",
    tickSz: plain(tickOf(price)), uly: "",
  };
}

function okxSwap(base: string, opts: { quote?: string; settle?: string; ctType?: string; ctVal?: string; state?: string; category?: string; ruleType?: string } = {}) {
  const quote = opts.quote ?? "USDT";
  const price = priceOf(base);
  const inverse = opts.ctType === "inverse";
  const ctVal = opts.ctVal ?? (inverse ? "100" : price > 1000 ? "0.01" : price > 1 ? "1" : String(Number((10 ** Math.round(-Math.log10(price))).toPrecision(1))));
  return {
    alias: "", auctionEndTime: "", baseCcy: "", category: opts.category ?? "1", contTdSwTime: "", ctMult: "1", ctType: opts.ctType ?? "linear",
    ctVal, ctValCcy: inverse ? "USD" : base, expTime: "", futureSettlement: false, instFamily: `${base}-${quote}`, instId: `${base}-${quote}-SWAP`,
    instIdCode: 10000 + (COINS.find((c) => c.base === base)?.rank ?? 900), instType: "SWAP", lever: "50", listTime: "1573557408000", lotSz: "1",
    maxIcebergSz: "100000000.0000000000000000", maxLmtAmt: "20000000", maxLmtSz: "100000000", maxMktAmt: "", maxMktSz: "20000", maxPlatOILmt: "",
    maxStopSz: "20000", maxTriggerSz: "100000000.0000000000000000", maxTwapSz: "100000000.0000000000000000", minSz: "1", openType: "", optType: "",
    posLmtAmt: "", posLmtPct: "", preMktSwTime: "", quoteCcy: "", ruleType: opts.ruleType ?? "normal", settleCcy: opts.settle ?? (inverse ? base : quote),
    state: opts.state ?? "live", stk: "", tickSz: plain(tickOf(price)), tradeQuoteCcyList: [], uly: `${base}-${quote}`,
    // 2026 docs: instCategory 1 crypto, 3 stocks, 4 commodities, … (the recorded crypto rows predate the field)
    ...(opts.category && opts.category !== "1" ? { instCategory: opts.category } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------------------
const plainOf = {
  binance_spot: plainBases("binance_spot"),
  binance_futures: plainBases("binance_futures"),
  bybit_spot: plainBases("bybit_spot"),
  bybit_futures: plainBases("bybit_futures"),
  mexc_spot: plainBases("mexc_spot"),
  mexc_futures: plainBases("mexc_futures"),
  okx_spot: plainBases("okx_spot"),
  okx_futures: plainBases("okx_futures"),
};
const ALL = COINS.map((c) => c.base);
const unlisted = (src: keyof typeof plainOf) => notIn(ALL, new Set(plainOf[src]));

function write(name: string, body: unknown): void {
  writeFileSync(join(OUT, name), JSON.stringify(body) + "\n");
}

// binance_spot ----------------------------------------------------------------------------------------------------
{
  const bs = plainOf.binance_spot;
  const symbols = [
    ...bs.map((b) => binanceSpot(b, "USDT")),
    ...["PEPE", "SHIB", "BONK", "FLOKI", "1000SATS", "1INCH", "BEAMX", "GAS", "NEIRO"].map((b) => binanceSpot(b, "USDT")),
    // other quotes (strict equality with "USDT": USDTTRY has USDT only as its base)
    ...pick(bs, 180, 11).map((b) => binanceSpot(b, "BTC")),
    ...pick(bs, 70, 12).map((b) => binanceSpot(b, "ETH")),
    ...pick(bs, 60, 13).map((b) => binanceSpot(b, "BNB")),
    ...pick(bs, 110, 14).map((b) => binanceSpot(b, "FDUSD")),
    ...pick(bs, 70, 15).map((b) => binanceSpot(b, "TRY")),
    ...pick(bs, 30, 16).map((b) => binanceSpot(b, "EUR")),
    ...pick(bs, 90, 17).map((b) => binanceSpot(b, "USDC")),
    binanceSpot("USDT", "TRY"),
    binanceSpot("USDC", "USDT"),
    // delisted and halted (status != TRADING stays listed by Binance)
    ...pick(unlisted("binance_spot"), 120, 18).map((b) => binanceSpot(b, "USDT", "BREAK")),
    ...pick(unlisted("binance_spot"), 120, 19).map((b) => binanceSpot(b, "BTC", "BREAK")),
    binanceSpot("LUNA", "USDT", "HALT", { symbol: "LUNAUSDT" }),
    binanceSpot("ANC", "USDT", "END_OF_DAY"),
    binanceSpot("MIR", "USDT", "CANCEL_ONLY"),
    binanceSpot("NOSPOT", "USDT", "TRADING", { spotAllowed: false }),
  ].sort((a, b) => (a.symbol < b.symbol ? -1 : 1));
  write("binance_spot.json", { timezone: "UTC", serverTime: T0, rateLimits: [{ rateLimitType: "REQUEST_WEIGHT", interval: "MINUTE", intervalNum: 1, limit: 6000 }], exchangeFilters: [], symbols });
}

// binance_futures -------------------------------------------------------------------------------------------------
{
  const bf = plainOf.binance_futures;
  const m = (base: string, mult: number, baseAsset: string) => binanceFutures(baseAsset, { perUnit: priceOf(base) * mult });
  const symbols = [
    ...bf.map((b) => binanceFutures(b)),
    m("PEPE", 1000, "1000PEPE"),
    m("SHIB", 1000, "1000SHIB"),
    m("BONK", 1000, "1000BONK"),
    m("FLOKI", 1000, "1000FLOKI"),
    m("BABYDOGE", 1e6, "1MBABYDOGE"),
    m("MOG", 1e6, "1000000MOG"),
    binanceFutures("1000SATS"),
    binanceFutures("1000CHEEMS"),
    ...["1INCH", "BEAMX", "GAS", "NEIRO"].map((b) => binanceFutures(b)),
    binanceFutures("BTC", { symbol: "BTCUSDT_260925", contractType: "CURRENT_QUARTER", delivery: 1790323200000 }),
    binanceFutures("BTC", { symbol: "BTCUSDT_261225", contractType: "NEXT_QUARTER", delivery: 1798185600000 }),
    binanceFutures("ETH", { symbol: "ETHUSDT_260925", contractType: "CURRENT_QUARTER", delivery: 1790323200000 }),
    binanceFutures("DEFI", { underlyingType: "INDEX", perUnit: 850 }),
    binanceFutures("BTCDOM", { underlyingType: "INDEX", perUnit: 1500 }),
    binanceFutures("XAU", { contractType: "TRADIFI_PERPETUAL", underlyingType: "COMMODITY", perUnit: 2400 }),
    binanceFutures("XAG", { contractType: "TRADIFI_PERPETUAL", underlyingType: "COMMODITY", perUnit: 30 }),
    binanceFutures("TSLA", { contractType: "TRADIFI_PERPETUAL", underlyingType: "EQUITY", perUnit: 250 }),
    ...["BTC", "ETH", "SOL"].map((b) => binanceFutures(b, { quote: "USDC" })),
    binanceFutures("1000BONK", { quote: "USDC", perUnit: priceOf("BONK") * 1000 }),
    ...pick(unlisted("binance_futures"), 110, 21).map((b) => binanceFutures(b, { status: "SETTLING" })),
    binanceFutures("BTCST", { contractType: "", status: "PENDING_TRADING" }),
    binanceFutures("NEWCOIN", { contractType: "", status: "PENDING_TRADING" }),
    ...pick(unlisted("binance_futures"), 3, 22).map((b) => binanceFutures(b, { status: "CLOSE" })),
  ].sort((a, b) => (a.symbol < b.symbol ? -1 : 1));
  write("binance_futures.json", { timezone: "UTC", serverTime: T0, futuresType: "U_MARGINED", rateLimits: [{ rateLimitType: "REQUEST_WEIGHT", interval: "MINUTE", intervalNum: 1, limit: 2400 }], exchangeFilters: [], assets: [{ asset: "USDT", marginAvailable: true, autoAssetExchange: "-10000" }], symbols });
}

// bybit_spot ------------------------------------------------------------------------------------------------------
{
  const bs = plainOf.bybit_spot;
  const list = [
    ...bs.map((b) => bybitSpot(b, "USDT")),
    ...["PEPE", "SHIB", "BONK", "FLOKI", "NEIRO"].map((b) => bybitSpot(b, "USDT")),
    ...pick(bs, 130, 31).map((b) => bybitSpot(b, "USDC")),
    ...pick(bs, 25, 32).map((b) => bybitSpot(b, "BTC")),
    ...pick(bs, 12, 33).map((b) => bybitSpot(b, "EUR")),
    bybitSpot("AAPLX", "USDT", { symbolType: "xstocks" }),
    bybitSpot("TSLAX", "USDT", { symbolType: "xstocks" }),
  ].sort((a, b) => (a.symbol < b.symbol ? -1 : 1));
  write("bybit_spot.json", { retCode: 0, retMsg: "OK", result: { category: "spot", list }, retExtInfo: {}, time: T0 });
}

// bybit_futures (two cursor pages; the venue decides the page size, the cursor links them) --------------------------------------------------
{
  const bf = plainOf.bybit_futures;
  const m = (base: string, mult: number, baseCoin: string, symbol?: string) => bybitLinear(baseCoin, { perUnit: priceOf(base) * mult, ...(symbol ? { symbol } : {}) });
  const list = [
    ...bf.map((b) => bybitLinear(b)),
    m("PEPE", 1000, "1000PEPE"),
    m("SHIB", 1000, "SHIB1000"),
    m("SATS", 10000, "10000SATS"),
    m("BABYDOGE", 1e6, "1000000BABYDOGE"),
    m("AIDOGE", 1e7, "10000000AIDOGE"),
    m("BONK", 1000, "1000BONK"),
    m("FLOKI", 1000, "1000FLOKI"),
    m("CHEEMS", 1e6, "1000000CHEEMS"),
    ...["NEIRO", "1INCH"].map((b) => bybitLinear(b)),
    ...pick(unlisted("bybit_futures"), 3, 41).map((b) => bybitLinear(b, { status: "PreLaunch", preListing: true })),
    ...pick(unlisted("bybit_futures"), 2, 42).map((b) => bybitLinear(b, { status: "Closed" })),
    bybitLinear("BTC", { symbol: "BTCUSDT-26DEC25", contractType: "LinearFutures" }),
    bybitLinear("ETH", { symbol: "ETHUSDT-26DEC25", contractType: "LinearFutures" }),
    ...["BTC", "ETH", "SOL"].map((b) => bybitLinear(b, { symbol: `${b}PERP`, quote: "USDC", settle: "USDC" })),
    bybitLinear("XAU", { symbolType: "commodity", perUnit: 2400 }),
    bybitLinear("NVDA", { symbolType: "stock", perUnit: 120 }),
  ].sort((a, b) => (a.symbol < b.symbol ? -1 : 1));
  const p1 = list.slice(0, 250);
  const p2 = list.slice(250);
  const cursor = `first%3D${p1[0]!.symbol}%26last%3D${p1[p1.length - 1]!.symbol}`;
  write("bybit_futures.1.json", { retCode: 0, retMsg: "OK", result: { category: "linear", list: p1, nextPageCursor: cursor }, retExtInfo: {}, time: T0 });
  write("bybit_futures.2.json", { retCode: 0, retMsg: "OK", result: { category: "linear", list: p2, nextPageCursor: "" }, retExtInfo: {}, time: T0 + 1 });
}

// mexc_spot -------------------------------------------------------------------------------------------------------
{
  const ms = plainOf.mexc_spot;
  const symbols = [
    ...ms.map((b) => mexcSpot(b, "USDT")),
    ...["PEPE", "SHIB", "BONK", "FLOKI", "BABYDOGE", "MOG", "AIDOGE", "1000CHEEMS", "BEAMX", "GAS", "NEIRO"].map((b) => mexcSpot(b, "USDT")),
    ...pick(ms, 70, 51).map((b) => mexcSpot(b, "USDC")),
    ...pick(ms, 20, 52).map((b) => mexcSpot(b, "BTC")),
    ...pick(unlisted("mexc_spot"), 6, 53).map((b) => mexcSpot(b, "USDT", "2")),
    ...pick(unlisted("mexc_spot"), 4, 54).map((b) => mexcSpot(b, "USDT", "3")),
  ].sort((a, b) => (a.symbol < b.symbol ? -1 : 1));
  write("mexc_spot.json", { exchangeFilters: [], rateLimits: [], serverTime: T0, symbols, timezone: "CST" });
}

// mexc_futures ----------------------------------------------------------------------------------------------------
{
  const mf = plainOf.mexc_futures;
  const data = [
    ...mf.map((b) => mexcFutures(b)),
    mexcFutures("PEPE", { contractSize: 10000000 }),
    mexcFutures("SHIB", { contractSize: 1000000 }),
    mexcFutures("BONK", { contractSize: 1000000 }),
    mexcFutures("FLOKI", { contractSize: 100000 }),
    mexcFutures("NEIRO", { contractSize: 1000 }),
    ...pick(unlisted("mexc_futures"), 4, 61).map((b, i) => mexcFutures(b, { state: i + 1 })),
    mexcFutures("BTC", { quote: "USD", settle: "BTC", contractSize: 100 }),
    mexcFutures("ETH", { quote: "USD", settle: "ETH", contractSize: 10 }),
    mexcFutures("BTC", { quote: "USDC", settle: "USDC" }),
    mexcFutures("SILVER", { type: 2, plates: ["mc-trade-zone-Commodities"], contractSize: 0.01 }),
    mexcFutures("SKHYNIXSTOCK", { plates: ["mc-trade-zone-stocks"], contractSize: 0.01 }),
    ...pick(unlisted("mexc_futures"), 2, 62).map((b) => mexcFutures(b, { preMarket: true })),
  ].sort((a, b) => (a.symbol < b.symbol ? -1 : 1));
  write("mexc_futures.json", { code: 0, data, success: true });
}

// okx_spot --------------------------------------------------------------------------------------------------------
{
  const os = plainOf.okx_spot;
  const data = [
    ...os.map((b) => okxSpot(b, "USDT")),
    ...["PEPE", "SHIB", "BONK", "FLOKI", "SATS", "BEAM", "NEIRO"].map((b) => okxSpot(b, "USDT")),
    ...pick(os, 110, 71).map((b) => okxSpot(b, "USDC")),
    ...pick(os, 35, 72).map((b) => okxSpot(b, "BTC")),
    ...pick(os, 20, 73).map((b) => okxSpot(b, "EUR")),
    ...pick(unlisted("okx_spot"), 3, 74).map((b) => okxSpot(b, "USDT", "suspend")),
    ...pick(unlisted("okx_spot"), 2, 75).map((b) => okxSpot(b, "USDT", "preopen")),
    okxSpot("TESTX", "USDT", "test"),
  ].sort((a, b) => (a.instId < b.instId ? -1 : 1));
  write("okx_spot.json", { code: "0", msg: "", data });
}

// okx_futures (SWAP) ----------------------------------------------------------------------------------------------
{
  const of = plainOf.okx_futures;
  const data = [
    ...of.map((b) => okxSwap(b)),
    okxSwap("PEPE", { ctVal: "10000000" }),
    okxSwap("SHIB", { ctVal: "1000000" }),
    okxSwap("BONK", { ctVal: "100000" }),
    okxSwap("FLOKI", { ctVal: "100000" }),
    okxSwap("SATS", { ctVal: "10000000" }),
    okxSwap("NEIRO", { ctVal: "1000" }),
    okxSwap("BTC", { quote: "USD", ctType: "inverse" }),
    okxSwap("ETH", { quote: "USD", ctType: "inverse", ctVal: "10" }),
    okxSwap("BTC", { quote: "USDC", settle: "USDC", ctVal: "0.0001" }),
    okxSwap("XAU", { category: "4", ctVal: "0.001" }),
    ...pick(unlisted("okx_futures"), 2, 81).map((b) => okxSwap(b, { state: "suspend" })),
    ...pick(unlisted("okx_futures"), 1, 82).map((b) => okxSwap(b, { state: "preopen" })),
    ...pick(unlisted("okx_futures"), 1, 83).map((b) => okxSwap(b, { ruleType: "pre_market" })),
  ].sort((a, b) => (a.instId < b.instId ? -1 : 1));
  write("okx_futures.json", { code: "0", msg: "", data });
}
console.log(`wrote real-size instrument lists to ${OUT}`);
