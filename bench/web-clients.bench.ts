// spread-web's effect on the hot path (`bun run bench web-clients`; docs/PERFORMANCE.md "spread-web"): the whole
// system on the simulator at 10k updates/s through `spread-ctl up` (one feed process per source, the A.7 default),
// with spread-web's WebSocket clients connected and disconnected in alternating windows. The issue's goal is "no
// effect on the feeds' or engine's CPU beyond noise" with 3 clients, so each window measures the CPU (schedstat run
// time, all threads) of the feeds together, the engine, the tracker and spread-web, and the verdict compares the mean
// difference between the two conditions with the windows' own spread (Welch's t). Windows go in ABBA order, so a
// box that drifts (other load, the JIT settling) does not read as an effect of the clients.
//
// Clients are WebSockets on the Spreads and Health topics, what an open Spreads tab subscribes to; a browser on the
// trader's desk costs the box exactly these pushes (bench/web.bench.ts measures spread-web alone, first load and
// latency; tests/web/browser.test.ts drives real chromium pages).
//
//   bun bench/web-clients.bench.ts [--clients 3] [--rounds 4] [--window 20] [--settle 45] [--rate 10000]
//                                  [--groups "a,b;c,d" | per-source]
// BIN_DIR=<dist> runs the compiled binaries (scripts/build.sh) instead of the sources.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { cpuSample, schedDelta, type CpuSample } from "./feed-procs.ts";
import { heldStackTeardown, setSimRate, Stack, startSim, type FeedMode, type Sim } from "./system/stack.ts";

const ROOT = resolve(import.meta.dir, "..");
const { values: args } = parseArgs({
  args: process.argv.slice(2),
  options: {
    clients: { type: "string", default: "3" },
    rounds: { type: "string", default: "4" },
    window: { type: "string", default: "20" },
    settle: { type: "string", default: "45" },
    rate: { type: "string", default: "10000" },
    groups: { type: "string", default: "per-source" },
  },
  strict: true,
});
const positive = (name: string, v: string, min: number): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) throw new Error(`--${name}: expected a number ≥ ${min}, got "${v}"`);
  return n;
};
const CLIENTS = positive("clients", args.clients, 1);
const ROUNDS = positive("rounds", args.rounds, 2);
const WINDOW_S = positive("window", args.window, 2);
const SETTLE_S = positive("settle", args.settle, 0);
const RATE = positive("rate", args.rate, 1);
const mode: FeedMode = args.groups === "per-source" ? { name: "per-source" } : { name: "grouped", groups: args.groups.split(";").map((g) => g.split(",")) };

const dir = mkdtempSync(join(tmpdir(), "web-clients-"));
const prefix = `bench-webc-${process.pid}`;
let sim: Sim | null = null;
let stack: Stack | null = null;
const sockets: WebSocket[] = [];
const teardown = heldStackTeardown("web-clients.bench", dir, prefix, () => ({ stack, sim }), () => disconnect());
teardown.deadline((SETTLE_S + ROUNDS * 2 * (WINDOW_S + 5) + 240) * 1000);

/** A port that was free a moment ago: spread-web must be reachable at a known address, and port 0 would hide it. */
function freePort(): number {
  const l = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = l.port;
  l.stop(true);
  return port;
}

type Group = "feeds" | "engine" | "tracker" | "web";
const GROUPS: readonly Group[] = ["feeds", "engine", "tracker", "web"];
const groupOf = (name: string): Group | null =>
  name.startsWith("feed") ? "feeds" : name === "spread-engine" ? "engine" : name === "spread-tracker" ? "tracker" : name === "spread-web" ? "web" : null;

interface Window {
  readonly clients: number;
  readonly pct: Record<Group, number>;
  readonly messagesPerSec: number;
  readonly load: string;
}

let messages = 0;
function connect(url: string, n: number): Promise<void> {
  const opened: Promise<void>[] = [];
  for (let c = 0; c < n; c++) {
    const ws = new WebSocket(`${url.replace("http", "ws")}/ws?topics=spreads,health`, { headers: { origin: url } } as unknown as string[]);
    ws.onmessage = () => void messages++;
    opened.push(new Promise((res, rej) => {
      ws.onopen = () => res();
      ws.onerror = () => rej(new Error(`WebSocket ${c} to ${url} failed`));
    }));
    sockets.push(ws);
  }
  return Promise.all(opened).then(() => undefined);
}
function disconnect(): void {
  for (const ws of sockets.splice(0)) ws.close();
}

async function measureWindow(st: Stack, clients: number): Promise<Window> {
  const procs = st.processes();
  const a = new Map<number, CpuSample>();
  for (const pid of procs.keys()) a.set(pid, cpuSample(pid));
  const m0 = messages;
  const t0 = performance.now();
  await Bun.sleep(WINDOW_S * 1000);
  const secs = (performance.now() - t0) / 1000;
  const pct: Record<Group, number> = { feeds: 0, engine: 0, tracker: 0, web: 0 };
  for (const [pid, name] of procs) {
    const g = groupOf(name);
    if (g === null) continue;
    let b: CpuSample;
    try {
      b = cpuSample(pid);
    } catch {
      throw new Error(`${name} (pid ${pid}) exited during a window: a restart makes the run invalid`);
    }
    pct[g] += (schedDelta(a.get(pid)!, b).run / 1e9 / secs) * 100;
  }
  const load = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  return { clients, pct, messagesPerSec: (messages - m0) / secs, load };
}

const mean = (x: readonly number[]) => x.reduce((s, v) => s + v, 0) / x.length;
const sd = (x: readonly number[]) => {
  const m = mean(x);
  return Math.sqrt(x.reduce((s, v) => s + (v - m) ** 2, 0) / Math.max(1, x.length - 1));
};

try {
  sim = await startSim(ROOT, dir);
  const webPort = freePort();
  const up = await Stack.up({ root: ROOT, dir, prefix, exchangesFile: sim.exchangesFile, mode, webPort }, process.env.BIN_DIR || null, false, 180_000);
  stack = up.stack;
  const url = `http://127.0.0.1:${webPort}`;
  await setSimRate(sim.control, RATE);
  console.log(`system up in ${(up.upMs / 1000).toFixed(1)} s (${mode.name}); ${RATE} updates/s; settling ${SETTLE_S} s`);
  await Bun.sleep(SETTLE_S * 1000);

  const windows: Window[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    // ABBA: rounds alternate which condition goes first.
    const order = r % 2 === 0 ? [0, CLIENTS] : [CLIENTS, 0];
    for (const n of order) {
      disconnect();
      if (n > 0) {
        await connect(url, n);
        await Bun.sleep(3000); // each client's first full table, then the steady deltas
      } else {
        await Bun.sleep(1000);
      }
      const w = await measureWindow(stack, n);
      windows.push(w);
      console.log(`round ${r + 1} ${String(n).padStart(2)} clients: ${GROUPS.map((g) => `${g} ${w.pct[g].toFixed(2)} %`).join(", ")}; ${w.messagesPerSec.toFixed(1)} msg/s to clients; load ${w.load}`);
    }
  }
  disconnect();

  const off = windows.filter((w) => w.clients === 0);
  const on = windows.filter((w) => w.clients > 0);
  if (on.some((w) => w.messagesPerSec <= 0)) throw new Error("a window with clients received no message: spread-web did not push");
  const table = [`| process | no client, mean ± sd (% of a core) | ${CLIENTS} clients, mean ± sd | difference | Welch t | verdict |`, "|---|---|---|---|---|---|"];
  for (const g of GROUPS) {
    const x = off.map((w) => w.pct[g]);
    const y = on.map((w) => w.pct[g]);
    const diff = mean(y) - mean(x);
    const se = Math.sqrt(sd(x) ** 2 / x.length + sd(y) ** 2 / y.length);
    const t = se > 0 ? diff / se : 0;
    // |t| < 2: the difference is inside what the windows of one condition already differ by.
    const verdict = g === "web" ? "spread-web itself (goal ≤ 3 % with clients)" : Math.abs(t) < 2 ? "within noise" : diff > 0 ? "MORE with clients" : "less with clients";
    table.push(`| ${g} | ${mean(x).toFixed(2)} ± ${sd(x).toFixed(2)} | ${mean(y).toFixed(2)} ± ${sd(y).toFixed(2)} | ${diff >= 0 ? "+" : ""}${diff.toFixed(2)} | ${t.toFixed(2)} | ${verdict} |`);
  }
  console.log(`\n${mode.name}, ${RATE} updates/s, ${ROUNDS} rounds × ${WINDOW_S} s windows per condition (ABBA), settled ${SETTLE_S} s\n${table.join("\n")}`);
  console.log(`\nmessages to the clients: ${mean(on.map((w) => w.messagesPerSec)).toFixed(1)}/s; load ${windows.map((w) => w.load.split(" ")[0]).join(", ")}`);
  await teardown.stop();
  process.exit(0);
} catch (err) {
  console.error(err);
  await teardown.stop();
  process.exit(1);
}
