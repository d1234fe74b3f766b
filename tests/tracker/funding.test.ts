// Funding in the tracker's files: every sampled row carries the futures leg's funding rate and next settlement
// (fresh values only); a settlement that falls inside a tracking appears in its summary with its rate and the
// sum; one before the open, or one the feed rolls over late, is not counted twice or at all; recovery rebuilds
// the same settlements from the rows; files written before funding are read and resumed in their own format.
import { describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FundingFlag } from "@spread/shm";
import {
  LEGACY_ROW_COLUMNS, LEGACY_ROW_HEADER, LEGACY_SUMMARY_COLUMNS, LEGACY_SUMMARY_HEADER, namesField, parseRow, parseSummary, resumeFromFiles,
  ROW_COLUMNS, scanTracks, splitCsv, SUMMARY_COLUMNS, trackRelPath, type TrackerGeneration,
} from "@spread/tracker";
import { lines, tempDirs } from "./helpers.ts";
import { makeTracker } from "./fakes.ts";

const dir = tempDirs();
const NAMES = ["BTC-USDT", "ETH-USDT"];
const SPOT = 6; // direction 0: okx_spot → mexc_futures
const FUT = 5;
const at = (iso: string) => Date.parse(`2026-12-03T${iso}Z`);
const S8 = at("08:00:00.000");
const S9 = at("09:00:00.000");

function gen(): TrackerGeneration {
  return { generation: "0000000000000000", names: NAMES, ids: new Map(NAMES.map((n, i) => [n, i])), listed: () => true };
}

function summaries(root: string) {
  return lines(readFileSync(join(root, "summary", "2026-12-03.csv"), "utf8")).slice(1).map((l) => parseSummary(l)!);
}

describe("tracker funding", () => {
  test("a settlement crossing inside a tracking appears in its summary; the feed's late rollover is not a second one", async () => {
    const root = dir("settle");
    const { tracker, disk, prices, funding, mono } = makeTracker(root, NAMES);
    prices.set(SPOT, 0, 99.9, 100, mono());
    prices.set(FUT, 0, 101, 101.1, mono());
    funding.set(FUT, 0, 0.0001, S8); // +0.01 % at 08:00 (the short futures leg earns it)
    const t = tracker.onSignal(0, 0, SPOT, FUT, at("07:59:59.050"))!;
    const k = (iso: string) => at(iso) / 200;
    for (let i = k("07:59:59.200"); i <= k("08:00:05.000"); i++) {
      // The venue's poll lands 3 s after the instant: until then the region still shows the 08:00 settlement.
      if (i === k("08:00:03.000")) funding.set(FUT, 0, -0.0002, S9);
      tracker.onTick(i);
    }
    prices.set(FUT, 0, 100.05, 100.2, mono()); // converges
    tracker.onTick(k("08:00:05.200"));
    expect(tracker.active.length).toBe(0);
    await disk.closeAll();

    const rows = lines(readFileSync(join(root, t.rel), "utf8"));
    expect(rows[0]).toBe(ROW_COLUMNS.join(","));
    const first = parseRow(rows[1]!)!;
    expect([first.fundingRate, first.nextFundingAtMs]).toEqual([0.0001, S8]);
    expect(rows[1]!.endsWith(",0,0.0001,2026-12-03T08:00:00.000Z")).toBe(true);
    const later = parseRow(rows.find((l) => l.startsWith("2026-12-03T08:00:04.000Z"))!)!;
    expect([later.fundingRate, later.nextFundingAtMs]).toEqual([-0.0002, S9]);
    expect(rows.at(-1)!.endsWith(",CONVERGED,,,,,,,,,,0,,")).toBe(true);
    const [s] = summaries(root);
    expect(s!.fundingSettlements).toEqual([{ atMs: S8, rate: 0.0001 }]);
    expect(s!.fundingSumPct).toBe(0.01);
    expect(tracker.recent.at(-1)!.fundingSettlements).toEqual([{ atMs: S8, rate: 0.0001 }]);
  });

  test("a settlement before the open is not counted (the feed still showed it); funding never seen leaves the columns empty", async () => {
    const root = dir("before");
    const { tracker, disk, prices, funding, mono } = makeTracker(root, NAMES);
    for (const sym of [0, 1]) {
      prices.set(SPOT, sym, 99.9, 100, mono());
      prices.set(FUT, sym, 101, 101.1, mono());
    }
    funding.set(FUT, 0, 0.0003, S8); // already past when the tracking opens at 08:00:01
    const k0 = at("08:00:01.000") / 200;
    const a = tracker.onSignal(0, 0, SPOT, FUT, at("08:00:00.900"))!;
    const b = tracker.onSignal(0, 1, SPOT, FUT, at("08:00:00.900"))!; // ETH: no funding collected
    for (let i = k0; i < k0 + 10; i++) tracker.onTick(i);
    funding.set(FUT, 0, 0.0002, S9);
    for (let i = k0 + 10; i < k0 + 20; i++) tracker.onTick(i);
    tracker.close(a, "EXPIRED", (k0 + 20) * 200);
    tracker.close(b, "EXPIRED", (k0 + 20) * 200);
    await disk.closeAll();
    const byFile = new Map(summaries(root).map((s) => [s.file, s]));
    expect(byFile.get(a.rel)!.fundingSettlements).toEqual([]);
    expect(byFile.get(a.rel)!.fundingSumPct).toBe(0);
    expect(byFile.get(b.rel)!.fundingSettlements).toBeNull();
    expect(Number.isNaN(byFile.get(b.rel)!.fundingSumPct)).toBe(true);
    const ethRow = lines(readFileSync(join(root, b.rel), "utf8"))[1]!;
    expect(ethRow.endsWith(",0,,")).toBe(true);
  });

  test("stale funding is not written; a settlement is still found once the leg's funding is fresh again", async () => {
    const root = dir("stale");
    const { tracker, disk, prices, funding, mono } = makeTracker(root, NAMES);
    prices.set(SPOT, 0, 99.9, 100, mono());
    prices.set(FUT, 0, 101, 101.1, mono());
    funding.set(FUT, 0, -0.0005, S8);
    const t = tracker.onSignal(0, 0, SPOT, FUT, at("07:59:58.000"))!;
    const k = (iso: string) => at(iso) / 200;
    tracker.onTick(k("07:59:58.200"));
    funding.set(FUT, 0, -0.0005, S8, FundingFlag.valid | FundingFlag.stale); // its feed stopped over the instant
    for (let i = k("07:59:58.400"); i <= k("08:00:01.000"); i++) tracker.onTick(i);
    funding.set(FUT, 0, 0.0001, S9);
    tracker.onTick(k("08:00:01.200"));
    tracker.close(t, "EXPIRED", at("08:00:01.400"));
    await disk.closeAll();
    const rows = lines(readFileSync(join(root, t.rel), "utf8")).slice(1).map((l) => parseRow(l)!);
    expect(rows.filter((r) => Number.isNaN(r.fundingRate)).length).toBe(rows.length - 2); // stale rows and the close row
    expect(summaries(root)[0]!.fundingSettlements).toEqual([{ atMs: S8, rate: -0.0005 }]);
    expect(summaries(root)[0]!.fundingSumPct).toBe(-0.05);
  });

  test("recovery rebuilds the same settlements from the rows; a pre-funding file resumes with 14 columns", async () => {
    const root = dir("recover");
    {
      const { tracker, disk, prices, funding, mono } = makeTracker(root, NAMES);
      prices.set(SPOT, 0, 99.9, 100, mono());
      prices.set(FUT, 0, 101, 101.1, mono());
      funding.set(FUT, 0, 0.00025, S8);
      tracker.onSignal(0, 0, SPOT, FUT, at("07:59:59.000"));
      for (let i = at("07:59:59.200") / 200; i <= at("08:00:00.600") / 200; i++) tracker.onTick(i);
      await disk.closeAll(); // the process dies here: the tracking is open in its file
    }
    // A rows file and a summary day file written by a tracker from before funding.
    const oldRel = trackRelPath(at("08:00:00.000"), "okx_spot_mexc_futures", "ETH-USDT");
    mkdirSync(join(root, oldRel, ".."), { recursive: true });
    const names = namesField("okx_spot_mexc_futures", "ETH-USDT");
    writeFileSync(join(root, oldRel), `${LEGACY_ROW_HEADER}2026-12-03T08:00:00.200Z,${names},live,99.9,100,101,101.1,1,0.8,0.6,3,4,0\n`);
    mkdirSync(join(root, "summary"), { recursive: true });
    writeFileSync(join(root, "summary", "2026-12-03.csv"), LEGACY_SUMMARY_HEADER);

    const scan = await scanTracks(root, { pct: 0.5, on: "gross" }, 200, true);
    expect(scan.open.length).toBe(2);
    const btc = scan.open.find((s) => s.symbol === "BTC-USDT")!;
    const eth = scan.open.find((s) => s.symbol === "ETH-USDT")!;
    expect([btc.legacyColumns, eth.legacyColumns]).toEqual([false, true]);
    expect(btc.stats.settlements).toEqual([{ atMs: S8, rate: 0.00025 }]);
    const { tracker, disk, prices, funding, mono } = makeTracker(root, NAMES);
    prices.set(SPOT, 0, 99.9, 100, mono());
    prices.set(FUT, 0, 101, 101.1, mono());
    prices.set(SPOT, 1, 99.9, 100, mono());
    prices.set(FUT, 1, 101, 101.1, mono());
    funding.set(FUT, 0, 0.0001, S9);
    funding.set(FUT, 1, 0.0001, S9);
    const now = at("08:00:02.000");
    expect(resumeFromFiles(tracker, disk, scan, gen(), now).resumed).toBe(2);
    tracker.onTick(now / 200);
    for (const t of [...tracker.active]) tracker.close(t, "EXPIRED", now + 200);
    await disk.closeAll();
    const ethLines = lines(readFileSync(join(root, oldRel), "utf8"));
    expect(ethLines.slice(1).every((l) => splitCsv(l).length === LEGACY_ROW_COLUMNS)).toBe(true); // one table
    expect(ethLines.length).toBe(5); // header, old row, missed, sampled, close
    const sums = lines(readFileSync(join(root, "summary", "2026-12-03.csv"), "utf8"));
    expect(sums[0]).toBe(LEGACY_SUMMARY_HEADER.trimEnd());
    expect(sums.slice(1).every((l) => splitCsv(l).length === LEGACY_SUMMARY_COLUMNS)).toBe(true); // the day file stays 21 columns
    expect(sums.length).toBe(3);
    // A new day file gets the funding columns: the resumed BTC tracking's summary, written again the new way.
    const btcTrack = summaries(root).find((s) => s.symbol === "BTC-USDT")!;
    expect(btcTrack.fundingSettlements).toBeNull(); // this legacy day file has no funding columns
    const { tracker: t2, disk: d2 } = makeTracker(root, NAMES);
    t2.appendSummary({ ...btcTrack, closedAtMs: at("08:00:00.000") + 86_400_000, fundingSettlements: btc.stats.settlementsUntil(now + 200, btc.openedAtMs) });
    await d2.closeAll();
    const next = lines(readFileSync(join(root, "summary", "2026-12-04.csv"), "utf8"));
    expect(next[0]).toBe(SUMMARY_COLUMNS.join(","));
    expect(parseSummary(next[1]!)!.fundingSettlements).toEqual([{ atMs: S8, rate: 0.00025 }]);
  });
});
