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
// Modes (--mode): "batch" = one watchBidsAsks(symbols) loop per connection (ccxt's documented multi-symbol call;
// every await races one future per symbol of the batch); "single" = one watchBidsAsks([symbol]) loop per symbol,
// with options.streamLimits.future = --conns so ccxt spreads those streams over the same number of connections.
//
// Reporting: prints {"ready":…} on stdout once data flows on every loop. Counters live in the file given by
// --counters (mmap, MAP_SHARED) so the bench can read them together with /proc/<pid>/stat even while this
// process's event loop is saturated: f64[0] frames handled by ccxt (handleMessage calls), f64[1] callbacks
// (tickers returned to the caller), f64[2] errors; from byte 64 an i32 histogram of receive-to-callback latency
// (callback wall µs − bookTicker E ms × 1000) in the feed-procs.ts bucket layout.
import ccxt from "ccxt";
import { wallMicros } from "@spread/common";
import { histAdd, HIST_BUCKETS } from "../feed-procs.ts";

function arg(name: string, def?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0 && process.argv[i + 1] !== undefined) return process.argv[i + 1]!;
  if (def !== undefined) return def;
  throw new Error(`missing --${name}`);
}

const port = arg("port");
const ids: string[] = await Bun.file(arg("symbols")).json();
const nConns = Number(arg("conns", "3"));
const mode = arg("mode", "batch");
const mem = Bun.mmap(arg("counters"));
const counters = new Float64Array(mem.buffer, mem.byteOffset, 8);
const hist = new Int32Array(mem.buffer, mem.byteOffset + 64, HIST_BUCKETS + 2);

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

const orig = ex.handleMessage.bind(ex);
ex.handleMessage = (client: unknown, message: unknown) => {
  counters[0]!++;
  return orig(client, message);
};

let chunks: string[][];
if (mode === "single") {
  // One stream per call; ccxt assigns streams round-robin over options.streamLimits.future connections (default
  // 50): cap it at the feed's connection count so both consumers read the same number of sockets.
  ex.options.streamLimits.future = nConns;
  chunks = symbols.map((s) => [s]);
}
else {
  chunks = Array.from({ length: nConns }, () => []);
  symbols.forEach((s, i) => chunks[i % nConns]!.push(s));
}
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
        counters[1]!++;
        if (t.timestamp) histAdd(hist, now - t.timestamp * 1000);
      }
    } catch (err) {
      errors++;
      counters[2]!++;
      lastError = String((err as Error).message ?? err).slice(0, 200);
      await Bun.sleep(100);
    }
  }
}
chunks.forEach((c, k) => void loop(k, c));

const t0 = Date.now();
while (seen.size < chunks.length && Date.now() - t0 < 20_000) await Bun.sleep(20);
const conns = Object.keys(ex.clients ?? {}).length;
process.stdout.write(JSON.stringify({ ready: { symbols: symbols.length, unknown, loops: chunks.length, loopsWithData: seen.size, conns, errors, lastError } }) + "\n");
// Runs until the bench kills it.
setInterval(() => {}, 1 << 30);
