// Scripted funding settlements (POST /funding, docs/simulator.md): the override shows on every futures venue's
// funding REST reply and WS channel, parsed with the real venue parsers (rate, settlement time, interval); once
// its settlement passes, every venue announces the following one (the override's time + interval) at the model's
// rate, coherently (OKX fundingTime/nextFundingTime/prevFundingTime); the slow channels (OKX 30 s, MEXC 20 s) push
// at once on both changes; bad bodies are refused naming the key.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { SourceId, type SourceName } from "@spread/common";
import { FundingKind, FundingRecord, binance, bybit, mexc, okx, type FundingAdapter } from "@spread/exchanges";
import { newSimFunding, simFunding, type Instrument, type SimHandle } from "@spread/sim";
import { Client, getJson, testSim } from "./helpers.ts";

let sim: SimHandle;
beforeAll(async () => {
  sim = await testSim({ rate: { total: 500 } }, { housekeepingMs: 25 });
});
afterAll(async () => {
  await sim?.stop();
});

const HOUR = 3_600_000;
const FUTURES = ["binance_futures", "bybit_futures", "okx_futures", "mexc_futures"] as const;
const ADAPTER: Record<(typeof FUTURES)[number], FundingAdapter> = { binance_futures: binance.funding, bybit_futures: bybit.funding, okx_futures: okx.funding, mexc_futures: mexc.funding };
const rest = (n: SourceName) => sim.urls[n].rest_url;
const ws = (n: SourceName) => sim.urls[n].ws_url;

async function post(path: string, body: unknown, method = "POST"): Promise<{ status: number; body: any }> {
  const r = await fetch(`${sim.controlUrl}${path}`, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: r.status, body: await r.json() };
}

interface Parsed {
  symbol: string;
  rate: number;
  next: number;
  hours: number;
}

function parsed(f: FundingAdapter, rest: boolean, body: unknown): Parsed[] {
  const rows: Parsed[] = [];
  const push = (x: FundingRecord) => rows.push({ symbol: x.symbol(), rate: x.rate, next: x.nextFundingMs, hours: x.intervalHours });
  if (rest) f.parseRest(body, new FundingRecord(), null, push);
  else expect(f.parseWs(typeof body === "string" ? body : JSON.stringify(body), new FundingRecord(), null, push)).toBe(FundingKind.Value);
  return rows;
}

/** One venue's funding of `symbol` from its all-symbols REST reply, parsed with the real parser (interval table where the venue keeps one). */
async function restFunding(n: (typeof FUTURES)[number], symbol: string): Promise<Parsed> {
  const f = ADAPTER[n];
  const r = parsed(f, true, (await getJson(f.restUrl(rest(n)))).body).find((x) => x.symbol === symbol)!;
  expect(r).toBeDefined();
  if (r.hours === 0 && f.intervalsUrl) r.hours = f.parseIntervals!((await getJson(f.intervalsUrl(rest(n)))).body).get(symbol) ?? f.defaultIntervalHours;
  return r;
}

/** An asset whose USDT perpetual trades on all four futures sources (BTC/ETH excluded: their model is fixed at 8 h). */
function pickAsset(): { ticker: string; insts: Record<(typeof FUTURES)[number], Instrument> } {
  const u = sim.universe;
  for (const inst of u.instruments[SourceId.binance_futures]!) {
    const ticker = u.assets[inst.asset]!.ticker;
    if (inst.kind !== "perp" || !inst.counted || inst.status !== "trading" || ticker === "BTC" || ticker === "ETH" || inst.priceMult !== 1) continue;
    const insts = {} as Record<(typeof FUTURES)[number], Instrument>;
    for (const n of FUTURES) {
      const s = SourceId[n];
      const i = u.instruments[s]!.find((x) => x.asset === inst.asset && x.kind === "perp" && x.counted && x.status === "trading" && x.priceMult === 1);
      if (i && sim.market.books[s]!.has[i.index]) insts[n] = i;
    }
    if (FUTURES.every((n) => insts[n])) return { ticker, insts };
  }
  throw new Error("no asset with a perpetual on all four futures sources");
}

describe("POST /funding validation", () => {
  test("bad bodies: 400 naming the key; unknown asset or symbol, spot source, past time refused", async () => {
    const cases: [unknown, string][] = [
      [{ asset: "SOL", in_ms: 1000 }, "rate"],
      [{ asset: "SOL", rate: "0.0001", in_ms: 1000 }, "rate"],
      [{ asset: "SOL", rate: 0.000123456, in_ms: 1000 }, "rate: at most 8 decimals"],
      [{ asset: "SOL", rate: 0.0001 }, "next_funding_ms: give exactly one"],
      [{ asset: "SOL", rate: 0.0001, in_ms: 1000, next_funding_ms: Date.now() + 5000 }, "next_funding_ms: give exactly one"],
      [{ rate: 0.0001, in_ms: 1000 }, "asset: give exactly one"],
      [{ symbol: "SOLUSDT", rate: 0.0001, in_ms: 1000 }, "source: symbol needs one futures source"],
      [{ asset: "SOL", source: "binance_spot", rate: 0.0001, in_ms: 1000 }, "source"],
      [{ asset: "SOL", rate: 0.0001, in_ms: 1000, interval_hours: 0 }, "interval_hours"],
      [{ asset: "SOL", rate: 0.0001, in_ms: 1000, extra: 1 }, "extra"],
      [{ asset: "NOPECOIN", rate: 0.0001, in_ms: 1000 }, 'asset: "NOPECOIN" has no trading USDT perpetual'],
      [{ symbol: "NOPEUSDT", source: "binance_futures", rate: 0.0001, in_ms: 1000 }, "symbol: NOPEUSDT is not a trading perpetual on binance_futures"],
      [{ asset: "SOL", rate: 0.0001, next_funding_ms: Date.now() - 1000 }, "next_funding_ms:"],
    ];
    for (const [body, msg] of cases) {
      const r = await post("/funding", body);
      expect({ body, status: r.status, ok: r.body.ok }).toEqual({ body, status: 400, ok: false });
      expect({ body, error: r.body.error.includes(msg) }).toEqual({ body, error: true });
    }
    const notJson = await fetch(`${sim.controlUrl}/funding`, { method: "POST", body: "{" });
    expect(notJson.status).toBe(400);
    expect((await post("/funding/clear", {})).body).toEqual({ ok: true, cleared: 0 });
  });
});

describe("a scripted settlement on all four futures venues", () => {
  test("REST and WS show the override, then the following settlement at the model's rate; the model resumes after it", async () => {
    const { ticker, insts } = pickAsset();
    const sym = (n: (typeof FUTURES)[number]) => insts[n].symbol;
    const RATE = -0.00123456; // negative: the short futures leg pays; 8 decimals (Bybit trims, MEXC exponent form)
    const HOURS = 2;
    // Slow channels subscribed before the script: their pushes must follow it at once, not at 20-30 s.
    const okxC = await Client.open(`${ws("okx_futures")}/ws/v5/public`);
    const mexcC = await Client.open(`${ws("mexc_futures")}/edge`);
    const bnC = await Client.open(`${ws("binance_futures")}/market/ws/${sym("binance_futures").toLowerCase()}@markPrice@1s`);
    try {
      okxC.send(JSON.stringify({ op: "subscribe", args: [{ channel: "funding-rate", instId: sym("okx_futures") }] }));
      mexcC.send(JSON.stringify({ method: "sub.funding.rate", param: { symbol: sym("mexc_futures") } }));
      const okxPushes = () => okxC.jsons().filter((x) => x.arg?.channel === "funding-rate" && Array.isArray(x.data));
      const mexcPushes = () => mexcC.texts().filter((t) => t.includes('"push.funding.rate"'));
      const okxWith = (next: number) => okxPushes().map((x) => parsed(okx.funding, false, x)[0]!).find((x) => x.next === next);
      const mexcWith = (next: number) => mexcPushes().map((x) => parsed(mexc.funding, false, x)[0]!).find((x) => x.next === next);
      await okxC.until(() => okxPushes().length >= 1, 3000, "first okx push");
      await mexcC.until(() => mexcPushes().length >= 1, 3000, "first mexc push");

      const before = Date.now();
      const r = await post("/funding", { asset: ticker, rate: RATE, in_ms: 3500, interval_hours: HOURS });
      expect(r.status).toBe(200);
      expect(r.body.funding.map((d: any) => d.source).sort()).toEqual([...FUTURES].sort());
      const at: number = r.body.funding[0].next_funding_ms;
      expect(at).toBeGreaterThanOrEqual(before + 3500);
      expect(r.body.funding.every((d: any) => d.next_funding_ms === at && d.rate === RATE && d.interval_hours === HOURS && d.following_ms === at + HOURS * HOUR)).toBe(true);
      expect(((await getJson(`${sim.controlUrl}/funding`)).body as any[]).length).toBe(4);

      // REST, every venue, the real parsers: the scripted rate, time and interval.
      for (const n of FUTURES) expect({ n, ...(await restFunding(n, sym(n))) }).toEqual({ n, symbol: sym(n), rate: RATE, next: at, hours: HOURS });
      const okxRow = (await getJson(`${rest("okx_futures")}/api/v5/public/funding-rate?instId=${sym("okx_futures")}`)).body.data[0];
      expect([Number(okxRow.fundingTime), Number(okxRow.nextFundingTime)]).toEqual([at, at + HOURS * HOUR]);
      expect(Number(okxRow.prevFundingTime)).toBeLessThan(before);

      // WS: OKX and MEXC pushed at once; Binance's next markPrice frame and a new Bybit snapshot carry it too.
      await okxC.until(() => okxWith(at) !== undefined, 5000, "okx push after the script");
      await mexcC.until(() => mexcWith(at) !== undefined, 5000, "mexc push after the script");
      expect(okxWith(at)).toEqual({ symbol: sym("okx_futures"), rate: RATE, next: at, hours: HOURS });
      expect(mexcWith(at)!.rate).toBe(RATE);
      const bnFrame = await bnC.json((x) => x.e === "markPriceUpdate" && x.T === at, 3000, "binance markPrice with the scripted settlement");
      expect(parsed(binance.funding, false, bnFrame).map((x) => [x.rate, x.next])).toEqual([[RATE, at]]);
      const byC = await Client.open(`${ws("bybit_futures")}/v5/public/linear`);
      try {
        byC.send(JSON.stringify({ op: "subscribe", args: [`tickers.${sym("bybit_futures")}`] }));
        const snap = await byC.json((x) => x.type === "snapshot", 3000, "bybit snapshot");
        expect(parsed(bybit.funding, false, snap)).toEqual([{ symbol: sym("bybit_futures"), rate: RATE, next: at, hours: HOURS }]);
      } finally {
        byC.close();
      }

      // The settlement passes: every venue announces the following one, one interval later, at the model's rate.
      while (Date.now() < at + 100) await Bun.sleep(at + 100 - Date.now()); // the condition is the clock itself
      const model = (n: (typeof FUTURES)[number]) => simFunding({ ...insts[n], fundingOverride: null }, Date.now(), newSimFunding()).rateUnits * 1e-8;
      for (const n of FUTURES) {
        const got = await restFunding(n, sym(n));
        expect({ n, next: got.next, hours: got.hours }).toEqual({ n, next: at + HOURS * HOUR, hours: HOURS });
        expect(Math.abs(got.rate - model(n))).toBeLessThan(5e-8);
      }
      const okxAfter = (await getJson(`${rest("okx_futures")}/api/v5/public/funding-rate?instId=${sym("okx_futures")}`)).body.data[0];
      expect([Number(okxAfter.prevFundingTime), Number(okxAfter.fundingTime), Number(okxAfter.nextFundingTime)]).toEqual([at, at + HOURS * HOUR, at + 2 * HOURS * HOUR]);
      await okxC.until(() => okxWith(at + HOURS * HOUR) !== undefined, 5000, "okx push after the settlement");
      await mexcC.until(() => mexcWith(at + HOURS * HOUR) !== undefined, 5000, "mexc push after the settlement");
      expect(okxWith(at + HOURS * HOUR)!.hours).toBe(HOURS);
      await bnC.json((x) => x.e === "markPriceUpdate" && x.T === at + HOURS * HOUR, 3000, "binance markPrice with the following settlement");

      // In force until the following settlement; clearing it restores the model (UTC multiples of its interval).
      const listed = (await getJson(`${sim.controlUrl}/funding`)).body as any[];
      expect(listed.every((d) => d.settled === true)).toBe(true);
      expect((await post("/funding", {}, "DELETE")).body).toEqual({ ok: true, cleared: 4 });
      for (const n of FUTURES) {
        const got = await restFunding(n, sym(n));
        expect(got.next % (got.hours * HOUR)).toBe(0);
        expect(got.next).toBeGreaterThan(Date.now() - 1000);
      }
    } finally {
      okxC.close();
      mexcC.close();
      bnC.close();
      sim.market.funding.clear(Date.now());
    }
  }, 30_000);

  test("one venue by symbol; a later script on the same symbol replaces the earlier; other venues keep the model", async () => {
    const { insts } = pickAsset();
    const s = insts.bybit_futures.symbol;
    const at = Date.now() + 600_000;
    expect((await post("/funding", { source: "bybit_futures", symbol: s, rate: 0.0002, next_funding_ms: at })).status).toBe(200);
    expect((await post("/funding", { source: "bybit_futures", symbol: s, rate: 0.0003, next_funding_ms: at + 1000 })).status).toBe(200);
    const list = (await getJson(`${sim.controlUrl}/funding`)).body as any[];
    expect(list.map((d) => [d.source, d.symbol, d.rate, d.next_funding_ms])).toEqual([["bybit_futures", s, 0.0003, at + 1000]]);
    const got = await restFunding("bybit_futures", s);
    expect([got.rate, got.next]).toEqual([0.0003, at + 1000]);
    const other = await restFunding("okx_futures", insts.okx_futures.symbol);
    expect(other.next).not.toBe(at + 1000);
    expect(other.next % (other.hours * HOUR)).toBe(0);
    expect(((await getJson(`${sim.controlUrl}/state?conns=0`)).body as any).funding_scripts.length).toBe(1);
    expect((await post("/funding/clear", {})).body).toEqual({ ok: true, cleared: 1 });
  });
});
