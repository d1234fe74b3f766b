// The `spread-ctl parse-funding` contract: saved funding REST bodies and WS frames (files or stdin) in, one JSON line
// per funding value out {"source","symbol","funding_rate","next_funding_ms","interval_hours"}; interval tables fill
// interval_hours of later documents; venue errors and bad frames on stderr without stopping; exit 1 only for an
// unreadable file; usage errors for a spot source. Process starts are slow on a loaded box: 30 s per test.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fixturePath } from "../fixtures.ts";

const CTL = resolve(import.meta.dir, "../../bins/spread-ctl.ts");
const fx = (...p: string[]): string => fixturePath("funding", ...p);

async function ctl(args: string[], stdin = ""): Promise<{ code: number; out: any[]; err: string }> {
  const p = Bun.spawn([process.execPath, CTL, ...args], { stdin: new TextEncoder().encode(stdin), stdout: "pipe", stderr: "pipe", env: process.env });
  const [code, out, err] = await Promise.all([p.exited, new Response(p.stdout).text(), new Response(p.stderr).text()]);
  return { code, out: out.split("\n").filter(Boolean).map((l) => JSON.parse(l)), err };
}

const v = (source: string, symbol: string, funding_rate: number, next_funding_ms: number | null, interval_hours: number | null) => ({ source, symbol, funding_rate, next_funding_ms, interval_hours });

describe("spread-ctl parse-funding", () => {
  test("binance: premiumIndex alone has no interval (null); after fundingInfo, listed intervals and the 8 h default", async () => {
    const alone = await ctl(["parse-funding", "--source", "binance_futures", fx("binance_futures", "rest_premiumIndex_single_2026-10.json")]);
    expect([alone.code, alone.out, alone.err]).toEqual([0, [v("binance_futures", "BTCUSDT", 0.00003791, 1791216000000, null)], ""]);
    const r = await ctl(["parse-funding", "--source", "binance_futures", fx("binance_futures", "rest_fundingInfo_2026-10.json"), fx("binance_futures", "rest_premiumIndex_all_2026-10.json")]);
    expect(r.code).toBe(0);
    expect(r.out.map((o) => [o.symbol, o.interval_hours])).toEqual([["LPTUSDT", 4], ["ETHUSDT", 8], ["ARKUSDT", 1], ["OMGUSDT", 8], ["GTCUSDT", 8], ["XAUUSDT", 4], ["BTCUSDT", 8]]);
    expect(r.out[2]).toEqual(v("binance_futures", "ARKUSDT", -0.00046484, 1791201600000, 1));
  }, 30_000);

  test("bybit: WS capture on stdin (ack, snapshot, delta, pong) → the snapshot's value only", async () => {
    const r = await ctl(["parse-funding", "--source", "bybit_futures"], readFileSync(fx("bybit_linear", "ws_tickers_2026-08-13_capture.jsonl"), "utf8"));
    expect([r.code, r.out, r.err]).toEqual([0, [v("bybit_futures", "BTCUSDT", 0.00005013, 1786665600000, 8)], ""]);
  }, 30_000);

  test("okx: REST instId=ANY gives the USDT swaps with intervals from the two settlement times", async () => {
    const r = await ctl(["parse-funding", "--source", "okx_futures", fx("okx_swap", "rest_funding_rate_any_2026-10.json")]);
    expect(r.out).toEqual([
      v("okx_futures", "CHIP-USDT-SWAP", 0.00005, 1791201600000, 4),
      v("okx_futures", "BTC-USDT-SWAP", 0.0000784623357725, 1791216000000, 8),
      v("okx_futures", "ETH-USDT-SWAP", 0.0000657154262033, 1791216000000, 8),
    ]);
  }, 30_000);

  test("okx: an error event on stdin goes to stderr with its line number; the other frames still decode", async () => {
    const text = readFileSync(fx("okx_swap", "ws_funding_rate_doc_example.jsonl"), "utf8") + readFileSync(fx("okx_swap", "ws_funding_rate_2026-09.jsonl"), "utf8");
    const r = await ctl(["parse-funding", "--source", "okx_futures"], text);
    expect(r.code).toBe(0);
    expect(r.out).toEqual([v("okx_futures", "BTC-USDT-SWAP", 0.0000263463215391, 1790380800000, 8)]);
    expect(r.err).toStartWith("stdin:4: okx_futures: error 60012");
  }, 30_000);

  test("mexc: exponent rates, 24 h cycle; success:false and rs.error reported, the rest printed", async () => {
    const r = await ctl(["parse-funding", "--source", "mexc_futures", fx("mexc_futures", "rest_error_unknown_contract.json"), fx("mexc_futures", "rest_funding_rate_all_2026-09-09.json"), fx("mexc_futures", "ws_anchor_channels_2026-09-15.jsonl")]);
    expect(r.code).toBe(0);
    expect(r.out.length).toBe(9);
    expect(r.out[0]).toEqual(v("mexc_futures", "BTC_USDT", 0.000062, 1788969600000, 8));
    expect(r.out[7]).toEqual(v("mexc_futures", "US30_USDT", 0, 1788969600000, 24));
    expect(r.out[8]).toEqual(v("mexc_futures", "BTC_USDT", 0.000081, 1789516800000, null));
    expect(r.err).toContain('rest_error_unknown_contract.json: mexc_futures funding_rate: success false, code 1001, message "Contract does not exist"');
    expect(r.err).toContain("ws_anchor_channels_2026-09-15.jsonl:2: mexc_futures: Contract [NOPE_USDT] not exists");
  }, 30_000);

  test("garbage lines are reported and skipped; a missing file exits 1; a spot source is a usage error", async () => {
    const g = await ctl(["parse-funding", "--source", "binance_futures"], 'not json\n{"e":"markPriceUpdate","E":1,"s":"BTCUSDT","r":"0.0001","T":1791216000000}\n');
    expect(g.out).toEqual([v("binance_futures", "BTCUSDT", 0.0001, 1791216000000, null)]);
    expect(g.err).toContain("stdin:1: malformed binance_futures frame");
    const missing = await ctl(["parse-funding", "--source", "bybit_futures", "/nonexistent/funding.json"]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("cannot read /nonexistent/funding.json");
    const spot = await ctl(["parse-funding", "--source", "okx_spot"]);
    expect(spot.code).not.toBe(0);
    expect(spot.err).toContain("okx_spot has no funding");
  }, 30_000);
});
