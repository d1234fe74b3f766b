// Fault matrix, exchange faults against Pair Discovery's REST stage: the simulator answers 5xx or hangs, for every
// source at once; the real pipeline (runDiscovery) retries with backoff, times each request out after
// fetch_timeout_ms, lets [discovery] min_sources decide, and a failed run leaves generated/ as it was.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { createLogger, loadGeneration, SOURCE_NAMES, type SourceName } from "@spread/common";
import { NullProgress, type DiscoveryResult, type ProgressSink } from "@spread/discovery";
import { startSim, type SimHandle } from "@spread/sim";
import { runOffline, tempDir } from "../discovery/helpers.ts";
import { SIM_EXCHANGES } from "../sim/helpers.ts";

const SOURCES = [0, 1, 2, 3, 4, 5, 6, 7] as const;
const TIMEOUT_MS = 300;
const BACKOFF_MS = [100, 200];
const name = (s: number) => SOURCE_NAMES[s]! as SourceName;

let sim: SimHandle;
const dirs: (() => void)[] = [];
beforeAll(async () => {
  sim = await startSim({ scenario: { universe: { scale: 0.12 }, rate: { total: 500 }, episodes: [] }, exchanges: SIM_EXCHANGES, ephemeral: true, controlPort: null, logger: createLogger("sim", "silent") });
});
afterAll(async () => {
  await sim?.stop();
  for (const d of dirs) d();
});
function outDir(tag: string): string {
  const t = tempDir(`faults-${tag}`);
  dirs.push(t.cleanup);
  return t.dir;
}

type Attempt = { ok: boolean; error: string | null; t: number };
/** A progress sink recording every REST request's outcome and completion time, per source (`at`). */
function attemptLog(): ProgressSink & { at: Attempt[][] } {
  const at = SOURCES.map(() => [] as Attempt[]);
  return Object.assign(new NullProgress(), {
    at,
    fetchPage(source: number, _page: number, _attempt: number, ok: boolean, _n: number, error: string | null): void {
      at[source]!.push({ ok, error, t: performance.now() });
    },
  });
}

function run(out: string, minSources: number, progress: ProgressSink = attemptLog()): Promise<DiscoveryResult> {
  return runOffline("", out, {
    offlineDir: null,
    exchanges: sim.exchangesConfig(),
    minSources,
    progress,
    discovery: { fetch_timeout_ms: TIMEOUT_MS, fetch_attempts: 3, backoff_ms: BACKOFF_MS },
  });
}

/** Path → sha256 and mtime of every file under dir: equal before and after = untouched. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[p.slice(dir.length)] = `${createHash("sha256").update(readFileSync(p)).digest("hex")} ${statSync(p).mtimeMs}`;
    }
  };
  walk(dir);
  return out;
}

const restFaults = (s: number) => (sim.state(false).sources as Record<string, { rest_faults: number }>)[name(s)]!.rest_faults;

describe("REST faults during discovery, every source at once", () => {
  test("5xx twice: every source retried after the backoff and fetched on the third attempt; the run succeeds", async () => {
    const f0 = SOURCES.map(restFaults);
    for (const s of SOURCES) sim.addFault({ source: name(s), kind: "rest_error", status: 503, count: 2 });
    const log = attemptLog();
    const out = outDir("5xx");
    const r = await run(out, 8, log);
    expect(loadGeneration(out).generation).toBe(r.generation);
    const got = Object.fromEntries(SOURCES.map((s) => {
      const f = r.summary.sources[s]!.fetch!;
      const a = log.at[s]!;
      return [name(s), {
        ok: f.ok,
        // two failed attempts, then one per page (Bybit linear pages with a cursor)
        attempts: f.attempts - f.pages,
        failures: a.filter((x) => !x.ok).map((x) => /HTTP 503/.test(x.error ?? "")),
        // attempt n+1 starts at least backoff_ms[n-1] after attempt n ended
        backoff: a[1]!.t - a[0]!.t >= BACKOFF_MS[0]! && a[2]!.t - a[1]!.t >= BACKOFF_MS[1]!,
        faulted: restFaults(s) - f0[s]!,
      }];
    }));
    expect(got).toEqual(Object.fromEntries(SOURCES.map((s) => [name(s), { ok: true, attempts: 2, failures: [true, true], backoff: true, faulted: 2 }])));
  }, 30_000);

  test("hangs: each request abandoned after fetch_timeout_ms and retried; the run succeeds", async () => {
    for (const s of SOURCES) sim.addFault({ source: name(s), kind: "rest_hang", count: 1 });
    const t0 = performance.now();
    const log = attemptLog();
    const r = await run(outDir("hang"), 8, log);
    const got = Object.fromEntries(SOURCES.map((s) => {
      const f = r.summary.sources[s]!.fetch!;
      const first = log.at[s]![0]!;
      return [name(s), { ok: f.ok, attempts: f.attempts - f.pages, timedOut: first.error, after: first.t - t0 >= TIMEOUT_MS && first.t - t0 < TIMEOUT_MS + 2000 }];
    }));
    expect(got).toEqual(Object.fromEntries(SOURCES.map((s) => [name(s), { ok: true, attempts: 1, timedOut: `timed out after ${TIMEOUT_MS} ms`, after: true }])));
  }, 30_000);

  test("min_sources decides: 4 sources down → a failed run (generated/ untouched) at min_sources 5, a run without them at 4", async () => {
    const out = outDir("min");
    let before = await run(out, 8);
    let snap = snapshot(out);
    // Sources 0-3 answer 503 for good, 4-7 hang for good: each half fails on its own in one of two runs.
    for (const [down, fault] of [[[0, 1, 2, 3], { kind: "rest_error", status: 503 }], [[4, 5, 6, 7], { kind: "rest_hang" }]] as const) {
      const ids = down.map((s) => sim.addFault({ source: name(s), ...fault }).id);
      const err = await run(out, 5).then(() => null, (e: Error) => e.message);
      expect(err).toStartWith("only 4 of 8 sources fetched, at least 5 required; generated/ left untouched.");
      for (const s of down) expect(err).toContain(`${name(s)}: GET `);
      for (const s of SOURCES.filter((x) => !(down as readonly number[]).includes(x))) expect(err).not.toContain(`${name(s)}: GET `);
      expect(err).toContain(fault.kind === "rest_error" ? "HTTP 503" : `timed out after ${TIMEOUT_MS} ms (after 3 attempts)`);
      expect(snapshot(out)).toEqual(snap);
      expect(loadGeneration(out).generation).toBe(before.generation);
      // At min_sources 4 the same outage is survivable: the run writes a set without those sources.
      const ok = await run(out, 4);
      const g = loadGeneration(out);
      expect(g.generation).toBe(ok.generation);
      expect(SOURCES.map((s) => g.sources[s]!.entries.length === 0)).toEqual(SOURCES.map((s) => (down as readonly number[]).includes(s)));
      for (const id of ids) sim.clearFaults({ id });
      // Back to the full set for the next half.
      before = await run(out, 8);
      snap = snapshot(out);
    }
  }, 60_000);
});
