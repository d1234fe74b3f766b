// The allocator opt-in of docs/operations.md ("Feed groups", allocator row): Bun's native allocator (mimalloc) reads
// MIMALLOC_PURGE_DELAY from the environment at start; -1 keeps freed pages instead of returning them to the kernel
// (no `mi-scavenger` thread). A Bun upgrade that stops honouring it fails here, so the documented knob cannot go
// silently dead.
import { expect, test } from "bun:test";

function threadNames(env: Record<string, string>): string[] {
  const code = "const a = []; for (let i = 0; i < 2000; i++) a.push(new Uint8Array(100000)); a.length = 0; Bun.gc(true); await Bun.sleep(300); const fs = require('node:fs'); console.log(fs.readdirSync('/proc/self/task').map((t) => fs.readFileSync(`/proc/self/task/${t}/comm`, 'utf8').trim()).join(','))";
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
