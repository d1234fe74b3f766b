// The allocator opt-in of docs/operations.md ("Feed groups", allocator row): Bun's native allocator (mimalloc) reads
// MIMALLOC_PURGE_DELAY from the environment at start; -1 keeps freed pages instead of returning them to the kernel
// (no `mi-scavenger` thread). A Bun upgrade that stops honouring it fails here, so the documented knob cannot go
// silently dead.
import { expect, test } from "bun:test";

/**
 * The child's thread names once `mi-scavenger` shows up, or after 3 s without it: a bounded wait where the thread
 * is expected, and the window in which it must not appear where it is not.
 */
function threadNames(env: Record<string, string>): string[] {
  const code = "const a = []; for (let i = 0; i < 2000; i++) a.push(new Uint8Array(100000)); a.length = 0; Bun.gc(true); const fs = require('node:fs'); const names = () => fs.readdirSync('/proc/self/task').map((t) => fs.readFileSync(`/proc/self/task/${t}/comm`, 'utf8').trim()); const t0 = Date.now(); while (!names().includes('mi-scavenger') && Date.now() - t0 < 3000) await Bun.sleep(20); console.log(names().join(','))";
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith("MIMALLOC_")) base[k] = v;
  const r = Bun.spawnSync([process.execPath, "-e", code], { env: { ...base, ...env }, stdout: "pipe", stderr: "pipe" });
  expect(r.exitCode).toBe(0);
  return r.stdout.toString().trim().split(",");
}

test("MIMALLOC_PURGE_DELAY=-1 is honoured by this Bun: no purge thread with it, one without", () => {
  expect(threadNames({})).toContain("mi-scavenger");
  expect(threadNames({ MIMALLOC_PURGE_DELAY: "-1" })).not.toContain("mi-scavenger");
});
