// deploy/install.sh into a temporary root: the installed tree, the installed config (data in /var/lib), an edited
// config is never overwritten (the new default goes beside it), CPUAffinity drop-ins from [cpu], the enable
// symlink, uninstall keeping config and data, and uninstall --purge.
import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadAppConfig } from "@spread/common";
import { ROOT } from "./helpers.ts";

const dir = mkdtempSync(join(tmpdir(), "install-"));
const root = join(dir, "root");
const dist = join(dir, "dist");
const PROGRAMS = ["shm-init", "pair-discovery", "feed", "spread-engine", "spread-ctl", "exchange-sim"];
afterAll(() => rmSync(dir, { recursive: true, force: true }));

mkdirSync(dist);
for (const p of PROGRAMS) {
  writeFileSync(join(dist, p), `#!/bin/sh\necho ${p} v1\n`);
  chmodSync(join(dist, p), 0o755);
}

function sh(args: string[]): { code: number; out: string } {
  const p = Bun.spawnSync([join(ROOT, "deploy/install.sh"), ...args], { env: { PATH: process.env.PATH ?? "/usr/bin:/bin" } });
  return { code: p.exitCode ?? -1, out: p.stdout.toString() + p.stderr.toString() };
}

describe("deploy/install.sh", () => {
  test("installs binaries, configs, data dir, units and the enable symlink into --root", () => {
    const r = sh(["--root", root, "--dist", dist]);
    expect(r).toMatchObject({ code: 0 });
    for (const p of PROGRAMS) expect(statSync(join(root, "opt/spread-scanner/bin", p)).mode & 0o777).toBe(0o755);
    expect(readlinkSync(join(root, "usr/local/bin/spread-ctl"))).toBe("/opt/spread-scanner/bin/spread-ctl");
    expect(readdirSync(join(root, "etc/spread-scanner")).sort()).toEqual(["config.toml", "directions.toml", "exchanges.toml"]);
    for (const d of ["", "generated", "logs"]) expect(statSync(join(root, "var/lib/spread-scanner", d)).isDirectory()).toBe(true);
    expect(readdirSync(join(root, "etc/systemd/system")).sort()).toEqual([...readdirSync(join(ROOT, "systemd")), "multi-user.target.wants"].sort());
    expect(readlinkSync(join(root, "etc/systemd/system/multi-user.target.wants/spread-scanner.target"))).toBe("../spread-scanner.target");
    // The installed config names the installed data directory and the production exchanges.
    const app = loadAppConfig(join(root, "etc/spread-scanner/config.toml"));
    expect(app.resolved.data).toBe("/var/lib/spread-scanner");
    expect(app.resolved.generated).toBe("/var/lib/spread-scanner/generated");
    expect(app.resolved.exchanges).toBe(join(root, "etc/spread-scanner/exchanges.toml"));
    expect(readFileSync(join(root, "etc/spread-scanner/exchanges.toml"), "utf8")).toBe(readFileSync(join(ROOT, "config/exchanges.toml"), "utf8"));
    expect(existsSync(join(root, "etc/systemd/system/spread-feed@.service.d"))).toBe(false); // [cpu] lists empty
  });

  test("upgrade: binaries replaced, an edited config kept with the new default beside it; [cpu] lists become CPUAffinity drop-ins", () => {
    const cfg = join(root, "etc/spread-scanner/config.toml");
    const edited = readFileSync(cfg, "utf8").replace(/^feeds = \[\]/m, "feeds = [16, 17, 18]").replace(/^engine = \[\]/m, "engine = [0]   # P-core 0");
    expect(edited).toContain("feeds = [16, 17, 18]");
    writeFileSync(cfg, edited);
    writeFileSync(join(dist, "feed"), "#!/bin/sh\necho feed v2\n");
    const r = sh(["--root", root, "--dist", dist]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("kept your");
    expect(readFileSync(cfg, "utf8")).toBe(edited);
    expect(existsSync(`${cfg}.new`)).toBe(true);
    expect(existsSync(join(root, "etc/spread-scanner/exchanges.toml.new"))).toBe(false);
    expect(readFileSync(join(root, "opt/spread-scanner/bin/feed"), "utf8")).toContain("v2");
    expect(readFileSync(join(root, "etc/systemd/system/spread-feed@.service.d/cpu.conf"), "utf8")).toContain("CPUAffinity=16 17 18\n");
    expect(readFileSync(join(root, "etc/systemd/system/spread-feed-group@.service.d/cpu.conf"), "utf8")).toContain("CPUAffinity=16 17 18\n");
    expect(readFileSync(join(root, "etc/systemd/system/spread-engine.service.d/cpu.conf"), "utf8")).toContain("CPUAffinity=0\n");
    expect(existsSync(join(root, "etc/systemd/system/spread-tracker.service.d"))).toBe(false);
  });

  test("one binary under every program's name (scripts/build.sh's hard links) stays one file: every process maps it", () => {
    const multi = join(dir, "dist-multi");
    const root2 = join(dir, "root-multi");
    mkdirSync(multi);
    writeFileSync(join(multi, "spread-scanner"), "#!/bin/sh\necho one binary\n");
    chmodSync(join(multi, "spread-scanner"), 0o755);
    for (const p of PROGRAMS) linkSync(join(multi, "spread-scanner"), join(multi, p));
    for (let round = 0; round < 2; round++) {
      // the second round is an upgrade over the first install
      expect(sh(["--root", root2, "--dist", multi, "--no-enable"]).code).toBe(0);
      const bin = join(root2, "opt/spread-scanner/bin");
      const inode = statSync(join(bin, "spread-scanner")).ino;
      for (const p of PROGRAMS) expect({ p, ino: statSync(join(bin, p)).ino }).toEqual({ p, ino: inode });
      expect(statSync(join(bin, "feed")).nlink).toBe(PROGRAMS.length + 1);
    }
  }, 30_000);

  test("refuses without the built binaries (exit 2, names the fix)", () => {
    const r = sh(["--root", join(dir, "other"), "--dist", join(dir, "nothing")]);
    expect(r.code).toBe(2);
    expect(r.out).toContain("bun run build");
  });

  test("uninstall keeps config and data; --purge removes them", () => {
    writeFileSync(join(root, "var/lib/spread-scanner/tracker.jsonl"), "{}\n");
    expect(sh(["uninstall", "--root", root]).code).toBe(0);
    expect(existsSync(join(root, "opt/spread-scanner"))).toBe(false);
    expect(existsSync(join(root, "etc/systemd/system/spread-scanner.target"))).toBe(false);
    expect(readdirSync(join(root, "etc/systemd/system")).filter((f) => f.startsWith("spread-"))).toEqual([]);
    expect(() => lstatSync(join(root, "usr/local/bin/spread-ctl"))).toThrow();
    expect(existsSync(join(root, "etc/spread-scanner/config.toml"))).toBe(true);
    expect(existsSync(join(root, "var/lib/spread-scanner/tracker.jsonl"))).toBe(true);
    expect(sh(["uninstall", "--root", root, "--purge"]).code).toBe(0);
    expect(existsSync(join(root, "etc/spread-scanner"))).toBe(false);
    expect(existsSync(join(root, "var/lib/spread-scanner"))).toBe(false);
  });
});
