// Bybit v5 REST: GET /v5/market/instruments-info (spot unpaged, Trading only; linear cursor-paged with limit
// default 500 / max 1000 and nextPageCursor "first%3DX%26last%3DY" like the docs; status=PreLaunch), tickers, time.
import { SourceId } from "@spread/common";
import { BodyCache, json, type SimContext } from "../../context.ts";
import type { Instrument } from "../../market/instrument.ts";
import { fixed } from "../../format.ts";
import { fundingIntervalHours, fundingTrimmed, newSimFunding, simFunding } from "../../market/funding.ts";

const env = (result: string) => `{"retCode":0,"retMsg":"OK","result":${result},"retExtInfo":{},"time":${Date.now()}}`;
export const bybitError = (code: number, msg: string) => `{"retCode":${code},"retMsg":${JSON.stringify(msg)},"result":{},"retExtInfo":{},"time":${Date.now()}}`;

function spotItem(inst: Instrument, margin: boolean): string {
  const q = inst.qtyDec;
  return `{"symbolId":${inst.venueId},"symbol":"${inst.symbol}","baseCoin":"${inst.base}","quoteCoin":"${inst.quote}","innovation":"0","status":"Trading","marginTrading":"${margin ? "utaOnly" : "none"}","stTag":"0",`
    + `"lotSizeFilter":{"basePrecision":"${fixed(1, q)}","quotePrecision":"${fixed(1, Math.min(10, inst.tickDec + 2))}","minOrderQty":"${fixed(1, q)}","maxOrderQty":"${fixed(9_000_000 * 10 ** q, q)}","minOrderAmt":"5","maxOrderAmt":"8000000","maxLimitOrderQty":"${fixed(9_000_000 * 10 ** q, q)}","maxMarketOrderQty":"${fixed(4_500_000 * 10 ** q, q)}","postOnlyMaxLimitOrderSize":"60000"},`
    + `"priceFilter":{"tickSize":"${fixed(1, inst.tickDec)}"},"riskParameters":{"priceLimitRatioX":"0.005","priceLimitRatioY":"0.01"},"symbolType":""}`;
}

function linearItem(inst: Instrument): string {
  const t = inst.tickDec;
  const q = inst.qtyDec;
  const pre = inst.status === "prelaunch";
  const start = inst.listMs;
  const preInfo = pre
    ? `{"curAuctionPhase":"CallAuction","phases":[{"phase":"CallAuction","startTime":"${start}","endTime":"${start + 3_000_000}"},{"phase":"CallAuctionNoCancel","startTime":"${start + 3_000_000}","endTime":"${start + 3_300_000}"},{"phase":"CrossMatching","startTime":"${start + 3_300_000}","endTime":"${start + 3_600_000}"},{"phase":"ContinuousTrading","startTime":"${start + 3_600_000}","endTime":""}],"auctionFeeInfo":{"auctionFeeRate":"0","takerFeeRate":"0.001","makerFeeRate":"0.0004"}}`
    : "null";
  // The pre-launch docs example carries no symbolId; the regular one does.
  const sid = pre ? "" : `"symbolId":${inst.venueId},`;
  return `{"symbol":"${inst.symbol}",${sid}"contractType":"${inst.kind === "dated" ? "LinearFutures" : "LinearPerpetual"}","status":"${pre ? "PreLaunch" : "Trading"}","baseCoin":"${inst.base}","quoteCoin":"${inst.quote}",`
    + `"launchTime":"${inst.listMs}","deliveryTime":"${inst.deliveryMs}","deliveryFeeRate":"${inst.kind === "dated" ? "0.0005" : ""}","priceScale":"${t}",`
    + `"leverageFilter":{"minLeverage":"1","maxLeverage":"${pre ? "5.00" : "50.00"}","leverageStep":"0.01"},"priceFilter":{"minPrice":"${fixed(1, t)}","maxPrice":"${fixed(2_000_000 * 10 ** t - 1, t)}","tickSize":"${fixed(1, t)}"},`
    + `"lotSizeFilter":{"maxOrderQty":"${fixed(1_000_000 * 10 ** q, q)}","minOrderQty":"${fixed(1, q)}","qtyStep":"${fixed(1, q)}","postOnlyMaxOrderQty":"${fixed(1_000_000 * 10 ** q, q)}","maxMktOrderQty":"${fixed(200_000 * 10 ** q, q)}","minNotionalValue":"5"},`
    + `"unifiedMarginTrade":true,"fundingInterval":${inst.kind === "dated" ? 0 : fundingIntervalHours(inst) * 60},"settleCoin":"${inst.settle}","copyTrading":"${pre ? "none" : "both"}","upperFundingRate":"0.005","lowerFundingRate":"-0.005","isPreListing":${pre},"preListingInfo":${preInfo},`
    + `"riskParameters":{"priceLimitRatioX":"0.01","priceLimitRatioY":"0.02"},"symbolType":"${inst.kind === "tradfi" ? "commodity" : ""}"}`;
}

/** Reads the `last=` symbol out of a cursor, whether the client passed it back encoded once, twice or decoded. */
export function cursorLast(cursor: string): string | null {
  let c = cursor;
  for (let i = 0; i < 3 && !c.includes("last="); i++) {
    try {
      c = decodeURIComponent(c);
    } catch {
      return null;
    }
  }
  const m = /(?:^|&)last=([^&]*)/.exec(c);
  return m ? m[1]! : null;
}

export class BybitRest {
  private readonly cache = new BodyCache();
  private readonly funding = newSimFunding();

  constructor(private readonly ctx: SimContext) {}

  handle(url: URL): Response {
    switch (url.pathname) {
      case "/v5/market/instruments-info":
        return this.instruments(url.searchParams);
      case "/v5/market/tickers":
        return this.tickers(url.searchParams);
      case "/v5/market/time": {
        const ns = BigInt(Date.now()) * 1_000_000n;
        return json(env(`{"timeSecond":"${Math.floor(Date.now() / 1000)}","timeNano":"${ns}"}`));
      }
      default:
        return new Response("404 page not found", { status: 404, headers: { "content-type": "text/plain" } });
    }
  }

  private instruments(q: URLSearchParams): Response {
    const category = q.get("category");
    if (category !== "spot" && category !== "linear") {
      if (category === "inverse" || category === "option") return json(env(`{"category":"${category}","list":[],"nextPageCursor":""}`));
      return json(bybitError(10001, "params error: Category is invalid"));
    }
    const spot = category === "spot";
    const source = spot ? SourceId.bybit_spot : SourceId.bybit_futures;
    const u = this.ctx.universe;
    const symbol = q.get("symbol");
    const status = q.get("status");
    const baseCoin = q.get("baseCoin");
    let list = u.instruments[source]!.filter((i) => {
      if (symbol !== null && i.symbol !== symbol) return false;
      if (!spot && baseCoin !== null && i.base !== baseCoin) return false;
      if (spot) return i.status === "trading";
      // Linear returns Trading by default; PreLaunch only when asked for (status=PreLaunch).
      return status === "PreLaunch" ? i.status === "prelaunch" : (status === null || status === "Trading") && i.status === "trading";
    });
    if (spot) {
      const body = this.cache.get(`spot:${symbol}`, () => list.map((i) => spotItem(i, u.assets[i.asset]!.popularity >= 3)).join(","));
      return json(env(`{"category":"spot","list":[${body}]}`));
    }
    const limitRaw = q.get("limit");
    const limit = limitRaw === null ? 500 : Number(limitRaw);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return json(bybitError(10001, "params error: limit must be between 1 and 1000"));
    const cursor = q.get("cursor");
    if (cursor) {
      const last = cursorLast(cursor);
      if (last === null) return json(bybitError(10001, "params error: cursor invalid"));
      const at = list.findIndex((i) => i.symbol === last);
      list = at >= 0 ? list.slice(at + 1) : list.filter((i) => i.symbol > last);
    }
    const page = list.slice(0, limit);
    const next = list.length > limit && page.length ? `first%3D${page[0]!.symbol}%26last%3D${page[page.length - 1]!.symbol}` : "";
    // fundingInterval changes while a scripted settlement is in force (market/funding-script.ts): part of the key.
    const scripted = page.filter((i) => i.fundingOverride !== null).map((i) => `${i.index}=${fundingIntervalHours(i)}`).join(",");
    const body = this.cache.get(`linear:${page.map((i) => i.index).join(",")}:${scripted}`, () => page.map(linearItem).join(","));
    return json(env(`{"category":"linear","list":[${body}],"nextPageCursor":"${next}"}`));
  }

  /**
   * GET /v5/market/tickers?category=spot|linear[&symbol=] from the current books (the prices the WS pushes), in the
   * documented row shapes (spot: usdIndexPrice; linear: mark/index/funding/open interest/delivery fields). Lists the
   * Trading symbols (dated LinearFutures included on linear, PreLaunch not), silent ones with their static book.
   */
  private tickers(q: URLSearchParams): Response {
    const category = q.get("category");
    if (category === "inverse" || category === "option") return json(env(`{"category":"${category}","list":[]}`));
    if (category !== "spot" && category !== "linear") return json(bybitError(10001, "params error: Category is invalid"));
    const spot = category === "spot";
    const book = this.ctx.market.books[spot ? SourceId.bybit_spot : SourceId.bybit_futures]!;
    const symbol = q.get("symbol");
    const now = Date.now();
    const rows: string[] = [];
    for (const inst of book.instruments) {
      const i = inst.index;
      if (inst.status !== "trading" || book.has[i] !== 1 || (symbol !== null && inst.symbol !== symbol)) continue;
      const d = inst.tickDec;
      const b = fixed(book.bid[i]!, d);
      const a = fixed(book.ask[i]!, d);
      const bq = fixed(book.bidQty[i]!, inst.qtyDec);
      const aq = fixed(book.askQty[i]!, inst.qtyDec);
      const hi = fixed(Math.round(book.ask[i]! * 1.03), d);
      const lo = fixed(Math.round(book.bid[i]! * 0.97), d);
      const prev = fixed(Math.round(book.bid[i]! * 0.99), d);
      if (spot) {
        rows.push(`{"symbol":"${inst.symbol}","bid1Price":"${b}","bid1Size":"${bq}","ask1Price":"${a}","ask1Size":"${aq}","lastPrice":"${b}","prevPrice24h":"${prev}","price24hPcnt":"0.0102","highPrice24h":"${hi}","lowPrice24h":"${lo}","turnover24h":"1234567.89","volume24h":"${fixed(book.bidQty[i]! * 500, inst.qtyDec)}","usdIndexPrice":"${b}"}`);
        continue;
      }
      const mid = fixed(Math.round((book.bid[i]! + book.ask[i]!) / 2), d);
      const dated = inst.kind === "dated";
      const f = simFunding(inst, now, this.funding);
      rows.push(`{"symbol":"${inst.symbol}","lastPrice":"${b}","indexPrice":"${mid}","markPrice":"${mid}","prevPrice24h":"${prev}","price24hPcnt":"0.012345","highPrice24h":"${hi}","lowPrice24h":"${lo}","prevPrice1h":"${b}","openInterest":"123456.7","openInterestValue":"9876543.21","turnover24h":"123456789.1234","volume24h":"4567890.0000",`
        + `"fundingRate":"${dated ? "" : fundingTrimmed(f.rateUnits)}","nextFundingTime":"${dated ? "0" : f.nextMs}","fundingIntervalHour":"${dated ? "" : f.intervalHours}","fundingCap":"${dated ? "" : fundingTrimmed(f.capUnits)}","predictedDeliveryPrice":"","basisRate":"${dated ? "0.0012" : ""}","deliveryFeeRate":"${dated ? "0.0005" : ""}","deliveryTime":"${inst.deliveryMs}","ask1Size":"${aq}","bid1Price":"${b}","ask1Price":"${a}","bid1Size":"${bq}"}`);
    }
    if (symbol !== null && rows.length === 0) return json(bybitError(10001, "Not supported symbols"));
    return json(env(`{"category":"${category}","list":[${rows.join(",")}]}`));
  }
}
