// spread-ctl stats ranks pairs by the spread net of funding: per pair the best peak_net_pct + funding_sum_pct of an
// episode whose rows carried funding; pairs without funding (pre-funding files, funding never collected) sort last.
import { describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderTracks } from "@spread/ctl";
import { closedInfo, formatSummary, LEGACY_SUMMARY_HEADER, pairStats, parseSummary, sortPairStats, SUMMARY_HEADER, type SummaryValues } from "@spread/tracker";
import { ROOT, tempDirs } from "./helpers.ts";

const dir = tempDirs();
const T = Date.parse("2026-12-03T07:00:00Z");
const S8 = Date.parse("2026-12-03T08:00:00Z");

function summary(symbol: string, peakNet: number, settlements: SummaryValues["fundingSettlements"], i = 0): SummaryValues {
  return {
    openedAtMs: T + i * 1000, closedAtMs: T + 3_600_000 + i * 1000, direction: "okx_spot_mexc_futures", spotSource: "okx_spot", futuresSource: "mexc_futures", symbol,
    reason: "CONVERGED", firstGrossPct: 1, lastGrossPct: 0.05, peakGrossPct: peakNet + 0.2, minGrossPct: 0.05, meanGrossPct: 0.5, peakNetPct: peakNet,
    thresholdPct: 0.5, thresholdOn: "net", timeAboveS: 10, rows: 100, missedTicks: 0, pausedTicks: 0, file: `tracks/2026-12-03/${symbol}-${i}.csv`,
    fundingSettlements: settlements,
  };
}

// BTC: 1.0 % peak net but paid 0.9 % funding (three −0.3 % settlements); ETH: 0.6 % and earned 0.05 %;
// XRP: 0.8 %, funding never seen; DOGE: a pre-funding (21-column) row.
const LINES = [
  formatSummary(summary("BTC-USDT", 1.0, [{ atMs: S8, rate: -0.003 }, { atMs: S8 + 3_600_000, rate: -0.003 }, { atMs: S8 + 7_200_000, rate: -0.003 }])),
  formatSummary(summary("BTC-USDT", 0.3, [], 1)),
  formatSummary(summary("ETH-USDT", 0.6, [{ atMs: S8, rate: 0.0005 }])),
  formatSummary(summary("XRP-USDT", 0.8, null)),
];
const LEGACY = formatSummary(summary("DOGE-USDT", 2, null), true);

describe("stats net of funding", () => {
  test("per pair: peak net, funding sum, best peak net + its funding; sorted by it, unknown last", () => {
    const rows = [...LINES, LEGACY].map((l) => parseSummary(l.slice(0, -1))!);
    const stats = sortPairStats(pairStats(rows), "net_funding");
    expect(stats.map((s) => s.symbol)).toEqual(["ETH-USDT", "BTC-USDT", "DOGE-USDT", "XRP-USDT"]);
    const btc = stats[1]!;
    expect([btc.peak_net_pct, btc.funding_sum_pct, btc.net_funding_pct]).toEqual([1, -0.9, 0.3]); // max(1 − 0.9, 0.3 + 0)
    expect([stats[0]!.funding_sum_pct, stats[0]!.net_funding_pct]).toEqual([0.05, 0.65]);
    for (const s of stats.slice(2)) expect([s.funding_sum_pct, s.net_funding_pct]).toEqual([null, null]);
    expect(sortPairStats(pairStats(rows), "peak").map((s) => s.symbol)[0]).toBe("DOGE-USDT"); // gross alone says otherwise
  });

  test("tracks: a closed tracking carries its funding_sum_pct (null when unknown); the table shows it", () => {
    const [btc, , , xrp] = LINES.map((l) => ({ ...parseSummary(l.slice(0, -1))!, directionId: 0 }));
    const a = closedInfo("/data", btc!);
    const b = closedInfo("/data", xrp!);
    expect([a.funding_sum_pct, b.funding_sum_pct]).toEqual([-0.9, null]);
    const text = renderTracks({ tracks: [a, b], source: "status", statusAgeMs: 0 }, 10);
    expect(text).toContain("funding %");
    expect(text.split("\n").find((l) => l.includes("BTC-USDT"))).toContain("-0.9000");
  });

  test("spread-ctl stats --sort net_funding --json carries the fields; the table shows them", async () => {
    const root = dir("ctl");
    mkdirSync(join(root, "summary"), { recursive: true });
    writeFileSync(join(root, "summary", "2026-12-03.csv"), SUMMARY_HEADER + LINES.join(""));
    writeFileSync(join(root, "summary", "2026-12-02.csv"), LEGACY_SUMMARY_HEADER + LEGACY.replace("2026-12-03", "2026-12-02"));
    const run = async (args: string[]) => {
      const p = Bun.spawn([process.execPath, join(ROOT, "bins/spread-ctl.ts"), "stats", "--since", "2026-12-01T00:00:00Z", "--data", root, ...args], { stdout: "pipe", stderr: "pipe" });
      const [code, out, err] = await Promise.all([p.exited, new Response(p.stdout).text(), new Response(p.stderr).text()]);
      return { code, out, err };
    };
    const j = await run(["--sort", "net_funding", "--json"]);
    expect(j.err).toBe("");
    const list = JSON.parse(j.out) as { symbol: string; net_funding_pct: number | null; funding_sum_pct: number | null; peak_net_pct: number | null }[];
    expect(list.map((s) => [s.symbol, s.net_funding_pct])).toEqual([["ETH-USDT", 0.65], ["BTC-USDT", 0.3], ["DOGE-USDT", null], ["XRP-USDT", null]]);
    const text = await run(["--sort", "net_funding"]);
    expect(text.code).toBe(0);
    expect(text.out).toContain("net+f %");
    expect(text.out.split("\n").find((l) => l.startsWith("okx_spot_mexc_futures  BTC-USDT"))).toContain("-0.9000");
  });
});
