// The funding WS parsers run per message: zero GCs over 1 M recorded frames each (see gcCountDuring for the bound).
// A generous per-test timeout: the probe is a child process and the box is shared (the time is not asserted).
import { describe, expect, test } from "bun:test";
import { fixtureLines } from "../fixtures.ts";
import { gcCountDuring } from "./helpers-parse-fuzz.ts";

const dir = `${import.meta.dir}/../../packages/exchanges/src`;

function probe(venue: string, fn: string, frames: string[], symbols: string[]): number {
  const setup = `import { ${fn} } from ${JSON.stringify(`${dir}/${venue}/funding.ts`)};
import { FundingRecord } from ${JSON.stringify(`${dir}/funding.ts`)};
import { SymbolTable } from ${JSON.stringify(`${dir}/symbol-table.ts`)};
const out = new FundingRecord();
const t = new SymbolTable(${JSON.stringify(symbols)});
let acc = 0;
const emit = (r) => { acc += r.rate + r.nextFundingMs + r.symbolIndex; };
const F = ${JSON.stringify(frames)};`;
  return gcCountDuring(setup, `sink += ${fn}(F[i % F.length], out, t, emit) + acc;`, 1_000_000);
}

describe("funding WS parsers allocate nothing per frame", () => {
  test("binance markPrice (single, combined, all-market array)", () => {
    const frames = [...fixtureLines("funding/binance_futures", "ws_markPrice_arr_2026-10.jsonl"), ...fixtureLines("funding/binance_futures", "ws_markPrice_single_2023-07.jsonl")];
    expect(probe("binance", "parseBinanceFundingWs", frames, ["BTCUSDT", "ETHUSDT"])).toBe(0);
  }, 60_000);
  test("bybit tickers snapshot and deltas", () => {
    const frames = [...fixtureLines("funding/bybit_linear", "ws_tickers_2026-08-13_capture.jsonl").slice(1, 3), ...fixtureLines("funding/bybit_linear", "ws_tickers_2026-09-23_delta.jsonl").slice(1)];
    expect(probe("bybit", "parseBybitFundingWs", frames, ["BTCUSDT"])).toBe(0);
  }, 60_000);
  test("okx funding-rate push", () => {
    expect(probe("okx", "parseOkxFundingWs", fixtureLines("funding/okx_swap", "ws_funding_rate_2026-09.jsonl"), ["BTC-USDT-SWAP"])).toBe(0);
  }, 60_000);
  test("mexc push.funding.rate and anchor pushes", () => {
    expect(probe("mexc", "parseMexcFundingWs", fixtureLines("funding/mexc_futures", "ws_anchor_channels_2026-09-15.jsonl").slice(2), ["BTC_USDT"])).toBe(0);
  }, 60_000);
});
