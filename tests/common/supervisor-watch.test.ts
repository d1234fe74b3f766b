// watchSupervisor: the check a process started by `spread-ctl up` runs on its Health tick. The logic with an
// injected parent pid, then for real: a child of a bun process that is killed -9 sees its parent change
// (process.ppid is read live) and stops through its own SIGTERM handler.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ConfigError, readEnvOverrides, SUPERVISOR_PID_ENV, watchSupervisor } from "@spread/common";
import { waitFor } from "../wait.ts";

const ROOT = resolve(import.meta.dir, "../..");
const dir = mkdtempSync(join(tmpdir(), "supwatch-"));
const pids: number[] = [];
afterAll(() => {
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // gone
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

/** Gone, or a zombie its new parent has not reaped yet (a container's pid 1 may never). */
function ended(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z ");
  } catch {
    return true;
  }
}

function recorder() {
  const lines: { obj: Record<string, unknown>; msg: string }[] = [];
  return { lines, log: { warn: (obj: object, msg?: string) => void lines.push({ obj: obj as Record<string, unknown>, msg: msg ?? "" }) } as never };
}

describe("watchSupervisor", () => {
  test("without the variable (systemd, a manual start): never reads the parent, never stops", () => {
    const r = recorder();
    let reads = 0;
    let stops = 0;
    const check = watchSupervisor(r.log, { env: {}, ppid: () => (reads++, 1), stop: () => stops++ });
    for (let i = 0; i < 3; i++) expect(check()).toBe(true);
    expect([reads, stops, r.lines.length]).toEqual([0, 0, 0]);
  });

  test("the parent is the supervisor: keeps running; once it changes: one log line naming it, one stop", () => {
    const r = recorder();
    let parent = 4242;
    let stops = 0;
    const check = watchSupervisor(r.log, { env: { [SUPERVISOR_PID_ENV]: "4242" }, ppid: () => parent, stop: () => stops++ });
    expect(check()).toBe(true);
    expect(check()).toBe(true);
    parent = 1; // reparented to init
    expect(check()).toBe(false);
    expect(check()).toBe(false);
    parent = 4242;
    expect(check()).toBe(false); // a stop once begun is not taken back
    expect(stops).toBe(1);
    expect(r.lines.length).toBe(1);
    expect(r.lines[0]!.obj).toEqual({ supervisor_pid: 4242, ppid: 1 });
    expect(r.lines[0]!.msg).toContain("spread-ctl up (pid 4242) is gone");
  });

  test("a malformed value is a config error naming the variable (every binary: exit 2)", () => {
    for (const bad of ["abc", "-3", "0", "12.5", "99999999999"]) {
      expect(() => readEnvOverrides({ [SUPERVISOR_PID_ENV]: bad })).toThrow(ConfigError);
      expect(() => readEnvOverrides({ [SUPERVISOR_PID_ENV]: bad })).toThrow(SUPERVISOR_PID_ENV);
    }
    expect(readEnvOverrides({ [SUPERVISOR_PID_ENV]: "" }).supervisorPid).toBeUndefined();
    expect(readEnvOverrides({ [SUPERVISOR_PID_ENV]: "31337" }).supervisorPid).toBe(31337);
  });

  test("for real: kill -9 of the parent; the child stops through its SIGTERM handler", async () => {
    const done = join(dir, "stopped");
    const child = join(dir, "child.ts");
    const parent = join(dir, "parent.ts");
    writeFileSync(
      child,
      `import { createLogger, exitOnStopSignals, watchSupervisor } from ${JSON.stringify(join(ROOT, "packages/common/index.ts"))};
import { writeFileSync } from "node:fs";
const log = createLogger("child");
exitOnStopSignals((sig) => writeFileSync(${JSON.stringify(done)}, sig), 2000);
const check = watchSupervisor(log);
setInterval(check, 50);
console.log(JSON.stringify({ child: process.pid }));
`,
    );
    writeFileSync(
      parent,
      `const c = Bun.spawn([process.execPath, ${JSON.stringify(child)}], { stdout: "inherit", stderr: "inherit", env: { ...process.env, ${SUPERVISOR_PID_ENV}: String(process.pid) } });
setInterval(() => {}, 1000);
`,
    );
    const p = Bun.spawn([process.execPath, parent], { stdout: "pipe", stderr: "inherit", env: process.env });
    pids.push(p.pid);
    const reader = p.stdout.getReader();
    let out = "";
    await waitFor("the child's first line", async () => {
      const { value } = await reader.read();
      out += new TextDecoder().decode(value);
      return out.includes("\n");
    }, 10_000, 1);
    const childPid = (JSON.parse(out.split("\n")[0]!) as { child: number }).child;
    pids.push(childPid);
    await Bun.sleep(200); // a few checks with the parent alive: it must keep running
    expect(existsSync(done)).toBe(false);
    p.kill("SIGKILL");
    await waitFor("the orphan stopped", () => existsSync(done) && ended(childPid), 5000, 10);
    expect(readFileSync(done, "utf8")).toBe("SIGTERM");
  });
});
