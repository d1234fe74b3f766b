// JSON.parse reference extractors shared by the Binance and Bybit adapter tests (fixtures: tests/fixtures.ts).
import type { FrameKindValue, QuoteRecord } from "../../packages/exchanges/src/types.ts";
export { prng } from "../prng.ts";

/** A Bybit v5 envelope around list items (the ccxt fixtures hold bare items). */
export function bybitEnvelope(category: string, list: unknown[], nextPageCursor?: string): unknown {
  return {
    retCode: 0,
    retMsg: "OK",
    result: { category, list, ...(nextPageCursor === undefined ? {} : { nextPageCursor }) },
    retExtInfo: {},
    time: 1735809771618,
  };
}

export interface RefQuote {
  readonly symbol: string;
  readonly bid: number;
  readonly bidQty: number;
  readonly ask: number;
  readonly askQty: number;
  readonly ts: number;
}

/** A parse's result and what it left in `out`, as one object for toEqual / toMatchObject. */
export function parsedQuote(kind: FrameKindValue, frame: string, out: QuoteRecord) {
  return { kind, symbol: frame.slice(out.symStart, out.symEnd), symbolIndex: out.symbolIndex, bid: out.bid, bidQty: out.bidQty, ask: out.ask, askQty: out.askQty, ts: out.exchangeTsMs };
}

/** Binance bookTicker by full JSON.parse + Number(): the conformance reference. */
export function refBinance(frame: string): RefQuote {
  const o = JSON.parse(frame) as Record<string, unknown>;
  const p = (o.data ?? o) as Record<string, unknown>;
  return {
    symbol: p.s as string,
    bid: Number(p.b),
    bidQty: Number(p.B),
    ask: Number(p.a),
    askQty: Number(p.A),
    ts: p.T !== undefined ? Number(p.T) : p.E !== undefined ? Number(p.E) : 0,
  };
}

/** Bybit orderbook.1 by full JSON.parse + Number(): best non-zero level per side. */
export function refBybit(frame: string): RefQuote {
  const o = JSON.parse(frame) as { ts?: number; cts?: number; data: { s: string; b: [string, string][]; a: [string, string][] } };
  const best = (levels: [string, string][], bid: boolean): [number, number] => {
    let px = Number.NaN;
    let qty = Number.NaN;
    for (const [p, q] of levels) {
      const pn = Number(p);
      const qn = Number(q);
      if (qn === 0) continue;
      if (Number.isNaN(px) || (bid ? pn > px : pn < px)) {
        px = pn;
        qty = qn;
      }
    }
    return [px, qty];
  };
  const [bid, bidQty] = best(o.data.b, true);
  const [ask, askQty] = best(o.data.a, false);
  return { symbol: o.data.s, bid, bidQty, ask, askQty, ts: o.cts ?? o.ts ?? 0 };
}


/** ~500 plausible symbols plus the given ones, for SymbolTable lookups. */
export function symbolUniverse(extra: readonly string[]): string[] {
  const out = new Set<string>(extra);
  for (let i = 0; out.size < 500; i++) out.add(`SYM${i.toString(36).toUpperCase()}USDT`);
  return [...out];
}
