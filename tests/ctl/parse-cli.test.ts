// The `spread-ctl parse` / `parse-instruments` contract: real captured frames in, one JSON line per update out;
// control frames silent; bad frames on stderr without stopping; exit 0 unless stdin is unreadable.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fixturePath } from "../fixtures.ts";

const CTL = resolve(import.meta.dir, "../../bins/spread-ctl.ts");
const fx = fixturePath;

async function ctl(args: string[], stdin = ""): Promise<{ code: number; out: string[]; err: string }> {
  const p = Bun.spawn([process.execPath, CTL, ...args], { stdin: new TextEncoder().encode(stdin), stdout: "pipe", stderr: "pipe", env: process.env });
  const [code, out, err] = await Promise.all([p.exited, new Response(p.stdout).text(), new Response(p.stderr).text()]);
  return { code, out: out.split("\n").filter(Boolean), err };
}

describe("spread-ctl parse", () => {
  test("binance_spot combined bookTicker frames: one line each with the exchange's own values", async () => {
    const text = readFileSync(fx("binance_spot", "bookTicker_ws_combined_2021-10-11.jsonl"), "utf8");
    const frames = text.split("\n").filter(Boolean);
    const r = await ctl(["parse", "--source", "binance_spot"], text);
    expect(r.code).toBe(0);
    expect(r.out.length).toBe(frames.length);
    expect(JSON.parse(r.out[0]!)).toEqual({ source: "binance_spot", symbol: "NKNUSDT", bid: 0.3521, ask: 0.3526, bid_qty: 672, ask_qty: 3199, exchange_ts: null });
    r.out.forEach((line, i) => {
      const d = JSON.parse(frames[i]!).data;
      expect(JSON.parse(line)).toMatchObject({ symbol: d.s, bid: Number(d.b), ask: Number(d.a), bid_qty: Number(d.B), ask_qty: Number(d.A) });
    });
  });

  test("MEXC spot protobuf frames as hex (--hex)", async () => {
    const hex = ["aggre_bookTicker_BTCUSDT_2026-05-17.hex", "aggre_bookTicker_BTCUSDT_2026-09-25_with_version.hex"].map((f) => readFileSync(fx("mexc_spot", "frames", f), "utf8").trim());
    const r = await ctl(["parse", "--source", "mexc_spot", "--hex"], hex.join("\n") + "\n");
    expect(r.code).toBe(0);
    expect(r.out.map((l) => JSON.parse(l))).toEqual([
      { source: "mexc_spot", symbol: "BTCUSDT", bid: 78161.17, ask: 78161.18, bid_qty: 17.55793416, ask_qty: 0.10677647, exchange_ts: 1778994237706 },
      { source: "mexc_spot", symbol: "BTCUSDT", bid: 84270, ask: 84270.01, bid_qty: 0.006387, ask_qty: 5.42169969, exchange_ts: 1790281243450 },
    ]);
  });

  test("MEXC futures push.ticker has no sizes: null quantities", async () => {
    const msgs = JSON.parse(readFileSync(fx("mexc_futures", "ws_messages.json"), "utf8"));
    const all = JSON.stringify(msgs);
    const tickers = [...all.matchAll(/\{"symbol":"[A-Z_]+","data":\{[^}]*\},"channel":"push\.ticker"[^}]*\}/g)].map((m) => m[0]);
    expect(tickers.length).toBeGreaterThan(0);
    const r = await ctl(["parse", "--source", "mexc_futures"], tickers.join("\n"));
    expect(r.out.length).toBe(tickers.length);
    for (const l of r.out) expect(JSON.parse(l)).toMatchObject({ source: "mexc_futures", bid_qty: null, ask_qty: null });
  });

  test("acks, pongs and notices print nothing; garbage and crossed prices go to stderr; the run continues", async () => {
    const lines = [
      '{"result":null,"id":1}',
      '{"e":"serverShutdown","E":1770123456789}',
      "not json at all",
      '{"stream":"btcusdt@bookTicker","data":{"u":1,"s":"BTCUSDT","b":"101","B":"1","a":"100","A":"1"}}',
      '{"stream":"btcusdt@bookTicker","data":{"u":2,"s":"BTCUSDT","b":"100","B":"1","a":"101","A":"1"}}',
      '{"stream":"btcusdt@book',
    ];
    const r = await ctl(["parse", "--source", "binance_spot"], lines.join("\n"));
    expect(r.code).toBe(0);
    expect(r.out.length).toBe(1);
    expect(JSON.parse(r.out[0]!)).toMatchObject({ symbol: "BTCUSDT", bid: 100, ask: 101 });
    expect(r.err).toContain("line 3: malformed binance_spot frame");
    expect(r.err).toContain("line 4: invalid binance_spot update for BTCUSDT: crossed book (bid > ask)");
    expect(r.err).toContain("line 6: malformed");
  });

  test("usage errors exit 2 with one clear line", async () => {
    const r = await ctl(["parse", "--source", "kraken"]);
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe('spread-ctl parse: unknown source "kraken"; expected one of binance_spot, binance_futures, bybit_spot, bybit_futures, mexc_spot, mexc_futures, okx_spot, okx_futures');
  });
});

describe("spread-ctl parse-instruments", () => {
  test("Bybit linear pages → one JSON line per instrument with kind and order parameters", async () => {
    const r = await ctl(["parse-instruments", "--source", "bybit_futures", fx("bybit_linear", "instruments_info_linear_docs_example.json"), fx("bybit_linear", "instruments_info_linear_prelaunch_docs_example.json")]);
    expect(r.code).toBe(0);
    const rows = r.out.map((l) => JSON.parse(l));
    expect(rows[0]).toEqual({ source: "bybit_futures", exchange_symbol: "BTCUSDT", base: "BTC", quote: "USDT", tradable: true, kind: "perpetual", tick_size: 0.1, min_qty: 0.001, min_notional: 5, contract_size: null, multiplier: 1 });
    expect(rows.find((x) => x.exchange_symbol === "BIOUSDT")).toMatchObject({ tradable: false });
  });

  test("Binance USD-M: 1000SHIBUSDT carries multiplier 1000; dated and index contracts are not perpetual", async () => {
    const r = await ctl(["parse-instruments", "--source", "binance_futures", fx("binance_futures", "exchangeInfo_2021-07-22_trimmed.json")]);
    const rows = Object.fromEntries(r.out.map((l) => JSON.parse(l)).map((x) => [x.exchange_symbol, x]));
    expect(rows["1000SHIBUSDT"]).toMatchObject({ base: "1000SHIB", multiplier: 1000, kind: "perpetual" });
    expect(rows["BTCUSDT_210924"]!.kind).toBe("other");
    expect(rows["DEFIUSDT"]!.kind).toBe("other");
  });

  test("an unreadable or non-JSON file is named", async () => {
    const r = await ctl(["parse-instruments", "--source", "okx_spot", "/nonexistent/x.json"]);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain("/nonexistent/x.json: cannot read (ENOENT)");
  });
});
