// Exit codes of `spread-ctl status` and `shm-init --status` for monitoring (issue 9 §3): 0 healthy, 1 a process
// degraded / dead / hung / unreadable, 2 usage or config error, 3 shared memory missing or corrupt.
import { afterEach, describe, expect, test } from "bun:test";
import { closeSync, openSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import { ProcessKind, wallMicros } from "@spread/common";
import { createAll, HEADER_SIZE, HEALTH_SLOT_SIZE, HealthRecord, HealthState, StatusExit, statusVerdict, unlinkAll, type Shm } from "@spread/shm";
import { uniquePrefix } from "./helpers/scratch.ts";

const ROOT = join(import.meta.dir, "../..");
const prefixes: string[] = [];
afterEach(() => {
  for (const p of prefixes.splice(0)) unlinkAll(p);
});

function fresh(): { prefix: string; shm: Shm } {
  const prefix = uniquePrefix();
  prefixes.push(prefix);
  return { prefix, shm: createAll(prefix).shm };
}

/** A pid that existed and is gone: a finished child. */
function deadPid(): number {
  const p = Bun.spawnSync(["true"]);
  return p.pid;
}

function writeSlot(shm: Shm, slot: number, over: Partial<HealthRecord>): void {
  const r = new HealthRecord();
  Object.assign(r, { kind: ProcessKind.feed, state: HealthState.running, pid: process.pid, heartbeatAt: wallMicros(), startedAt: wallMicros() }, over);
  shm.health.write(slot, r);
}

async function run(args: string[]): Promise<{ code: number; out: string }> {
  const p = Bun.spawn(["bun", ...args], { cwd: ROOT, env: { ...process.env, SPREAD_SCANNER_SHM_PREFIX: "" }, stdout: "pipe", stderr: "pipe" });
  const [code, out] = await Promise.all([p.exited, new Response(p.stdout).text()]);
  return { code, out };
}

describe("statusVerdict", () => {
  test("fresh regions, no process yet: healthy; running / paused / cleanly stopped processes: healthy", () => {
    const { prefix, shm } = fresh();
    expect(statusVerdict(prefix)).toEqual({ code: StatusExit.healthy, problems: [] });
    writeSlot(shm, 0, {});
    writeSlot(shm, 1, { state: HealthState.paused });
    writeSlot(shm, 2, { state: HealthState.stopped, pid: deadPid() });
    writeSlot(shm, 3, { state: HealthState.starting });
    expect(statusVerdict(prefix)).toEqual({ code: StatusExit.healthy, problems: [] });
  });

  test("degraded, dead (kill -9 leaves running), hung (old heartbeat), odd seq: 1, each named", () => {
    const { prefix, shm } = fresh();
    writeSlot(shm, 0, {});
    writeSlot(shm, 6, { state: HealthState.degraded });
    expect(statusVerdict(prefix)).toEqual({ code: StatusExit.unhealthy, problems: ["okx_spot: degraded"] });
    const gone = deadPid();
    writeSlot(shm, 1, { pid: gone });
    writeSlot(shm, 2, { heartbeatAt: wallMicros() - 60e6 });
    const u32 = shm.regions.health.u32;
    u32[(HEADER_SIZE + 3 * HEALTH_SLOT_SIZE) / 4] = 7; // bybit_futures left mid-write
    const v = statusVerdict(prefix);
    expect(v.code).toBe(StatusExit.unhealthy);
    expect(v.problems).toEqual([
      `binance_futures: process ${gone} is gone but its slot says running`,
      expect.stringMatching(/^bybit_spot: no heartbeat for 6\d\.\d s \(hung or stopped\)$/),
      "bybit_futures: slot unreadable (odd seq: its writer died mid-write or is stuck)",
      "okx_spot: degraded",
    ]);
  });

  test("a missing or corrupt region: 3, whatever the processes say", () => {
    const { prefix, shm } = fresh();
    writeSlot(shm, 0, { state: HealthState.degraded });
    const fd = openSync(`/dev/shm/${prefix}-events`, "r+");
    writeSync(fd, Buffer.from([9, 9, 9, 9]), 0, 4, 0);
    closeSync(fd);
    const v = statusVerdict(prefix);
    expect(v.code).toBe(StatusExit.shm);
    expect(v.problems).toEqual([expect.stringContaining("events region: ")]);
    unlinkSync(`/dev/shm/${prefix}-control`);
    expect(statusVerdict(prefix).problems).toContain("control region: missing");
    expect(statusVerdict(uniquePrefix()).code).toBe(StatusExit.shm);
  });
});

describe("the binaries exit with the verdict", () => {
  test("spread-ctl status and shm-init --status: 3 missing, 0 healthy, 1 degraded; the last line says why", async () => {
    const missing = uniquePrefix();
    const { prefix, shm } = fresh();
    writeSlot(shm, 0, {});
    const healthy = await Promise.all([run(["bins/spread-ctl.ts", "status", "--prefix", prefix]), run(["bins/shm-init.ts", "--status", "--prefix", prefix])]);
    const absent = await Promise.all([run(["bins/spread-ctl.ts", "status", "--prefix", missing]), run(["bins/shm-init.ts", "--status", "--prefix", missing])]);
    writeSlot(shm, 0, { state: HealthState.degraded });
    const degraded = await Promise.all([run(["bins/spread-ctl.ts", "status", "--prefix", prefix]), run(["bins/shm-init.ts", "--status", "--prefix", prefix])]);
    const last = (out: string) => out.trimEnd().split("\n").at(-1);
    expect(healthy.map((r) => [r.code, last(r.out)])).toEqual([
      [0, "verdict: healthy (exit 0)"],
      [0, "verdict: healthy (exit 0)"],
    ]);
    for (const r of absent) {
      expect(r.code).toBe(3);
      expect(last(r.out)).toStartWith("verdict: shared memory missing or corrupt (exit 3): seqs region: missing;");
    }
    expect(degraded.map((r) => [r.code, last(r.out)])).toEqual([
      [1, "verdict: unhealthy (exit 1): binance_spot: degraded"],
      [1, "verdict: unhealthy (exit 1): binance_spot: degraded"],
    ]);
  }, 90_000);
});
