// bench/teardown.ts in a real child process: however a benchmark ends (normal end, signal, deadline, a throw),
// its graceful stop runs exactly once, or the synchronous fallback runs when the process exits without it.
import { describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { tempDirs } from "../temp.ts";

const TEARDOWN = resolve(import.meta.dir, "../../bench/teardown.ts");
const temp = tempDirs("teardown");

/** Runs a child that arms teardownOnExit, then `body`; `log` collects what stop and atExit did, one word a line. */
async function child(body: string, signal?: "SIGTERM" | "SIGINT"): Promise<{ code: number; log: string[] }> {
  const dir = temp("run");
  const log = join(dir, "log");
  writeFileSync(log, "");
  const script = join(dir, "child.ts");
  writeFileSync(
    script,
    // In the child, sleeps are pacing: a clean stop that takes 30 ms, a body that runs until it is stopped.
    `import { appendFileSync } from "node:fs";
import { teardownOnExit } from ${JSON.stringify(TEARDOWN)};
const note = (w: string) => appendFileSync(${JSON.stringify(log)}, w + "\\n");
const teardown = teardownOnExit("t", async () => { await Bun.sleep(30); note("stop"); }, () => note("atExit"));
console.log("ready");
${body}
`,
  );
  const proc = Bun.spawn([process.execPath, script], { stdout: "pipe", stderr: "pipe" });
  const timer = setTimeout(() => proc.kill("SIGKILL"), 10_000);
  if (signal) {
    const reader = proc.stdout.getReader();
    let seen = "";
    while (!seen.includes("ready")) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += new TextDecoder().decode(value);
    }
    proc.kill(signal);
    proc.kill(signal);
  }
  const code = await proc.exited;
  clearTimeout(timer);
  return { code, log: readFileSync(log, "utf8").split("\n").filter(Boolean) };
}

describe("teardownOnExit", () => {
  test("normal end: stop awaited twice runs once, no fallback", async () => {
    const r = await child("await teardown.stop(); await teardown.stop(); process.exit(0);");
    expect(r).toEqual({ code: 0, log: ["stop"] });
  });

  for (const sig of ["SIGTERM", "SIGINT"] as const) {
    test(`${sig} (sent twice) stops once and exits 130`, async () => {
      const r = await child("await Bun.sleep(20_000);", sig);
      expect(r).toEqual({ code: 130, log: ["stop"] });
    });
  }

  test("the deadline stops the run with exit 1", async () => {
    const r = await child("teardown.deadline(100, 'test'); await Bun.sleep(20_000);");
    expect(r).toEqual({ code: 1, log: ["stop"] });
  });

  test("an armed deadline does not keep a finished run alive", async () => {
    const r = await child("teardown.deadline(20_000); await teardown.stop();");
    expect(r).toEqual({ code: 0, log: ["stop"] });
  });

  test("an uncaught throw skips the graceful stop: the synchronous fallback runs", async () => {
    const r = await child("throw new Error('boom');");
    expect(r.code).not.toBe(0);
    expect(r.log).toEqual(["atExit"]);
  });
});
