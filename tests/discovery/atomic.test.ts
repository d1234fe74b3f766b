// Atomicity of the generated/ install: a run killed with SIGKILL while writing leaves the previous set intact and
// loadable; one killed while installing is read through .pending-<generation> and completed by the next run.
import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { LOCK_FILE, PENDING_PREFIX, SOURCE_NAMES, SourceId as S, loadGeneration } from "@spread/common";
import { acquireLock, rollForward } from "@spread/discovery";
import { BIN, REAL_SIZE, REPO, runOffline, tempDirs, testEnv, writeTestConfig } from "./helpers.ts";

const dir = tempDirs();

function snapshot(d: string): Map<string, string> {
  const files = ["symbols.bin", "directions.bin", "metadata.json", "symbols.txt", ...SOURCE_NAMES.map((n) => `source_symbols/${n}.bin`)];
  return new Map(files.map((f) => [f, readFileSync(join(d, f)).toString("base64")]));
}

/** Spawns the bin paused at `phase`, waits for its PAUSED line, sends `signal` (SIGKILL by default). */
async function killDuring(phase: "write" | "install", out: string, extraArgs: string[], signal: "SIGKILL" | "SIGTERM" = "SIGKILL"): Promise<number | null> {
  const cfg = writeTestConfig(dir("cfg"), { generated: out });
  const p = Bun.spawn(["bun", BIN, "--config", cfg, "--offline", REAL_SIZE, ...extraArgs], {
    cwd: REPO,
    env: testEnv({ SPREAD_DISCOVERY_TEST_PAUSE: phase, SPREAD_DISCOVERY_TEST_PAUSE_MS: "30000" }),
    stdout: "ignore",
    stderr: "pipe",
  });
  const reader = p.stderr.getReader();
  let text = "";
  const deadline = Date.now() + 20_000;
  while (!text.includes(`PAUSED ${phase}`)) {
    if (Date.now() > deadline) throw new Error(`no PAUSED line; stderr: ${text}`);
    const { value, done } = await reader.read();
    if (done) throw new Error(`exited before pausing; stderr: ${text}`);
    text += new TextDecoder().decode(value);
  }
  p.kill(signal);
  await p.exited;
  if (signal === "SIGKILL") expect(p.signalCode).toBe("SIGKILL");
  return p.exitCode;
}

describe("kill -9 during a run", () => {
  test("mid-write: the previous set stays intact and loadable; the next run cleans up", async () => {
    const out = dir("killwrite");
    const first = await runOffline(REAL_SIZE, out);
    const before = snapshot(out);
    // a run that would produce a different set (fewer sources) is killed after its first staged file
    await killDuring("write", out, ["--sources", "binance_spot,binance_futures,okx_spot,okx_futures", "--min-sources", "4"]);
    expect(snapshot(out)).toEqual(before);
    const g = loadGeneration(out);
    expect(g.generation).toBe(first.generation);
    expect(g.sources[S.mexc_spot]!.entries.length).toBeGreaterThan(500);
    expect(readdirSync(out).some((n) => n.startsWith(".incoming-"))).toBe(true);
    expect(existsSync(join(out, LOCK_FILE))).toBe(true); // left by the dead writer
    // the next run takes over the stale lock, discards the half-written dir and installs its own set
    const next = await runOffline(REAL_SIZE, out, { sources: [S.binance_spot, S.okx_futures], minSources: 2 });
    expect(loadGeneration(out).generation).toBe(next.generation);
    expect(readdirSync(out).filter((n) => n.startsWith("."))).toEqual([]);
  }, 60_000);

  test("mid-install: readers see the new set through .pending-*, the next run completes it", async () => {
    const out = dir("killinstall");
    const first = await runOffline(REAL_SIZE, out);
    await killDuring("install", out, ["--sources", "binance_spot,binance_futures,okx_spot,okx_futures", "--min-sources", "4"]);
    const pending = readdirSync(out).filter((n) => n.startsWith(PENDING_PREFIX));
    expect(pending.length).toBe(1);
    const newGen = pending[0]!.slice(PENDING_PREFIX.length);
    expect(newGen).not.toBe(first.generation);
    // symbols.bin already moved, everything else still pending: a reader gets the complete new set
    const g = loadGeneration(out);
    expect(g.generation).toBe(newGen);
    expect(g.sources[S.mexc_spot]!.entries).toEqual([]);
    const done = await rollForward(out);
    expect(done.completed).toEqual([newGen]);
    expect(readdirSync(out).filter((n) => n.startsWith(PENDING_PREFIX))).toEqual([]);
    expect(loadGeneration(out).generation).toBe(newGen);
  }, 60_000);
});

describe("SIGTERM during a run (systemd stop)", () => {
  const four = ["--sources", "binance_spot,binance_futures,okx_spot,okx_futures", "--min-sources", "4"];

  test("mid-write: exit 0, the previous set stays, nothing half-written and no lock is left", async () => {
    const out = dir("termwrite");
    const first = await runOffline(REAL_SIZE, out);
    const before = snapshot(out);
    expect(await killDuring("write", out, four, "SIGTERM")).toBe(0);
    expect(snapshot(out)).toEqual(before);
    expect(loadGeneration(out).generation).toBe(first.generation);
    expect(readdirSync(out).filter((n) => n.startsWith("."))).toEqual([]);
  }, 60_000);

  test("mid-install (after the commit point): exit 0 with the new set completely installed", async () => {
    const out = dir("terminstall");
    const first = await runOffline(REAL_SIZE, out);
    expect(await killDuring("install", out, four, "SIGTERM")).toBe(0);
    expect(readdirSync(out).filter((n) => n.startsWith("."))).toEqual([]);
    const g = loadGeneration(out);
    expect(g.generation).not.toBe(first.generation);
    expect(g.sources[S.mexc_spot]!.entries).toEqual([]); // the four-source run's set, whole
  }, 60_000);
});

describe("writer lock", () => {
  test("a live writer's lock refuses a second writer; a dead one's is taken over", async () => {
    const out = dir("lock");
    const sleeper = Bun.spawn(["sleep", "30"]);
    writeFileSync(join(out, LOCK_FILE), `${sleeper.pid}\n`);
    expect(() => acquireLock(out)).toThrow(new RegExp(`being written by another pair-discovery \\(pid ${sleeper.pid}\\)`));
    sleeper.kill(9);
    await sleeper.exited;
    const release = acquireLock(out);
    expect(readFileSync(join(out, LOCK_FILE), "utf8").trim()).toBe(String(process.pid));
    release();
    expect(existsSync(join(out, LOCK_FILE))).toBe(false);
  });
});
