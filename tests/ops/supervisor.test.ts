// The supervisor's restart policy with stand-in services: a crash is restarted with growing backoff, a config
// error (exit 2) or a refusal (exit 3) is not, a clean exit 0 of a service is restarted (reload), and stop()
// ends everything (SIGTERM, then SIGKILL after the grace period).
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HealthSlot, SOURCE_NAMES } from "@spread/common";
import { buildPlan, programLocator, Supervisor, type Plan, type SupervisorEvent } from "@spread/ctl";
import { createAll, unlinkAll } from "@spread/shm";
import { waitFor } from "../feed/harness.ts";

const prefix = `t-sup-${process.pid}-${Math.floor(Math.random() * 1e9).toString(36)}`;
const dir = mkdtempSync(join(tmpdir(), "sup-"));
const { shm } = createAll(prefix);
afterAll(() => {
  unlinkAll(prefix);
  rmSync(dir, { recursive: true, force: true });
});

const script = (code: string) => [process.execPath, "-e", code];
function plan(services: [string, string][]): Plan {
  return { shmInit: [], discovery: [], sim: null, missing: [], services: services.map(([name, code], i) => ({ name, argv: script(code), slot: i, stage: 0 })) };
}

describe("Supervisor restart policy", () => {
  test("crash → restart with backoff; exit 2 / 3 → never restarted; exit 0 → restarted; stop() ends the rest", async () => {
    const events: SupervisorEvent[] = [];
    const sup = new Supervisor(
      plan([
        ["crasher", "setTimeout(() => process.exit(1), 50)"],
        ["config-error", "process.exit(2)"],
        ["refuses", "process.exit(3)"],
        ["clean-exit", "setTimeout(() => process.exit(0), 50)"],
        ["ignores-sigterm", "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)"],
      ]),
      { logsDir: dir, env: {}, onEvent: (e) => events.push(e), backoff: { baseMs: 100, maxMs: 400, resetAfterMs: 60_000 }, stopGraceMs: 500, stageTimeoutMs: 200 },
    );
    await sup.startServices(shm);
    const by = (n: string) => sup.status().find((s) => s.name === n)!;
    await waitFor("crasher restarted 4 times", () => by("crasher").restarts >= 4, 15_000);
    await waitFor("clean-exit restarted", () => by("clean-exit").restarts >= 2, 15_000);
    expect(by("config-error")).toMatchObject({ state: "failed", restarts: 0, lastExit: "exit 2" });
    expect(by("refuses")).toMatchObject({ state: "failed", restarts: 0, lastExit: "exit 3" });
    // backoff doubles up to maxMs: 100, 200, 400, 400
    const delays = events.filter((e) => e.name === "crasher" && /restart #/.test(e.msg)).map((e) => Number(/in (\d+) ms/.exec(e.msg)![1]));
    expect(delays.slice(0, 4)).toEqual([100, 200, 400, 400]);
    expect(events.some((e) => e.name === "config-error" && /not restarted/.test(e.msg))).toBe(true);

    const pid = by("ignores-sigterm").pid;
    expect(pid).toBeGreaterThan(0);
    const t0 = Date.now();
    await sup.stop();
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(events.some((e) => e.name === "ignores-sigterm" && /killed after 500 ms/.test(e.msg))).toBe(true);
    for (const s of sup.status()) expect(s.pid).toBe(0);
    const restartsAtStop = by("crasher").restarts;
    await Bun.sleep(600); // a window, not a wait: longer than the 400 ms backoff, and no restart after stop
    expect(by("crasher").restarts).toBe(restartsAtStop);
  }, 30_000);

  test("the plan: A.7 order in stages; spread-alerts only with an [alerts] channel and its binary", () => {
    const dir2 = mkdtempSync(join(tmpdir(), "plan-"));
    try {
      for (const p of ["shm-init", "pair-discovery", "feed", "spread-engine", "spread-tracker", "spread-alerts", "spread-web", "exchange-sim"]) writeFileSync(join(dir2, p), "");
      const loc = programLocator({ binDir: dir2 });
      const plan = buildPlan(loc, "/c.toml", { alerts: true, sim: { exchanges: "/x.toml" } });
      expect(plan.services.map((s) => [s.name, s.slot, s.stage])).toEqual([
        ...SOURCE_NAMES.map((s, i) => [`feed-${s}`, i, 0]), ["spread-engine", HealthSlot.engine, 1], ["spread-tracker", HealthSlot.tracker, 2], ["spread-alerts", HealthSlot.alerts, 3], ["spread-web", HealthSlot.web, 4],
      ]);
      expect(plan.services[0]!.argv).toEqual([join(dir2, "feed"), "--source", "binance_spot", "--config", "/c.toml"]);
      expect(plan.sim).toEqual([join(dir2, "exchange-sim"), "--exchanges", "/x.toml"]);
      expect(buildPlan(loc, "/c.toml").services.map((s) => s.name)).not.toContain("spread-alerts");
      rmSync(join(dir2, "spread-tracker"));
      const partial = buildPlan(loc, "/c.toml", { alerts: true });
      expect(partial.missing).toEqual(["spread-tracker"]);
      expect(partial.services.at(-1)!.name).toBe("spread-web");
    } finally {
      rmSync(dir2, { recursive: true, force: true });
    }
  });
});
