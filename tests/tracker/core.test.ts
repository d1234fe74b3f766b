// The tracker core driven tick by tick (no timers): rows, close rules, re-signal, pause, missed ticks, reload.
import { describe, expect, test } from "bun:test";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { PriceFlag } from "@spread/shm";
import { parseRow, parseSummary, ROW_HEADER, SUMMARY_HEADER } from "@spread/tracker";
import { lines, tempDirs } from "./helpers.ts";
import { makeTracker } from "./fakes.ts";

const dir = tempDirs();

const NAMES = ["BTC-USDT", "ETH-USDT", "XRP-USDT"];
// Direction 0 = okx_spot (6) → mexc_futures (5).
const SPOT = 6;
const FUT = 5;
const T0 = Date.parse("2026-12-03T10:00:00.000Z");
const K0 = T0 / 200;

function rowsOf(root: string, rel: string) {
  const text = readFileSync(join(root, rel), "utf8");
  const l = lines(text);
  expect(l[0] + "\n").toBe(ROW_HEADER);
  return l.slice(1).map((x) => parseRow(x)!);
}

describe("tracker core", () => {
  test("open → a row every tick → CONVERGED → immediate re-signal opens a second tracking", async () => {
    const root = dir("core");
    const { tracker, disk, prices, pairs, mono } = makeTracker(root, NAMES);
    prices.set(SPOT, 0, 99.9, 100, mono());
    prices.set(FUT, 0, 101, 101.1, mono());
    const t = tracker.onSignal(0, 0, SPOT, FUT, T0 - 50)!;
    expect(t).not.toBeNull();
    expect(pairs.tracked.has(0)).toBe(true);
    expect(tracker.onSignal(0, 0, SPOT, FUT, T0 - 40)).toBeNull(); // already tracked
    expect(tracker.counters.eventsDuplicate).toBe(1);
    for (let k = K0; k < K0 + 10; k++) tracker.onTick(k);
    prices.set(FUT, 0, 100.05, 100.2, mono()); // gross 0.05 % ≤ 0.1 → converged
    tracker.onTick(K0 + 10);
    expect(tracker.active.length).toBe(0);
    expect(pairs.tracked.has(0)).toBe(false);
    expect(tracker.counters.closes.CONVERGED).toBe(1);
    // The engine signals the same pair again at once: a new tracking, a new file.
    prices.set(FUT, 0, 101, 101.1, mono());
    const t2 = tracker.onSignal(0, 0, SPOT, FUT, (K0 + 10) * 200 + 10)!;
    expect(t2).not.toBeNull();
    expect(t2.rel).not.toBe(t.rel);
    tracker.onTick(K0 + 11);
    await disk.closeAll();

    const rows = rowsOf(root, t.rel);
    expect(rows.length).toBe(12); // 11 samples + the close row
    rows.slice(0, 11).forEach((r, i) => {
      expect(r.tsMs).toBe((K0 + i) * 200); // every tick, 200 ms apart, none skipped
      expect(r.direction).toBe("okx_spot_mexc_futures");
      expect(r.symbol).toBe("BTC-USDT");
    });
    expect(rows[0]!.state).toBe("live");
    expect(rows[0]!.grossPct).toBe(1);
    expect(rows[0]!.netPct).toBe(0.8);
    expect(rows[10]!.grossPct).toBe(0.05);
    expect(rows[11]!.state).toBe("CONVERGED");
    const sum = lines(readFileSync(join(root, "summary", "2026-12-03.csv"), "utf8"));
    expect(sum[0] + "\n").toBe(SUMMARY_HEADER);
    const s = parseSummary(sum[1]!)!;
    expect(s.reason).toBe("CONVERGED");
    expect(s.rows).toBe(11);
    expect(s.peakGrossPct).toBe(1);
    expect(s.minGrossPct).toBe(0.05);
    expect(s.timeAboveS).toBe(2); // 10 rows at 1 % ≥ 0.5 % threshold × 0.2 s
    expect(s.file).toBe(t.rel);
    expect(s.spotSource).toBe("okx_spot");
    expect(s.futuresSource).toBe("mexc_futures");
    expect(rowsOf(root, t2.rel).length).toBe(1);
  });

  test("EXPIRED after max duration; ticks the schedule missed become one missed row", async () => {
    const root = dir("expire");
    const { tracker, disk, prices, mono } = makeTracker(root, NAMES, { settings: { maxDurationMs: 2000 } });
    prices.set(SPOT, 1, 10, 10, mono());
    prices.set(FUT, 1, 10.2, 10.3, mono());
    const t = tracker.onSignal(0, 1, SPOT, FUT, T0)!;
    tracker.onTick(K0);
    tracker.onTick(K0 + 1);
    tracker.onTick(K0 + 5); // ticks K0+2..K0+4 were missed by the schedule
    for (let k = K0 + 6; k <= K0 + 10; k++) tracker.onTick(k);
    expect(tracker.active.length).toBe(0);
    await disk.closeAll();
    const rows = rowsOf(root, t.rel);
    const missed = rows.filter((r) => r.state === "missed");
    expect(missed.length).toBe(1);
    expect(missed[0]!.missed).toBe(3);
    expect(missed[0]!.tsMs).toBe((K0 + 2) * 200);
    expect(rows[rows.length - 1]!.state).toBe("EXPIRED");
    expect(rows[rows.length - 1]!.tsMs).toBe(T0 + 2000);
    const s = parseSummary(lines(readFileSync(join(root, "summary", "2026-12-03.csv"), "utf8"))[1]!)!;
    expect(s.missedTicks).toBe(3);
    expect(s.rows + s.missedTicks).toBe(11); // every tick from open to expiry is accounted for
    expect(s.durationS).toBe(2);
  });

  test("a stale leg is written as stale (never live), and FEED_LOST closes after the bound", async () => {
    const root = dir("feedlost");
    const { tracker, disk, prices, setMono } = makeTracker(root, NAMES);
    let mono = 5_000_000_000;
    setMono(mono);
    prices.set(SPOT, 2, 1, 1, mono);
    prices.set(FUT, 2, 1.02, 1.03, mono);
    const t = tracker.onSignal(0, 2, SPOT, FUT, T0)!;
    tracker.onTick(K0);
    prices.set(FUT, 2, 1.02, 1.03, mono, PriceFlag.valid | PriceFlag.stale); // feed flagged it
    tracker.onTick(K0 + 1);
    prices.set(FUT, 2, 1.02, 1.03, mono); // flag cleared, but the leg is now too old
    mono += 6_000_000;
    setMono(mono);
    for (let k = K0 + 2; k < K0 + 20 && tracker.active.length; k++) tracker.onTick(k);
    expect(tracker.counters.closes.FEED_LOST).toBe(1);
    await disk.closeAll();
    const rows = rowsOf(root, t.rel);
    expect(rows[0]!.state).toBe("live");
    expect(rows[1]!.state).toBe("futures_stale");
    expect(rows[2]!.state).toBe("both_stale");
    // Stale since K0+1; the bound is 2 s = 10 ticks.
    expect(rows[rows.length - 1]!.state).toBe("FEED_LOST");
    expect(rows[rows.length - 1]!.tsMs).toBe((K0 + 11) * 200);
    const s = parseSummary(lines(readFileSync(join(root, "summary", "2026-12-03.csv"), "utf8"))[1]!)!;
    expect(s.peakGrossPct).toBe(2); // stale rows never count for the peak
    expect(s.rows).toBe(12);
  });

  test("pause keeps the tracking open and records the paused ticks; DELISTED on reload; ids that move follow", async () => {
    const root = dir("pause");
    const { tracker, disk, prices, pairs, mono } = makeTracker(root, NAMES);
    for (const sym of [0, 2]) {
      prices.set(SPOT, sym, 1, 1, mono());
      prices.set(FUT, sym, 1.02, 1.03, mono());
    }
    const a = tracker.onSignal(0, 0, SPOT, FUT, T0)!; // BTC
    const b = tracker.onSignal(0, 2, SPOT, FUT, T0)!; // XRP
    tracker.onTick(K0);
    tracker.paused = true;
    for (let k = K0 + 1; k <= K0 + 4; k++) tracker.onTick(k);
    tracker.paused = false;
    tracker.onTick(K0 + 5);
    // New generation: BTC-USDT gone, XRP-USDT moves from id 2 to id 1.
    tracker.reload(["ETH-USDT", "XRP-USDT"], () => true, T0 + 1100);
    expect(tracker.active).toEqual([b]);
    expect(b.symbolId).toBe(1);
    expect(pairs.tracked.has(1)).toBe(true);
    expect(pairs.tracked.has(2)).toBe(false);
    expect(pairs.tracked.has(0)).toBe(false);
    await disk.closeAll();
    const ra = rowsOf(root, a.rel);
    expect(ra.map((r) => r.state)).toEqual(["live", "paused", "live", "DELISTED"]);
    expect(ra[1]!.missed).toBe(4);
    const s = parseSummary(lines(readFileSync(join(root, "summary", "2026-12-03.csv"), "utf8"))[1]!)!;
    expect(s.reason).toBe("DELISTED");
    expect(s.pausedTicks).toBe(4);
    expect(s.missedTicks).toBe(0);
    expect(readdirSync(join(root, "tracks", "2026-12-03")).length).toBe(2);
  });

  test("invalid events are counted, never opened", () => {
    const root = dir("invalid");
    const { tracker } = makeTracker(root, NAMES);
    expect(tracker.onSignal(12, 0, SPOT, FUT, T0)).toBeNull(); // no direction 12
    expect(tracker.onSignal(0, 0, 0, FUT, T0)).toBeNull(); // wrong spot source for direction 0
    expect(tracker.onSignal(0, 3, SPOT, FUT, T0)).toBeNull(); // symbol id beyond the generation
    expect(tracker.counters.eventsInvalid).toBe(3);
    expect(tracker.active.length).toBe(0);
  });
});
