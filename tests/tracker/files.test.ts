// The files as their readers see them: DuckDB read_csv over a glob with no options (and the summary numbers
// recomputed from the rows), spread-ctl tracks (table, --json, --csv) and stats (--json, --sort).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { parseSummary, SUMMARY_HEADER } from "@spread/tracker";
import { lines, ROOT, tempDir } from "./helpers.ts";
import { makeTracker } from "./fakes.ts";

const t = tempDir("files");
const root = t.dir;
afterAll(() => (process.env.KEEP_TRACKER_FILES ? console.log(root) : t.cleanup()));

const NAMES = ["BTC-USDT", "ETH-USDT", "XRP-USDT"];
// Day 1 23:59 → episodes cross midnight into day 2 (rows stay in the day they opened).
const T0 = Date.parse("2026-12-01T23:59:00.000Z");
const K0 = T0 / 200;

/** A few hundred ticks of three pairs: converging episodes (re-signalled at once), an expiry, a feed loss, stale rows, a missed run. */
async function generate(): Promise<void> {
  const { tracker, disk, prices, setMono } = makeTracker(root, NAMES, { settings: { maxDurationMs: 50_000, feedLostAfterMs: 3000 } });
  let mono = 1e12;
  const quote = (src: number, sym: number, bid: number, ask: number) => prices.set(src, sym, bid, ask, mono);
  for (let k = K0; k < K0 + 400; k++) {
    mono += 200_000;
    setMono(mono);
    const i = k - K0;
    // BTC on direction 0 (okx_spot → mexc_futures): a spread that widens and converges every 60 ticks.
    const g = i % 60 < 50 ? 0.4 + (i % 60) * 0.03 : 0.05;
    quote(6, 0, 100 - 0.01, 100);
    quote(5, 0, 100 * (1 + g / 100), 100 * (1 + g / 100) + 0.02);
    // ETH on direction 11 (binance_spot → bybit_futures): stays wide (expires).
    quote(0, 1, 10, 10.001);
    quote(3, 1, 10.1 + (i % 7) * 0.001, 10.11);
    // XRP on direction 0: live, then its futures feed goes silent (stale by age) → FEED_LOST.
    if (i < 30) quote(5, 2, 0.51, 0.511);
    quote(6, 2, 0.5, 0.5);
    if (!tracker.get(0, 0) && i % 60 < 50) tracker.onSignal(0, 0, 6, 5, k * 200 - 30);
    if (!tracker.get(11, 1)) tracker.onSignal(11, 1, 0, 3, k * 200 - 30);
    if (i === 5) tracker.onSignal(0, 2, 6, 5, k * 200 - 30);
    if (i >= 100 && i < 104) continue; // the schedule missed four ticks
    tracker.onTick(k);
    if (i % 5 === 0) await disk.flush();
  }
  await disk.closeAll();
  expect(tracker.counters.closes.CONVERGED).toBeGreaterThanOrEqual(5);
  expect(tracker.counters.closes.EXPIRED).toBeGreaterThanOrEqual(1);
  expect(tracker.counters.closes.FEED_LOST).toBe(1);
}

beforeAll(generate, 60_000);

async function ctl(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const p = Bun.spawn([process.execPath, join(ROOT, "bins/spread-ctl.ts"), ...args, "--data", root], { stdout: "pipe", stderr: "pipe" });
  const [code, out, err] = await Promise.all([p.exited, new Response(p.stdout).text(), new Response(p.stderr).text()]);
  return { code, out, err };
}

describe("tracker files", () => {
  test("DuckDB read_csv over a glob of every rows file and of the summaries, no options; summaries match the rows", async () => {
    const db = await DuckDBInstance.create(":memory:");
    const c = await db.connect();
    const rowsGlob = join(root, "tracks/*/*.csv");
    const sumGlob = join(root, "summary/*.csv");
    const types = (await c.runAndReadAll(`describe select * from read_csv('${rowsGlob}')`)).getRowObjectsJS();
    const typeOf = Object.fromEntries(types.map((r) => [r.column_name, r.column_type]));
    expect(typeOf.ts).toMatch(/^TIMESTAMP/);
    expect(typeOf.gross_pct).toBe("DOUBLE");
    expect(typeOf.spot_bid).toBe("DOUBLE");
    expect(typeOf.missed).toMatch(/INT/);
    const days = (await c.runAndReadAll(`select count(distinct strftime(ts, '%Y-%m-%d')) as n from read_csv('${rowsGlob}')`)).getRowObjectsJS();
    expect(Number(days[0]!.n)).toBe(2);
    const check = await c.runAndReadAll(`
      with r as (select * from read_csv('${rowsGlob}')),
           s as (select * from read_csv('${sumGlob}'))
      select s.file, s.reason, s.rows, s.missed_ticks, s.peak_gross_pct, s.min_gross_pct, s.mean_gross_pct, s.time_above_s, s.threshold_pct,
        (select count(*) from r where r.direction = s.direction and r.symbol = s.symbol and r.ts between s.opened_at and s.closed_at
           and r.state in ('live', 'spot_stale', 'futures_stale', 'both_stale')) as n_rows,
        (select coalesce(sum(missed), 0) from r where r.direction = s.direction and r.symbol = s.symbol and r.ts between s.opened_at and s.closed_at and r.state = 'missed') as n_missed,
        (select max(gross_pct) from r where r.direction = s.direction and r.symbol = s.symbol and r.ts between s.opened_at and s.closed_at and r.state = 'live') as peak,
        (select min(gross_pct) from r where r.direction = s.direction and r.symbol = s.symbol and r.ts between s.opened_at and s.closed_at and r.state = 'live') as low,
        (select avg(gross_pct) from r where r.direction = s.direction and r.symbol = s.symbol and r.ts between s.opened_at and s.closed_at and r.state = 'live') as mean,
        (select count(*) * 0.2 from r where r.direction = s.direction and r.symbol = s.symbol and r.ts between s.opened_at and s.closed_at and r.state = 'live' and r.gross_pct >= s.threshold_pct) as above,
        (select count(*) from r where r.direction = s.direction and r.symbol = s.symbol and r.ts = s.closed_at and r.state = s.reason) as close_rows
      from s order by s.opened_at`);
    const rows = check.getRowObjectsJS();
    expect(rows.length).toBeGreaterThanOrEqual(7);
    for (const r of rows) {
      expect(Number(r.n_rows)).toBe(Number(r.rows));
      expect(Number(r.n_missed)).toBe(Number(r.missed_ticks));
      if (r.peak !== null) {
        expect(Number(r.peak)).toBe(Number(r.peak_gross_pct));
        expect(Number(r.low)).toBe(Number(r.min_gross_pct));
        expect(Math.abs(Number(r.mean) - Number(r.mean_gross_pct))).toBeLessThanOrEqual(0.00005 + 1e-12);
        expect(Number(r.above)).toBeCloseTo(Number(r.time_above_s), 9);
      }
      expect(Number(r.close_rows)).toBe(1); // every episode ends with its close row
    }
    expect(rows.some((r) => Number(r.missed_ticks) === 4)).toBe(true);
  }, 60_000);

  test("pandas read_csv with only the path (skipped when python3 has no pandas)", () => {
    const script = [
      "import glob, sys, pandas as pd",
      "root = sys.argv[1]",
      "rows = pd.concat(map(pd.read_csv, sorted(glob.glob(root + '/tracks/*/*.csv'))))",
      "summ = pd.concat(map(pd.read_csv, sorted(glob.glob(root + '/summary/*.csv'))))",
      "live = rows[rows.state == 'live']",
      "print(len(rows), len(summ), str(rows.gross_pct.dtype), str(summ.rows.dtype), round(float(live.gross_pct.max()), 4), round(float(summ.peak_gross_pct.max()), 4), int(rows.missed.sum()), int(summ.missed_ticks.sum()))",
    ].join("\n");
    let p: ReturnType<typeof Bun.spawnSync>;
    try {
      p = Bun.spawnSync(["python3", "-c", script, root], { stdout: "pipe", stderr: "pipe" });
    } catch {
      console.warn("python3 not available here; DuckDB covers loading");
      return;
    }
    if (p.exitCode !== 0 && /No module named 'pandas'/.test(p.stderr!.toString())) {
      console.warn("pandas not available here; DuckDB covers loading");
      return;
    }
    expect(p.stderr!.toString()).toBe("");
    const [nRows, nSumm, grossType, rowsType, peakRows, peakSumm, missedRows, missedSumm] = p.stdout!.toString().trim().split(" ");
    expect(Number(nRows)).toBeGreaterThan(500);
    expect(Number(nSumm)).toBeGreaterThanOrEqual(7);
    expect(grossType).toBe("float64");
    expect(rowsType).toBe("int64");
    expect(peakRows).toBe(peakSumm);
    expect(Number(missedRows)).toBeGreaterThanOrEqual(Number(missedSumm)); // open trackings' missed rows have no summary yet
  }, 60_000);

  test("spread-ctl tracks: table, --json fields, --csv in the summary format", async () => {
    const all = await ctl(["tracks", "--since", "2026-12-01T00:00:00Z", "--json"]);
    expect(all.code).toBe(0);
    const list = JSON.parse(all.out) as Record<string, unknown>[];
    const summaries = lines(readFileSync(join(root, "summary/2026-12-02.csv"), "utf8")).slice(1).length + lines(readFileSync(join(root, "summary/2026-12-01.csv"), "utf8")).slice(1).length;
    const open = list.filter((r) => r.state === "open");
    expect(open.length).toBeGreaterThanOrEqual(1); // still open at the end of the run: read from the rows files
    expect(open.every((r) => r.closed_at === null && Number(r.rows) > 0)).toBe(true);
    expect(list.length - open.length).toBe(summaries);
    for (const k of ["direction_id", "spot_source", "futures_source", "symbol", "state", "opened_at", "closed_at", "rows", "peak_gross_pct", "file"]) {
      expect(list[0]).toHaveProperty(k);
    }
    const x = list.find((r) => r.state === "FEED_LOST")!;
    expect(x.symbol).toBe("XRP-USDT");
    expect(x.direction_id).toBe(0);
    expect(x.spot_source).toBe("okx_spot");
    expect(x.futures_source).toBe("mexc_futures");
    expect(String(x.opened_at)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(readFileSync(String(x.file), "utf8").startsWith("ts,")).toBe(true);
    const table = await ctl(["tracks", "--since", "2026-12-01T00:00:00Z"]);
    expect(table.out).toContain("FEED_LOST");
    expect(table.out).toContain("open trackings: ");
    const csv = await ctl(["tracks", "--since", "2026-12-01T00:00:00Z", "--csv"]);
    const cl = lines(csv.out);
    expect(cl[0] + "\n").toBe(SUMMARY_HEADER);
    expect(cl.length - 1).toBe(summaries);
    expect(table.out).toContain("status file absent");
    expect(cl.slice(1).every((l) => parseSummary(l) !== null)).toBe(true);
    const bad = await ctl(["tracks", "--since", "yesterday"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("--since");
  }, 60_000);

  test("spread-ctl stats: per pair episodes, converged share, median/p90 time to converge, peak, time open; sortable", async () => {
    const r = await ctl(["stats", "--since", "2026-12-01T00:00:00Z", "--json"]);
    expect(r.code).toBe(0);
    const stats = JSON.parse(r.out) as { direction: string; symbol: string; episodes: number; converged: number; converged_share: number; median_converge_s: number | null; p90_converge_s: number | null; peak_gross_pct: number; total_open_s: number; feed_lost: number }[];
    const all = [...lines(readFileSync(join(root, "summary/2026-12-01.csv"), "utf8")).slice(1), ...lines(readFileSync(join(root, "summary/2026-12-02.csv"), "utf8")).slice(1)].map((l) => parseSummary(l)!);
    const btc = stats.find((s) => s.symbol === "BTC-USDT")!;
    const btcRows = all.filter((s) => s.symbol === "BTC-USDT" && s.direction === "okx_spot_mexc_futures");
    const durations = btcRows.filter((s) => s.reason === "CONVERGED").map((s) => s.durationS).sort((a, b) => a - b);
    expect(btc.episodes).toBe(btcRows.length);
    expect(btc.converged).toBe(durations.length);
    expect(btc.converged_share).toBeCloseTo(durations.length / btcRows.length, 4);
    expect(btc.median_converge_s).toBe(durations[Math.ceil(durations.length / 2) - 1]!);
    expect(btc.p90_converge_s).toBe(durations[Math.ceil(durations.length * 0.9) - 1]!);
    expect(btc.peak_gross_pct).toBe(Math.max(...btcRows.map((s) => s.peakGrossPct)));
    expect(btc.total_open_s).toBeCloseTo(btcRows.reduce((a, s) => a + s.durationS, 0), 3);
    expect(stats.find((s) => s.symbol === "XRP-USDT")!.feed_lost).toBe(1);
    expect(stats.find((s) => s.symbol === "ETH-USDT")!.converged_share).toBe(0);
    const byPeak = JSON.parse((await ctl(["stats", "--since", "2026-12-01T00:00:00Z", "--json", "--sort", "peak"])).out) as { peak_gross_pct: number }[];
    expect(byPeak.map((s) => s.peak_gross_pct)).toEqual([...byPeak.map((s) => s.peak_gross_pct)].sort((a, b) => b - a));
    const text = await ctl(["stats", "--since", "2026-12-01T00:00:00Z"]);
    expect(text.out).toContain("BTC-USDT");
    expect((await ctl(["stats", "--sort", "nope"])).code).toBe(2);
  }, 60_000);
});
