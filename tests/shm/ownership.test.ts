// Regions another user owns, or every user may write, are refused (issue 9 §2): such a user could rewrite
// Control and stop the system. shm-init and every process that maps the regions check it.
import { afterEach, describe, expect, test } from "bun:test";
import { chmodSync, chownSync, statSync } from "node:fs";
import { join } from "node:path";
import { ShmError, createAll, openAll, unlinkAll } from "@spread/shm";
import { uniquePrefix } from "./helpers/scratch.ts";
import { thrown } from "./helpers/thrown.ts";

const ROOT = join(import.meta.dir, "../..");
let prefix = "";
afterEach(() => {
  if (prefix) unlinkAll(prefix);
  prefix = "";
});

function shmInit(args: string[]): { code: number | null; out: string; err: string } {
  const p = Bun.spawnSync(["bun", "bins/shm-init.ts", ...args], { cwd: ROOT, env: { ...process.env, SPREAD_SCANNER_SHM_PREFIX: "" }, timeout: 30_000 });
  return { code: p.exitCode, out: p.stdout.toString(), err: p.stderr.toString() };
}

describe("shared-memory ownership", () => {
  test("a world-writable region is refused by processes; shm-init resets its mode", () => {
    prefix = uniquePrefix();
    createAll(prefix);
    chmodSync(`/dev/shm/${prefix}-control`, 0o666);
    const err = thrown(() => openAll(prefix));
    expect(err).toBeInstanceOf(ShmError);
    expect(err.message).toBe(`/dev/shm/${prefix}-control: is world-writable (mode 0666): any local user could write it; refusing to use it (run shm-init to reset its mode)`);
    const r = createAll(prefix);
    expect(r.reports.find((x) => x.key === "control")!.changes).toEqual(["mode 0666 → 0600"]);
    expect(statSync(`/dev/shm/${prefix}-control`).mode & 0o777).toBe(0o600);
    openAll(prefix);
  });

  test("world-writable modes are refused by shm-init --mode, by config and by createAll", () => {
    prefix = uniquePrefix();
    const r = shmInit(["--prefix", prefix, "--mode", "0777"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`--mode "0777": must not be world-writable`);
    expect(thrown(() => createAll(prefix, { mode: 0o662 })).message).toContain("mode 0662 is world-writable: refusing to create it");
  });

  test.skipIf(process.getuid?.() !== 0)("a region owned by another user is refused unless [shm] allow_foreign_owner (run as root)", () => {
    prefix = uniquePrefix();
    createAll(prefix);
    chownSync(`/dev/shm/${prefix}-control`, 1, 1); // daemon: another local user
    const uid = process.geteuid!();
    const err = thrown(() => openAll(prefix));
    expect(err.message).toBe(`/dev/shm/${prefix}-control: is owned by uid 1, not by this user (uid ${uid}) or root: refusing a region another user created (it could rewrite Control and stop the system); remove it as its owner, or set [shm] allow_foreign_owner = true if that user is trusted`);
    expect(thrown(() => createAll(prefix)).message).toContain("is owned by uid 1");
    const r = shmInit(["--prefix", prefix]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("is owned by uid 1");
    openAll(prefix, { allowForeignOwner: true });
    createAll(prefix, { allowForeignOwner: true });
  });
});
