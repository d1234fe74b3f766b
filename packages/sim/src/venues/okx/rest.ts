// OKX v5 REST: GET /api/v5/public/instruments?instType=SPOT|SWAP|FUTURES (string-valued fields, "" where not
// applicable; SWAP baseCcy/quoteCcy empty, ctVal/ctValCcy/settleCcy set), market tickers, public time.
import { SourceId } from "@spread/common";
import { BodyCache, json, type SimContext } from "../../context.ts";
import type { Instrument } from "../../market/instrument.ts";
import { trimmed } from "../../format.ts";

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

export class OkxRest {
  private readonly cache = new BodyCache();

  constructor(private readonly ctx: SimContext) {}

  handle(url: URL): Response {
    switch (url.pathname) {
      case "/api/v5/public/instruments":
        return this.instruments(url.searchParams);
      case "/api/v5/market/tickers":
        return this.tickers(url.searchParams);
      case "/api/v5/public/time":
        return json(`{"code":"0","msg":"","data":[{"ts":"${Date.now()}"}]}`);
      default:
        return new Response(okxError("404", "Not Found"), { status: 404, headers: { "content-type": "application/json" } });
    }
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

  private tickers(q: URLSearchParams): Response {
    const instType = q.get("instType");
    const source = instType === "SPOT" ? SourceId.okx_spot : instType === "SWAP" ? SourceId.okx_futures : -1;
    if (source < 0) return new Response(okxError("51000", "Parameter instType error"), { status: 400, headers: { "content-type": "application/json" } });
    const book = this.ctx.market.books[source]!;
    const rows = book.instruments
      .filter((i) => i.status === "trading" && (source === SourceId.okx_spot || i.kind !== "dated"))
      .map((inst) => {
        const i = inst.index;
        const b = trimmed(book.bid[i]!, inst.tickDec);
        return `{"instType":"${instType}","instId":"${inst.symbol}","last":"${b}","lastSz":"1","askPx":"${trimmed(book.ask[i]!, inst.tickDec)}","askSz":"${trimmed(book.askQty[i]!, inst.qtyDec)}","bidPx":"${b}","bidSz":"${trimmed(book.bidQty[i]!, inst.qtyDec)}","open24h":"${b}","high24h":"${b}","low24h":"${b}","volCcy24h":"0","vol24h":"0","ts":"${book.ts[i] || Date.now()}","sodUtc0":"${b}","sodUtc8":"${b}"}`;
      });
    return json(`{"code":"0","msg":"","data":[${rows.join(",")}]}`);
  }
}
