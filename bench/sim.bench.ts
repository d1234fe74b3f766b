// Exchange-simulator throughput: bookTicker updates/s delivered from ONE simulator process to several Bun
// WebSocket clients on loopback (clients in this process, simulator in a child; both share the 2 cores),
// plus the per-update costs inside the simulator (market step, frame build) to show where the time goes.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildUniverse, Market, scenarioFrom, startSimProcess, type SimProcess } from "@spread/sim";
import { VENUE_DEFAULTS } from "@spread/sim";
import { Conn } from "../packages/sim/src/server/conn.ts";
import { SourceHub } from "../packages/sim/src/server/hub.ts";
import { binanceChannels } from "../packages/sim/src/venues/binance/channels.ts";
import { mexcSpotChannels } from "../packages/sim/src/venues/mexc/spot-channels.ts";
import { blackhole, measure, report } from "./harness.ts";

const SCENARIO = join(import.meta.dir, "../packages/sim/scenarios/bench.toml");
const CLIENTS = Number(process.env.SIM_BENCH_CLIENTS ?? 4);
const SECONDS = Number(process.env.SIM_BENCH_SECONDS ?? 5);
const RATES = (process.env.SIM_BENCH_RATES ?? "200000,400000,600000,800000").split(",").map(Number);

function cpuTicks(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return Number(f[11]) + Number(f[12]);
}
const HZ = 100;

async function streams(sim: SimProcess): Promise<string[][]> {
  const out: string[][] = [];
  for (const n of ["binance_spot", "binance_futures"] as const) {
    const path = n === "binance_spot" ? "/api/v3/exchangeInfo" : "/fapi/v1/exchangeInfo";
    const info = (await (await fetch(sim.urls[n].rest_url + path)).json()) as { symbols: { symbol: string; status: string }[] };
    out.push(info.symbols.filter((s) => s.status === "TRADING").map((s) => `${s.symbol.toLowerCase()}@bookTicker`));
  }
  return out;
}

async function openClients(sim: SimProcess, lists: string[][]): Promise<{ sockets: WebSocket[]; count: () => number }> {
  let received = 0;
  const sockets: WebSocket[] = [];
  // Each client takes a disjoint share of both markets: every update is delivered exactly once.
  for (let k = 0; k < CLIENTS; k++) {
    const market = k % 2 === 0 ? "binance_spot" : "binance_futures";
    const list = lists[k % 2]!;
    const share = list.filter((_, i) => Math.floor(i / 1) % Math.ceil(CLIENTS / 2) === Math.floor(k / 2));
    const base = market === "binance_spot" ? `${sim.urls.binance_spot.ws_url}/stream` : `${sim.urls.binance_futures.ws_url}/public/stream`;
    const ws = new WebSocket(base, { perMessageDeflate: false } as any);
    await new Promise<void>((resolve, reject) => {
      ws.onopen = () => resolve();
      ws.onerror = () => reject(new Error("connect failed"));
    });
    ws.onmessage = () => {
      received++;
    };
    for (let i = 0; i < share.length; i += 200) ws.send(JSON.stringify({ method: "SUBSCRIBE", params: share.slice(i, i + 200), id: i }));
    sockets.push(ws);
  }
  return { sockets, count: () => received };
}

async function throughput(jsNs: number): Promise<void> {
  const sim = await startSimProcess({ scenario: SCENARIO, rate: RATES[0] });
  try {
    const lists = await streams(sim);
    const { sockets, count } = await openClients(sim, lists);
    for (const rate of RATES) {
      await fetch(`${sim.controlUrl}/rate`, { method: "POST", body: JSON.stringify({ total: rate }) });
      await Bun.sleep(1500);
      const st0 = (await (await fetch(`${sim.controlUrl}/state?conns=0`)).json()) as any;
      const r0 = count();
      const s0 = cpuTicks(sim.proc.pid);
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await Bun.sleep(SECONDS * 1000);
      const dt = (performance.now() - t0) / 1000;
      const got = (count() - r0) / dt;
      const st1 = (await (await fetch(`${sim.controlUrl}/state?conns=0`)).json()) as any;
      const simCpu = ((cpuTicks(sim.proc.pid) - s0) / HZ / dt) * 100;
      const cu = process.cpuUsage(c0);
      const cliCpu = ((cu.user + cu.system) / 1e6 / dt) * 100;
      const generated = (st1.updates_total - st0.updates_total) / dt;
      const dropped = ["binance_spot", "binance_futures"].reduce((a, n) => a + st1.sources[n].dropped_backlog - st0.sources[n].dropped_backlog, 0);
      const simTimeRatio = (st1.sim_time_s - st0.sim_time_s) / (st1.uptime_s - st0.uptime_s);
      report({
        name: `sim delivered updates/s @ target ${rate.toLocaleString("en-US")}`,
        nsPerOp: 1e9 / got,
        opsPerSec: got,
        target: ">= 500k/s",
        note: `generated ${Math.round(generated).toLocaleString("en-US")}/s, sim CPU ${simCpu.toFixed(0)}% (${((simCpu * 1e7) / generated).toFixed(0)} ns/update, of which ~${jsNs.toFixed(0)} JS model+frames, rest Bun send path + kernel), ${CLIENTS} clients CPU ${cliCpu.toFixed(0)}%, backlog drops ${dropped}, sim-time/wall ${simTimeRatio.toFixed(2)}`,
      });
    }
    for (const s of sockets) s.close();
  } finally {
    await sim.stop();
  }
}

/** Per-update cost inside the simulator without sockets: market alone, then market + fan-out + frame build. */
function microCosts(): number {
  const sc = scenarioFrom({ rate: { total: 600_000, min_per_symbol: 0, source_weights: { binance_spot: 1, binance_futures: 1, bybit_spot: 0, bybit_futures: 0, mexc_spot: 0, mexc_futures: 0, okx_spot: 0, okx_futures: 0 } }, universe: { silent_per_source: 0, anomalies_per_source: 0 } });
  const u = buildUniverse(sc.universe, 3, Date.now());
  const m = new Market(u, sc, 3);
  const hubs = [0, 1].map((s) => new SourceHub(s, m.books[s]!, binanceChannels(m.books[s]!, s === 1)));
  // A connection whose socket only measures what it is given: the send path itself is excluded here.
  const fake = { getBufferedAmount: () => 0, cork: (f: () => void) => f(), sendText: (x: string) => blackhole(x.length), sendBinary: () => 0 };
  for (const s of [0, 1]) {
    const c = new Conn(s, "/stream", { source: s, kind: "stream:spot", initial: [] }, VENUE_DEFAULTS.binance_spot, Date.now());
    (c as unknown as { ws: unknown }).ws = fake;
    hubs[s]!.conns.add(c);
    for (const i of u.instruments[s]!) if (i.status === "trading") hubs[s]!.subscribe(c, i.index, 1, Date.now());
  }
  let now = Date.now();
  const run = (label: string, steps: number): number => {
    const n0 = m.updatesTotal;
    const t0 = Bun.nanoseconds();
    for (let k = 0; k < steps; k++) {
      now = Date.now();
      m.step(now);
      for (const h of hubs) h.flush(now);
    }
    const ns = (Bun.nanoseconds() - t0) / (m.updatesTotal - n0);
    report({ name: label, nsPerOp: ns, opsPerSec: 1e9 / ns });
    return ns;
  };
  m.listener = null;
  run("market only: walk + requote per update", 200);
  m.listener = (s, i) => hubs[s]!.onQuote(i, now);
  run("warm-up", 100);
  const js = run("market + fan-out + combined bookTicker frame (no socket)", 300);
  const mexc = mexcSpotChannels(m.books[4]!);
  const b4 = m.books[4]!;
  measure("frame: mexc spot protobuf aggre.bookTicker (unchanged quote)", (i) => blackhole((mexc[1]!.build(b4.instruments[i % b4.n]!, i % b4.n, 1_790_000_000_000, false) as Uint8Array).length), { batch: 20_000 });
  return js;
}

const jsNs = microCosts();
await throughput(jsNs);
