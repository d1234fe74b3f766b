// Tests do not depend on the caller's environment: with SPREAD_SCANNER_* exported (a prefix, a log level) the
// suites that read config or spawn bins still pass, because tests/preload.ts clears them for the test process.
import { describe, expect, test } from "bun:test";
import { join } from "node:path";

const ROOT = join(import.meta.dir, "../..");

describe("hermetic tests", () => {
  test("no SPREAD_SCANNER_* variable reaches a test", () => {
    expect(Object.keys(process.env).filter((k) => k.startsWith("SPREAD_SCANNER_"))).toEqual([]);
  });

  test("config and CLI suites pass with SPREAD_SCANNER_SHM_PREFIX and SPREAD_SCANNER_LOG_LEVEL exported", () => {
    const env = { ...process.env, SPREAD_SCANNER_SHM_PREFIX: "foo", SPREAD_SCANNER_LOG_LEVEL: "debug" };
    const files = ["tests/common/config.test.ts", "tests/ctl/parse-cli.test.ts"];
    const p = Bun.spawnSync([process.execPath, "test", ...files], { cwd: ROOT, env, stdout: "pipe", stderr: "pipe", timeout: 50_000 });
    const out = p.stderr.toString();
    if (p.exitCode !== 0) throw new Error(`nested bun test exited ${p.exitCode}:\n${out.slice(-3000)}`);
    expect(out).toMatch(/\n\s*0 fail\n/);
    expect(out).toMatch(/Ran \d+ tests across 2 files/);
  }, 60_000); // a nested bun test: over 10 s on a loaded box (bun's default per-test bound is 5 s)
});
