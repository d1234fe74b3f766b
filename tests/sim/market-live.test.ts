// The market as clients see it: a scripted spread episode measured from real frames (adapter-parsed), fixed
// per-symbol rates, and the same seed giving the same REST instrument lists from two simulators.
import { afterAll, describe, expect, test } from "bun:test";
import { SourceId } from "@spread/common";
import { ADAPTERS, FrameKind, QuoteRecord, SymbolTable } from "@spread/exchanges";
import type { SimHandle } from "@spread/sim";
import { Client, getJson, testSim } from "./helpers.ts";
import { waitFor } from "../wait.ts";

const sims: SimHandle[] = [];
afterAll(async () => {
  for (const s of sims) await s.stop();
});

async function latest(c: Client, source: number, symbol: string): Promise<QuoteRecord> {
  const rec = new QuoteRecord();
  const table = new SymbolTable([symbol]);
  for (let k = c.frames.length - 1; k >= 0; k--) {
    if (ADAPTERS[source]!.parse(c.frames[k]!, rec, table) === FrameKind.Update && rec.symbolIndex === 0) return rec;
  }
  throw new Error("no update yet");
}

describe("live market", () => {
  test("spread episode: futures bid over spot ask opens to ~X %, holds, converges", async () => {
    const sim = await testSim({ universe: { scale: 0.3 }, rate: { total: 3000, episode_min_rate: 50 }, episodes: [{ asset: "SOL", spot: "binance_spot", futures: "bybit_futures", spread_pct: 2, at_s: 0.5, ramp_s: 0.2, hold_s: 1.5, converge_s: 0.3 }] });
    sims.push(sim);
    const spot = await Client.open(`${sim.urls.binance_spot.ws_url}/stream?streams=solusdt@bookTicker`);
    const fut = await Client.open(`${sim.urls.bybit_futures.ws_url}/v5/public/linear`);
    fut.send(`{"op":"subscribe","args":["orderbook.1.SOLUSDT"]}`);
    const spread = async () => {
      const f = await latest(fut, SourceId.bybit_futures, "SOLUSDT");
      const s = await latest(spot, SourceId.binance_spot, "SOLUSDT");
      return ((f.bid - s.ask) / s.ask) * 100;
    };
    await spot.until(() => spot.frames.length > 1, 3000);
    expect(Math.abs(await spread())).toBeLessThan(0.3);
    let open = 0;
    await waitFor("the spread to open to ~2 %", async () => (open = await spread()) > 1.7, 5000);
    expect(open).toBeLessThan(2.3);
    await waitFor("the spread to converge", async () => Math.abs(await spread()) < 0.3, 5000);
    spot.close();
    fut.close();
  });

  test("[[symbol_rates]]: a symbol gets exactly its own rate", async () => {
    const sim = await testSim({ universe: { scale: 0.3 }, rate: { total: 0, min_per_symbol: 0 }, symbol_rates: [{ source: "binance_futures", symbol: "ETHUSDT", rate: 200 }] });
    sims.push(sim);
    const c = await Client.open(`${sim.urls.binance_futures.ws_url}/public/stream?streams=ethusdt@bookTicker/btcusdt@bookTicker`);
    await c.until(() => c.frames.length > 0, 10_000, "the first ETHUSDT frame");
    const n0 = c.frames.length;
    await Bun.sleep(1000); // a window, not a wait: the rate is frames counted over one second
    const n = c.frames.length - n0;
    expect(n).toBeGreaterThan(140);
    expect(n).toBeLessThan(260);
    expect(c.jsons().some((m) => m.data?.s === "BTCUSDT")).toBe(false);
    c.close();
  }, 30_000);

  test("same --seed → identical instrument lists over REST; another seed differs", async () => {
    const a = await testSim({ sim: { seed: 9 }, universe: { scale: 0.3 } });
    const b = await testSim({ sim: { seed: 9 }, universe: { scale: 0.3 } });
    const c = await testSim({ sim: { seed: 10 }, universe: { scale: 0.3 } });
    sims.push(a, b, c);
    const list = async (h: SimHandle) => (await getJson(`${h.urls.okx_futures.rest_url}/api/v5/public/instruments?instType=SWAP`)).body.data.map((x: any) => `${x.instId}:${x.ctVal}:${x.tickSz}:${x.state}`);
    expect(await list(a)).toEqual(await list(b));
    expect(await list(a)).not.toEqual(await list(c));
  });
});
