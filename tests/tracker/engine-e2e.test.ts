// spread-engine and spread-tracker together, both real processes (the test plays the feeds): a spread opens → the
// engine claims the pair and signals → the tracker takes it (TRACKED) and writes rows → the spread closes →
// CONVERGED frees the pair at once → the spread opens again → the engine signals again → a second tracking.
import { afterAll, describe, expect, test } from "bun:test";
import { TrackedPairState } from "@spread/shm";
import { parseRow } from "@spread/tracker";
import type { Launched } from "@spread/ctl";
import { TrackerBed } from "./bed.ts";
import { lines, until } from "./helpers.ts";

const bed = new TrackerBed();
let engine: Launched | null = null;
afterAll(async () => {
  await engine?.stop(3000);
  await bed.cleanup();
});

describe("engine → tracker", () => {
  test("signal, tracking, convergence, re-signal, second tracking", async () => {
    bed.start(["AAA-USDT", "BBB-USDT"]);
    const tracker = bed.spawn();
    await tracker.waitForLine(/tracker running/, 20_000);
    engine = bed.spawnEngine();
    await until("engine attached", () => bed.shm.tracked.enginePid() === engine!.proc.pid, 20_000);
    // okx_spot (6) asks 10, bybit_futures (3) bids 10.3: +3 % gross on direction 1 only (no other leg is priced).
    bed.quote(6, 0, 9.99, 10);
    bed.quote(3, 0, 10.3, 10.31);
    await until("the tracker took the engine's signal", () => bed.status()?.open.length === 1);
    const first = bed.status()!.open[0]!;
    expect([first.direction_id, first.symbol, first.spot_source, first.futures_source]).toEqual([1, "AAA-USDT", "okx_spot", "bybit_futures"]);
    expect(bed.shm.tracked.state(1, 0)).toBe(TrackedPairState.tracked);
    await until("rows", () => lines(bed.text(first.file)).length >= 4);
    const r = parseRow(lines(bed.text(first.file)).find((l) => l.includes(",live,"))!)!;
    expect(r.grossPct).toBe(3);
    expect(r.netPct).toBe(2.845); // config.sim.toml fees: okx_spot 0.1 % + bybit_futures 0.055 %

    // The spread closes (both legs fresh): CONVERGED, the pair is free at once.
    bed.quote(6, 0, 9.99, 10);
    bed.quote(3, 0, 10.0, 10.01);
    await until("CONVERGED", () => bed.status()?.counters.closes.CONVERGED === 1);
    await until("pair free", () => bed.shm.tracked.state(1, 0) !== TrackedPairState.tracked);

    // It opens again: the engine signals again, the tracker opens a second tracking in a new file.
    bed.quote(6, 0, 9.99, 10);
    bed.quote(3, 0, 10.25, 10.26);
    await until("second tracking", () => bed.status()?.counters.opens === 2 && bed.status()!.open.length === 1);
    const second = bed.status()!.open[0]!;
    expect(second.file).not.toBe(first.file);
    expect(bed.shm.tracked.state(1, 0)).toBe(TrackedPairState.tracked);
    expect(bed.status()!.counters.events_invalid).toBe(0);

    expect(await engine.stop(5000)).toBe(0);
    engine = null;
    expect(await tracker.stop(5000)).toBe(0);
  }, 90_000);
});
