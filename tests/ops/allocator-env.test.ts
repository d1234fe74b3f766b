// Feed GROUP processes start with the allocator setting of packages/common/src/allocator.ts, whoever starts them:
// spread-ctl up's plan (every feed group, and no other service: a single-source feed keeps the default) and
// spread-feed-group@.service (the same value, overridable from the environment file); an operator's own value always
// wins. Bun really honours it, and the child really sees it.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { FEED_ALLOCATOR_ENV, feedAllocatorEnv, SOURCE_NAMES } from "@spread/common";
import { buildPlan, programLocator, Supervisor, type Plan } from "@spread/ctl";
import { createAll, unlinkAll } from "@spread/shm";
import { waitFor } from "../feed/harness.ts";

const ROOT = resolve(import.meta.dir, "../..");
const dir = mkdtempSync(join(tmpdir(), "alloc-env-"));
const prefix = `t-alloc-${process.pid}-${Math.floor(Math.random() * 1e9).toString(36)}`;
afterAll(() => {
  unlinkAll(prefix);
  rmSync(dir, { recursive: true, force: true });
});

function fakeBins(): string {
  const bins = join(dir, "bin");
  mkdirSync(bins, { recursive: true });
  for (const p of ["shm-init", "pair-discovery", "feed", "spread-engine", "spread-tracker", "spread-web"]) writeFileSync(join(bins, p), "");
  return bins;
}

describe("allocator setting of feed group processes", () => {
  test("the setting is a purge delay mimalloc understands", () => {
    expect(Object.keys(FEED_ALLOCATOR_ENV)).toEqual(["MIMALLOC_PURGE_DELAY"]);
    expect(Number(FEED_ALLOCATOR_ENV.MIMALLOC_PURGE_DELAY)).toBe(-1);
  });

  test("this Bun's allocator honours it: no purge thread with it, one without (a Bun upgrade that ignores it fails here)", () => {
    const threads = (env: Record<string, string>) => {
      const code = "const a = []; for (let i = 0; i < 2000; i++) a.push(new Uint8Array(100000)); a.length = 0; Bun.gc(true); await Bun.sleep(300); const fs = require('node:fs'); console.log(fs.readdirSync('/proc/self/task').map((t) => fs.readFileSync(`/proc/self/task/${t}/comm`, 'utf8').trim()).join(','))";
      const env0: Record<string, string> = {};
      for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith("MIMALLOC_")) env0[k] = v;
      const r = Bun.spawnSync([process.execPath, "-e", code], { env: { ...env0, ...env }, stdout: "pipe", stderr: "pipe" });
      expect(r.exitCode).toBe(0);
      return r.stdout.toString().trim().split(",");
    };
    expect(threads({})).toContain("mi-scavenger");
    expect(threads({ ...FEED_ALLOCATOR_ENV })).not.toContain("mi-scavenger");
  });

  test("an operator's own value wins", () => {
    expect(feedAllocatorEnv({})).toEqual({ ...FEED_ALLOCATOR_ENV });
    expect(feedAllocatorEnv({ MIMALLOC_PURGE_DELAY: "10" })).toEqual({});
  });

  test("spread-ctl up's plan: every feed group has it; single-source feeds and the other services do not", () => {
    const loc = programLocator({ binDir: fakeBins() });
    for (const feedGroups of [[], [["binance_spot", "binance_futures"], ["okx_spot", "okx_futures", "mexc_spot"]], [[...SOURCE_NAMES]]]) {
      const plan = buildPlan(loc, "/c.toml", { feedGroups });
      const groups = plan.services.filter((s) => s.name.startsWith("feed-group"));
      expect(groups.length).toBe(feedGroups.length);
      expect(plan.services.filter((s) => s.name.startsWith("feed-")).length).toBe(feedGroups.length + SOURCE_NAMES.length - feedGroups.flat().length);
      for (const g of groups) expect(g.env).toEqual(feedAllocatorEnv());
      for (const s of plan.services.filter((x) => !x.name.startsWith("feed-group"))) expect(s.env).toBeUndefined();
    }
  });

  test("spread-feed-group@.service sets the same value; the other units leave it alone", () => {
    const units = readdirSync(join(ROOT, "systemd")).filter((f) => f.endsWith(".service"));
    const envLines = (f: string) => readFileSync(join(ROOT, "systemd", f), "utf8").split("\n").filter((l) => l.startsWith("Environment="));
    expect(units).toContain("spread-feed-group@.service");
    expect(envLines("spread-feed-group@.service")).toEqual(Object.entries(FEED_ALLOCATOR_ENV).map(([k, v]) => `Environment=${k}=${v}`));
    // The operator's environment file is read too (systemd lets it override Environment=).
    expect(readFileSync(join(ROOT, "systemd", "spread-feed-group@.service"), "utf8")).toContain("EnvironmentFile=-/etc/spread-scanner/environment");
    for (const f of units.filter((x) => x !== "spread-feed-group@.service")) expect(envLines(f).filter((l) => l.includes("MIMALLOC"))).toEqual([]);
  });

  test("the supervisor starts a service with its spec's environment on top of its own", async () => {
    const { shm } = createAll(prefix);
    const out = join(dir, "env.json");
    const code = `require("node:fs").writeFileSync(${JSON.stringify(out)}, JSON.stringify({ purge: process.env.MIMALLOC_PURGE_DELAY ?? null, mine: process.env.SUP_OWN ?? null })); setInterval(() => {}, 1000)`;
    const plan: Plan = { shmInit: [], discovery: [], sim: null, missing: [], services: [{ name: "feed-x", argv: [process.execPath, "-e", code], slot: 0, stage: 0, env: { MIMALLOC_PURGE_DELAY: "-1" } }] };
    const sup = new Supervisor(plan, { logsDir: dir, env: { SUP_OWN: "yes" }, onEvent: () => {}, backoff: { baseMs: 100, maxMs: 400, resetAfterMs: 60_000 }, stopGraceMs: 500, stageTimeoutMs: 200 });
    try {
      await sup.startServices(shm);
      await waitFor("the child wrote its environment", () => {
        try {
          return JSON.parse(readFileSync(out, "utf8")).purge !== undefined;
        } catch {
          return false;
        }
      }, 10_000);
      expect(JSON.parse(readFileSync(out, "utf8"))).toEqual({ purge: "-1", mine: "yes" });
    } finally {
      await sup.stop();
    }
  }, 20_000);
});
