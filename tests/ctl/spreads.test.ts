// spread-ctl spreads (alias top): rows computed with the engine's math and fees, filters, JSON output.
import { afterEach, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { parseSpreadsArgs } from "@spread/ctl";
import { createAll, unlinkAll } from "@spread/shm";
import { uniquePrefix } from "../shm/helpers/scratch.ts";
import { fakeFeeds, quote, tempDir, writeGenerated } from "../engine/helpers.ts";

const ROOT = join(import.meta.dir, "../..");
let prefix = "";
let cleanup: (() => void) | null = null;
afterEach(() => {
  shmForFeeds = null;
  if (prefix) unlinkAll(prefix);
  prefix = "";
  cleanup?.();
  cleanup = null;
});

let shmForFeeds: ReturnType<typeof createAll>["shm"] | null = null;

function ctl(args: string[]): { code: number; out: string; err: string } {
  if (shmForFeeds) fakeFeeds(shmForFeeds, 0); // heartbeats fresh for each spawned spread-ctl (slow on a loaded box)
  const p = Bun.spawnSync(["bun", join(ROOT, "bins/spread-ctl.ts"), ...args], { cwd: ROOT, timeout: 30_000 });
  return { code: p.exitCode ?? -1, out: p.stdout.toString(), err: p.stderr.toString() };
}

describe("spread-ctl spreads", () => {
  test("--once --json: one array with the engine's figures; filters by direction, symbol and minimum", async () => {
    prefix = uniquePrefix();
    const shm = createAll(prefix).shm;
    shmForFeeds = shm; // live feeds: the view applies the reader-side staleness rule
    const t = tempDir("ctl");
    cleanup = t.cleanup;
    const ids = await writeGenerated(t.dir, ["AAA", "BBB"]);
    const aaa = ids.get("AAA")!;
    for (let s = 0; s < 8; s++) quote(shm, s, aaa, 99.9, 100); // flat everywhere…
    quote(shm, 3, aaa, 101, 101.1); // …but bybit_futures bids 101: +1 % gross from every spot
    for (let s = 0; s < 8; s++) quote(shm, s, ids.get("BBB")!, 5, 5.01);
    const base = ["spreads", "--prefix", prefix, "--generated", t.dir, "--config", join(ROOT, "config/config.sim.toml"), "--stale-ms", "600000"];
    const all = ctl([...base, "--once", "--json", "--limit", "100"]);
    expect(all.err).toBe("");
    const rows = JSON.parse(all.out) as Record<string, number | string>[];
    expect(rows.length).toBe(24); // 12 directions × 2 symbols
    const top = rows[0]!;
    // Sorted by net (open_on default): bybit_futures with the cheapest spot fee, mexc_spot (0.05 %): direction 4.
    expect(top).toMatchObject({ direction_id: 4, spot_source: "mexc_spot", futures_source: "bybit_futures", symbol: "AAA-USDT", spot_ask: 100, futures_bid: 101, tracked: "free" });
    expect(top.gross_pct as number).toBeCloseTo(1, 10);
    expect(top.net_pct as number).toBeCloseTo(1 - 0.05 - 0.055, 10);
    expect(top.net_round_trip_pct as number).toBeCloseTo(1 - 2 * 0.105, 10);
    expect(top.spot_age_ms as number).toBeGreaterThanOrEqual(0);

    const filtered = JSON.parse(ctl([...base, "--json", "--direction", "11,okx_spot_bybit_futures", "--symbol", "aaa", "--min", "0.5", "--by", "gross"]).out) as { direction_id: number }[];
    expect(filtered.map((r) => r.direction_id).sort()).toEqual([1, 11]);
    expect(JSON.parse(ctl([...base, "--json", "--min", "5"]).out)).toEqual([]);

    const text = ctl(["top", ...base.slice(1), "--once", "--limit", "3"]);
    expect(text.code).toBe(0);
    expect(text.out).toContain("mexc_spot_bybit_futures");
    expect(text.out.trim().split("\n")).toHaveLength(5);
    expect(ctl([...base, "--direction", "12"]).code).toBe(2);
  }, 60_000);

  test("option parsing: ids or names, clear errors", () => {
    const d = { by: "net" as const, staleMs: 5000 };
    expect(parseSpreadsArgs({ direction: "0, binance_spot_bybit_futures", symbol: "btc,ETH-USDT" }, d)).toMatchObject({ directions: [0, 11], symbols: ["BTC", "ETH-USDT"], by: "net", staleMs: 5000, limit: 20 });
    expect(() => parseSpreadsArgs({ direction: "okx_spot_okx_futures" }, d)).toThrow("--direction");
    expect(() => parseSpreadsArgs({ min: "x" }, d)).toThrow("--min");
    expect(() => parseSpreadsArgs({ by: "mid" }, d)).toThrow("--by");
    expect(() => parseSpreadsArgs({ limit: "0" }, d)).toThrow("--limit");
    expect(() => parseSpreadsArgs({ interval: "5" }, d)).toThrow("--interval");
  });
});
