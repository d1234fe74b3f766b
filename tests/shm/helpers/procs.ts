// Child-process bookkeeping for multi-process tests: spawn, bounded waits, and kill-on-cleanup.
import { afterEach } from "bun:test";
import type { Subprocess } from "bun";
import { join } from "node:path";
import { waitFor as waitUntil } from "../../wait.ts";
import { uniquePrefix, unlinkEverything } from "./scratch.ts";

export const CHILD = join(import.meta.dir, "child.ts");
const live = new Set<Subprocess>();

/** Starts `bun tests/shm/helpers/child.ts <mode> ...args`; stderr is kept for failure messages. */
export function spawnChild(mode: string, ...args: (string | number)[]): Subprocess<"ignore", "pipe", "pipe"> {
  const p = Bun.spawn(["bun", CHILD, mode, ...args.map(String)], { stdin: "ignore", stdout: "pipe", stderr: "pipe", env: process.env });
  live.add(p);
  void p.exited.then(() => live.delete(p));
  return p;
}

/** SIGKILLs every child still running and waits for them (use in afterEach). */
export async function killChildren(): Promise<void> {
  const all = [...live];
  for (const p of all) p.kill(9);
  await Promise.all(all.map((p) => p.exited));
  live.clear();
}

/** Seconds of each two-process stress phase (SHM_STRESS_SECONDS, default 2). */
export const STRESS_S = Number(process.env.SHM_STRESS_SECONDS ?? 2);

/**
 * Call once at a test file's top: after each test its children are killed and the prefix it took is unlinked.
 * Returns the function a test calls for its fresh, isolated prefix.
 */
export function prefixPerTest(): () => string {
  let prefix = "";
  afterEach(async () => {
    await killChildren();
    if (prefix) unlinkEverything(prefix);
    prefix = "";
  });
  return () => (prefix = uniquePrefix());
}

/** Waits for exit within `ms`; throws with the child's stderr when it failed or hung. */
export async function expectExit(p: Subprocess<"ignore", "pipe", "pipe">, ms: number): Promise<string> {
  const timer = setTimeout(() => p.kill(9), ms);
  const code = await p.exited;
  clearTimeout(timer);
  const out = await new Response(p.stdout).text();
  if (code !== 0) {
    const err = await new Response(p.stderr).text();
    throw new Error(`child exited with ${code} (${p.signalCode ?? "no signal"}) within ${ms} ms: ${err}`);
  }
  return out;
}

/** Polls `cond` every millisecond until true; throws after `ms` milliseconds (with what `saw` reports). */
export async function waitFor(what: string, cond: () => boolean, ms: number, saw?: () => unknown): Promise<void> {
  await waitUntil(what, cond, ms, 1, saw);
}
