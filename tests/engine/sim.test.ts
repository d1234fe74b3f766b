// spread-engine against the exchange simulator with the 8 real feeds: a quiet market gives no signal, a scripted
// episode (POST /episode) gives exactly one signal for the right direction and symbol, and the simulator's ticker
// collision (MEXC spot GAS = GasDAO at ~1e-6 vs GAS ~3 USD elsewhere), let through by a discovery run without WS
// validation, is counted as a suspect and never signalled.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { DEFAULT_TAKER_FEE_PCT, DIRECTIONS, SOURCE_NAMES, SourceId, type Generation } from "@spread/common";
import { EventRecord, HealthRecord, PriceFlag } from "@spread/shm";
import { FeedBed, waitFor } from "../feed/harness.ts";
import { engineLive, startEngineStack } from "./helpers.ts";

const bed = new FeedBed();
let gen: Generation;
const events: EventRecord[] = [];
const ENGINE_SLOT = 8;

function pump(): void {
  for (;;) {
    const ev = new EventRecord();
    if (!bed.shm.events.pop(ev)) return;
    events.push(ev);
  }
}

function engineHealth(): HealthRecord {
  const h = new HealthRecord();
  bed.shm.health.read(ENGINE_SLOT, h);
  return h;
}

const nameOf = (id: number) => gen.symbols.symbols[id]!.name;

beforeAll(async () => {
  gen = await startEngineStack(bed);
  await engineLive(bed);
}, 120_000);

afterAll(async () => {
  await bed.cleanup();
}, 30_000);

describe("spread-engine with the simulator and the feeds", () => {
  test("a quiet market (basis of a few bp) gives no signal", async () => {
    // The quiet stretch is measured in the engine's evaluations, not in wall time (a loaded box evaluates less per second).
    const e0 = bed.shm.events.readStats().evaluated;
    await waitFor("the engine to evaluate 10,000 quiet-market ticks", () => bed.shm.events.readStats().evaluated - e0 >= 10_000, 20_000, 100, () => `${bed.shm.events.readStats().evaluated - e0} evaluated, ${(pump(), events.length)} signal(s)`);
    pump();
    expect(events.map((e) => `${DIRECTIONS[e.directionId]!.name}:${nameOf(e.symbolId)}`)).toEqual([]);
    expect(bed.shm.events.readStats().evaluated).toBeGreaterThan(1000);
  }, 40_000);

  test("the simulator's ticker collision is a suspect, never a signal", async () => {
    const gas = gen.symbols.symbols.findIndex((s) => s.name === "GAS-USDT");
    expect(gas).toBeGreaterThanOrEqual(0);
    // Without validation the collision reaches directions.bin with mexc_spot as its spot leg.
    const dirs = gen.directions.directions.filter((d) => d.spot === SourceId.mexc_spot && d.symbols.includes(gas)).map((d) => d.id);
    expect(dirs.length).toBeGreaterThan(0);
    await waitFor("the collision legs priced", () => (bed.quote(SourceId.mexc_spot, gas).flags & PriceFlag.valid) !== 0, 20_000, 100);
    await waitFor("suspects counted", () => bed.shm.events.readStats().suspects > 0, 20_000, 100);
    // Health is written on its own beat, after the suspect was counted in the Event Bus stats.
    await waitFor("Health counts the rejected symbol", () => engineHealth().symbolsRejected > 0, 10_000, 100, () => engineHealth().symbolsRejected);
    pump();
    expect(events.filter((e) => e.symbolId === gas)).toEqual([]);
  }, 40_000);

  test("POST /episode: exactly one signal, for the episode's direction and symbol", async () => {
    // The episode moves one leg of one asset. Pick (direction, leg, asset) so that only that direction sees it:
    // leg "spot" on a symbol no other direction with the same spot source lists (or "futures" likewise).
    const dirs = gen.directions.directions;
    const now = Date.now() * 1000;
    const fresh = (src: number, id: number) => {
      const q = bed.quote(src, id);
      // seq >= 4: written at least twice, so the venue streams it. The simulator's silent symbols (let through by
      // --skip-validation) hold only their one REST-seed write, which looks fresh for a few seconds after start.
      return (q.flags & (PriceFlag.valid | PriceFlag.stale)) === PriceFlag.valid && now - q.updatedAt < 3_000_000 && q.seq >= 4;
    };
    const plain = (id: number) => /^[A-Z]+-USDT$/.test(nameOf(id)) && gen.symbols.symbols[id]!.listings.every((l) => !l || l.multiplier === 1);
    let pick: { d: number; leg: "spot" | "futures"; sym: number } | undefined;
    for (const d of dirs) {
      for (const leg of ["spot", "futures"] as const) {
        const same = dirs.filter((o) => o.id !== d.id && (leg === "spot" ? o.spot === d.spot : o.futures === d.futures));
        const sym = [...d.symbols].find((id) => plain(id) && same.every((o) => !o.symbols.includes(id)) && fresh(d.spot, id) && fresh(d.futures, id));
        if (sym !== undefined && !pick) pick = { d: d.id, leg, sym };
      }
    }
    expect(pick).toBeDefined();
    const { d, leg, sym } = pick!;
    const def = DIRECTIONS[d]!;
    const asset = nameOf(sym).replace(/-USDT$/, "");
    pump();
    const before = events.length;
    // A long hold: on a loaded CI box the feeds and the simulator can lag by seconds; the signal only has to
    // arrive while the episode lasts.
    const holdS = 8;
    const postedAt = performance.now();
    const r = await fetch(`${bed.sim.controlUrl}/episode`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ asset, spot: SOURCE_NAMES[def.spot], futures: SOURCE_NAMES[def.futures], leg, spread_pct: 3, ramp_s: 0.2, hold_s: holdS, converge_s: 0.3 }),
    });
    expect(r.status).toBe(200);
    await waitFor("a signal", () => (pump(), events.length > before), 20_000, 20);
    // A window, not a wait: through the whole hold and the convergence, no second signal.
    await Bun.sleep(Math.max(0, postedAt + (0.2 + holdS + 0.3 + 1) * 1000 - performance.now()));
    pump();
    const got = events.slice(before);
    expect(got.map((e) => [e.directionId, SOURCE_NAMES[e.spotSource], SOURCE_NAMES[e.futuresSource], nameOf(e.symbolId)])).toEqual([[d, SOURCE_NAMES[def.spot], SOURCE_NAMES[def.futures], `${asset}-USDT`]]);
    const ev = got[0]!;
    // Signalled while the episode ramps up, once net passed open_spread_pct (0.5) for two ticks.
    expect(ev.netPct).toBeGreaterThanOrEqual(0.5);
    expect(ev.grossPct).toBeLessThan(3.2);
    const fees = Object.values(DEFAULT_TAKER_FEE_PCT);
    expect(ev.netPct).toBeCloseTo(ev.grossPct - fees[def.spot]! - fees[def.futures]!, 4);
    expect(ev.futuresBid).toBeGreaterThan(ev.spotAsk);
    expect(ev.spotAgeUs).toBeLessThan(5_000_000);
  }, 60_000);
});
