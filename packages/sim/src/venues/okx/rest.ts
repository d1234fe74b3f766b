// OKX v5 REST: GET /api/v5/public/instruments?instType=SPOT|SWAP|FUTURES (string-valued fields, "" where not
// applicable; SWAP baseCcy/quoteCcy empty, ctVal/ctValCcy/settleCcy set), market tickers, public time.
import { SourceId } from "@spread/common";
import { BodyCache, json, type SimContext } from "../../context.ts";
import type { Instrument } from "../../market/instrument.ts";
import { trimmed } from "../../format.ts";
import { fundingDecimal, newSimFunding, simFunding, type SimFunding } from "../../market/funding.ts";
import { EmptySide, OkxThinBooks } from "./thin-book.ts";

const STATE: Record<string, string> = { trading: "live", halted: "suspend", preopen: "preopen" };
export const okxError = (code: string, msg: string) => `{"code":"${code}","msg":${JSON.stringify(msg)},"data":[]}`;
const one = (dec: number) => trimmed(1, dec);

function spotItem(inst: Instrument): string {
  return `{"alias":"","auctionEndTime":"","baseCcy":"${inst.base}","category":"1","ctMult":"","ctType":"","ctVal":"","ctValCcy":"","expTime":"","instFamily":"","instId":"${inst.symbol}","instType":"SPOT","lever":"${inst.quote === "USDT" ? "10" : ""}","listTime":"${inst.listMs}",`
    + `"lotSz":"${one(inst.qtyDec)}","maxIcebergSz":"9999999999.0000000000000000","maxLmtAmt":"20000000","maxLmtSz":"9999999999","maxMktAmt":"1000000","maxMktSz":"1000000","maxStopSz":"1000000","maxTriggerSz":"9999999999.0000000000000000","maxTwapSz":"9999999999.0000000000000000",`
    + `"minSz":"${one(inst.qtyDec)}","optType":"","quoteCcy":"${inst.quote}","ruleType":"normal","settleCcy":"","state":"${STATE[inst.status] ?? "suspend"}","stk":"","tickSz":"${one(inst.tickDec)}","uly":""}`;
}

function derivItem(inst: Instrument, instType: "SWAP" | "FUTURES"): string {
  const inverse = inst.kind === "inverse";
  const family = `${inst.base}-${inst.quote}`;
  const ctVal = inverse ? "100" : String(inst.contractSize);
  return `{"alias":"${instType === "FUTURES" ? "this_quarter" : ""}","auctionEndTime":"","baseCcy":"","category":"1","contTdSwTime":"","ctMult":"1","ctType":"${inverse ? "inverse" : "linear"}","ctVal":"${ctVal}","ctValCcy":"${inverse ? "USD" : inst.base}","expTime":"${inst.deliveryMs || ""}","futureSettlement":false,`
    + `"instFamily":"${family}","instId":"${inst.symbol}","instIdCode":${inst.venueId},"instType":"${instType}","lever":"50","listTime":"${inst.listMs}","lotSz":"${one(inst.qtyDec)}","maxIcebergSz":"100000000.0000000000000000","maxLmtAmt":"20000000","maxLmtSz":"100000000","maxMktAmt":"","maxMktSz":"12000","maxPlatOILmt":"","maxStopSz":"12000","maxTriggerSz":"100000000.0000000000000000","maxTwapSz":"100000000.0000000000000000",`
    + `"minSz":"${one(inst.qtyDec)}","openType":"","optType":"","posLmtAmt":"","posLmtPct":"","preMktSwTime":"","quoteCcy":"","ruleType":"normal","settleCcy":"${inst.settle}","state":"${STATE[inst.status] ?? "suspend"}","stk":"","tickSz":"${one(inst.tickDec)}","tradeQuoteCcyList":[],"uly":"${family}"}`;
}

/**
 * One funding-rate object (REST funding-rate rows and the WS funding-rate channel share it, keys in the recorded
 * order): fundingTime = the upcoming settlement, nextFundingTime the one after it, nextFundingRate "".
 */
export function okxFundingRow(inst: Instrument, now: number, f: SimFunding): string {
  simFunding(inst, now, f);
  const rate = fundingDecimal(f.rateUnits, 16);
  const cap = trimmed(f.capUnits, 8);
  return `{"formulaType":"withRate","fundingRate":"${rate}","fundingTime":"${f.nextMs}","impactValue":"20000.0000000000000000","instId":"${inst.symbol}","instType":"SWAP","interestRate":"0.0001000000000000","maxFundingRate":"${cap}","method":"current_period","minFundingRate":"-${cap}","nextFundingRate":"","nextFundingTime":"${f.nextMs + f.intervalHours * 3_600_000}","premium":"-0.0004822020949648","prevFundingTime":"${f.prevMs}","settFundingRate":"${rate}","settState":"settled","ts":"${now}"}`;
}

export class OkxRest {
  private readonly cache = new BodyCache();
  /** Per source, the same thin-book draw as the WS channels (one book state renders the same empty side). */
  private readonly thin: (OkxThinBooks | undefined)[] = [];

  constructor(private readonly ctx: SimContext) {}

  handle(url: URL): Response {
    switch (url.pathname) {
      case "/api/v5/public/instruments":
        return this.instruments(url.searchParams);
      case "/api/v5/market/tickers":
        return this.tickers(url.searchParams);
      case "/api/v5/public/funding-rate":
        return this.fundingRate(url.searchParams);
      case "/api/v5/public/time":
        return json(`{"code":"0","msg":"","data":[{"ts":"${Date.now()}"}]}`);
      default:
        return new Response(okxError("404", "Not Found"), { status: 404, headers: { "content-type": "application/json" } });
    }
  }

  /**
   * GET /api/v5/public/funding-rate?instId=X|ANY: fundingTime = the upcoming settlement, nextFundingTime the one
   * after it (their difference is the interval), nextFundingRate "" (method current_period). ANY lists every SWAP.
   */
  private fundingRate(q: URLSearchParams): Response {
    const instId = q.get("instId");
    if (!instId) return json(okxError("50014", "Parameter instId can not be empty."));
    const now = Date.now();
    const f = newSimFunding();
    const rows: string[] = [];
    for (const inst of this.ctx.universe.instruments[SourceId.okx_futures]!) {
      if (inst.kind === "dated" || inst.status !== "trading" || (instId !== "ANY" && inst.symbol !== instId)) continue;
      rows.push(okxFundingRow(inst, now, f));
    }
    if (rows.length === 0) return json(okxError("51001", "Instrument ID, Instrument ID code, or Spread ID doesn't exist."));
    return json(`{"code":"0","data":[${rows.join(",")}],"msg":""}`);
  }

  private instruments(q: URLSearchParams): Response {
    const instType = q.get("instType");
    if (!instType) return new Response(okxError("50014", "Parameter instType can not be empty."), { status: 400, headers: { "content-type": "application/json" } });
    const instId = q.get("instId");
    const family = q.get("instFamily") ?? q.get("uly");
    let list: Instrument[];
    let render: (i: Instrument) => string;
    const u = this.ctx.universe;
    switch (instType) {
      case "SPOT":
        list = [...u.instruments[SourceId.okx_spot]!];
        render = spotItem;
        break;
      case "SWAP":
        list = u.instruments[SourceId.okx_futures]!.filter((i) => i.kind !== "dated");
        render = (i) => derivItem(i, "SWAP");
        break;
      case "FUTURES":
        list = u.instruments[SourceId.okx_futures]!.filter((i) => i.kind === "dated");
        render = (i) => derivItem(i, "FUTURES");
        break;
      case "MARGIN":
      case "OPTION":
        return json(`{"code":"0","msg":"","data":[]}`);
      default:
        return new Response(okxError("51000", "Parameter instType error"), { status: 400, headers: { "content-type": "application/json" } });
    }
    if (instId !== null) {
      list = list.filter((i) => i.symbol === instId);
      if (list.length === 0) return json(okxError("51001", "Instrument ID, Instrument ID code, or Spread ID doesn't exist."));
    }
    if (family !== null) list = list.filter((i) => `${i.base}-${i.quote}` === family);
    const body = this.cache.get(`${instType}:${instId}:${family}`, () => list.map(render).join(","));
    return json(`{"code":"0","msg":"","data":[${body}]}`);
  }

  /**
   * GET /api/v5/market/tickers?instType=SPOT|SWAP|FUTURES[&instFamily=|uly=] from the current books (the prices the
   * WS pushes), every value a string, sizes in contracts on SWAP/FUTURES, "" prices and sizes for an empty side.
   * Lists live instruments (silent ones with their static book); suspended and preopen ones are left out.
   */
  private tickers(q: URLSearchParams): Response {
    const instType = q.get("instType");
    if (!instType) return new Response(okxError("50014", "Parameter instType can not be empty."), { status: 400, headers: { "content-type": "application/json" } });
    if (instType === "MARGIN" || instType === "OPTION") return json(`{"code":"0","msg":"","data":[]}`);
    if (instType !== "SPOT" && instType !== "SWAP" && instType !== "FUTURES") {
      return new Response(okxError("51000", "Parameter instType error"), { status: 400, headers: { "content-type": "application/json" } });
    }
    const spot = instType === "SPOT";
    const family = spot ? null : (q.get("instFamily") ?? q.get("uly"));
    const source = spot ? SourceId.okx_spot : SourceId.okx_futures;
    const book = this.ctx.market.books[source]!;
    const thin = (this.thin[source] ??= new OkxThinBooks(book));
    const now = Date.now();
    const rows: string[] = [];
    for (const inst of book.instruments) {
      const i = inst.index;
      if (inst.status !== "trading" || book.has[i] !== 1) continue;
      if (!spot && (inst.kind === "dated") !== (instType === "FUTURES")) continue;
      if (family !== null && `${inst.base}-${inst.quote}` !== family) continue;
      const d = inst.tickDec;
      const b = trimmed(book.bid[i]!, d);
      const empty = thin.emptySide(i);
      const ask = empty === EmptySide.ask ? `"askPx":"","askSz":""` : `"askPx":"${trimmed(book.ask[i]!, d)}","askSz":"${trimmed(book.askQty[i]!, inst.qtyDec)}"`;
      const bid = empty === EmptySide.bid ? `"bidPx":"","bidSz":""` : `"bidPx":"${b}","bidSz":"${trimmed(book.bidQty[i]!, inst.qtyDec)}"`;
      rows.push(`{"instType":"${instType}","instId":"${inst.symbol}","last":"${b}","lastSz":"1",${ask},${bid},`
        + `"open24h":"${trimmed(Math.round(book.bid[i]! * 0.99), d)}","high24h":"${trimmed(Math.round(book.ask[i]! * 1.02), d)}","low24h":"${trimmed(Math.round(book.bid[i]! * 0.97), d)}","volCcy24h":"1234567.89","vol24h":"98765432","ts":"${book.ts[i] || now}","sodUtc0":"${trimmed(Math.round(book.bid[i]! * 0.995), d)}","sodUtc8":"${trimmed(Math.round(book.bid[i]! * 1.004), d)}"}`);
    }
    return json(`{"code":"0","msg":"","data":[${rows.join(",")}]}`);
  }
}
