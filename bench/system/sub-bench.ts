// Runs one of the existing benchmarks as a child with `--json FILE` (bench/harness.ts writeJsonResult) and returns
// its document: the system report reuses their measurements instead of repeating their logic.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";

export type SubResult<T> = { readonly ok: true; readonly data: T; readonly seconds: number } | { readonly ok: false; readonly error: string; readonly seconds: number };

let current: Subprocess | null = null;

/** The benchmark child running now (the system bench's cleanup stops it first, so it can clean up after itself). */
export const currentSubBench = (): Subprocess | null => current;

export async function runSubBench<T>(root: string, dir: string, file: string, env: Record<string, string>, timeoutS: number): Promise<SubResult<T>> {
  const out = join(dir, `${file.replace(/\W+/g, "-")}-${Date.now()}.json`);
  const shown = Object.entries(env).map(([k, v]) => `${k}=${v}`).join(" ");
  console.log(`\n### ${shown} bun bench/${file} --json …`);
  const t0 = performance.now();
  const p = Bun.spawn([process.execPath, join(root, "bench", file), "--json", out], { cwd: root, stdin: "ignore", stdout: "inherit", stderr: "inherit", env: { ...process.env, ...env } });
  current = p;
  const timer = setTimeout(() => {
    console.error(`system.bench: ${file} still running after ${timeoutS} s: stopping it`);
    p.kill("SIGTERM");
    setTimeout(() => p.kill("SIGKILL"), 15_000).unref();
  }, timeoutS * 1000);
  const code = await p.exited;
  clearTimeout(timer);
  current = null;
  const seconds = (performance.now() - t0) / 1000;
  if (existsSync(out)) {
    try {
      return { ok: true, data: JSON.parse(readFileSync(out, "utf8")) as T, seconds };
    } catch (err) {
      return { ok: false, error: `${file}: unreadable --json output (${(err as Error).message})`, seconds };
    }
  }
  return { ok: false, error: `${file} exited ${code ?? p.signalCode} without results (its output above says why)`, seconds };
}

/** SIGTERM to the running benchmark child, SIGKILL after `graceMs` (it stops its own children on SIGTERM). */
export async function stopSubBench(graceMs = 10_000): Promise<void> {
  const p = current;
  if (!p || p.exitCode !== null) return;
  p.kill("SIGTERM");
  const done = await Promise.race([p.exited.then(() => true), Bun.sleep(graceMs).then(() => false)]);
  if (!done) p.kill("SIGKILL");
}
