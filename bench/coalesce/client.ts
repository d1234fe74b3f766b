// Client for bench/read-coalesce.bench.ts: N sockets through the connection engine's socket factory (plain, or held
// in windows by a ReadCoalescer), JSON.parse per frame; prints msg/s, CPU (utime+stime) and main-thread wake-ups.
import { bunSocketFactory, coalescingSocketFactory, ReadCoalescer } from "@spread/exchanges";
import { cpuSample } from "../feed-procs.ts";

const [port, nStr, winStr, secStr] = process.argv.slice(2);
const N = Number(nStr);
const WIN = Number(winStr);
const factory = WIN > 0 ? coalescingSocketFactory(new ReadCoalescer(WIN)) : bunSocketFactory;
let msgs = 0;
for (let i = 0; i < N; i++) {
  factory(`ws://127.0.0.1:${port}`, { onOpen() {}, onMessage: (d) => void (JSON.parse(String(d)), msgs++), onClose() {}, onError() {} });
}
await Bun.sleep(1500);
const a = { s: cpuSample(process.pid), m: msgs, t: performance.now() };
await Bun.sleep(Number(secStr) * 1000);
const b = { s: cpuSample(process.pid), m: msgs, t: performance.now() };
const secs = (b.t - a.t) / 1000;
const ns = b.s.statNs - a.s.statNs;
console.log(JSON.stringify({ msgsPerS: (b.m - a.m) / secs, cpuPct: ns / 1e7 / secs, usPerMsg: ns / 1000 / Math.max(1, b.m - a.m), wakesPerS: (b.s.vcsw - a.s.vcsw) / secs }));
process.exit(0);
