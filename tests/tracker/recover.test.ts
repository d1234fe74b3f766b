// Crash recovery from the files alone: a torn last line, an open tracking resumed in the same file with the gap
// as missed ticks, a tracking that expired while the tracker was down, a pair no longer listed, a closed file
// whose summary row was lost, and two open files of one pair (a crash between a close and its close row).
import { describe, expect, test } from "bun:test";
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  formatCloseRow, formatRow, namesField, parseRow, parseSummary, resumeFromFiles, ROW_HEADER, RowState, scanTracks,
  trackRelPath, type TrackerGeneration,
} from "@spread/tracker";
import { lines, tempDirs } from "./helpers.ts";
import { makeTracker } from "./fakes.ts";

const dir = tempDirs();

const NAMES = ["BTC-USDT", "ETH-USDT", "XRP-USDT"];
const T0 = Date.parse("2026-12-03T10:00:00.000Z");
const K0 = T0 / 200;
const DIR0 = "okx_spot_mexc_futures";

function gen(listed = (_d: number, _s: number) => true, names = NAMES): TrackerGeneration {
  return { generation: "0000000000000000", names, ids: new Map(names.map((n, i) => [n, i])), listed };
}

/** Writes a rows file as the tracker would: header, `n` live rows from tick K0 at gross `g`, optional extra text. */
function writeTrack(root: string, openedAt: number, symbol: string, n: number, g: number, extra = ""): string {
  const rel = trackRelPath(openedAt, DIR0, symbol);
  mkdirSync(join(root, rel, ".."), { recursive: true });
  const names = namesField(DIR0, symbol);
  let text = ROW_HEADER;
  const k0 = Math.ceil(openedAt / 200);
  for (let i = 0; i < n; i++) {
    text += formatRow(names, {
      tsMs: (k0 + i) * 200, state: RowState.live, spotBid: 1, spotAsk: 1, futuresBid: 1 + g / 100, futuresAsk: 1.1,
      grossPct: g, netPct: g - 0.2, netRtPct: g - 0.4, spotAgeMs: 3, futuresAgeMs: 4, fundingRate: Number.NaN, nextFundingAtMs: Number.NaN,
    });
  }
  writeFileSync(join(root, rel), text + extra);
  return rel;
}

describe("recovery", () => {
  test("torn last line cut off; the tracking resumes in the same file; the gap is one missed row; no duplicate", async () => {
    const root = dir("resume");
    const rel = writeTrack(root, T0, "BTC-USDT", 10, 1.5, "2026-12-03T10:00:02.000Z,okx_spot_mexc_fut"); // killed mid-line
    const scan = await scanTracks(root, { pct: 0.5, on: "gross" }, 200, true);
    expect(scan.open.length).toBe(1);
    expect(scan.open[0]!.repairedBytes).toBeGreaterThan(0);
    expect(readFileSync(join(root, rel), "utf8").endsWith("\n")).toBe(true); // repaired on disk
    const { tracker, disk, prices, pairs, mono } = makeTracker(root, NAMES);
    const now = T0 + 5000; // restarted 3 s after the last row
    const r = resumeFromFiles(tracker, disk, scan, gen(), now);
    expect(r.resumed).toBe(1);
    expect(r.repairedFiles).toBe(1);
    expect(tracker.active.length).toBe(1);
    expect(pairs.tracked.has(0)).toBe(true);
    const t = tracker.active[0]!;
    expect(t.rel).toBe(rel);
    expect(t.stats.rows).toBe(10);
    // The engine's signal for the same pair after the restart is a duplicate, not a second tracking.
    expect(tracker.onSignal(0, 0, 6, 5, now)).toBeNull();
    prices.set(6, 0, 1, 1, mono());
    prices.set(5, 0, 1.02, 1.03, mono());
    tracker.onTick(now / 200);
    tracker.onTick(now / 200 + 1);
    await disk.closeAll();
    const rows = lines(readFileSync(join(root, rel), "utf8"));
    expect(rows.filter((l) => l + "\n" === ROW_HEADER).length).toBe(1); // one header: same file continued
    const parsed = rows.slice(1).map((l) => parseRow(l)!);
    expect(parsed.length).toBe(13);
    expect(parsed[10]!.state).toBe("missed");
    expect(parsed[10]!.tsMs).toBe((K0 + 10) * 200);
    expect(parsed[10]!.missed).toBe(now / 200 - (K0 + 10));
    expect(parsed[11]!.tsMs).toBe(now);
  });

  test("expired while down → EXPIRED at its expiry with the gap; unlisted → DELISTED; lost summary rebuilt; superseded file closed", async () => {
    const root = dir("close");
    const relOld = writeTrack(root, T0, "BTC-USDT", 5, 1, ""); // opened at T0; max 60 s in SETTINGS
    const relDel = writeTrack(root, T0 + 400_000, "ETH-USDT", 3, 1, "");
    // A closed tracking whose summary row never reached the disk.
    const relClosed = writeTrack(root, T0 + 1000, "XRP-USDT", 4, 2, formatCloseRow(namesField(DIR0, "XRP-USDT"), T0 + 1800, "CONVERGED"));
    // Two open files of XRP: the older converged (its close row lost), the newer is the live one.
    const relSup = writeTrack(root, T0 + 410_000, "XRP-USDT", 3, 0.05, "");
    const relNew = writeTrack(root, T0 + 411_000, "XRP-USDT", 2, 1.2, "");
    const scan = await scanTracks(root, { pct: 0.5, on: "gross" }, 200, true);
    expect(scan.open.length).toBe(4);
    expect(scan.unsummarized.map((s) => s.rel)).toEqual([relClosed]);
    const { tracker, disk, pairs } = makeTracker(root, NAMES);
    const now = T0 + 420_000;
    const r = resumeFromFiles(tracker, disk, scan, gen((_d, s) => s !== 1), now);
    expect(r).toEqual({ resumed: 1, closed: { EXPIRED: 1, DELISTED: 1, CONVERGED: 1 }, summariesRebuilt: 1, repairedFiles: 0 });
    expect(tracker.active.map((t) => t.rel)).toEqual([relNew]);
    expect([...pairs.tracked]).toEqual([2]);
    await disk.closeAll();
    const old = lines(readFileSync(join(root, relOld), "utf8")).slice(1).map((l) => parseRow(l)!);
    expect(old[5]!.state).toBe("missed");
    expect(old[5]!.missed).toBe(300 - 5); // ticks up to the expiry at T0 + 60 s
    expect(old[6]!.state).toBe("EXPIRED");
    expect(old[6]!.tsMs).toBe(T0 + 60_000);
    const del = lines(readFileSync(join(root, relDel), "utf8")).slice(1).map((l) => parseRow(l)!);
    expect(del[del.length - 1]!.state).toBe("DELISTED");
    expect(lines(readFileSync(join(root, relSup), "utf8")).pop()).toContain("CONVERGED");
    const summaries = lines(readFileSync(join(root, "summary", "2026-12-03.csv"), "utf8")).slice(1).map((l) => parseSummary(l)!);
    expect(summaries.map((s) => [s.file, s.reason]).sort()).toEqual(
      [[relClosed, "CONVERGED"], [relDel, "DELISTED"], [relOld, "EXPIRED"], [relSup, "CONVERGED"]].sort(),
    );
    const rebuilt = summaries.find((s) => s.file === relClosed)!;
    expect(rebuilt.rows).toBe(4);
    expect(rebuilt.peakGrossPct).toBe(2);
    expect(rebuilt.closedAtMs).toBe(T0 + 1800);
    const expired = summaries.find((s) => s.file === relOld)!;
    expect(expired.missedTicks).toBe(295);
    expect(expired.rows).toBe(5);
    // A second scan finds nothing to do: every summary is there, only the live file is open.
    const again = await scanTracks(root, { pct: 0.5, on: "gross" }, 200, true);
    expect(again.unsummarized.length).toBe(0);
    expect(again.open.map((s) => s.rel)).toEqual([relNew]);
  });

  test("a file cut inside its header is rewritten with a header; garbage files are reported, not fatal", async () => {
    const root = dir("header");
    const rel = trackRelPath(T0, DIR0, "BTC-USDT");
    mkdirSync(join(root, rel, ".."), { recursive: true });
    writeFileSync(join(root, rel), "ts,direction,sym"); // killed while writing the header
    writeFileSync(join(root, "tracks", "2026-12-03", "notes.csv"), "hello\n");
    appendFileSync(join(root, "tracks", "2026-12-03", "README"), "x");
    const scan = await scanTracks(root, { pct: 0.5, on: "gross" }, 200, true);
    expect(scan.open.length).toBe(1);
    expect(scan.skipped.map((s) => s.file)).toEqual(["tracks/2026-12-03/notes.csv"]);
    const { tracker, disk, prices, mono } = makeTracker(root, NAMES);
    resumeFromFiles(tracker, disk, scan, gen(), T0 + 1000);
    prices.set(6, 0, 1, 1, mono());
    prices.set(5, 0, 1.02, 1.03, mono());
    tracker.onTick((T0 + 1000) / 200);
    await disk.closeAll();
    const l = lines(readFileSync(join(root, rel), "utf8"));
    expect(l[0] + "\n").toBe(ROW_HEADER);
    expect(parseRow(l[1]!)!.state).toBe("missed");
    expect(parseRow(l[2]!)!.state).toBe("live");
  });
});
