// Opt-in read coalescing ([feed] read_coalesce_ms) in isolation: a WebSocket server process streaming small frames
// on loopback, and a client process on the connection engine's socket factory with 8 sockets (a feed group) or 1,
// plain or held in 5 / 20 ms windows by a ReadCoalescer. Client CPU and wake-ups per configuration, alternating
// configurations over ROUNDS so a busy neighbour hits all alike; median per configuration.
//
//   bun run bench read-coalesce      (COALESCE_BENCH_RATE=10000 COALESCE_BENCH_ROUNDS=3 COALESCE_BENCH_SECONDS=8)
import { join } from "node:path";
import { benchScratch, spawnLogged, stopChild } from "./feed-procs.ts";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";

const RATE = Number(process.env.COALESCE_BENCH_RATE ?? 10_000);
const ROUNDS = Number(process.env.COALESCE_BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.COALESCE_BENCH_SECONDS ?? 8);
const CONFIGS: [number, number][] = [[8, 0], [8, 5], [8, 20], [1, 0], [1, 5]];
const dir = mkdtempSync(join(tmpdir(), "coalesce-bench-"));
benchScratch("read-coalesce.bench", dir, "", 10 * 60, () => {});

const server = spawnLogged([process.execPath, join(import.meta.dir, "coalesce/server.ts"), String(RATE)], join(dir, "server.log"));
let port = "";
for (let i = 0; i < 100 && !port; i++) {
  await Bun.sleep(50);
  port = readFileSync(join(dir, "server.log"), "utf8").split("\n")[0]!.trim();
}
if (!port) throw new Error("server did not start");
const results = new Map<string, { cpuPct: number; usPerMsg: number; wakesPerS: number; msgsPerS: number }[]>();
for (let r = 0; r < ROUNDS; r++) {
  for (const [n, win] of CONFIGS) {
    const p = Bun.spawn([process.execPath, join(import.meta.dir, "coalesce/client.ts"), port, String(n), String(win), String(SECONDS)], { stdout: "pipe", stderr: "inherit" });
    const out = await new Response(p.stdout).text();
    await p.exited;
    const key = `${n} socket${n > 1 ? "s" : ""}, ${win ? `${win} ms windows` : "plain"}`;
    results.set(key, [...(results.get(key) ?? []), JSON.parse(out)]);
  }
}
await stopChild(server);
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
console.log(`# ${RATE} frames/s (~200 B, 1 ms pacing) on loopback; ${ROUNDS} rounds × ${SECONDS} s; median\n`);
console.log("| client | frames/s | CPU % of a core | µs CPU per frame | wake-ups/s |\n|---|---:|---:|---:|---:|");
for (const [key, rs] of results) {
  console.log(`| ${key} | ${med(rs.map((x) => x.msgsPerS)).toFixed(0)} | ${med(rs.map((x) => x.cpuPct)).toFixed(1)} | ${med(rs.map((x) => x.usPerMsg)).toFixed(1)} | ${med(rs.map((x) => x.wakesPerS)).toFixed(0)} |`);
}
process.exit(0);
