// Minimal benchmark harness shared by every bench/*.bench.ts: warm-up, timed batches, median ns/op.
// Results print as aligned lines and are appended as JSON lines to .bench-results/results.jsonl; a bench run with
// `--json FILE` also writes its results as one JSON document there (bench/system.bench.ts composes the report from them).
import { appendFileSync, mkdirSync } from "node:fs";
import { writeFileDurable } from "@spread/discovery";

export interface BenchResult {
  readonly name: string;
  readonly nsPerOp: number;
  readonly opsPerSec: number;
  readonly target?: string;
  readonly note?: string;
}

let sink = 0;
/** Consume a value so the JIT cannot drop the work. */
export function blackhole(v: number): void {
  sink = (sink + v) | 0;
}

/**
 * Runs fn(i) for `batch` iterations per sample, `samples` times after a warm-up; reports the median sample.
 * fn must do one operation per call.
 */
export function measure(name: string, fn: (i: number) => void, opts: { batch?: number; samples?: number; target?: string; note?: string } = {}): BenchResult {
  const batch = opts.batch ?? 100_000;
  const samples = opts.samples ?? 15;
  for (let i = 0; i < batch * 3; i++) fn(i);
  const times: number[] = [];
  for (let s = 0; s < samples; s++) {
    const t0 = Bun.nanoseconds();
    for (let i = 0; i < batch; i++) fn(i);
    times.push((Bun.nanoseconds() - t0) / batch);
  }
  times.sort((a, b) => a - b);
  const ns = times[Math.floor(times.length / 2)]!;
  const r: BenchResult = { name, nsPerOp: ns, opsPerSec: 1e9 / ns, ...(opts.target ? { target: opts.target } : {}), ...(opts.note ? { note: opts.note } : {}) };
  report(r);
  return r;
}

/** Prints and records a result measured some other way (latency percentiles, throughput runs). */
export function report(r: BenchResult): void {
  const t = r.target ? `  target ${r.target}` : "";
  const n = r.note ? `  (${r.note})` : "";
  console.log(`${r.name.padEnd(56)} ${r.nsPerOp.toFixed(1).padStart(10)} ns/op ${Math.round(r.opsPerSec).toLocaleString("en-US").padStart(14)} op/s${t}${n}`);
  try {
    mkdirSync(".bench-results", { recursive: true });
    appendFileSync(".bench-results/results.jsonl", JSON.stringify({ ...r, at: new Date().toISOString() }) + "\n");
  } catch {
    // Recording is best effort; the printed line is the result.
  }
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** The FILE of a `--json FILE` argument, or null. */
export function jsonOutPath(argv: readonly string[] = process.argv): string | null {
  const i = argv.indexOf("--json");
  if (i < 0) return null;
  const file = argv[i + 1];
  if (!file || file.startsWith("--")) throw new Error("--json needs a file name");
  return file;
}

/** Writes `doc` to the `--json FILE` of the command line (atomically: tmp, fsync, rename); nothing without one. */
export function writeJsonResult(doc: unknown): void {
  const file = jsonOutPath();
  if (file) writeFileDurable(file, new TextEncoder().encode(`${JSON.stringify(doc, null, 1)}\n`));
}
