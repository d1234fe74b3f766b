// Edge cases of the tracker's funding settlement accounting (EpisodeStats.addFunding; docs/formats.md
// funding_settlements): the rate changing just before the instant (also when the first row showing the new rate is
// sampled after it), a poll gap (stale funding) across the instant, interval changes, a lagging host naming an older
// settlement, and a tracker that dies before the instant and resumes from its files after it. A settlement no row
// named (a gap longer than the interval) is not listed; the tracker counts it (funding_settlements_unknown).
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FundingFlag } from "@spread/shm";
import { EpisodeStats, parseSummary, resumeFromFiles, scanTracks, type TrackerGeneration } from "@spread/tracker";
import { lines, tempDirs } from "./helpers.ts";
import { makeTracker } from "./fakes.ts";

const at = (iso: string) => Date.parse(`2026-12-03T${iso}Z`);
const H = 3_600_000;
const S8 = at("08:00:00.000");
const S9 = at("09:00:00.000");
const S16 = at("16:00:00.000");
const OPEN = at("07:50:00.000");
const dir = tempDirs();

/**
 * Feeds rows (ts, rate, next[, the region's interval]) to a fresh EpisodeStats; NaN rate = a row without funding
 * (stale, none). `ivMs` = the region's interval for rows that do not give their own.
 */
function run(rows: [string, number, number, number?][], opened = OPEN, ivMs = Number.NaN): EpisodeStats {
  const s = new EpisodeStats(0.5);
  for (const [ts, rate, next, iv] of rows) s.addFunding(at(ts), rate, next, opened, iv ?? ivMs);
  return s;
}

describe("settlement accounting: the rate", () => {
  test("the rate changing just before the instant: the last rate shown for it", () => {
    const s = run([
      ["07:59:59.000", 0.0001, S8],
      ["07:59:59.600", 0.00012, S8],
      ["07:59:59.800", 0.00013, S8],
      ["08:00:00.000", 0.00013, S8],
      ["08:00:30.000", -0.0002, S16],
    ]);
    expect(s.settlements).toEqual([{ atMs: S8, rate: 0.00013 }]);
  });

  test("a poll that landed just before the instant, first sampled at or after it, still counts for it", () => {
    // The feed wrote 0.00015 for 08:00 at 07:59:59.950; the tracker's next ticks are 08:00:00.000 and later, and
    // the feed rolls over to 16:00 only at its next poll.
    const s = run([
      ["07:59:59.800", 0.0001, S8],
      ["08:00:00.000", 0.00015, S8],
      ["08:00:00.200", 0.00015, S8],
      ["08:00:59.800", 0.00015, S8],
      ["08:01:00.000", 0.0003, S16],
      ["08:01:00.200", 0.0003, S16],
    ]);
    expect(s.settlements).toEqual([{ atMs: S8, rate: 0.00015 }]);
    expect(s.settlementsUntil(at("08:01:00.200"), OPEN)).toEqual([{ atMs: S8, rate: 0.00015 }]);
  });

  test("settled with the rate shown up to the row past the instant even when the tracking closes before the rollover", () => {
    const s = run([
      ["07:59:59.800", 0.0001, S8],
      ["08:00:00.200", 0.00011, S8],
    ]);
    expect(s.settlementsUntil(at("08:00:00.200"), OPEN)).toEqual([{ atMs: S8, rate: 0.00011 }]);
    // Closed before the instant: not inside.
    expect(run([["07:59:59.800", 0.0001, S8]]).settlementsUntil(at("07:59:59.900"), OPEN)).toEqual([]);
  });
});

describe("settlement accounting: poll gaps (stale funding)", () => {
  test("a gap across the instant: recorded once, at the first row past it, with the rate shown before the gap", () => {
    const rows: [string, number, number][] = [["07:59:50.000", -0.0004, S8]];
    for (let sec = 51; sec < 120; sec++) rows.push([sec < 60 ? `07:59:${sec}.000` : `08:00:${String(sec - 60).padStart(2, "0")}.000`, Number.NaN, Number.NaN]);
    const during = run(rows);
    expect(during.settlements).toEqual([{ atMs: S8, rate: -0.0004 }]); // not waiting for the funding to come back
    rows.push(["08:01:00.000", 0.0001, S16], ["08:01:00.200", 0.0001, S16]);
    const after = run(rows);
    expect(after.settlements).toEqual([{ atMs: S8, rate: -0.0004 }]); // nothing invented when it returns
  });

  test("a gap that ends before the instant changes nothing; one that starts after it neither", () => {
    expect(run([["07:59:00.000", 0.0001, S8], ["07:59:30.000", Number.NaN, Number.NaN], ["07:59:59.000", 0.0002, S8], ["08:00:00.200", 0.0002, S8], ["08:00:01.000", Number.NaN, Number.NaN]]).settlements).toEqual([{ atMs: S8, rate: 0.0002 }]);
  });

  test("a gap longer than the interval: the settlement the rows never named is not listed but counted; the named one is kept", () => {
    // 1 h contract: 08:00 named, then no funding until 09:30, which names 10:00; the 09:00 settlement is unknown.
    const rows: [string, number, number][] = [["07:59:00.000", 0.0005, S8], ["08:00:05.000", Number.NaN, Number.NaN], ["09:30:00.000", 0.0006, S9 + H]];
    const s = run(rows, OPEN, H);
    expect(s.settlements).toEqual([{ atMs: S8, rate: 0.0005 }]);
    expect(s.settlementsUntil(at("10:00:00.000"), OPEN)).toEqual([{ atMs: S8, rate: 0.0005 }, { atMs: S9 + H, rate: 0.0006 }]);
    expect(s.unknownSettlements).toBe(1);
    expect(run(rows).unknownSettlements).toBe(0); // without the interval (recovery from the rows) it cannot be told
    // Three hours of gap: 09:00, 10:00, 11:00 unknown.
    expect(run([["07:59:00.000", 0.0005, S8], ["11:30:00.000", 0.0006, S9 + 3 * H]], OPEN, H).unknownSettlements).toBe(3);
  });

  test("nothing unknown when the rows move on in order, whatever the interval does", () => {
    const inOrder = (ivMs: number, next2: number) => run([["07:59:00.000", 0.0001, S8], ["08:00:40.000", 0.0002, next2], ["08:01:00.000", 0.0002, next2]], OPEN, ivMs).unknownSettlements;
    expect(inOrder(8 * H, S16)).toBe(0);
    expect(inOrder(H, S9)).toBe(0); // shortened after the settlement
    expect(inOrder(8 * H, S16)).toBe(0); // lengthened
    // Switched from 8 h to 1 h before the instant (16:00 replaced by 09:00).
    expect(run([["08:10:00.000", 0.0001, S16, 8 * H], ["08:30:00.000", 0.0009, S9, H]], at("08:05:00.000")).unknownSettlements).toBe(0);
    expect(run([["07:50:00.200", 0.0001, S8], ["08:00:40.000", 0.0002, S16]], OPEN, 8 * H).unknownSettlements).toBe(0); // seen from the open
  });

  test("funding first seen after an instant (opened during a gap) names the next one only; an instant before the open never counts", () => {
    const s = run([["07:50:00.200", Number.NaN, Number.NaN], ["08:00:10.000", 0.0001, S8], ["08:00:10.200", 0.0001, S16]], OPEN);
    // The row at 08:00:10 still named 08:00 (polled before it): it was inside the tracking, so it counts.
    expect(s.settlements).toEqual([{ atMs: S8, rate: 0.0001 }]);
    const late = run([["08:00:10.000", 0.0001, S8], ["08:00:10.200", 0.0001, S16]], at("08:00:05.000"));
    expect(late.settlements).toEqual([]);
    // First funding already names 09:00 (1 h): the 08:00 settlement inside the tracking was never named: counted.
    const unnamed = run([["07:50:00.200", Number.NaN, Number.NaN], ["08:00:10.000", 0.0001, S9]], OPEN, H);
    expect([unnamed.settlements, unnamed.unknownSettlements]).toEqual([[], 1]);
  });

  test("the tracker counts unnamed settlements in its status counters (the Funding region's interval)", async () => {
    const root = dir("unknown");
    const { tracker, disk, prices, funding, mono } = makeTracker(root, ["BTC-USDT"], { settings: { maxDurationMs: 6 * H, feedLostAfterMs: 6 * H, staleAfterMs: new Array(8).fill(6 * H) } });
    prices.set(6, 0, 99.9, 100, mono());
    prices.set(5, 0, 101, 101.1, mono());
    funding.set(5, 0, 0.0005, S8); // the fake region says 60 min
    tracker.onSignal(0, 0, 6, 5, at("07:59:00.000"));
    tracker.onTick(at("07:59:00.200") / 200);
    funding.set(5, 0, 0.0005, S8, FundingFlag.valid | FundingFlag.stale);
    tracker.onTick(at("08:00:00.200") / 200);
    funding.set(5, 0, 0.0006, S9 + H);
    tracker.onTick(at("09:30:00.000") / 200); // one missed row covers the gap in ticks
    expect(tracker.counters.fundingUnknownSettlements).toBe(1);
    expect(tracker.active[0]!.stats.settlements).toEqual([{ atMs: S8, rate: 0.0005 }]);
    tracker.close(tracker.active[0]!, "EXPIRED", at("09:30:00.200"));
    await disk.closeAll();
  });
});

describe("settlement accounting: schedule changes", () => {
  test("the interval shortened before the instant (16:00 → 09:00): 09:00 counts, 16:00 never announced again does not", () => {
    const s = run([["08:10:00.000", 0.0001, S16], ["08:30:00.000", 0.0009, S9], ["09:00:00.000", 0.001, S9], ["09:00:30.000", 0.0011, S9 + H]], at("08:05:00.000"));
    expect(s.settlementsUntil(at("16:30:00.000"), at("08:05:00.000"))).toEqual([{ atMs: S9, rate: 0.001 }, { atMs: S9 + H, rate: 0.0011 }]);
  });

  test("the interval lengthened before the instant (09:00 → 16:00): 09:00 no longer counts", () => {
    const s = run([["08:10:00.000", 0.0009, S9], ["08:30:00.000", 0.0001, S16], ["09:00:00.200", 0.0001, S16]], at("08:05:00.000"));
    expect(s.settlements).toEqual([]);
    expect(s.settlementsUntil(at("15:00:00.000"), at("08:05:00.000"))).toEqual([]);
  });

  test("a new interval after a settlement: each announced instant counts once", () => {
    const s = run([["07:59:00.000", 0.0001, S8], ["08:00:40.000", 0.0004, S9], ["09:00:40.000", 0.0005, S9 + H], ["10:00:40.000", 0.0005, S16]]);
    expect(s.settlements.map((x) => [x.atMs, x.rate])).toEqual([[S8, 0.0001], [S9, 0.0004], [S9 + H, 0.0005]]);
  });

  test("a lagging host naming an older settlement again never records it twice or anew", () => {
    // 1 h contract; at 09:01:40 a lagging fallback host serves an old reply naming 08:00 (settled already), then the
    // fresh host again.
    const s = run([
      ["07:59:00.000", 0.0001, S8], ["08:00:40.000", 0.0002, S9], ["09:00:00.200", 0.0002, S9], ["09:00:40.000", 0.0003, S9 + H],
      ["09:01:40.000", 0.0001, S8], ["09:02:40.000", 0.0003, S9 + H], ["10:00:00.200", 0.0003, S9 + H],
    ]);
    expect(s.settlements).toEqual([{ atMs: S8, rate: 0.0001 }, { atMs: S9, rate: 0.0002 }, { atMs: S9 + H, rate: 0.0003 }]);
  });
});

describe("settlement accounting: a tracker that dies before the instant and resumes after it", () => {
  const NAMES = ["BTC-USDT"];
  const SPOT = 6;
  const FUT = 5;
  const gen = (): TrackerGeneration => ({ generation: "0000000000000000", names: NAMES, ids: new Map(NAMES.map((n, i) => [n, i])), listed: () => true });

  async function beforeCrash(root: string, untilIso: string): Promise<void> {
    const { tracker, disk, prices, funding, mono } = makeTracker(root, NAMES);
    prices.set(SPOT, 0, 99.9, 100, mono());
    prices.set(FUT, 0, 101, 101.1, mono());
    funding.set(FUT, 0, 0.0001, S8);
    tracker.onSignal(0, 0, SPOT, FUT, at("07:59:55.000"));
    for (let k = at("07:59:55.200") / 200; k <= at(untilIso) / 200; k++) {
      if (k === at("07:59:58.000") / 200) funding.set(FUT, 0, 0.00014, S8); // the last rate before the crash
      tracker.onTick(k);
    }
    await disk.closeAll(); // killed: the tracking is open in its file
  }

  test("resumed after the instant: the settlement counts once, with the rate the rows showed before the crash", async () => {
    const root = dir("crash");
    await beforeCrash(root, "07:59:59.000");
    const scan = await scanTracks(root, { pct: 0.5, on: "gross" }, 200, true);
    expect(scan.open.length).toBe(1);
    expect(scan.open[0]!.stats.settlements).toEqual([]); // still pending in the file
    const { tracker, disk, prices, funding, mono } = makeTracker(root, NAMES);
    prices.set(SPOT, 0, 99.9, 100, mono());
    prices.set(FUT, 0, 101, 101.1, mono());
    funding.set(FUT, 0, 0.0001, S8, FundingFlag.valid | FundingFlag.stale); // the restarted feed has not polled yet
    const now = at("08:00:20.000");
    expect(resumeFromFiles(tracker, disk, scan, gen(), now).resumed).toBe(1);
    tracker.onTick(now / 200);
    funding.set(FUT, 0, -0.0003, S16);
    tracker.onTick(now / 200 + 1);
    tracker.onTick(now / 200 + 2);
    const t = tracker.active[0]!;
    tracker.close(t, "EXPIRED", now + 600);
    await disk.closeAll();
    const sums = lines(readFileSync(join(root, "summary", "2026-12-03.csv"), "utf8")).slice(1).map((l) => parseSummary(l)!);
    expect(sums.length).toBe(1);
    expect(sums[0]!.fundingSettlements).toEqual([{ atMs: S8, rate: 0.00014 }]);
    expect(sums[0]!.fundingSumPct).toBe(0.014);
    // A second crash and recovery reads the same settlement back from the rows (the close row is on disk).
    const again = await scanTracks(root, { pct: 0.5, on: "gross" }, 200, true);
    expect(again.open).toEqual([]);
  });

  test("expired while down, across the instant: closed at the expiry with the pending settlement inside", async () => {
    const root = dir("expired");
    await beforeCrash(root, "07:59:59.000");
    const scan = await scanTracks(root, { pct: 0.5, on: "gross" }, 200, true);
    const { tracker, disk } = makeTracker(root, NAMES, { settings: { maxDurationMs: 30_000 } });
    const res = resumeFromFiles(tracker, disk, scan, gen(), at("08:05:00.000"));
    expect(res.closed.EXPIRED).toBe(1);
    await disk.closeAll();
    const [s] = lines(readFileSync(join(root, "summary", "2026-12-03.csv"), "utf8")).slice(1).map((l) => parseSummary(l)!);
    expect(s!.closedAtMs).toBe(at("08:00:25.000"));
    expect(s!.fundingSettlements).toEqual([{ atMs: S8, rate: 0.00014 }]);
  });

  test("died after the instant with the rollover not yet seen: recovery and the resumed rows agree, no second settlement", async () => {
    const root = dir("after");
    await beforeCrash(root, "08:00:02.000");
    const scan = await scanTracks(root, { pct: 0.5, on: "gross" }, 200, true);
    expect(scan.open[0]!.stats.settlements).toEqual([{ atMs: S8, rate: 0.00014 }]);
    const { tracker, disk, prices, funding, mono } = makeTracker(root, NAMES);
    prices.set(SPOT, 0, 99.9, 100, mono());
    prices.set(FUT, 0, 101, 101.1, mono());
    funding.set(FUT, 0, 0.00014, S8); // the restarted feed's first poll: the venue has not rolled over yet
    const now = at("08:00:10.000");
    resumeFromFiles(tracker, disk, scan, gen(), now);
    tracker.onTick(now / 200);
    funding.set(FUT, 0, 0.0002, S16);
    tracker.onTick(now / 200 + 1);
    tracker.close(tracker.active[0]!, "EXPIRED", now + 400);
    await disk.closeAll();
    const [s] = lines(readFileSync(join(root, "summary", "2026-12-03.csv"), "utf8")).slice(1).map((l) => parseSummary(l)!);
    expect(s!.fundingSettlements).toEqual([{ atMs: S8, rate: 0.00014 }]);
  });
});
