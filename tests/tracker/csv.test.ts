// The CSV formats: the column lists of docs/formats.md are the code's, values round-trip, names are quoted when
// they need it, file names parse back, torn or foreign lines are rejected instead of misread.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  formatCloseRow, formatGapRow, formatRow, formatSummary, namesField, parseRow, parseSummary, parseTrackFileName, ROW_COLUMNS, RowState,
  splitCsv, SUMMARY_COLUMNS, trackRelPath,
} from "@spread/tracker";
import { ROOT } from "./helpers.ts";

const doc = readFileSync(join(ROOT, "docs/formats.md"), "utf8");

describe("tracker CSV formats", () => {
  test("docs/formats.md lists exactly the columns the code writes, in order", () => {
    expect(doc).toContain("`" + ROW_COLUMNS.join(",") + "`");
    expect(doc).toContain("`" + SUMMARY_COLUMNS.join(",") + "`");
    for (const c of [...ROW_COLUMNS, ...SUMMARY_COLUMNS]) expect(doc).toContain(`\`${c}\``);
  });

  test("rows and summaries round-trip; quoting only where needed", () => {
    const names = namesField("okx_spot_mexc_futures", 'WE,IRD"X-USDT');
    expect(names).toBe('okx_spot_mexc_futures,"WE,IRD""X-USDT"');
    const t = Date.parse("2026-12-03T07:45:12.200Z");
    const line = formatRow(names, { tsMs: t, state: RowState.spotStale, spotBid: 1.5, spotAsk: 1.6, futuresBid: Number.NaN, futuresAsk: 1.2e-7, grossPct: -0.1234, netPct: Number.NaN, netRtPct: 3, spotAgeMs: 12, futuresAgeMs: 5001 });
    expect(line).toBe('2026-12-03T07:45:12.200Z,okx_spot_mexc_futures,"WE,IRD""X-USDT",spot_stale,1.5,1.6,,1.2e-7,-0.1234,,3,12,5001,0\n');
    const r = parseRow(line.slice(0, -1))!;
    expect(r).toMatchObject({ tsMs: t, direction: "okx_spot_mexc_futures", symbol: 'WE,IRD"X-USDT', state: "spot_stale", grossPct: -0.1234, netRtPct: 3, missed: 0 });
    expect(Number.isNaN(r.netPct)).toBe(true);
    expect(parseRow(formatGapRow("a,b", t, "missed", 7).slice(0, -1))).toMatchObject({ state: "missed", missed: 7 });
    expect(parseRow(formatCloseRow("a,b", t, "FEED_LOST").slice(0, -1))).toMatchObject({ state: "FEED_LOST", tsMs: t });
    const s = {
      openedAtMs: t, closedAtMs: t + 61_234, direction: "okx_spot_mexc_futures", spotSource: "okx_spot", futuresSource: "mexc_futures", symbol: "BTC-USDT",
      reason: "CONVERGED" as const, firstGrossPct: 0.6, lastGrossPct: 0.05, peakGrossPct: 1.25, minGrossPct: 0.05, meanGrossPct: 0.7, peakNetPct: 1.05,
      thresholdPct: 0.5, thresholdOn: "net", timeAboveS: 12.4, rows: 300, missedTicks: 5, pausedTicks: 1, file: "tracks/2026-12-03/x.csv",
    };
    const back = parseSummary(formatSummary(s).slice(0, -1))!;
    expect(back).toEqual({ ...s, durationS: 61.234 });
  });

  test("torn, foreign and malformed lines are rejected, not misread", () => {
    expect(parseRow("2026-12-03T07:45:12.200Z,okx_spot_mexc_futures,BTC-USDT,live,1,2")).toBeNull();
    expect(parseRow('2026-12-03T07:45:12.200Z,"unterminated,BTC-USDT,live,,,,,,,,,,0')).toBeNull();
    expect(parseRow("not a time,d,s,live,,,,,,,,,,0")).toBeNull();
    expect(parseRow("2026-12-03T07:45:12.200Z,d,s,missed,,,,,,,,,,-1")).toBeNull();
    expect(parseSummary("2026-12-03T07:45:12.200Z,2026-12-03T07:45:13.200Z,d,a,b,s,WHATEVER,1,,,,,,,,,,1,0,0,f")).toBeNull();
    expect(splitCsv('a,"b ""c"", d",')).toEqual(["a", 'b "c", d', ""]);
  });

  test("rows file names encode open time, direction and symbol and parse back", () => {
    const t = Date.parse("2026-12-03T23:59:59.970Z");
    const rel = trackRelPath(t, "binance_spot_bybit_futures", "1000PEPE-USDT");
    expect(rel).toBe("tracks/2026-12-03/20261203T235959.970Z_binance_spot_bybit_futures_1000PEPE-USDT.csv");
    expect(parseTrackFileName(rel.split("/").pop()!)).toEqual({ openedAtMs: t, directionId: 11, symbol: "1000PEPE-USDT" });
    expect(parseTrackFileName("20261203T235959.970Z_nowhere_BTC-USDT.csv")).toBeNull();
    expect(parseTrackFileName("notes.csv")).toBeNull();
  });
});
