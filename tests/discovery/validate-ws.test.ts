// WS validation end to end against the in-test venue stub (stub-exchange.ts; the simulator was not available):
// the real adapters over real sockets, faults per pair and per source, collision guard, multiplier checks,
// early batch stop, connection caps, heartbeats, and the REST/WS down cases with generated/ left untouched.
import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DIRECTIONS, SOURCE_NAMES, SourceId as S, loadExchangesConfig, loadGeneration } from "@spread/common";
import { planSource, type DiscoveryResult } from "@spread/discovery";
import { EXCHANGE_LIMITS, ADAPTERS } from "@spread/exchanges";
import { plainBases } from "../fixtures-discovery/universe.ts";
import { REAL_SIZE, runBin, runOffline, tempDirs, testEnv, writeTestConfig } from "./helpers.ts";
import { startStubExchanges, type Behavior, type StubExchanges, type StubQuote } from "./stub-exchange.ts";

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));
const dir = tempDirs();

const FAST = { batch_timeout_s: 8, collect_s: 4, idle_s: 0.6, connect_interval_ms: 0 };

function symOf(source: number, base: string): string {
  switch (source) {
    case S.mexc_futures:
      return `${base}_USDT`;
    case S.okx_spot:
      return `${base}-USDT`;
    case S.okx_futures:
      return `${base}-USDT-SWAP`;
    default:
      return `${base}USDT`;
  }
}

/** Faults per source: plain coins at fixed positions of the source's list. */
const FAULTS: Record<string, Behavior> = {};
const faultBases: Record<number, Record<string, Behavior>> = {};
SOURCE_NAMES.forEach((name, s) => {
  const bases = plainBases(name).filter((b) => b >= "B"); // skip the always-listed majors at the top of the alphabet
  faultBases[s] = { [bases[11]!]: "silent", [bases[57]!]: "silent", [bases[23]!]: "crossed", [bases[71]!]: "zero", [bases[37]!]: "unknown" };
  for (const [b, f] of Object.entries(faultBases[s]!)) FAULTS[`${s}:${symOf(s, b)}`] = f;
});

function faulty(source: number, exchangeSymbol: string, q: StubQuote): StubQuote {
  const f = FAULTS[`${source}:${exchangeSymbol}`];
  if (f) return { ...q, behavior: f };
  // ticker collision: MEXC's NEIRO is another token
  if (source === S.mexc_spot && exchangeSymbol === "NEIROUSDT") return { ...q, price: q.price * 50 };
  // a "10000SATS" contract that is not 10000 × SATS: its price is SATS' own
  if (source === S.bybit_futures && exchangeSymbol === "10000SATSUSDT") return { ...q, price: q.price / 10000 };
  return q;
}

function stub(over: Partial<Parameters<typeof startStubExchanges>[0]> = {}): StubExchanges {
  const s = startStubExchanges({ restDir: REAL_SIZE, override: faulty, pushEveryMs: 300, ...over });
  cleanups.push(() => s.stop());
  return s;
}

function status(r: DiscoveryResult, source: number, sym: string): string {
  return r.summary.sources[source]!.validation?.pairs.get(sym)?.status ?? "none";
}

describe("full validation run with faults", () => {
  let r: DiscoveryResult;
  let offline: DiscoveryResult;
  let st: StubExchanges;
  const out = dir("ws-faults");

  test("all 8 sources validate; invalid pairs are removed", async () => {
    st = stub();
    offline = await runOffline(REAL_SIZE, dir("ws-offline"));
    r = await runOffline(REAL_SIZE, out, { offlineDir: null, validate: true, skipReason: null, exchanges: loadExchangesConfig(st.exchangesFile, EXCHANGE_LIMITS), discovery: FAST });
    expect(r.summary.validation.validated).toBe(8);
    const g = loadGeneration(out);
    for (let s = 0; s < 8; s++) {
      const listed = new Set(g.sources[s]!.entries.map((e) => e.exchangeSymbol));
      for (const b of Object.keys(faultBases[s]!)) expect(listed.has(symOf(s, b))).toBe(false);
    }
  }, 60_000);

  test("reasons per pair: no_data, invalid_prices, rejected (Binance acks unknown streams, then silence)", () => {
    for (let s = 0; s < 8; s++) {
      for (const [b, f] of Object.entries(faultBases[s]!)) {
        const want = f === "silent" ? "no_data" : f === "crossed" || f === "zero" ? "invalid_prices" : s <= S.binance_futures ? "no_data" : "rejected";
        expect(`${SOURCE_NAMES[s]}:${symOf(s, b)}:${status(r, s, symOf(s, b))}`).toBe(`${SOURCE_NAMES[s]}:${symOf(s, b)}:${want}`);
      }
    }
    const pairs = [...r.summary.sources[S.bybit_futures]!.validation!.pairs.values()];
    expect(pairs.filter((p) => p.status === "valid").length).toBe(pairs.length - 5);
    const rejected = pairs.find((p) => p.status === "rejected")!;
    expect(rejected.detail).toBe(`error:handler not found,topic:orderbook.1.${rejected.exchangeSymbol}`);
  });

  test("Bybit refuses a whole request for one bad topic: the rest of it is subscribed again and validates", () => {
    for (const s of [S.bybit_spot, S.bybit_futures]) {
      const v = r.summary.sources[s]!.validation!;
      const bad = symOf(s, Object.entries(faultBases[s]!).find(([, f]) => f === "unknown")![0]);
      // every symbol that is not faulted validated, including the ones sharing the refused request
      const fine = [...v.pairs.values()].filter((p) => !FAULTS[`${s}:${p.exchangeSymbol}`]);
      expect(fine.every((p) => p.status === "valid")).toBe(true);
      expect(v.pairs.get(bad)!.status).toBe("rejected");
      // one request more than the plan: the refused request's other symbols were subscribed again
      const ep = loadExchangesConfig(st.exchangesFile, EXCHANGE_LIMITS)[SOURCE_NAMES[s]!];
      const plan = planSource(ADAPTERS[s]!, ep, v.pairs.size, 24);
      expect(st.subscribeFrames[s]).toBe(plan.requests + 1);
    }
  });

  test("ticker collision excluded, multipliers confirmed, a wrong multiplier moved to its own name", () => {
    const d = r.summary.decisions.map((x) => `${x.kind}:${x.name}:${SOURCE_NAMES[x.source]}:${x.exchangeSymbol}`);
    expect(d).toContain("excluded_collision:NEIRO-USDT:mexc_spot:NEIROUSDT");
    expect(d).toContain("multiplier_confirmed:PEPE-USDT:binance_futures:1000PEPEUSDT");
    expect(d).toContain("multiplier_confirmed:SHIB-USDT:bybit_futures:SHIB1000USDT");
    expect(d).toContain("multiplier_confirmed:BABYDOGE-USDT:binance_futures:1MBABYDOGEUSDT");
    expect(d).toContain("multiplier_rejected:10000SATS-USDT:bybit_futures:10000SATSUSDT");
    const names = loadGeneration(out).symbols.symbols;
    const neiro = names.find((x) => x.name === "NEIRO-USDT")!;
    expect(neiro.listings[S.mexc_spot]).toBeNull();
    expect(neiro.listings[S.binance_spot]!.exchangeSymbol).toBe("NEIROUSDT");
    expect(names.find((x) => x.name === "10000SATS-USDT")!.listings[S.bybit_futures]!.multiplier).toBe(1);
    expect(names.find((x) => x.name === "SATS-USDT")!.listings[S.bybit_futures]).toBeNull();
    const report = readFileSync(join(out, "validation_report.txt"), "utf8");
    expect(report).toContain("NEIRO-USDT mexc_spot NEIROUSDT ×1 EXCLUDED, likely ticker collision or wrong multiplier");
    expect(report).toMatch(/bybit_futures: 396 total, 391 valid, 5 invalid \(no_data 2, invalid_prices 2, rejected 1\)/);
  });

  test("direction sizes = the universe's intersections minus what validation removed", () => {
    const removed = new Set<string>(Object.keys(FAULTS));
    removed.add(`${S.mexc_spot}:NEIROUSDT`);
    removed.add(`${S.bybit_futures}:10000SATSUSDT`);
    const expected = offline.summary.directions.map((ids, d) => {
      const { spot, futures } = DIRECTIONS[d]!;
      return ids.filter((id) => {
        const sym = offline.summary.registry.symbols[id]!;
        const a = sym.listings[spot]!;
        const b = sym.listings[futures]!;
        return !removed.has(`${spot}:${a.exchangeSymbol}`) && !removed.has(`${futures}:${b.exchangeSymbol}`);
      }).length;
    });
    expect(r.summary.directions.map((x) => x.length)).toEqual(expected);
    const meta = loadGeneration(out).metadata;
    expect(meta.directions.map((x) => x.pairs)).toEqual(expected);
    expect(meta.validation.collisions_excluded).toBe(1);
    expect(meta.validation.multipliers_rejected).toBe(1);
  });

  test("connections follow the per-connection cap (MEXC spot: 30 → one socket per 30 symbols)", () => {
    const v = r.summary.sources[S.mexc_spot]!.validation!;
    expect(v.connections).toBe(Math.ceil(v.pairs.size / 30));
    expect(r.summary.sources[S.binance_spot]!.validation!.connections).toBe(Math.ceil(r.summary.sources[S.binance_spot]!.accepted / 200));
  });
});

describe("sources down", () => {
  test("one REST source down: 7 of 8 succeed after 3 attempts; its list is empty", async () => {
    const st = stub({ restDown: [S.okx_futures] });
    const out = dir("down1");
    const r = await runOffline(REAL_SIZE, out, { offlineDir: null, validate: true, skipReason: null, exchanges: loadExchangesConfig(st.exchangesFile, EXCHANGE_LIMITS), discovery: FAST });
    const f = r.summary.sources[S.okx_futures]!.fetch!;
    expect(f.ok).toBe(false);
    expect(f.attempts).toBe(3);
    expect(f.error).toMatch(/^okx_futures: GET http:\/\/127\.0\.0\.1:\d+\/api\/v5\/public\/instruments\?instType=SWAP: HTTP 503: .* \(after 3 attempts\)$/);
    expect(loadGeneration(out).sources[S.okx_futures]!.entries).toEqual([]);
    expect(r.summary.directions[3]).toEqual([]); // mexc_spot → okx_futures
  }, 60_000);

  test("three REST sources down: the run fails and the previous generated/ stays", async () => {
    const out = dir("down3");
    const before = await runOffline(REAL_SIZE, out);
    const st = stub({ restDown: [S.okx_futures, S.mexc_spot, S.bybit_spot] });
    await expect(runOffline(REAL_SIZE, out, { offlineDir: null, validate: true, skipReason: null, exchanges: loadExchangesConfig(st.exchangesFile, EXCHANGE_LIMITS), discovery: FAST })).rejects.toThrow(/only 5 of 8 sources fetched, at least 6 required; generated\/ left untouched/);
    expect(loadGeneration(out).generation).toBe(before.generation);
  }, 60_000);

  test("WebSocket down on one source: that source fails validation, the run succeeds with 7", async () => {
    const st = stub({ wsDown: [S.bybit_spot] });
    const out = dir("wsdown");
    const r = await runOffline(REAL_SIZE, out, { offlineDir: null, validate: true, skipReason: null, exchanges: loadExchangesConfig(st.exchangesFile, EXCHANGE_LIMITS), discovery: FAST });
    const v = r.summary.sources[S.bybit_spot]!.validation!;
    expect(v.ok).toBe(false);
    expect(v.error).toMatch(/^bybit_spot: WebSocket unreachable: ws:\/\/127\.0\.0\.1:\d+\/v5\/public\/spot: /);
    expect(r.summary.validation.validated).toBe(7);
    expect(loadGeneration(out).sources[S.bybit_spot]!.entries).toEqual([]);
  }, 60_000);

  test("too few sources validate: the run fails, nothing written", async () => {
    const st = stub({ wsDown: [S.bybit_spot, S.bybit_futures, S.okx_spot] });
    const out = dir("wsdown3");
    await expect(runOffline(REAL_SIZE, out, { offlineDir: null, validate: true, skipReason: null, exchanges: loadExchangesConfig(st.exchangesFile, EXCHANGE_LIMITS), discovery: FAST })).rejects.toThrow(/only 5 of 8 sources validated, at least 6 required/);
  }, 60_000);
});

describe("batching and timing", () => {
  test("a batch stops as soon as every pair answered (default 30 s collect / 10 s idle not waited)", async () => {
    const st = startStubExchanges({ restDir: REAL_SIZE, pushEveryMs: 300 });
    cleanups.push(() => st.stop());
    const t0 = performance.now();
    const r = await runOffline(REAL_SIZE, dir("early"), { offlineDir: null, validate: true, skipReason: null, exchanges: loadExchangesConfig(st.exchangesFile, EXCHANGE_LIMITS), sources: [S.binance_spot, S.okx_spot, S.okx_futures], minSources: 3, discovery: { connect_interval_ms: 0 } });
    expect(performance.now() - t0).toBeLessThan(8_000);
    expect(r.summary.sources[S.okx_spot]!.validation!.pairs.size).toBe(278);
    expect([...r.summary.sources[S.okx_spot]!.validation!.pairs.values()].every((p) => p.status === "valid")).toBe(true);
  }, 60_000);

  test("a validation_batch above the venue cap: the cap sets the sockets (one per 30 MEXC spot pairs); heartbeats are sent", async () => {
    const st = startStubExchanges({ restDir: REAL_SIZE, pushEveryMs: 300, override: (s, x, q) => (s === S.okx_spot && x.startsWith("C") ? { ...q, behavior: "silent" } : q) });
    cleanups.push(() => st.stop());
    const file = st.exchangesFile;
    const text = readFileSync(file, "utf8")
      .replace(/(\[mexc_spot\][^[]*?)validation_batch = 30/, "$1validation_batch = 90")
      .replace(/(\[okx_spot\][^[]*?)ping_interval_ms = 20000/, "$1ping_interval_ms = 200");
    writeFileSync(file, text);
    const r = await runOffline(REAL_SIZE, dir("caps"), { offlineDir: null, validate: true, skipReason: null, exchanges: loadExchangesConfig(file, EXCHANGE_LIMITS), sources: [S.mexc_spot, S.okx_spot], minSources: 2, discovery: { ...FAST, idle_s: 1.5 } });
    const v = r.summary.sources[S.mexc_spot]!.validation!;
    expect(v.batches).toBe(1); // ceil(n / 30) sockets fit validation_connections (24): one round
    expect(v.connections).toBe(Math.ceil(v.pairs.size / 30));
    expect(st.connections[S.mexc_spot]).toBe(v.connections);
    expect([...v.pairs.values()].every((p) => p.status === "valid")).toBe(true);
    expect(st.pings[S.okx_spot]).toBeGreaterThan(0); // OKX: text "ping" after inbound silence
  }, 60_000);
});

describe("slow connection slots", () => {
  test("idle does not end a batch while its other sockets still wait for their connect slot", async () => {
    const st = startStubExchanges({ restDir: REAL_SIZE, pushEveryMs: 300 });
    cleanups.push(() => st.stop());
    writeFileSync(st.exchangesFile, readFileSync(st.exchangesFile, "utf8").replace(/(\[mexc_spot\][^[]*?)validation_batch = 30/, "$1validation_batch = 90"));
    const r = await runOffline(REAL_SIZE, dir("slots"), { offlineDir: null, validate: true, skipReason: null, exchanges: loadExchangesConfig(st.exchangesFile, EXCHANGE_LIMITS), sources: [S.mexc_spot], minSources: 1, discovery: { ...FAST, idle_s: 0.1, connect_interval_ms: 250 } });
    const v = r.summary.sources[S.mexc_spot]!.validation!;
    expect([...v.pairs.values()].filter((p) => p.status !== "valid")).toEqual([]);
  }, 60_000);
});

describe("the bin with --validate against the stub", () => {
  test("--offline REST + --validate over WS: exit 0 and a validated set", async () => {
    const st = stub();
    const out = dir("bin-validate");
    const cfg = writeTestConfig(dir("bin-cfg"), { generated: out, exchanges: st.exchangesFile, discovery: "batch_timeout_s = 8\ncollect_s = 4\nidle_s = 0.6\nconnect_interval_ms = 0" });
    const r = await runBin(["--config", cfg, "--offline", REAL_SIZE, "--validate", "--sources", "binance_spot,binance_futures,okx_spot,okx_futures", "--min-sources", "4"], testEnv());
    expect(r.code).toBe(0);
    const meta = loadGeneration(out).metadata;
    expect(meta.validation.enabled).toBe(true);
    expect(meta.validation.sources_validated).toBe(4);
    expect(meta.validation.invalid_no_data).toBeGreaterThanOrEqual(8);
  }, 60_000);
});
