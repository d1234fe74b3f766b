// One Pair Discovery per shm prefix (issue 9 §2): a second run refuses with exit 4 naming the first one's pid;
// kill -9 of the holder frees the slot for the next run; a finished run leaves its Health slot stopped.
import { afterAll, expect, test } from "bun:test";
import { HealthSlot, ProcessKind } from "@spread/common";
import { HealthRecord, HealthState, createAll, unlinkAll } from "@spread/shm";
import { BIN, REAL_SIZE, REPO, runBin, tempDir, testEnv, writeTestConfig } from "./helpers.ts";

const prefix = `t-${process.pid}-disc1`;
const t = tempDir("single");
afterAll(() => {
  unlinkAll(prefix);
  t.cleanup();
});

test("a second pair-discovery on the same prefix exits 4 naming the first; after kill -9 the next run proceeds", async () => {
  const { shm } = createAll(prefix);
  const cfg = writeTestConfig(t.dir, { generated: `${t.dir}/generated` });
  const env = testEnv({ SPREAD_SCANNER_SHM_PREFIX: prefix });
  const first = Bun.spawn(["bun", BIN, "--config", cfg, "--offline", REAL_SIZE], {
    cwd: REPO,
    env: { ...env, SPREAD_DISCOVERY_TEST_PAUSE: "write", SPREAD_DISCOVERY_TEST_PAUSE_MS: "30000" },
    stdout: "ignore",
    stderr: "pipe",
  });
  try {
    const reader = first.stderr.getReader();
    let text = "";
    const deadline = Date.now() + 30_000;
    while (!text.includes("PAUSED write")) {
      if (Date.now() > deadline) throw new Error(`no PAUSED line; stderr: ${text}`);
      const { value, done } = await reader.read();
      if (done) throw new Error(`exited before pausing; stderr: ${text}`);
      text += new TextDecoder().decode(value);
    }
    const h = new HealthRecord();
    expect(shm.health.read(HealthSlot.discovery, h)).toBe(true);
    expect([h.kind, h.state, h.pid]).toEqual([ProcessKind.discovery, HealthState.running, first.pid]);

    const second = await runBin(["--config", cfg, "--offline", REAL_SIZE], env);
    expect(second.code).toBe(4);
    expect(second.stderr).toContain(`discovery is already running on shm prefix "${prefix}": Health slot ${HealthSlot.discovery} is held by pid ${first.pid}`);
  } finally {
    first.kill(9);
    await first.exited;
  }
  const third = await runBin(["--config", cfg, "--offline", REAL_SIZE], env);
  expect({ code: third.code, err: third.stderr.slice(-500) }).toEqual({ code: 0, err: third.stderr.slice(-500) });
  const h = new HealthRecord();
  shm.health.read(HealthSlot.discovery, h);
  expect([h.state, h.lastError]).toEqual([HealthState.stopped, 0]);
}, 120_000);
