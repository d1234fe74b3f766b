// ccxt pro consumer for bench/feed.bench.ts: the same Binance USD-M bookTicker work as feed-binance-futures
// (same simulator, same symbols, same number of connections), done with ccxt.pro.binanceusdm.watchBidsAsks.
//
//   bun bench/ccxt/worker.ts --port <sim binance_futures port> --symbols <file: JSON array of exchange ids> [--conns 3]
//
// Pointing ccxt at the simulator:
//   - REST: urls.api.fapiPublic/V2/V3 = http://127.0.0.1:<port>/fapi/v1|v2|v3 (loadMarkets → GET /fapi/v1/exchangeInfo).
//   - WS: ccxt builds <urls.api.ws.future>/<stream index>, rewriting a trailing "/ws" to "/public/ws" for
//     bookTicker, i.e. ws://host/public/ws/0. The simulator (like its routing table) treats the path segment
//     after /ws/ as a stream name and answers 400 "Invalid stream name: 0", so the base URL is given as
//     ws://host:port/public/ws?ccxt= (no trailing /ws → no rewrite; the stream index lands in the query).
//   - ccxt refuses ws:// URLs under Bun/Node until loadHttpProxyAgent() was called (it wants an agent for
//     non-TLS proxies); the agent is unused by Bun's native WebSocket.
//
// Protocol: prints {"ready":…} once data flows on every connection; then on each stdin line "mark" prints
// {"mark":…} with the messages ccxt handled, callbacks delivered, this process's CPU time (same /proc
// sources as for the feed, read in the same instant as the counters) and the receive-to-callback latency
// (callback wall µs − bookTicker E) of the callbacks since the previous mark.
import ccxt from "ccxt";
import { wallMicros } from "@spread/common";
import { cpuSample, histFrom, histStats } from "../feed-procs.ts";

function arg(name: string, def?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0 && process.argv[i + 1] !== undefined) return process.argv[i + 1]!;
  if (def !== undefined) return def;
  throw new Error(`missing --${name}`);
}

const port = arg("port");
const ids: string[] = await Bun.file(arg("symbols")).json();
const nConns = Number(arg("conns", "3"));

const ex = new (ccxt as any).pro.binanceusdm({ enableRateLimit: false });
const base = `http://127.0.0.1:${port}`;
ex.urls.api.fapiPublic = `${base}/fapi/v1`;
ex.urls.api.fapiPublicV2 = `${base}/fapi/v2`;
ex.urls.api.fapiPublicV3 = `${base}/fapi/v3`;
ex.urls.api.ws.future = `ws://127.0.0.1:${port}/public/ws?ccxt=`;
await ex.loadHttpProxyAgent();
await ex.loadMarkets();

const symbols: string[] = [];
const unknown: string[] = [];
for (const id of ids) {
  const m = (ex.markets_by_id?.[id] ?? []).find((x: any) => x.swap || x.future);
  if (m) symbols.push(m.symbol);
  else unknown.push(id);
}

let msgs = 0;
let callbacks = 0;
let lat: number[] = [];
const orig = ex.handleMessage.bind(ex);
ex.handleMessage = (client: unknown, message: unknown) => {
  msgs++;
  return orig(client, message);
};

const chunks: string[][] = Array.from({ length: nConns }, () => []);
symbols.forEach((s, i) => chunks[i % nConns]!.push(s));
const seen = new Set<number>();
let errors = 0;
let lastError = "";

async function loop(k: number, chunk: string[]): Promise<void> {
  for (;;) {
    try {
      const r = await ex.watchBidsAsks(chunk);
      const now = wallMicros();
      seen.add(k);
      for (const sym in r) {
        const t = r[sym];
        callbacks++;
        if (t.timestamp) lat.push(now - t.timestamp * 1000);
      }
    } catch (err) {
      errors++;
      lastError = String((err as Error).message ?? err).slice(0, 200);
      await Bun.sleep(100);
    }
  }
}
chunks.forEach((c, k) => void loop(k, c));

const t0 = Date.now();
while (seen.size < chunks.length && Date.now() - t0 < 15_000) await Bun.sleep(20);
process.stdout.write(JSON.stringify({ ready: { symbols: symbols.length, unknown, conns: seen.size, errors, lastError } }) + "\n");

const reader = Bun.stdin.stream().pipeThrough(new TextDecoderStream()).getReader();
let buf = "";
for (;;) {
  const { value, done } = await reader.read();
  if (done) break;
  buf += value;
  let nl: number;
  while ((nl = buf.indexOf("\n")) >= 0) {
    const line = buf.slice(0, nl).trim();
    buf = buf.slice(nl + 1);
    if (line !== "mark") continue;
    const cpu = cpuSample(process.pid);
    const m = msgs;
    const c = callbacks;
    const samples = lat;
    lat = [];
    process.stdout.write(JSON.stringify({ mark: { msgs: m, callbacks: c, statNs: cpu.statNs, schedNs: cpu.schedNs, wallUs: wallMicros(), latency: histStats(histFrom(samples)), errors, lastError } }) + "\n");
  }
}
process.exit(0);
