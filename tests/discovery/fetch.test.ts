// Stage 1 REST fetch: retries with the configured backoff, per-request timeout, paging through the adapter's
// cursor, errors naming source, URL and attempt count. Uses the real adapters and an injected fetch / local server.
import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SourceId as S } from "@spread/common";
import { fetchSource, type FetchFn } from "@spread/discovery";
import { ADAPTERS } from "@spread/exchanges";
import { REAL_SIZE } from "./helpers.ts";

const okxBody = readFileSync(join(REAL_SIZE, "okx_spot.json"), "utf8");
const stops: (() => void)[] = [];
afterAll(() => stops.forEach((s) => s()));

function scripted(responses: (() => Promise<Response>)[]): { fn: FetchFn; urls: string[] } {
  const urls: string[] = [];
  let i = 0;
  return {
    urls,
    fn: (url) => {
      urls.push(url);
      const r = responses[Math.min(i++, responses.length - 1)]!;
      return r();
    },
  };
}

describe("fetchSource", () => {
  test("falls back to the next REST base when the first host fails every attempt (moved hosts)", async () => {
    const fn: FetchFn = async (url) => (url.startsWith("https://www.okx.com") ? new Response("gone", { status: 404 }) : new Response(okxBody));
    const seen: string[] = [];
    const f = await fetchSource(ADAPTERS[S.okx_spot]!, ["https://www.okx.com", "https://openapi.okx.com"], {
      timeoutMs: 1000, attempts: 2, backoffMs: [0], sleep: async () => {},
      fetchImpl: async (url, init) => (seen.push(url), fn(url, init)),
    });
    expect(f.ok).toBe(true);
    expect(f.instruments.length).toBeGreaterThan(100);
    expect(seen.map((u) => new URL(u).host)).toEqual(["www.okx.com", "www.okx.com", "openapi.okx.com"]);
  });

  test("every base failing reports each host's error", async () => {
    const f = await fetchSource(ADAPTERS[S.mexc_futures]!, ["https://contract.mexc.com", "https://api.mexc.com"], {
      timeoutMs: 1000, attempts: 1, backoffMs: [0], sleep: async () => {},
      fetchImpl: async () => new Response("no", { status: 502 }),
    });
    expect(f.ok).toBe(false);
    expect(f.error).toContain("contract.mexc.com");
    expect(f.error).toContain("api.mexc.com");
  });

  test("3 attempts with backoff 100, 200 ms; succeeds on the third", async () => {
    const sleeps: number[] = [];
    const s = scripted([async () => new Response("busy", { status: 503 }), async () => { throw new TypeError("fetch failed: ECONNRESET"); }, async () => new Response(okxBody)]);
    const pages: string[] = [];
    const f = await fetchSource(ADAPTERS[S.okx_spot]!, "https://www.okx.com", {
      timeoutMs: 1000,
      attempts: 3,
      backoffMs: [100, 200, 400],
      fetchImpl: s.fn,
      sleep: async (ms) => void sleeps.push(ms),
      onPage: (e) => pages.push(`${e.page}/${e.attempt}:${e.ok ? "ok" : e.error}`),
    });
    expect(f.ok).toBe(true);
    expect(f.attempts).toBe(3);
    expect(sleeps).toEqual([100, 200]);
    expect(s.urls).toEqual(Array(3).fill("https://www.okx.com/api/v5/public/instruments?instType=SPOT"));
    expect(pages).toEqual(["1/1:HTTP 503: busy", "1/2:fetch failed: ECONNRESET", `1/3:ok`]);
    expect(f.instruments.length).toBe(449);
  });
  test("all attempts fail → ok=false with source, URL, last error, attempt count", async () => {
    const s = scripted([async () => new Response("{\"code\":\"50011\",\"msg\":\"Too Many Requests\",\"data\":[]}")]);
    const f = await fetchSource(ADAPTERS[S.okx_futures]!, "https://www.okx.com", { timeoutMs: 1000, attempts: 3, backoffMs: [1], fetchImpl: s.fn });
    expect(f.ok).toBe(false);
    expect(f.error).toBe('okx_futures: GET https://www.okx.com/api/v5/public/instruments?instType=SWAP: okx_futures instruments: code "50011" (msg "Too Many Requests") (after 3 attempts)');
  });
  test("non-JSON body is retried and reported", async () => {
    const s = scripted([async () => new Response("<html>gateway</html>")]);
    const f = await fetchSource(ADAPTERS[S.mexc_spot]!, "https://api.mexc.com", { timeoutMs: 1000, attempts: 2, backoffMs: [1], fetchImpl: s.fn });
    expect(f.error).toMatch(/^mexc_spot: GET https:\/\/api\.mexc\.com\/api\/v3\/exchangeInfo: response is not JSON \(.*; 20 bytes\) \(after 2 attempts\)$/);
  });
  test("per-request timeout against a server that never answers", async () => {
    const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Promise<Response>(() => {}) });
    stops.push(() => server.stop(true));
    const t0 = performance.now();
    const f = await fetchSource(ADAPTERS[S.binance_spot]!, `http://127.0.0.1:${server.port}`, { timeoutMs: 150, attempts: 2, backoffMs: [10] });
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(f.error).toMatch(/binance_spot: GET http:\/\/127\.0\.0\.1:\d+\/api\/v3\/exchangeInfo\?permissions=SPOT&showPermissionSets=false: timed out after 150 ms \(after 2 attempts\)/);
  });
  test("Bybit linear: follows nextPageCursor until it is empty, over real HTTP", async () => {
    const p1 = readFileSync(join(REAL_SIZE, "bybit_futures.1.json"), "utf8");
    const p2 = readFileSync(join(REAL_SIZE, "bybit_futures.2.json"), "utf8");
    const seen: string[] = [];
    const server = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      fetch(req) {
        const u = new URL(req.url);
        seen.push(`${u.pathname}?${u.searchParams.toString()}`);
        return new Response(u.searchParams.get("cursor") ? p2 : p1);
      },
    });
    stops.push(() => server.stop(true));
    const f = await fetchSource(ADAPTERS[S.bybit_futures]!, `http://127.0.0.1:${server.port}`, { timeoutMs: 1000, attempts: 1, backoffMs: [0] });
    expect(f.ok).toBe(true);
    expect(f.pages).toBe(2);
    expect(f.instruments.length).toBe(408);
    expect(seen[0]).toBe("/v5/market/instruments-info?category=linear&limit=1000");
    expect(seen[1]).toMatch(/^\/v5\/market\/instruments-info\?category=linear&limit=1000&cursor=first%3D.+%26last%3D.+$/);
  });
  test("a cursor that repeats is an error, not an endless loop", async () => {
    const body = JSON.stringify({ retCode: 0, retMsg: "OK", result: { category: "linear", list: [], nextPageCursor: "same" }, time: 1 });
    const s = scripted([async () => new Response(body)]);
    const f = await fetchSource(ADAPTERS[S.bybit_futures]!, "https://api.bybit.com", { timeoutMs: 1000, attempts: 1, backoffMs: [0], fetchImpl: s.fn });
    expect(f.error).toMatch(/bybit_futures: GET .*cursor=same: page cursor "same" repeats/);
  });
});
