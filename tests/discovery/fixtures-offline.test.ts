// Offline runs (--offline semantics, no WS) through the real adapters: on the recorded REST bodies from
// tests/fixtures and on the real-size lists of tests/fixtures-discovery, asserting decisions symbol by symbol,
// byte-identical output for identical input, and that the real-size generator itself is deterministic.
import { describe, expect, test } from "bun:test";
import { copyFileSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SOURCE_NAMES, SourceId as S, loadGeneration } from "@spread/common";
import { NO_RULES, filterSource, type DiscoveryResult } from "@spread/discovery";
import { ADAPTERS } from "@spread/exchanges";
import { REAL_SIZE, REPO, runOffline, tempDirs } from "./helpers.ts";
import { fixtureJson, fixturePath } from "../fixtures.ts";

const dir = tempDirs();

/** Where a symbol is listed: source name → "EXCH×mult". */
function listing(r: DiscoveryResult, name: string): Record<string, string> {
  const s = r.summary.registry.symbols.find((x) => x.name === name);
  if (!s) return {};
  const out: Record<string, string> = {};
  s.listings.forEach((l, i) => {
    if (l) out[SOURCE_NAMES[i]!] = `${l.exchangeSymbol}×${l.multiplier}`;
  });
  return out;
}
function rejection(r: DiscoveryResult, source: number, exchangeSymbol: string): string {
  const x = r.summary.sources[source]!.rejections.find((j) => j.exchangeSymbol === exchangeSymbol);
  return x ? `${x.reason}:${x.detail}` : "not rejected";
}

describe("recorded REST bodies (tests/fixtures)", () => {
  const off = dir("real-off");
  const copy = (from: string, to: string) => copyFileSync(fixturePath(from), join(off, to));
  copy("binance_spot/exchangeInfo_2021-10-11_trimmed.json", "binance_spot.json");
  copy("binance_futures/exchangeInfo_2021-07-22_trimmed.json", "binance_futures.json");
  copy("bybit_spot/instruments_info_spot_docs_example.json", "bybit_spot.json");
  copy("bybit_linear/instruments_info_linear_prelaunch_docs_example.json", "bybit_futures.1.json");
  copy("bybit_linear/instruments_info_linear_docs_example.json", "bybit_futures.2.json");
  copy("mexc_spot/exchangeInfo.json", "mexc_spot.json");
  copy("mexc_futures/contract_detail.json", "mexc_futures.json");
  copy("okx_spot/instruments.json", "okx_spot.1.json");
  copy("okx_spot/instruments_usdt_pairs_from_ccxt_static.json", "okx_spot.2.json");
  copy("okx_swap/instruments.json", "okx_futures.json");
  let r: DiscoveryResult;
  const out = dir("real-gen");

  test("runs offline over all 8 sources and writes a loadable set", async () => {
    r = await runOffline(off, out);
    expect(r.summary.sources.every((s) => s.fetch?.ok)).toBe(true);
    const g = loadGeneration(out);
    expect(g.generation).toBe(r.generation);
    expect(g.symbols.symbols.length).toBe(r.summary.registry.symbols.length);
  });
  test("BTC-USDT on all eight, each in its venue's spelling", () => {
    expect(listing(r, "BTC-USDT")).toEqual({
      binance_spot: "BTCUSDT×1", binance_futures: "BTCUSDT×1", bybit_spot: "BTCUSDT×1", bybit_futures: "BTCUSDT×1",
      mexc_spot: "BTCUSDT×1", mexc_futures: "BTC_USDT×1", okx_spot: "BTC-USDT×1", okx_futures: "BTC-USDT-SWAP×1",
    });
    const line = readFileSync(join(out, "symbols.txt"), "utf8").split("\n").find((l) => l.split("\t")[1] === "BTC-USDT")!;
    expect(line.split("\t").slice(2)).toEqual(["BTCUSDT", "BTCUSDT", "BTCUSDT", "BTCUSDT", "BTCUSDT", "BTC_USDT", "BTC-USDT", "BTC-USDT-SWAP"]);
  });
  test("1000SHIBUSDT (baseAsset 1000SHIB) maps to SHIB-USDT ×1000 because spot trades SHIB", () => {
    expect(listing(r, "SHIB-USDT")).toEqual({ binance_spot: "SHIBUSDT×1", binance_futures: "1000SHIBUSDT×1000" });
    expect(loadGeneration(out).sources[S.binance_futures]!.entries.find((e) => e.exchangeSymbol === "1000SHIBUSDT")!.multiplier).toBe(1000);
  });
  test("statuses, quotes, contract kinds", () => {
    expect(rejection(r, S.binance_spot, "BCCBTC")).toBe("not_tradable:BREAK");
    expect(rejection(r, S.binance_spot, "ETHBTC")).toBe("quote_not_usdt:BTC");
    expect(rejection(r, S.binance_spot, "RUNEEUR")).toBe("quote_not_usdt:EUR");
    expect(rejection(r, S.binance_futures, "BTCSTUSDT")).toBe("not_tradable:PENDING_TRADING");
    expect(rejection(r, S.binance_futures, "BTCUSDT_210924")).toBe("wrong_kind:dated");
    expect(rejection(r, S.binance_futures, "DEFIUSDT")).toBe("wrong_kind:index");
    expect(rejection(r, S.binance_futures, "BTCDOMUSDT")).toBe("wrong_kind:index");
    expect(rejection(r, S.bybit_futures, "BIOUSDT")).toBe("not_tradable:PreLaunch");
    expect(rejection(r, S.mexc_futures, "SILVER_USDT")).toBe("wrong_kind:tradfi");
    expect(rejection(r, S.okx_spot, "BTC-USD")).toBe("quote_not_usdt:USD");
    expect(rejection(r, S.okx_futures, "BTC-USD-SWAP")).toBe("wrong_kind:inverse");
    expect(listing(r, "LIGHT-USDT")).toEqual({ mexc_futures: "LIGHT_USDT×1" });
    expect(listing(r, "SUSHI-USDT")).toEqual({ binance_futures: "SUSHIUSDT×1" });
  });
  test("2026 USD-M list: TRADIFI_PERPETUAL and quarterlies are not perpetuals", () => {
    const body = fixtureJson("binance_futures/exchangeInfo_usdm_2026_nautilus.json");
    const f = filterSource(S.binance_futures, ADAPTERS[S.binance_futures]!.parseInstruments(body), NO_RULES);
    expect(f.candidates.map((c) => c.exchangeSymbol)).toEqual(["BTCUSDT"]);
    expect(f.rejections.map((x) => `${x.exchangeSymbol}:${x.reason}:${x.detail}`).sort()).toEqual(["BTCUSDT_260925:wrong_kind:dated", "XAUUSDT:wrong_kind:tradfi"]);
  });
  test("a source without a file fails; below min_sources nothing is written", async () => {
    const partial = dir("partial");
    for (const f of readdirSync(off).filter((n) => !n.startsWith("okx") && !n.startsWith("mexc"))) copyFileSync(join(off, f), join(partial, f));
    const target = dir("partial-out");
    await expect(runOffline(partial, target)).rejects.toThrow(/only 4 of 8 sources fetched, at least 6 required; generated\/ left untouched\. mexc_spot: no mexc_spot\.json or mexc_spot\.1\.json in/);
    expect(readdirSync(target)).toEqual([]);
    const ok = await runOffline(partial, target, { minSources: 4 });
    expect(ok.summary.sources[S.okx_spot]!.fetch!.ok).toBe(false);
    expect(loadGeneration(target).sources[S.okx_spot]!.entries).toEqual([]);
  });
});

describe("real-size lists (tests/fixtures-discovery)", () => {
  const rules = {
    aliases: { "mexc_spot:BEAMXUSDT": "BEAM", "binance_spot:BEAMXUSDT": "BEAM", "binance_futures:BEAMXUSDT": "BEAM" },
    deny: ["mexc_spot:GASUSDT", "NEIROCTO-USDT"],
  };
  let r: DiscoveryResult;
  const outA = dir("size-a");
  const outB = dir("size-b");

  test("counts match the A.4 scale", async () => {
    r = await runOffline(REAL_SIZE, outA, { discovery: rules });
    const accepted = r.summary.sources.map((s) => s.accepted);
    const a4 = [460, 528, 394, 394, 547, 579, 278, 252];
    accepted.forEach((n, i) => expect(Math.abs(n - a4[i]!) / a4[i]!).toBeLessThan(0.05));
    expect(r.summary.registry.symbols.length).toBeGreaterThan(650);
    expect(r.summary.registry.symbols.length).toBeLessThan(760);
    expect(r.summary.sources[S.bybit_futures]!.fetch!.pages).toBe(2);
    for (const d of r.summary.directions) expect(d.length).toBeGreaterThan(150);
  });
  test("multiplier contracts map to the plain base with their multiplier", () => {
    expect(listing(r, "PEPE-USDT")).toMatchObject({ binance_spot: "PEPEUSDT×1", binance_futures: "1000PEPEUSDT×1000", bybit_futures: "1000PEPEUSDT×1000", mexc_futures: "PEPE_USDT×1", okx_futures: "PEPE-USDT-SWAP×1" });
    expect(listing(r, "SHIB-USDT")).toMatchObject({ binance_futures: "1000SHIBUSDT×1000", bybit_futures: "SHIB1000USDT×1000" });
    expect(listing(r, "BABYDOGE-USDT")).toEqual({ binance_futures: "1MBABYDOGEUSDT×1000000", bybit_futures: "1000000BABYDOGEUSDT×1000000", mexc_spot: "BABYDOGEUSDT×1" });
    expect(listing(r, "MOG-USDT")).toEqual({ binance_futures: "1000000MOGUSDT×1000000", mexc_spot: "MOGUSDT×1" });
    expect(listing(r, "AIDOGE-USDT")).toEqual({ bybit_futures: "10000000AIDOGEUSDT×10000000", mexc_spot: "AIDOGEUSDT×1" });
    expect(listing(r, "SATS-USDT")).toEqual({ bybit_futures: "10000SATSUSDT×10000", okx_spot: "SATS-USDT×1", okx_futures: "SATS-USDT-SWAP×1" });
    expect(listing(r, "BONK-USDT")).toMatchObject({ binance_futures: "1000BONKUSDT×1000", bybit_futures: "1000BONKUSDT×1000" });
  });
  test("names that only look like multipliers stay themselves", () => {
    expect(listing(r, "1000SATS-USDT")).toEqual({ binance_spot: "1000SATSUSDT×1", binance_futures: "1000SATSUSDT×1" });
    expect(listing(r, "1000CHEEMS-USDT")).toEqual({ binance_futures: "1000CHEEMSUSDT×1", mexc_spot: "1000CHEEMSUSDT×1" });
    expect(listing(r, "1000000CHEEMS-USDT")).toEqual({ bybit_futures: "1000000CHEEMSUSDT×1" });
    expect(listing(r, "1INCH-USDT")).toEqual({ binance_spot: "1INCHUSDT×1", binance_futures: "1INCHUSDT×1", bybit_futures: "1INCHUSDT×1" });
  });
  test("aliases and deny list", () => {
    expect(listing(r, "BEAM-USDT")).toEqual({ binance_spot: "BEAMXUSDT×1", binance_futures: "BEAMXUSDT×1", mexc_spot: "BEAMXUSDT×1", okx_spot: "BEAM-USDT×1" });
    expect(listing(r, "BEAMX-USDT")).toEqual({});
    expect(listing(r, "GAS-USDT")).toEqual({ binance_spot: "GASUSDT×1", binance_futures: "GASUSDT×1" });
    expect(rejection(r, S.mexc_spot, "GASUSDT")).toBe("denied:mexc_spot:GASUSDT");
  });
  test("strict quotes, statuses and contract kinds, venue by venue", () => {
    expect(rejection(r, S.binance_spot, "USDTTRY")).toBe("quote_not_usdt:TRY");
    expect(listing(r, "USDC-USDT")).toEqual({ binance_spot: "USDCUSDT×1" });
    expect(rejection(r, S.binance_spot, "LUNAUSDT")).toBe("not_tradable:HALT");
    expect(rejection(r, S.binance_spot, "ANCUSDT")).toBe("not_tradable:END_OF_DAY");
    expect(rejection(r, S.binance_spot, "MIRUSDT")).toBe("not_tradable:CANCEL_ONLY");
    expect(rejection(r, S.binance_spot, "NOSPOTUSDT")).toBe("not_tradable:TRADING");
    expect(rejection(r, S.binance_futures, "BTCUSDT_260925")).toBe("wrong_kind:dated");
    expect(rejection(r, S.binance_futures, "ETHUSDT_260925")).toBe("wrong_kind:dated");
    expect(rejection(r, S.binance_futures, "DEFIUSDT")).toBe("wrong_kind:index");
    expect(rejection(r, S.binance_futures, "XAUUSDT")).toBe("wrong_kind:tradfi");
    expect(rejection(r, S.binance_futures, "TSLAUSDT")).toBe("wrong_kind:tradfi");
    expect(rejection(r, S.binance_futures, "BTCUSDC")).toBe("wrong_kind:usdc");
    expect(rejection(r, S.binance_futures, "BTCSTUSDT")).toBe("not_tradable:PENDING_TRADING");
    expect(rejection(r, S.bybit_spot, "AAPLXUSDT")).toBe("wrong_kind:tradfi");
    const quotes = (src: number, q: string) => r.summary.sources[src]!.rejections.filter((x) => x.reason === "quote_not_usdt" && x.detail === q).length;
    expect([quotes(S.bybit_spot, "USDC"), quotes(S.okx_spot, "USDC"), quotes(S.binance_spot, "FDUSD"), quotes(S.mexc_spot, "BTC")]).toEqual([130, 110, 110, 20]);
    expect(rejection(r, S.bybit_futures, "BTCPERP")).toBe("wrong_kind:usdc");
    expect(rejection(r, S.bybit_futures, "BTCUSDT-26DEC25")).toBe("wrong_kind:dated");
    expect(rejection(r, S.bybit_futures, "NVDAUSDT")).toBe("wrong_kind:tradfi");
    expect(rejection(r, S.mexc_futures, "BTC_USD")).toBe("wrong_kind:inverse");
    expect(rejection(r, S.mexc_futures, "BTC_USDC")).toBe("wrong_kind:usdc");
    expect(rejection(r, S.mexc_futures, "SILVER_USDT")).toBe("wrong_kind:tradfi");
    expect(rejection(r, S.mexc_futures, "SKHYNIXSTOCK_USDT")).toBe("wrong_kind:tradfi");
    expect(rejection(r, S.okx_spot, "TESTX-USDT")).toBe("not_tradable:test");
    expect(rejection(r, S.okx_futures, "BTC-USD-SWAP")).toBe("wrong_kind:inverse");
    expect(rejection(r, S.okx_futures, "BTC-USDC-SWAP")).toBe("wrong_kind:usdc");
    expect(rejection(r, S.okx_futures, "XAU-USDT-SWAP")).toBe("wrong_kind:tradfi");
    const st = (src: number, status: string) => r.summary.sources[src]!.rejections.filter((x) => x.reason === "not_tradable" && x.detail === status).length;
    expect(st(S.binance_futures, "SETTLING")).toBe(110);
    expect(st(S.bybit_futures, "PreLaunch")).toBe(3);
    expect(st(S.mexc_spot, "2")).toBe(6);
    expect(st(S.okx_spot, "suspend")).toBe(3);
    expect([1, 2, 3, 4].map((k) => st(S.mexc_futures, String(k)))).toEqual([1, 1, 1, 1]);
  });
  test("determinism: a second run gives byte-identical binaries and text lists", async () => {
    await runOffline(REAL_SIZE, outB, { discovery: rules });
    const files = ["symbols.bin", "directions.bin", ...SOURCE_NAMES.map((n) => `source_symbols/${n}.bin`), "symbols.txt", "directions.txt"];
    for (const f of files) expect(Buffer.compare(readFileSync(join(outA, f)), readFileSync(join(outB, f)))).toBe(0);
  });
  test("the fixture generator reproduces the committed lists byte for byte", () => {
    const regen = dir("regen");
    const p = Bun.spawnSync(["bun", join(REPO, "tests/fixtures-discovery/generate.ts"), regen], { stdout: "pipe", stderr: "pipe", env: process.env });
    expect(p.exitCode).toBe(0);
    const committed = readdirSync(REAL_SIZE).filter((f) => f.endsWith(".json")).sort();
    expect(readdirSync(regen).sort()).toEqual(committed);
    for (const f of committed) expect(Buffer.compare(readFileSync(join(regen, f)), readFileSync(join(REAL_SIZE, f)))).toBe(0);
  });
});
