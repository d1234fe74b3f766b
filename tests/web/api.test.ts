// spread-web's JSON API and /metrics against a synthetic shared memory and tracker files.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { HealthSlot, SOURCE_NAMES } from "@spread/common";
import { waitFor } from "../wait.ts";
import { WebBed } from "./bed.ts";

const bed = new WebBed();
const NAMES = ["BTC-USDT", "ETH-USDT", "SOL-USDT"];
const BYBIT_FUT = SOURCE_NAMES.indexOf("bybit_futures");

beforeAll(async () => {
  bed.start(NAMES);
  // Every source gets prices for BTC and ETH; SOL has none.
  for (let s = 0; s < 8; s++) {
    bed.price(s, 0, 100, 100.1);
    bed.price(s, 1, 10, 10.01);
  }
  bed.closedTracking(0, "BTC-USDT", Date.now() - 60_000, [1.2, 1.5, 1.9, 1.1, 0.05]);
  await bed.listen();
});
afterAll(() => bed.cleanup());

async function get(path: string): Promise<Response> {
  return fetch(`${bed.url}${path}`);
}

describe("spread-web API", () => {
  test("/api/spreads: rows computed with the engine's math, sorted, stale legs marked", async () => {
    // A futures leg 2 % above the spot ask for BTC on bybit_futures.
    bed.price(BYBIT_FUT, 0, 102.1, 102.2);
    type Body = { rows: { symbol: string; gross_pct: number; futures_source: string; spot_stale: boolean }[]; pairs: number; priced: number };
    let body!: Body;
    // The API answers from a view at most push_interval_ms (250) old: wait for one that has the write.
    await waitFor("/api/spreads showing the new bybit_futures bid", async () => {
      const r = await get("/api/spreads?limit=5");
      expect(r.status).toBe(200);
      body = (await r.json()) as Body;
      return (body.rows[0]?.gross_pct ?? 0) > 1;
    }, 10_000);
    expect(body.pairs).toBe(12 * 3);
    expect(body.priced).toBe(12 * 2);
    expect(body.rows.length).toBe(5);
    const top = body.rows[0]!;
    expect(top.symbol).toBe("BTC-USDT");
    expect(top.futures_source).toBe("bybit_futures");
    expect(top.gross_pct).toBeCloseTo(((102.1 - 100.1) / 100.1) * 100, 6);
    expect(body.rows.map((x) => x.gross_pct)).toEqual([...body.rows.map((x) => x.gross_pct)].sort((a, b) => b - a));
    // A leg older than stale_after_ms drops out, or shows as stale with stale=1.
    bed.price(BYBIT_FUT, 0, 102.1, 102.2, 60_000);
    await waitFor("the stale bybit_futures leg leaving /api/spreads", async () => {
      const fresh = (await (await get("/api/spreads?symbol=BTC&limit=100")).json()) as { rows: { futures_source: string }[] };
      return !fresh.rows.some((x) => x.futures_source === "bybit_futures");
    }, 10_000);
    const withStale = (await (await get("/api/spreads?symbol=BTC&limit=100&stale=1")).json()) as { rows: { futures_source: string; futures_stale: boolean }[] };
    expect(withStale.rows.find((x) => x.futures_source === "bybit_futures")?.futures_stale).toBe(true);
  });

  test("/api/spreads rejects bad filters with 400 naming the parameter", async () => {
    const r = await get("/api/spreads?by=nonsense");
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: string }).error).toContain("by");
  });

  test("/api/health: feeds, engine and the web's own slot", async () => {
    const h = (await (await get("/api/health")).json()) as { shm: { ok: boolean }; processes: { slot: number; owner: string; liveness: string; state: string }[]; web: { claimed: boolean } };
    expect(h.shm.ok).toBe(true);
    expect(h.web.claimed).toBe(true);
    const slots = new Map(h.processes.map((p) => [p.slot, p]));
    for (let s = 0; s < 8; s++) expect(slots.get(s)?.liveness).toBe("alive");
    expect(slots.get(HealthSlot.engine)?.state).toBe("running");
    expect(slots.get(HealthSlot.tracker)?.state).toBe("empty");
    expect(slots.get(HealthSlot.web)?.owner).toBe("web");
  });

  test("/api/trackings and /api/track read the tracker's files; /api/track refuses paths outside tracks/", async () => {
    const t = (await (await get("/api/trackings")).json()) as { open: unknown[]; closed: { symbol: string; state: string; peak_gross_pct: number; file: string }[] };
    expect(t.open).toEqual([]);
    expect(t.closed).toHaveLength(1);
    expect(t.closed[0]!.state).toBe("CONVERGED");
    expect(t.closed[0]!.peak_gross_pct).toBe(1.9);
    const s = (await (await get(`/api/track?file=${encodeURIComponent(t.closed[0]!.file)}`)).json()) as { t: number[]; gross: (number | null)[]; funding: (number | null)[]; next_funding_at: number | null; closed: string };
    expect(s.gross.slice(0, 5)).toEqual([1.2, 1.5, 1.9, 1.1, 0.05]);
    expect(s.funding.slice(0, 3)).toEqual([null, 0.0001, 0.0001]);
    expect(s.next_funding_at).toBe(s.t[0]! + 3_600_000);
    expect(s.closed).toBe("CONVERGED");
    for (const bad of ["../config.toml", "tracks/../../config.toml", "/etc/passwd", "tracks/x.txt"]) {
      expect((await get(`/api/track?file=${encodeURIComponent(bad)}`)).status).toBe(404);
    }
    const st = (await (await get("/api/stats?since=1d")).json()) as { pairs: { symbol: string; episodes: number; converged: number }[] };
    expect(st.pairs).toEqual([expect.objectContaining({ symbol: "BTC-USDT", episodes: 1, converged: 1 })]);
  });

  test("pages are served; nothing writes (POST is 405)", async () => {
    for (const p of ["/spreads", "/trackings", "/pairs", "/health"]) {
      const r = await get(p);
      expect(r.status).toBe(200);
      expect(await r.text()).toContain('<script src="/app.js">');
    }
    expect((await get("/app.js")).headers.get("content-type")).toContain("javascript");
    expect((await fetch(`${bed.url}/api/spreads`, { method: "POST" })).status).toBe(405);
  });
});
