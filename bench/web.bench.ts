// spread-web benchmark (`bun run bench web`; numbers in docs/PERFORMANCE.md): the real spread-web process with
// 3 WebSocket clients (the Spreads and Health topics, as 3 open tabs) while this process plays 8 feeds writing
// 10,000 Price Store updates/s over 300 symbols (every direction lists every symbol: 3,600 pairs).
//  - spread-web CPU: its own run time (schedstat of its threads, so other load on the box does not count) over a
//    window with no client, then over the window with the 3 clients; target ≤ 3 % of one core.
//  - first load: bytes of the Spreads page (HTML + CSS + script) and of a tracking page (+ uPlot); target ≤ 200 KB.
//  - update latency: a price written into the Price Store that makes one pair the widest → the WebSocket message
//    carrying it reaches a client; p50/p99 over 40 changes at random phases of the 250 ms push; target p50 ≤ 300 ms.
//
//   WEB_BENCH_WINDOW_S=30 WEB_BENCH_CLIENTS=3 bun bench/web.bench.ts   (WEB_BENCH_PROF=DIR: CPU profile of spread-web)
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { monoMicros, wallMicros } from "@spread/common";
import { createAll, HealthRecord, unlinkAll } from "@spread/shm";
import { report, percentile } from "./harness.ts";
import { benchScratch, cpuSample, fakeFeedHeartbeats, machineBusyNs, spawnLogged, stopChild, tail } from "./feed-procs.ts";
import { writeGenerated } from "../tests/tracker/helpers.ts";

const ROOT = resolve(import.meta.dir, "..");
const WINDOW_S = Number(process.env.WEB_BENCH_WINDOW_S ?? 30);
const SYMBOLS = 300;
const UPDATES_PER_S = 10_000;
const CLIENTS = Number(process.env.WEB_BENCH_CLIENTS ?? 3);
const dir = mkdtempSync(join(tmpdir(), "web-bench-"));
const prefix = `bench-web-${process.pid}`;
benchScratch("web.bench", dir, prefix, WINDOW_S + 120, unlinkAll);

const names = Array.from({ length: SYMBOLS }, (_, i) => `S${String(i).padStart(3, "0")}-USDT`);
writeGenerated(join(dir, "generated"), names);
const config = join(dir, "config.toml");
writeFileSync(config, `[paths]\ngenerated = "${join(dir, "generated")}"\ndata = "${join(dir, "data")}"\n[shm]\nprefix = "${prefix}"\n[log]\nlevel = "info"\n[web]\nport = 0\n`);
const shm = createAll(prefix).shm;
// As the feeds do: the readers copy and scan only the symbol ids in use.
shm.prices.setNumSymbols(SYMBOLS);

// Feeds: 10k updates/s as 1,000 writes every 100 ms, round-robin over (symbol, source); spreads stay below 0.2 %.
const h = new HealthRecord();
let cursor = 0;
/** A symbol the latency probe owns: the feeds leave it alone. */
const PROBE = SYMBOLS - 1;
function feeds(): void {
  fakeFeedHeartbeats(shm.health, h);
  const w = wallMicros();
  const m = monoMicros();
  for (let i = 0; i < UPDATES_PER_S / 10; i++) {
    const e = cursor++ % ((SYMBOLS - 1) * 8);
    const sym = e >> 3;
    const src = e & 7;
    const p = 100 + sym + Math.random() * 0.1;
    shm.prices.write(src, sym, p, p + 0.01, 1, 1, 0, w, m);
  }
}
for (let sym = 0; sym < SYMBOLS; sym++) for (let s = 0; s < 8; s++) shm.prices.write(s, sym, 100 + sym, 100.01 + sym, 1, 1, 0, wallMicros(), monoMicros());
feeds();
const feedTimer = setInterval(feeds, 100);

const log = join(dir, "web.log");
// WEB_BENCH_PROF=DIR: spread-web writes a CPU profile (markdown) there when it stops.
const prof = process.env.WEB_BENCH_PROF ? ["--cpu-prof-md", `--cpu-prof-dir=${process.env.WEB_BENCH_PROF}`] : [];
const web = spawnLogged([process.execPath, ...prof, join(ROOT, "bins/spread-web.ts"), "--config", config], log, { SPREAD_SCANNER_SHM_PREFIX: prefix });
let url = "";
for (const end = Date.now() + 30_000; !url; await Bun.sleep(50)) {
  if (Date.now() > end || web.exitCode !== null) throw new Error(`spread-web did not start\n${tail(log)}`);
  const m = /"url":"(http:\/\/[^"]+)\/"/.exec(readFileSync(log, "utf8"));
  if (m) url = m[1]!;
}

// First load: what a browser fetches for a page (no compression: Bun.serve sends bodies as they are).
const bytes = async (paths: string[]) => (await Promise.all(paths.map(async (p) => (await (await fetch(url + p)).arrayBuffer()).byteLength))).reduce((a, b) => a + b, 0);
const spreadsLoad = await bytes(["/spreads", "/app.css", "/app.js"]);
const trackLoad = await bytes(["/trackings", "/app.css", "/app.js", "/uplot.js"]);

// No client: spread-web should read nothing but its Control region once a second.
const IDLE_S = Math.min(10, WINDOW_S);
const i0 = cpuSample(web.pid);
await Bun.sleep(IDLE_S * 1000);
const i1 = cpuSample(web.pid);
const idlePct = ((i1.schedNs - i0.schedNs) / (i1.at - i0.at)) * 100;

// Clients: 3 WebSockets on spreads + health; client 0 records when the probe's row arrives.
let probeWantBid = 0;
let probeSentAt = 0;
const latencies: number[] = [];
let messages = 0;
let msgBytes = 0;
const sockets: WebSocket[] = [];
for (let c = 0; c < CLIENTS; c++) {
  const ws = new WebSocket(`${url.replace("http", "ws")}/ws?topics=spreads,health`, { headers: { origin: url } } as unknown as string[]);
  ws.onmessage = (ev) => {
    messages++;
    msgBytes += String(ev.data).length;
    if (c !== 0 || probeWantBid === 0) return;
    const m = JSON.parse(String(ev.data)) as { spreads?: { upsert?: { symbol_id: number; futures_bid: number }[] } };
    if (m.spreads?.upsert?.some((r) => r.symbol_id === PROBE && r.futures_bid === probeWantBid)) {
      latencies.push(performance.now() - probeSentAt);
      probeWantBid = 0;
    }
  };
  sockets.push(ws);
}
await Bun.sleep(3000); // warm-up: JIT, first full pushes

const c0 = cpuSample(web.pid);
const m0 = machineBusyNs();
const msg0 = messages;
const bytes0 = msgBytes;
// Latency probes through the window: every ~700 ms (random phase vs the 250 ms push) the probe symbol's futures
// bid jumps 2-4 % on one source, making it the widest pair.
const end = Date.now() + WINDOW_S * 1000;
let k = 0;
while (Date.now() < end) {
  await Bun.sleep(500 + Math.random() * 400);
  if (probeWantBid !== 0) continue; // the previous probe never arrived: counted below as missing
  k++;
  const bid = Math.round((100 + PROBE) * (1.02 + (k % 20) * 0.001) * 100) / 100;
  probeWantBid = bid;
  probeSentAt = performance.now();
  shm.prices.write(1, PROBE, bid, bid + 0.01, 1, 1, 0, wallMicros(), monoMicros());
}
const c1 = cpuSample(web.pid);
const m1 = machineBusyNs();
clearInterval(feedTimer);
const secs = (c1.at - c0.at) / 1e9;
const cpuPct = ((c1.schedNs - c0.schedNs) / 1e9 / secs) * 100;
const statPct = ((c1.statNs - c0.statNs) / 1e9 / secs) * 100;
const machinePct = ((m1.busy - m0.busy) / (m1.total - m0.total)) * 100;
const msgRate = (messages - msg0) / secs;
const lat = [...latencies].sort((a, b) => a - b);
const load = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");

report({ name: `spread-web CPU, ${CLIENTS} WebSocket clients, ${UPDATES_PER_S} updates/s (% of one core)`, nsPerOp: (cpuPct / 100) * 1e9 / Math.max(1, msgRate), opsPerSec: msgRate, target: "≤ 3 %", note: `${cpuPct.toFixed(2)} % (utime+stime ${statPct.toFixed(2)} %); no client ${idlePct.toFixed(2)} %; ${msgRate.toFixed(1)} messages/s to ${CLIENTS} clients (${((msgBytes - bytes0) / secs / 1024).toFixed(1)} KiB/s); machine busy ${machinePct.toFixed(0)} %, load ${load}` });
report({ name: "spread-web first load (bytes)", nsPerOp: spreadsLoad, opsPerSec: 0, target: "≤ 200 KB", note: `Spreads page ${(spreadsLoad / 1024).toFixed(1)} KiB (HTML+CSS+script); Trackings page ${(trackLoad / 1024).toFixed(1)} KiB (+ uPlot)` });
report({ name: "spread-web update latency, Price Store write → WebSocket (ms)", nsPerOp: percentile(lat, 50) * 1e6, opsPerSec: 0, target: "p50 ≤ 300 ms", note: `p50 ${percentile(lat, 50).toFixed(0)} ms, p99 ${percentile(lat, 99).toFixed(0)} ms, max ${lat.at(-1)?.toFixed(0)} ms over ${lat.length}/${k} probes` });
for (const ws of sockets) ws.close();
await stopChild(web, 5000);
process.exit(0);
