// Readers never crash on any byte content (issue 9 §2): status is rendered thousands of times over regions
// full of random bytes, odd SeqLock words (writers killed mid-write) and garbage headers, in a child process
// so a segfault shows up as its exit code; then the real binaries read such regions.
import { afterEach, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { HEADER_SIZE, HEALTH_SLOT_SIZE, HEALTH_SLOTS, createAll, unlinkAll } from "@spread/shm";
import { uniquePrefix } from "./helpers/scratch.ts";

const ROOT = join(import.meta.dir, "../..");
const prefixes: string[] = [];
afterEach(() => {
  for (const p of prefixes.splice(0)) unlinkAll(p);
});

function run(cmd: string[], timeout = 240_000): { code: number | null; signal: string | null; out: string; err: string } {
  const p = Bun.spawnSync(cmd, { cwd: ROOT, env: { ...process.env, SPREAD_SCANNER_SHM_PREFIX: "" }, timeout });
  return { code: p.exitCode, signal: p.signalCode ? String(p.signalCode) : null, out: p.stdout.toString(), err: p.stderr.toString() };
}

describe("status over hostile shared memory", () => {
  test("renderStatus survives 2,000 renders of random regions and odd seqs (child process exits 0)", () => {
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    createAll(prefix);
    const r = run(["bun", join(import.meta.dir, "helpers/status-hammer.ts"), prefix, "2000", String(process.pid)]);
    expect({ code: r.code, signal: r.signal, err: r.err.slice(0, 400) }).toEqual({ code: 0, signal: null, err: "" });
    expect(r.out.trim()).toBe("rendered 2000");
  }, 250_000); // ~5 ms of CPU per render; a box shared with other test runs may take far longer

  test("spread-ctl status and shm-init --status read slots left odd by a killed writer without crashing", () => {
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    const { shm } = createAll(prefix);
    const health = shm.regions.health.u32;
    for (let s = 0; s < HEALTH_SLOTS; s++) {
      const w = (HEADER_SIZE + s * HEALTH_SLOT_SIZE) / 4;
      health[w] = 2 * s + 1; // odd: every slot looks mid-write, forever
      health[w + 1] = 0x0201; // kind feed, state running
      health[w + 2] = s === 0 ? 0xffffffff : process.pid;
    }
    const data = shm.regions.data.u32;
    for (let i = HEADER_SIZE / 4; i < data.length; i++) data[i] = (i * 2654435761) >>> 0;
    for (let round = 0; round < 3; round++) {
      for (const cmd of [
        ["bun", "bins/spread-ctl.ts", "status", "--prefix", prefix],
        ["bun", "bins/shm-init.ts", "--status", "--prefix", prefix],
      ]) {
        const r = run(cmd, 60_000);
        expect({ cmd: cmd[1], signal: r.signal, crashed: r.code === null || r.code >= 128 }).toEqual({ cmd: cmd[1], signal: null, crashed: false });
        expect(r.out).toContain(`shm prefix "${prefix}"`);
        expect(r.out).toContain("inconsistent: odd seq");
      }
    }
  }, 120_000);
});
