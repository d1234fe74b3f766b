// Cost of one funding poll per futures venue at real market size (issue 14: ≤ 0.5 % of one core for all four):
// the all-symbols reply rebuilt from the recorded rows to the venue's real row count, then JSON.parse + parseRest
// + a Funding region write per feed symbol. One poll per funding_poll_ms (60 s default) per venue.
import { measure, report } from "./harness.ts";
import { FundingRecord, SymbolTable, binance, bybit, mexc, okx, type FundingAdapter } from "../packages/exchanges/index.ts";
import { createAll, unlinkAll } from "../packages/shm/index.ts";
import { fixtureJson } from "../tests/fixtures.ts";

/** Rows per all-symbols reply seen on the venues (funding.md: Binance 923, Bybit 896, OKX 729, MEXC 1,207). */
const ROWS = { binance: 923, bybit: 896, okx: 729, mexc: 1207 };
const FEED_SYMBOLS = 500;

function grow<T extends Record<string, unknown>>(rows: T[], n: number, key: string, rename: (s: string, k: number) => string): T[] {
  return Array.from({ length: n }, (_, k) => {
    const r = rows[k % rows.length]!;
    return { ...r, [key]: rename(String(r[key]), k) };
  });
}

const prefix = `b-${process.pid}-funding`;
const shm = createAll(prefix).shm;
const cases: [string, FundingAdapter, string, number, (k: number) => string][] = [];
{
  const b = fixtureJson("funding/binance_futures/rest_premiumIndex_all_2026-10.json") as Record<string, unknown>[];
  const sym = (k: number) => `C${k}USDT`;
  cases.push(["binance premiumIndex", binance.funding, JSON.stringify(grow(b.filter((r) => r.nextFundingTime !== 0), ROWS.binance, "symbol", (_, k) => sym(k))), 1, sym]);
  const y = fixtureJson("funding/bybit_linear/rest_tickers_all_2026-10.json");
  const ysym = (k: number) => `C${k}USDT`;
  y.result.list = grow(y.result.list.filter((r: any) => r.fundingRate !== ""), ROWS.bybit, "symbol", (_, k) => ysym(k));
  cases.push(["bybit tickers", bybit.funding, JSON.stringify(y), 3, ysym]);
  const o = fixtureJson("funding/okx_swap/rest_funding_rate_any_2026-10.json");
  const osym = (k: number) => `C${k}-USDT-SWAP`;
  o.data = grow(o.data.filter((r: any) => r.instType === "SWAP"), ROWS.okx, "instId", (_, k) => osym(k));
  cases.push(["okx funding-rate ANY", okx.funding, JSON.stringify(o), 7, osym]);
  const m = fixtureJson("funding/mexc_futures/rest_funding_rate_all_2026-09-09.json");
  const msym = (k: number) => `C${k}_USDT`;
  m.data = grow(m.data, ROWS.mexc, "symbol", (_, k) => msym(k));
  cases.push(["mexc funding_rate", mexc.funding, JSON.stringify(m), 5, msym]);
}

let totalUs = 0;
try {
  for (const [name, f, text, source, sym] of cases) {
    const table = new SymbolTable(Array.from({ length: FEED_SYMBOLS }, (_, k) => sym(k * 2)));
    const rec = new FundingRecord();
    let written = 0;
    const r = measure(`${name}: ${(text.length / 1024).toFixed(0)} KiB reply → parse + ${FEED_SYMBOLS} writes`, () => {
      f.parseRest(JSON.parse(text), rec, table, (x) => {
        if (x.symbolIndex >= 0) {
          shm.funding.write(source, x.symbolIndex, x.rate, x.predictedRate, x.nextFundingMs * 1000, 480, x.exchangeTsMs * 1000, 1.79e15, 1);
          written++;
        }
      });
    }, { batch: 20, samples: 9 });
    if (written === 0) throw new Error(`${name}: nothing written`);
    totalUs += r.nsPerOp / 1000;
  }
  const pollS = 60;
  report({ name: `all four venues, one poll each per ${pollS} s: share of one core`, nsPerOp: Number.NaN, opsPerSec: Number.NaN, note: `${((totalUs / 1e6 / pollS) * 100).toFixed(4)} % (${totalUs.toFixed(0)} µs per round; target ≤ 0.5 %)` });
} finally {
  unlinkAll(prefix);
}
