// The whole system end to end, the way it runs on the box: `spread-ctl up` on the simulator (discovery → shm-init
// → 8 feeds → engine → tracker) with short configured durations, spreads scripted through the simulator's control
// API (POST /episode, POST /fault). Asserted on the tracker's files (docs/formats.md) and `spread-ctl tracks --json`:
// every one of the 12 directions tracks a spread in 200 ms rows and closes CONVERGED; the same pair reopened is a
// new tracking; a spread that never converges is EXPIRED; a leg whose feed goes silent closes FEED_LOST; a
// 1000PEPE-style contract is tracked at per-unit prices; the simulator's ticker collision (MEXC spot GAS) is never
// tracked.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DIRECTIONS, loadGeneration, SOURCE_NAMES, SourceId, type Generation } from "@spread/common";
import { readStatus } from "@spread/tracker";
import { waitFor } from "../wait.ts";
import { OpsBed } from "../ops/helpers.ts";
import { lines } from "../tracker/helpers.ts";
import { control as sysControl, episode as sysEpisode, ofPair, rows, SLOTS, startSpreadSim, tracks as sysTracks, upAndWait, type Pick, type Track } from "./system.ts";

const TICK_MS = 200;
const MAX_DURATION_S = 8;
const bed = new OpsBed();
let gen: Generation;

const episode = (p: Pick, opts: { hold_s?: number; converge?: boolean; pct?: number } = {}) => sysEpisode(bed, p, opts);
const control = (path: string, body: unknown) => sysControl(bed, path, body);
const tracks = () => sysTracks(bed);

function summaries(): Record<string, string>[] {
  const dir = join(bed.dataDir, "summary");
  return readdirSync(dir).flatMap((f) => rows(join(dir, f)));
}

/** Picks, per direction, a plain symbol no other pick uses; prefers one only that direction sees move. */
function pickSymbols(): { perDirection: Pick[]; spare: Pick[]; pepe: Pick } {
  const dirs = gen.directions.directions;
  const syms = gen.symbols.symbols;
  const used = new Set<string>(["GAS-USDT", "PEPE-USDT"]);
  const plain = (id: number) => /^[A-Z]+-USDT$/.test(syms[id]!.name) && syms[id]!.listings.every((l) => !l || l.multiplier === 1);
  const pick = (d: number): Pick => {
    const def = DIRECTIONS[d]!;
    const ids = [...dirs[d]!.symbols].filter((id) => plain(id) && !used.has(syms[id]!.name));
    for (const leg of ["futures", "spot"] as const) {
      const same = DIRECTIONS.filter((o) => o.id !== d && (leg === "spot" ? o.spot === def.spot : o.futures === def.futures));
      const id = ids.find((i) => same.every((o) => !dirs[o.id]!.symbols.includes(i)));
      if (id !== undefined) return take(d, id, leg);
    }
    if (!ids.length) throw new Error(`direction ${def.name}: no plain symbol left in this universe`);
    return take(d, ids[0]!, "futures");
  };
  const take = (d: number, id: number, leg: "spot" | "futures"): Pick => {
    used.add(syms[id]!.name);
    return { d, sym: syms[id]!.name, leg };
  };
  const perDirection = DIRECTIONS.map((d) => pick(d.id));
  const spare = [pick(0), pick(5)];
  // 1000PEPE-style: the futures leg quotes per 1000 units, the spot leg per one unit.
  const pepeId = syms.findIndex((s) => s.name === "PEPE-USDT");
  expect(pepeId).toBeGreaterThanOrEqual(0);
  const pd = DIRECTIONS.find((d) => dirs[d.id]!.symbols.includes(pepeId) && syms[pepeId]!.listings[d.futures]!.multiplier > 1 && syms[pepeId]!.listings[d.spot]!.multiplier === 1);
  expect(pd).toBeDefined();
  return { perDirection, spare, pepe: { d: pd!.id, sym: "PEPE-USDT", leg: "futures" } };
}

let picks: ReturnType<typeof pickSymbols>;
const t0 = performance.now();

beforeAll(async () => {
  await startSpreadSim(bed, { tracker: { max_duration_s: MAX_DURATION_S, feed_lost_after_s: 1.5 } });
  await upAndWait(bed);
  gen = loadGeneration(bed.generatedDir);
  picks = pickSymbols();
  console.log(`e2e: system up in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}, 120_000);

afterAll(async () => {
  console.log(`e2e: whole file ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  await bed.cleanup();
}, 30_000);

describe("end to end through spread-ctl up on the simulator", () => {
  test("the stack runs: discovery, shm-init, 8 feeds, engine, tracker", () => {
    expect(SLOTS.length).toBeGreaterThanOrEqual(10); // 8 feeds + engine + tracker (+ web/alerts when built)
    expect(gen.directions.directions.every((d) => d.symbols.length > 0)).toBe(true);
    expect(readStatus(bed.dataDir)!.open).toEqual([]);
  });

  test("a spread on each of the 12 directions: 200 ms rows, CONVERGED; the 1000PEPE contract at per-unit prices; the pair reopened is a new tracking; a spread that never converges is EXPIRED", async () => {
    const { perDirection, spare, pepe } = picks;
    const expiring = spare[0]!;
    await Promise.all([...perDirection, pepe].map((p) => episode(p)));
    await episode(expiring, { converge: false });
    const closedAll = (ts: Track[]) => [...perDirection, pepe].every((p) => ofPair(ts, p).some((t) => t.state === "CONVERGED"));
    let ts: Track[] = [];
    await waitFor("every direction's tracking CONVERGED", async () => closedAll((ts = await tracks())), 40_000, 500).catch((err) => {
      const all = ts.filter((t) => [...perDirection, pepe].some((p) => p.d === t.direction_id && p.sym === t.symbol));
      const missing = [...perDirection, pepe].filter((p) => !ofPair(ts, p).some((t) => t.state === "CONVERGED")).map((p) => `${DIRECTIONS[p.d]!.name} ${p.sym} (${p.leg})`);
      throw new Error(`${(err as Error).message}\nmissing: ${missing.join("; ")}\n${all.map((t) => `${t.direction} ${t.symbol} ${t.state} last row: ${lines(readFileSync(t.file, "utf8")).at(-1)}`).join("\n")}`);
    });

    const sums = summaries();
    for (const p of [...perDirection, pepe]) {
      const t = ofPair(ts, p).find((x) => x.state === "CONVERGED")!;
      expect(t.direction).toBe(DIRECTIONS[p.d]!.name);
      const rs = rows(t.file);
      const last = rs.at(-1)!;
      expect(last.state).toBe("CONVERGED");
      const data = rs.slice(0, -1);
      expect(data.length).toBeGreaterThanOrEqual(5);
      // Every tick once: ts a multiple of 200 ms, the next row 200 ms × max(1, missed) later; the close row is
      // stamped with the tick of the live row that converged.
      const ms = rs.map((r) => Date.parse(r.ts!));
      for (let i = 0; i < data.length; i++) expect(ms[i]! % TICK_MS).toBe(0);
      for (let i = 0; i + 1 < data.length; i++) expect(ms[i + 1]! - ms[i]!).toBe(TICK_MS * Math.max(1, Number(data[i]!.missed)));
      expect(ms.at(-1)).toBe(ms.at(-2)!);
      const live = data.filter((r) => r.state === "live");
      expect(Math.max(...live.map((r) => Number(r.gross_pct)))).toBeGreaterThan(2);
      expect(data.at(-1)!.state).toBe("live");
      expect(Number(data.at(-1)!.gross_pct)).toBeLessThanOrEqual(0.1);
      const s = sums.find((x) => x.file && t.file.endsWith(x.file))!;
      expect(s.reason).toBe("CONVERGED");
      expect(Number(s.rows)).toBe(data.filter((r) => r.state !== "missed" && r.state !== "paused").length);
      // The futures leg's funding (the feeds poll the simulator's funding endpoints from their start): live rows
      // carry the rate and the upcoming settlement (a whole hour after the row), the summary says funding was seen.
      const funded = live.filter((r) => r.funding_rate !== "");
      expect(funded.length).toBeGreaterThan(0);
      for (const r of funded) {
        expect(Math.abs(Number(r.funding_rate))).toBeLessThan(0.01);
        const next = Date.parse(r.next_funding_at!);
        expect(next % 3_600_000).toBe(0);
        expect(next).toBeGreaterThan(Date.parse(r.ts!));
      }
      expect(s.funding_sum_pct).not.toBe("");
      if (p === pepe) {
        // Per ONE unit on both legs: without the multiplier the futures leg would read 1000× the spot leg.
        for (const r of live) {
          const ratio = Number(r.futures_bid) / Number(r.spot_ask);
          expect(ratio).toBeGreaterThan(0.99);
          expect(ratio).toBeLessThan(1.04);
          expect(Number(r.spot_ask)).toBeLessThan(0.001);
        }
      }
    }

    // The same pair again: a second tracking, in a new file, closing CONVERGED too.
    const again = perDirection[0]!;
    const firstFile = ofPair(ts, again)[0]!.file;
    await episode(again);
    await waitFor("the reopened pair CONVERGED again", async () => ofPair((ts = await tracks()), again).filter((t) => t.state === "CONVERGED").length >= 2, 30_000, 500);
    const files = ofPair(ts, again).map((t) => t.file);
    expect(new Set(files).size).toBe(files.length);
    expect(files).toContain(firstFile);

    // Never converging: EXPIRED at max_duration_s.
    await waitFor("the open spread EXPIRED", async () => ofPair((ts = await tracks()), expiring).some((t) => t.state === "EXPIRED"), 30_000, 500);
    const exp = ofPair(ts, expiring).find((t) => t.state === "EXPIRED")!;
    const dur = (Date.parse(exp.closed_at!) - Date.parse(exp.opened_at)) / 1000;
    expect(dur).toBeGreaterThanOrEqual(MAX_DURATION_S);
    expect(dur).toBeLessThan(MAX_DURATION_S + 1);
    expect(rows(exp.file).at(-1)!.state).toBe("EXPIRED");
  }, 90_000);

  test("a leg whose feed goes silent closes FEED_LOST", async () => {
    const p = picks.spare[1]!;
    const futures = SOURCE_NAMES[DIRECTIONS[p.d]!.futures];
    await episode(p, { converge: false, hold_s: 60 });
    let ts: Track[] = [];
    await waitFor("the pair tracked", async () => ofPair((ts = await tracks()), p).some((t) => t.state === "open"), 20_000, 300);
    await control("/fault", { kind: "silent", source: futures, duration_s: 20 });
    try {
      await waitFor("FEED_LOST", async () => ofPair((ts = await tracks()), p).some((t) => t.state === "FEED_LOST"), 20_000, 300);
    } finally {
      await control("/faults/clear", { source: futures });
    }
    const t = ofPair(ts, p).find((x) => x.state === "FEED_LOST")!;
    const rs = rows(t.file);
    expect(rs.at(-1)!.state).toBe("FEED_LOST");
    expect(rs.some((r) => r.state === "futures_stale" || r.state === "both_stale")).toBe(true);
  }, 60_000);

  test("the ticker collision (MEXC spot GAS = GasDAO) never produced a signal; no invalid events", async () => {
    // The real GAS (NEO) trades on binance/okx/mexc futures and is tracked like any symbol; GasDAO on MEXC spot
    // (~1e-6 USDT) must never pair with it (discovery's validation drops it, the engine's sanity bound backs it up).
    const gas = gen.symbols.symbols.findIndex((s) => s.name === "GAS-USDT");
    expect(gas).toBeGreaterThanOrEqual(0);
    expect(gen.symbols.symbols[gas]!.listings[SourceId.binance_spot]).not.toBeNull();
    const mexcSpotGas = gen.directions.directions.filter((d) => DIRECTIONS[d.id]!.spot === SourceId.mexc_spot && d.symbols.includes(gas));
    console.log(`e2e: GAS-USDT in ${mexcSpotGas.length} mexc_spot direction(s) of directions.bin`);
    const ts = await tracks();
    expect(ts.filter((t) => t.symbol === "GAS-USDT" && DIRECTIONS[t.direction_id]!.spot === SourceId.mexc_spot)).toEqual([]);
    expect(ts.filter((t) => t.symbol === "GAS-USDT")).toEqual([]); // no episode moved the real GAS either
    const st = readStatus(bed.dataDir)!;
    expect(st.counters.events_invalid).toBe(0);
    const files = readdirSync(join(bed.dataDir, "tracks"), { recursive: true }).map(String).filter((f) => f.endsWith(".csv"));
    expect(files.filter((f) => f.includes("_GAS-USDT"))).toEqual([]);
  }, 30_000);
});
