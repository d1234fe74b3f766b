// Child-process launcher for the demo and the multi-process tests: spawn a bin, wait for a line, stop with
// SIGTERM and escalate to SIGKILL, so nothing outlives its owner.
import { openSync, closeSync } from "node:fs";
import type { Subprocess } from "bun";
import { readLines } from "./lines.ts";

export interface Launched {
  readonly name: string;
  readonly proc: Subprocess<"ignore", "pipe" | number, "pipe" | number>;
  /** Lines of stdout seen so far (only when stdout is piped), for waitForLine. */
  readonly lines: string[];
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code (null if it had to be killed). */
  stop(graceMs?: number): Promise<number | null>;
  waitForLine(re: RegExp, timeoutMs: number): Promise<string>;
}

export interface LaunchOptions {
  readonly env?: Record<string, string | undefined>;
  readonly cwd?: string;
  /** Append stdout+stderr to this file instead of piping stdout. */
  readonly logFile?: string;
}

const alive = new Set<Launched>();
let exitHookInstalled = false;

/** Kills every child still running (process exit, test teardown). */
export function killAllLaunched(): void {
  for (const l of alive) {
    try {
      l.proc.kill("SIGKILL");
    } catch {
      // already gone
    }
  }
  alive.clear();
}

export function launch(name: string, argv: readonly string[], opts: LaunchOptions = {}): Launched {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on("exit", killAllLaunched);
  }
  let fd: number | null = null;
  if (opts.logFile) fd = openSync(opts.logFile, "a");
  const proc = Bun.spawn([...argv], {
    cwd: opts.cwd ?? process.cwd(),
    env: { ...process.env, ...opts.env } as Record<string, string>,
    stdin: "ignore",
    stdout: fd ?? "pipe",
    stderr: fd ?? "pipe",
  });
  if (fd !== null) closeSync(fd);
  const lines: string[] = [];
  const waiters: { re: RegExp; resolve: (l: string) => void }[] = [];
  const pump = async (stream: ReadableStream<Uint8Array>, keep: boolean) => {
    for await (const line of readLines(stream)) {
      if (keep) {
        if (lines.length > 2000) lines.splice(0, 1000);
        lines.push(line);
      }
      for (let i = waiters.length - 1; i >= 0; i--) {
        if (waiters[i]!.re.test(line)) {
          waiters[i]!.resolve(line);
          waiters.splice(i, 1);
        }
      }
    }
  };
  if (typeof proc.stdout !== "number" && proc.stdout) void pump(proc.stdout, true).catch(() => {});
  if (typeof proc.stderr !== "number" && proc.stderr) void pump(proc.stderr, true).catch(() => {});
  const l: Launched = {
    name,
    proc,
    lines,
    async stop(graceMs = 3000) {
      if (proc.exitCode !== null || proc.signalCode !== null) {
        alive.delete(l);
        return proc.exitCode;
      }
      proc.kill("SIGTERM");
      const t = setTimeout(() => proc.kill("SIGKILL"), graceMs);
      await proc.exited;
      clearTimeout(t);
      alive.delete(l);
      return proc.signalCode === "SIGKILL" ? null : proc.exitCode;
    },
    waitForLine(re, timeoutMs) {
      const seen = lines.find((x) => re.test(x));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`${name}: no line matching ${re} within ${timeoutMs} ms; last output:\n${lines.slice(-20).join("\n")}`)), timeoutMs);
        waiters.push({ re, resolve: (x) => (clearTimeout(t), resolve(x)) });
        void proc.exited.then((code) => {
          clearTimeout(t);
          reject(new Error(`${name} exited with ${code} before printing ${re}; last output:\n${lines.slice(-20).join("\n")}`));
        });
      });
    },
  };
  alive.add(l);
  void proc.exited.then(() => alive.delete(l));
  return l;
}
