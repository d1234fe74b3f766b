// TrackerWatch over a data directory written by the test: priming at start, the threshold on net or gross
// from the latest live row, the per-pair cooldown, closed only for alerted openings.
import { afterAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TrackerWatch } from "@spread/alerts";
import { ROW_HEADER } from "@spread/tracker";

const data = mkdtempSync(join(tmpdir(), "alerts-watch-"));
afterAll(() => rmSync(data, { recursive: true, force: true }));
const NOW = Date.parse("2026-12-03T09:00:00.000Z");
mkdirSync(join(data, "tracks", "2026-12-03"), { recursive: true });

function tracking(name: string, openedMs: number, rows: [state: string, gross: number, net: number][], state = "open", closedMs: number | null = null) {
  const iso = new Date(openedMs).toISOString();
  const file = join(data, "tracks", "2026-12-03", `${name}.csv`);
  writeFileSync(file, ROW_HEADER + rows.map(([s, g, n]) => `${iso},okx_spot_mexc_futures,${name},${s},1,1,1.02,1.03,${g},${n},${n - 0.2},5,5,0\n`).join(""));
  return {
    direction_id: 0, direction: "okx_spot_mexc_futures", spot_source: "okx_spot", futures_source: "mexc_futures", symbol: name, state,
    opened_at: iso, closed_at: closedMs === null ? null : new Date(closedMs).toISOString(), duration_s: 1, rows: rows.length, missed_ticks: 0,
    peak_gross_pct: Math.max(...rows.map((r) => r[1])), last_gross_pct: 0, last_row: null, file,
  };
}
const status = (open: unknown[], closed: unknown[]) =>
  writeFileSync(join(data, "tracker-status.json"), JSON.stringify({ format: "spread-scanner/tracker-status", written_at: "", pid: 1, paused: false, disk_failing: false, last_error: null, counters: {}, open, recent_closed: closed }));

test("prime, threshold, stale rows ignored, cooldown, closed only when alerted", () => {
  const w = new TrackerWatch(data, { open_on: "net", open_pct: 1, open_window_s: 60, closed: "alerted", cooldown_s: 300 });
  const old = tracking("OLD-USDT", NOW - 5000, [["live", 3, 2.8]]);
  status([old], []);
  expect(w.poll(NOW)).toEqual([]); // present at start: noted only

  // Gross above, net below the net threshold; a stale row above it does not count.
  const low = tracking("LOW-USDT", NOW - 1000, [["live", 1.1, 0.95], ["spot_stale", 5, 4.8]]);
  const a = tracking("AAA-USDT", NOW - 1000, [["live", 1.3, 1.1]]);
  status([old, low, a], []);
  const ev = w.poll(NOW);
  expect(ev.map((e) => [e.kind, e.symbol])).toEqual([["opened", "AAA-USDT"]]);
  expect(ev[0]).toMatchObject({ grossPct: 1.3, netPct: 1.1, spotAsk: 1, futuresBid: 1.02, fundingPct: null });
  expect(w.poll(NOW + 100)).toEqual([]); // once

  // AAA closes (alerted → closed), LOW closes (never alerted → nothing), OLD expires unseen.
  status([old], [{ ...a, state: "CONVERGED", closed_at: new Date(NOW + 2000).toISOString() }, { ...low, state: "CONVERGED", closed_at: new Date(NOW + 2000).toISOString() }]);
  expect(w.poll(NOW + 2000).map((e) => [e.kind, e.symbol])).toEqual([["closed", "AAA-USDT"]]);

  // The same pair opens again within the cooldown: suppressed and counted.
  const a2 = tracking("AAA-USDT", NOW + 3000, [["live", 2, 1.8]]);
  status([old, { ...a2, file: a2.file.replace(".csv", "-2.csv") }], []);
  writeFileSync(a2.file.replace(".csv", "-2.csv"), ROW_HEADER + `${new Date(NOW + 3000).toISOString()},okx_spot_mexc_futures,AAA-USDT,live,1,1,1.02,1.03,2,1.8,1.6,5,5,0\n`);
  expect(w.poll(NOW + 3500)).toEqual([]);
  expect(w.counters.cooldown).toBe(1);
});
