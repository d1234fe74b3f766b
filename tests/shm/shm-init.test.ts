// bins/shm-init end to end: creation, idempotence, refusal on mismatch, --force, --status, --unlink,
// exit codes 0/1/2 and the prefix precedence (flag > env > config).
import { afterEach, describe, expect, test } from "bun:test";
import { closeSync, existsSync, openSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { regionSpec, unlinkAll, unlinkRegion } from "@spread/shm";
import { uniquePrefix } from "./helpers/scratch.ts";

const ROOT = join(import.meta.dir, "../..");
const BIN = join(ROOT, "bins/shm-init.ts");
const KEYS = ["seqs", "data", "bitmap", "events", "health", "control", "tracked", "funding"];
const prefixes: string[] = [];

afterEach(() => {
  for (const p of prefixes.splice(0)) unlinkAll(p);
});

function run(args: string[], env: Record<string, string> = {}): { code: number; out: string; err: string } {
  const p = Bun.spawnSync(["bun", BIN, ...args], { cwd: ROOT, env: { ...process.env, SPREAD_SCANNER_SHM_PREFIX: "", ...env }, timeout: 30_000 });
  return { code: p.exitCode ?? -1, out: p.stdout.toString(), err: p.stderr.toString() };
}

function fresh(): string {
  const p = uniquePrefix();
  prefixes.push(p);
  return p;
}

describe("shm-init", () => {
  test("creates eight regions, then reports ok on a second run", () => {
    const p = fresh();
    const first = run(["--prefix", p]);
    expect(first.code).toBe(0);
    const lines = first.out.trim().split("\n");
    expect(lines).toHaveLength(8);
    KEYS.forEach((k, i) => expect(lines[i]).toMatch(new RegExp(`^/dev/shm/${p}-${k}\\s+\\d+ B  created$`)));
    expect(lines[3]).toContain("4194496 B");
    expect(statSync(`/dev/shm/${p}-seqs`).mode & 0o777).toBe(0o600);

    const second = run(["--prefix", p]);
    expect(second.code).toBe(0);
    expect(second.out.trim().split("\n").every((l) => l.endsWith("  ok"))).toBe(true);
  }, 60_000); // several process starts: slow on a loaded 2-core box

  test("refuses a mismatching region (exit 1, nothing changed), --force recreates it", () => {
    const p = fresh();
    expect(run(["--prefix", p]).code).toBe(0);
    const fd = openSync(`/dev/shm/${p}-events`, "r+");
    writeSync(fd, Buffer.from([9, 9, 9, 9]), 0, 4, 0);
    closeSync(fd);
    const refused = run(["--prefix", p]);
    expect(refused.code).toBe(1);
    expect(refused.out).toBe("");
    expect(refused.err).toContain(`refused: /dev/shm/${p}-events: has magic 0x09090909`);
    expect(refused.err).toContain("--force");
    const forced = run(["--prefix", p, "--force"]);
    expect(forced.code).toBe(0);
    expect(forced.out).toMatch(new RegExp(`/dev/shm/${p}-events\\s+4194496 B  recreated`));
    expect(run(["--prefix", p]).out).not.toContain("recreated");
  }, 60_000); // several process starts: slow on a loaded 2-core box

  test("upgrade from layout 1: creates the tracked region, refuses the v1 events region until --force", () => {
    const p = fresh();
    expect(run(["--prefix", p]).code).toBe(0);
    // A layout-1 box: no tracked region, events header version 1.
    unlinkRegion(p, regionSpec("tracked"));
    const fd = openSync(`/dev/shm/${p}-events`, "r+");
    writeSync(fd, Buffer.from([1, 0, 0, 0]), 0, 4, 4);
    closeSync(fd);
    const refused = run(["--prefix", p]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`refused: /dev/shm/${p}-events: has layout version 1, expected 2`);
    expect(existsSync(`/dev/shm/${p}-tracked`)).toBe(false); // nothing changed
    const forced = run(["--prefix", p, "--force"]);
    expect(forced.code).toBe(0);
    expect(forced.out).toMatch(new RegExp(`/dev/shm/${p}-events\\s+4194496 B  recreated`));
    expect(forced.out).toMatch(new RegExp(`/dev/shm/${p}-tracked\\s+196736 B  created`));
    expect(forced.out).toMatch(new RegExp(`/dev/shm/${p}-health\\s+1088 B  ok`));
  }, 60_000); // several process starts: slow on a loaded 2-core box

  test("--mode and --group apply; bad values are usage errors (exit 2, one line)", () => {
    const p = fresh();
    const r = run(["--prefix", p, "--mode", "0660", "--group", "daemon"]);
    expect(r.code).toBe(0);
    const st = statSync(`/dev/shm/${p}-health`);
    expect([st.mode & 0o777, st.gid]).toEqual([0o660, 1]);
    for (const args of [["--mode", "999"], ["--group", "no-such-group-x"], ["--bogus"], ["stray"], ["--prefix"], ["--status", "--unlink"]]) {
      const bad = run(["--prefix", p, ...args]);
      expect({ args, code: bad.code }).toEqual({ args, code: 2 });
      expect(bad.err.trim().split("\n")).toHaveLength(1);
      expect(bad.err).toStartWith("shm-init: ");
    }
    expect(run(["--prefix", "a/b"]).code).toBe(2);
    expect(run(["--config", "/nonexistent/config.toml"]).code).toBe(2);
  }, 60_000); // nine process starts: slow on a loaded 2-core box

  test("--status prints every region without creating; --unlink removes them", () => {
    const p = fresh();
    const missing = run(["--prefix", p, "--status"]);
    expect(missing.code).toBe(3); // StatusExit.shm
    expect(missing.out).toContain("missing");
    expect(existsSync(`/dev/shm/${p}-seqs`)).toBe(false);
    run(["--prefix", p]);
    const status = run(["--prefix", p, "--status"]);
    expect(status.code).toBe(0);
    for (const k of KEYS) expect(status.out).toMatch(new RegExp(`${k}\\s+/dev/shm/${p}-${k}\\s+\\d+\\s+0600`));
    expect(status.out).toContain("events: head 0, tail 0, backlog 0, dropped 0");
    const unlink = run(["--prefix", p, "--unlink"]);
    expect(unlink.code).toBe(0);
    expect(unlink.out.trim().split("\n").every((l) => l.endsWith("unlinked"))).toBe(true);
    expect(existsSync(`/dev/shm/${p}-seqs`)).toBe(false);
  }, 60_000); // several process starts: slow on a loaded 2-core box

  test("prefix precedence: --prefix over SPREAD_SCANNER_SHM_PREFIX over config", () => {
    const fromEnv = fresh();
    const fromFlag = fresh();
    expect(run([], { SPREAD_SCANNER_SHM_PREFIX: fromEnv }).out).toContain(`/dev/shm/${fromEnv}-seqs`);
    const both = run(["--prefix", fromFlag], { SPREAD_SCANNER_SHM_PREFIX: fromEnv });
    expect(both.out).toContain(`/dev/shm/${fromFlag}-seqs`);
    expect(both.out).not.toContain(fromEnv);
  });

  test("--help", () => {
    const r = run(["--help"]);
    expect(r.code).toBe(0);
    for (const flag of ["--config", "--prefix", "--mode", "--group", "--force", "--status", "--unlink"]) expect(r.out).toContain(flag);
  });
});
