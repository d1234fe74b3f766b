// The whole-system report's building blocks: PSS and per-thread CPU from /proc (bench/feed-procs.ts), the generated
// section of docs/PERFORMANCE.md rewritten between its markers (bench/system/report.ts), and the rendered figures
// with their goals and reasons.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cpuSample, memSample, schedDelta } from "../../bench/feed-procs.ts";
import { BEGIN, END, renderReport, rewriteSection, type SystemReport } from "../../bench/system/report.ts";
import { modeLabel, type LoadResult, type ProcFigures } from "../../bench/system/stack.ts";

const dir = mkdtempSync(join(tmpdir(), "system-report-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("memSample", () => {
  test("reads this process's PSS: positive, at most its RSS, the sum of its anon, file and shmem parts", () => {
    const m = memSample(process.pid);
    expect(m.pss).toBeGreaterThan(1 << 20);
    expect(m.pss).toBeLessThanOrEqual(m.rss);
    // smaps_rollup rounds each field to kB separately.
    expect(Math.abs(m.pssAnon + m.pssFile + m.pssShmem - m.pss)).toBeLessThanOrEqual(3 * 1024);
  });

  test("a pid that does not exist throws (the caller decides what a vanished process means)", () => {
    expect(() => memSample(2 ** 22 + 12345)).toThrow();
  });
});

describe("schedDelta", () => {
  test("counts a thread born between the samples in full and never goes negative when one exits", async () => {
    const a = cpuSample(process.pid);
    // A Worker that burns CPU, reports its own run time (its thread's schedstat), stays alive until told, then exits.
    const src = `const { readFileSync } = require("node:fs");
      let x = 0; const end = performance.now() + 60; while (performance.now() < end) x += Math.sqrt(x + 1);
      postMessage(Number(readFileSync("/proc/thread-self/schedstat", "utf8").split(" ")[0]));
      onmessage = () => process.exit(0);`;
    const file = join(dir, "burn.js");
    writeFileSync(file, src);
    const w = new Worker(file);
    const ownRun = await new Promise<number>((res) => (w.onmessage = (e) => res(e.data as number)));
    const b = cpuSample(process.pid);
    expect(schedDelta(a, b).run).toBeGreaterThanOrEqual(ownRun);
    const exited = new Promise<void>((res) => w.addEventListener("close", () => res()));
    w.postMessage("exit");
    await exited;
    const c = cpuSample(process.pid);
    expect(schedDelta(b, c).run).toBeGreaterThanOrEqual(0);
    expect(schedDelta(b, c).wait).toBeGreaterThanOrEqual(0);
  });
});

describe("rewriteSection", () => {
  const doc = (body: string) => `# Performance\n\nintro\n\n${BEGIN}\n${body}\n${END}\n\n## Shared memory\n\nkept\n`;

  test("replaces only what lies between the markers and leaves no temporary file", () => {
    const f = join(dir, "a.md");
    writeFileSync(f, doc("old generated text"));
    rewriteSection(f, "## Whole system\n\nnew figures\n");
    expect(readFileSync(f, "utf8")).toBe(doc("## Whole system\n\nnew figures"));
    expect(readdirSync(dir).filter((x) => x.endsWith(".tmp"))).toEqual([]);
  });

  test("without markers the section is appended with its markers; a lone marker is an error naming the file", () => {
    const f = join(dir, "b.md");
    writeFileSync(f, "# Performance\n");
    rewriteSection(f, "body");
    expect(readFileSync(f, "utf8")).toBe(`# Performance\n\n${BEGIN}\nbody\n${END}\n`);
    writeFileSync(f, `# Performance\n${BEGIN}\nno end\n`);
    expect(() => rewriteSection(f, "body")).toThrow(f);
    expect(readFileSync(f, "utf8")).toBe(`# Performance\n${BEGIN}\nno end\n`);
  });
});

// ---- renderReport on synthetic figures ----------------------------------------------------------------------

const MB = 1e6;
function proc(name: string, cpuPct: number, pssMB: number, wakeups = 100): ProcFigures {
  return { name, pid: 1, cpuPct, statPct: cpuPct, kernelShare: 0.4, wakeupsPerSec: wakeups, runqWaitPct: 1, mem: { rss: pssMB * 2 * MB, pss: pssMB * MB, pssAnon: (pssMB - 5) * MB, pssFile: 5 * MB, pssShmem: 0 } };
}
function load(rate: number, simShare: number, procs: ProcFigures[]): LoadResult {
  return {
    rate, seconds: 15, loadAvg: "0.50 0.40 0.30", procs, supervisor: null, sim: proc("exchange-sim", 10, 60),
    framesPerSec: rate * 0.7 * simShare, writesPerSec: rate * 0.7 * simShare, simFramesPerSec: rate * 0.7 * simShare, simUpdatesPerSec: rate * simShare,
    engineExaminedPerSec: rate * 0.6, totalCpuPct: procs.reduce((a, p) => a + p.cpuPct, 0), totalPss: procs.reduce((a, p) => a + p.mem.pss, 0),
    totalRss: procs.reduce((a, p) => a + p.mem.rss, 0), foreignPct: 0,
  };
}
const perSource = { name: "per-source" } as const;
const grouped = { name: "grouped", groups: [["binance_spot", "binance_futures"]] } as const;
const report: SystemReport = {
  startedAt: "2026-12-03T12:00:00.000Z", quick: false, seconds: 500,
  machine: { cpu: "Test CPU", cores: 2, memGiB: 24, kernel: "6.18", bun: "1.4.4", commit: "abc1234" },
  loadStart: "0.50 0.40 0.30", loadEnd: "0.60 0.40 0.30", binaries: "compiled", build: { ok: true, seconds: 20 },
  subscriptions: { perSource: { binance_spot: 459 }, total: 3408 }, stackDiscovery: { ms: 16_000, symbols: 699, validated: true },
  modes: [
    {
      mode: perSource, label: modeLabel(perSource), upMs: 25_000, loads: [
        load(10_000, 1, [...Array.from({ length: 8 }, (_, i) => proc(`feed s${i}`, 1.5, 25)), proc("spread-engine", 0.8, 40, 2)]),
        load(50_000, 0.5, [...Array.from({ length: 8 }, (_, i) => proc(`feed s${i}`, 3, 30)), proc("spread-engine", 2, 41, 2)]),
      ],
    },
    { mode: grouped, label: modeLabel(grouped), skipped: "failed: the system was not running after 150 s", loads: [] },
  ],
  latency: [{ mode: modeLabel(perSource), result: { ok: true, seconds: 60, data: { latency: [{ rate: 10_000, signals: 9000, seconds: 8, p50: 90, p90: 300, p99: 1500, p999: 4000, max: 9000 }] } } }],
  feed: { ok: false, error: "feed.bench.ts exited 1 without results", seconds: 30 },
  tracker: { ok: true, seconds: 45, data: { trackings: 100, windowS: 30, cpuPct: 2.9, schedPct: 2.7, rowsPerSec: 500, bytesPerRow: 125, bytesPerHour: 225e6, lateP99Ms: 3 } },
  compiled: null, discoveryCycle: null,
};

describe("renderReport", () => {
  const md = renderReport(report, { realistic: 10_000, burst: 50_000 });
  const row = (start: string) => md.split("\n").find((l) => l.startsWith(start)) ?? "";

  test("records the machine and the load average it ran under", () => {
    expect(md).toContain("Test CPU, 2 cores, 24 GiB, Linux 6.18, Bun 1.4.4, commit abc1234");
    expect(md).toContain("0.50 0.40 0.30 at the start, 0.60 0.40 0.30 at the end");
    expect(md).toContain("3,408 subscriptions over 8 sources");
  });

  test("puts each figure beside its goal and A.14, with the reason of a gap", () => {
    const cpu = row("| CPU, one feed process per source");
    expect(cpu).toContain("**12.8 %** ✗");
    expect(cpu).toContain("≤ 10 % at realistic load");
    expect(cpu).toContain("< 5 %");
    expect(cpu).toContain("8 feed processes 12.0 % (800 wake-ups/s");
    const pss = row("| PSS, one feed process per source");
    expect(pss).toContain("**240.0** ✓");
    expect(pss).toContain("~60 MB");
    expect(row("| tick-to-signal")).toContain("90 µs / **1.5 ms** / 4.0 ms ✗");
    expect(row("| tracker bytes per hour")).toContain("225.0 MB/h ✓");
  });

  test("says when the 5× load was not reached, why a mode did not run, and a failed bench's error", () => {
    expect(row("| load reached, one feed process per source")).toContain("5×: the simulator itself produced only 50 % of 50k/s");
    expect(row("| CPU, one feed process per source")).toContain("(load not reached)");
    expect(row("| whole system, grouped feeds (1 process: binance; 6 sources alone)")).toContain("failed: the system was not running after 150 s");
    expect(md).toContain("feed.bench.ts exited 1 without results");
  });

  test("per-process tables sum to the system total", () => {
    const total = md.split("\n").filter((l) => l.startsWith("| **system total** |"));
    expect(total.length).toBe(2);
    expect(total[0]).toContain("**12.80**");
    expect(total[0]).toContain("**240.0**");
  });
});

describe("renderReport: start-up against steady state", () => {
  const jitProc = (name: string, cpuPct: number, jitPct: number) => ({ ...proc(name, cpuPct, 30), jitPct });
  const single = { name: "grouped", groups: [["binance_spot", "binance_futures", "bybit_spot"]] } as const;
  const startup = load(10_000, 1, [jitProc("feed all", 9, 2.5), jitProc("spread-engine", 4, 3)]);
  const steady = load(10_000, 1, [jitProc("feed all", 6, 0), jitProc("spread-engine", 1.5, 0)]);
  const md = renderReport({ ...report, modes: [{ mode: single, label: modeLabel(single), upMs: 2000, startup, startupS: 20, settleS: 45, loads: [steady] }], latency: [] }, { realistic: 10_000, burst: 50_000 });
  const cpu = md.split("\n").find((l) => l.startsWith("| CPU, grouped feeds")) ?? "";

  test("the goal is judged on the steady state; the first seconds are shown beside it with their JIT share", () => {
    expect(cpu).toContain("**7.5 %** ✓");
    expect(cpu).toContain("within the goal; above A.14");
    expect(cpu).toContain("Right after start (the first 20 s) the same load took 13.0 %, 5.5 points of it JIT compiler threads");
    expect(cpu).toContain("the steady state 45 s later");
  });

  test("the per-process tables label the start-up window and the steady one", () => {
    expect(md).toContain("**first seconds after start (JIT compiling), realistic load: simulator at 10k updates/s**");
    expect(md).toContain("**steady, realistic load: simulator at 10k updates/s**");
    expect(md.split("\n").filter((l) => l.startsWith("| **system total** |")).length).toBe(2);
  });
});
