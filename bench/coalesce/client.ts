// Client for bench/read-coalesce.bench.ts: N sockets through the connection engine's socket factory (plain, or held
// in windows by a ReadCoalescer), JSON.parse per frame; prints msg/s, CPU (utime+stime) and main-thread wake-ups.
import { readFileSync } from "node:fs";
import { bunSocketFactory, coalescingSocketFactory, ReadCoalescer } from "@spread/exchanges";

const [port, nStr, winStr, secStr] = process.argv.slice(2);
const N = Number(nStr);
const WIN = Number(winStr);
const factory = WIN > 0 ? coalescingSocketFactory(new ReadCoalescer(WIN)) : bunSocketFactory;
let msgs = 0;
for (let i = 0; i < N; i++) {
  factory(`ws://127.0.0.1:${port}`, { onOpen() {}, onMessage: (d) => void (JSON.parse(String(d)), msgs++), onClose() {}, onError() {} });
}
const cpu = () => {
  const f = readFileSync("/proc/self/stat", "utf8");
  const x = f.slice(f.lastIndexOf(")") + 2).split(" ");
  return (Number(x[11]) + Number(x[12])) * 10; // ms at CLK_TCK 100
};
const wakes = () => Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(readFileSync(`/proc/self/task/${process.pid}/status`, "utf8"))![1]);
await Bun.sleep(1500);
const a = { c: cpu(), m: msgs, w: wakes(), t: performance.now() };
await Bun.sleep(Number(secStr) * 1000);
const b = { c: cpu(), m: msgs, w: wakes(), t: performance.now() };
const s = (b.t - a.t) / 1000;
console.log(JSON.stringify({ msgsPerS: (b.m - a.m) / s, cpuPct: (b.c - a.c) / 10 / s, usPerMsg: ((b.c - a.c) * 1000) / Math.max(1, b.m - a.m), wakesPerS: (b.w - a.w) / s }));
process.exit(0);
