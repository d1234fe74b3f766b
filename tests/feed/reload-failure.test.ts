// A failed hot reload (issue 9 §3): the feed keeps serving the generation it has, reports THAT generation in
// Health (not the newer one it failed to load) and says so (state degraded, last_error config) until a reload
// succeeds. In-process FeedRuntime with scripted sockets, generated/ from the recorded REST bodies.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sourceSymbolsFile, SourceId } from "@spread/common";
import { FeedRuntime } from "@spread/feed";
import { createAll, HealthError, HealthRecord, HealthState, unlinkAll, type Shm } from "@spread/shm";
import { REAL_SIZE, REPO, runOffline } from "../discovery/helpers.ts";
import { uniquePrefix } from "../shm/helpers/scratch.ts";
import { fakeFactory } from "./fake-socket.ts";
import { waitFor as waitUntil } from "../wait.ts";

const SOURCE = SourceId.okx_spot;
const dir = mkdtempSync(join(tmpdir(), "reload-failure-"));
const generated = join(dir, "generated");
const prefix = uniquePrefix();
let shm: Shm;
let rt: FeedRuntime;

const waitFor = (what: string, cond: () => boolean, timeoutMs = 10_000) => waitUntil(what, cond, timeoutMs, 20);

function slot(): HealthRecord {
  const r = new HealthRecord();
  if (!shm.health.read(SOURCE, r)) throw new Error("slot unreadable");
  return r;
}

beforeAll(async () => {
  await runOffline(REAL_SIZE, generated);
  const config = join(dir, "config.toml");
  writeFileSync(
    config,
    [
      "[paths]",
      `exchanges = ${JSON.stringify(join(REPO, "config/exchanges.sim.toml"))}`,
      `generated = ${JSON.stringify(generated)}`,
      "[shm]",
      `prefix = "${prefix}"`,
      "[log]",
      'level = "silent"',
      "[feed]",
      "health_interval_ms = 30",
      "rest_seed = false",
      "",
    ].join("\n"),
  );
  shm = createAll(prefix).shm;
  rt = FeedRuntime.create({ source: SOURCE, config, socketFactory: fakeFactory().factory });
  rt.start();
}, 60_000);

afterAll(async () => {
  await rt?.shutdown("test done");
  unlinkAll(prefix);
  rmSync(dir, { recursive: true, force: true });
});

describe("failed hot reload", () => {
  test("Health keeps the running generation and reports the failure; the next good reload clears it", async () => {
    const g0 = shm.control.configGeneration();
    await waitFor("first Health write", () => slot().heartbeatAt > 0 && slot().state !== HealthState.starting);
    expect(slot().configGeneration).toBe(g0);

    writeFileSync(join(generated, sourceSymbolsFile(SOURCE)), "not a generated file\n");
    const g1 = shm.control.bumpConfigGeneration();
    await waitFor("the failure in Health", () => slot().lastError === HealthError.config);
    const failed = slot();
    expect([failed.configGeneration, failed.state]).toEqual([g0, HealthState.degraded]);
    // not retried every tick, and it stays reported (several ticks later)
    const hb = failed.heartbeatAt;
    await waitFor("three more ticks", () => slot().heartbeatAt > hb + 90_000);
    expect([slot().configGeneration, slot().lastError, slot().state]).toEqual([g0, HealthError.config, HealthState.degraded]);
    expect(g1).not.toBe(g0);

    await runOffline(REAL_SIZE, generated); // a good generated/ again
    const g2 = shm.control.bumpConfigGeneration();
    await waitFor("the good reload in Health", () => slot().configGeneration === g2);
    expect(slot().lastError).not.toBe(HealthError.config);
  }, 60_000);
});
