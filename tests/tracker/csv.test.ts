// The CSV formats: the column lists of docs/formats.md are the code's, values round-trip, names are quoted when
// they need it, file names parse back, torn or foreign lines are rejected instead of misread.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  formatCloseRow, formatGapRow, formatRow, formatSummary, LEGACY_ROW_COLUMNS, LEGACY_ROW_HEADER, LEGACY_SUMMARY_COLUMNS, LEGACY_SUMMARY_HEADER,
  namesField, parseRow, parseSummary, parseTrackFileName, ROW_COLUMNS, RowState, splitCsv, SUMMARY_COLUMNS, trackRelPath,
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
    const line = formatRow(names, { tsMs: t, state: RowState.spotStale, spotBid: 1.5, spotAsk: 1.6, futuresBid: Number.NaN, futuresAsk: 1.2e-7, grossPct: -0.1234, netPct: Number.NaN, netRtPct: 3, spotAgeMs: 12, futuresAgeMs: 5001, fundingRate: -0.00003779, nextFundingAtMs: Date.parse("2026-12-03T08:00:00Z") });
    expect(line).toBe('2026-12-03T07:45:12.200Z,okx_spot_mexc_futures,"WE,IRD""X-USDT",spot_stale,1.5,1.6,,1.2e-7,-0.1234,,3,12,5001,0,-0.00003779,2026-12-03T08:00:00.000Z\n');
    const r = parseRow(line.slice(0, -1))!;
    expect(r).toMatchObject({ tsMs: t, direction: "okx_spot_mexc_futures", symbol: 'WE,IRD"X-USDT', state: "spot_stale", grossPct: -0.1234, netRtPct: 3, missed: 0 });
    expect(Number.isNaN(r.netPct)).toBe(true);
    expect([r.fundingRate, r.nextFundingAtMs]).toEqual([-0.00003779, Date.parse("2026-12-03T08:00:00Z")]);
    expect(parseRow(formatGapRow("a,b", t, "missed", 7).slice(0, -1))).toMatchObject({ state: "missed", missed: 7 });
    expect(parseRow(formatCloseRow("a,b", t, "FEED_LOST").slice(0, -1))).toMatchObject({ state: "FEED_LOST", tsMs: t });
    const s = {
      openedAtMs: t, closedAtMs: t + 61_234, direction: "okx_spot_mexc_futures", spotSource: "okx_spot", futuresSource: "mexc_futures", symbol: "BTC-USDT",
      reason: "CONVERGED" as const, firstGrossPct: 0.6, lastGrossPct: 0.05, peakGrossPct: 1.25, minGrossPct: 0.05, meanGrossPct: 0.7, peakNetPct: 1.05,
      thresholdPct: 0.5, thresholdOn: "net", timeAboveS: 12.4, rows: 300, missedTicks: 5, pausedTicks: 1, file: "tracks/2026-12-03/x.csv",
      fundingSettlements: [{ atMs: Date.parse("2026-12-03T08:00:00Z"), rate: 0.0001 }, { atMs: Date.parse("2026-12-03T09:00:00Z"), rate: -0.00025 }],
    };
    const text = formatSummary(s);
    expect(text.endsWith(",tracks/2026-12-03/x.csv,2026-12-03T08:00:00.000Z@0.0001;2026-12-03T09:00:00.000Z@-0.00025,-0.015\n")).toBe(true);
    const back = parseSummary(text.slice(0, -1))!;
    expect(back).toEqual({ ...s, durationS: 61.234, fundingSumPct: -0.015 });
    // Funding seen, no settlement inside: an empty list and 0; never seen: both empty (null / NaN).
    expect(formatSummary({ ...s, fundingSettlements: [] }).endsWith("/x.csv,,0\n")).toBe(true);
    expect(parseSummary(formatSummary({ ...s, fundingSettlements: [] }).slice(0, -1))).toMatchObject({ fundingSettlements: [], fundingSumPct: 0 });
    const none = parseSummary(formatSummary({ ...s, fundingSettlements: null }).slice(0, -1))!;
    expect(none.fundingSettlements).toBeNull();
    expect(Number.isNaN(none.fundingSumPct)).toBe(true);
  });

  test("files written before funding (14 row / 21 summary columns) still parse; legacy formats are written on request", () => {
    const t = Date.parse("2026-12-03T07:45:12.200Z");
    const old = "2026-12-03T07:45:12.200Z,okx_spot_mexc_futures,BTC-USDT,live,1,1.1,1.02,1.03,2,1.8,1.6,3,4,0";
    expect(old.split(",").length).toBe(LEGACY_ROW_COLUMNS);
    const r = parseRow(old)!;
    expect(r).toMatchObject({ tsMs: t, state: "live", grossPct: 2, missed: 0 });
    expect([Number.isNaN(r.fundingRate), Number.isNaN(r.nextFundingAtMs)]).toEqual([true, true]);
    expect(LEGACY_ROW_HEADER).toBe("ts,direction,symbol,state,spot_bid,spot_ask,futures_bid,futures_ask,gross_pct,net_pct,net_rt_pct,spot_age_ms,futures_age_ms,missed\n");
    const v = { tsMs: t, state: RowState.live, spotBid: 1, spotAsk: 1.1, futuresBid: 1.02, futuresAsk: 1.03, grossPct: 2, netPct: 1.8, netRtPct: 1.6, spotAgeMs: 3, futuresAgeMs: 4, fundingRate: 0.0001, nextFundingAtMs: t };
    expect(formatRow("okx_spot_mexc_futures,BTC-USDT", v, undefined, undefined, true)).toBe(`${old}\n`);
    expect(formatGapRow("a,b", t, "missed", 3, true).split(",").length).toBe(LEGACY_ROW_COLUMNS);
    expect(formatCloseRow("a,b", t, "EXPIRED", true).split(",").length).toBe(LEGACY_ROW_COLUMNS);
    expect(formatGapRow("a,b", t, "missed", 3).split(",").length).toBe(ROW_COLUMNS.length);
    expect(formatCloseRow("a,b", t, "EXPIRED").split(",").length).toBe(ROW_COLUMNS.length);
    const oldSum = "2026-12-03T07:45:12.200Z,2026-12-03T07:46:13.434Z,okx_spot_mexc_futures,okx_spot,mexc_futures,BTC-USDT,CONVERGED,61.234,0.6,0.05,1.25,0.05,0.7,1.05,0.5,net,12.4,300,5,1,tracks/2026-12-03/x.csv";
    const s = parseSummary(oldSum)!;
    expect(s).toMatchObject({ reason: "CONVERGED", durationS: 61.234, file: "tracks/2026-12-03/x.csv", fundingSettlements: null });
    expect(formatSummary(s, true)).toBe(`${oldSum}\n`);
    expect(LEGACY_SUMMARY_HEADER.split(",").length).toBe(LEGACY_SUMMARY_COLUMNS);
    expect(parseSummary(`${oldSum},2026-12-03T08:00:00.000Z@x,1`)).toBeNull(); // a malformed settlement list
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
