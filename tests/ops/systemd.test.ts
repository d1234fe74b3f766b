// systemd/ units: `systemd-analyze verify` on every unit (ExecStart pointed at stand-in binaries in a temp dir),
// `systemd-analyze security --offline` exposure <= 2.5 for every service, and the restart policy that matches the
// exit codes. Skipped with a message when systemd-analyze is not installed (.ci/run installs it from Debian).
import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SOURCE_NAMES } from "@spread/common";
import { NO_RESTART_EXIT_CODES } from "@spread/ctl";
import { ROOT } from "./helpers.ts";

const ANALYZE = Bun.which("systemd-analyze");
if (!ANALYZE) console.warn("tests/ops/systemd.test.ts: skipped (systemd-analyze not installed; apt-get install systemd)");
const UNITS = join(ROOT, "systemd");
const MAX_EXPOSURE = 2.5;
const LONG_RUNNING = ["spread-feed@.service", "spread-feed-group@.service", "spread-engine.service", "spread-tracker.service", "spread-alerts.service", "spread-web.service"];

const dir = mkdtempSync(join(tmpdir(), "units-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const files = readdirSync(UNITS).sort();
const text = (f: string) => readFileSync(join(UNITS, f), "utf8");
/** Every value of `key=` in a unit (keys may repeat). */
const values = (f: string, key: string) => text(f).split("\n").filter((l) => l.startsWith(`${key}=`)).map((l) => l.slice(key.length + 1));

/** The units with ExecStart moved from /opt/spread-scanner/bin to stand-in executables (verify checks they exist). */
function stage(): void {
  mkdirSync(join(dir, "bin"), { recursive: true });
  for (const b of ["shm-init", "pair-discovery", "feed", "spread-engine", "spread-tracker", "spread-alerts", "spread-web", "spread-ctl"]) {
    writeFileSync(join(dir, "bin", b), "#!/bin/sh\n");
    chmodSync(join(dir, "bin", b), 0o755);
  }
  for (const f of files) writeFileSync(join(dir, f), text(f).replaceAll("/opt/spread-scanner/bin/", `${dir}/bin/`));
}

describe("systemd units", () => {
  test("one unit per process of A.7, a target that wants all of them, every service part of it", () => {
    expect(files).toEqual([
      "spread-alerts.service", "spread-engine.service", "spread-feed-group@.service", "spread-feed@.service", "spread-pair-discovery.service", "spread-pair-discovery.timer",
      "spread-scanner.target", "spread-shm-init.service", "spread-tracker.service", "spread-web.service",
    ]);
    const wants = values("spread-scanner.target", "Wants").join(" ").split(/\s+/);
    for (const s of SOURCE_NAMES) expect(wants).toContain(`spread-feed@${s}.service`);
    for (const u of ["spread-shm-init.service", "spread-pair-discovery.service", "spread-engine.service", "spread-tracker.service", "spread-web.service"]) expect(wants).toContain(u);
    // Optional: enabling it hooks it to the target (it refuses to start without an [alerts] channel).
    expect(wants).not.toContain("spread-alerts.service");
    expect(values("spread-alerts.service", "WantedBy")).toEqual(["spread-scanner.target"]);
    expect(values("spread-alerts.service", "After").join(" ")).toContain("spread-tracker.service");
    // Opt-in feed groups: not wanted by default; enabled per group; ordered before the engine like the feeds.
    expect(wants.some((w) => w.startsWith("spread-feed-group@"))).toBe(false);
    expect(values("spread-feed-group@.service", "WantedBy")).toEqual(["spread-scanner.target"]);
    expect(values("spread-feed-group@.service", "Before")).toEqual(["spread-engine.service"]);
    expect(values("spread-feed-group@.service", "ExecStart")).toEqual(["/opt/spread-scanner/bin/feed --group %i"]);
    for (const f of files.filter((x) => x.endsWith(".service") || x.endsWith(".timer"))) expect(values(f, "PartOf")).toEqual(["spread-scanner.target"]);
    // Stop order is the reverse of start order: tracker after engine after every feed.
    expect(values("spread-tracker.service", "After").join(" ")).toContain("spread-engine.service");
    for (const s of SOURCE_NAMES) expect(values("spread-engine.service", "After").join(" ")).toContain(`spread-feed@${s}.service`);
  });

  test("restart policy: always, except the no-restart exit codes; no start limit", () => {
    for (const f of LONG_RUNNING) {
      expect(values(f, "Restart")).toEqual(["always"]);
      expect(values(f, "RestartPreventExitStatus")).toEqual([NO_RESTART_EXIT_CODES.join(" ")]);
      expect(values(f, "StartLimitIntervalSec")).toEqual(["0"]);
    }
    expect(values("spread-pair-discovery.timer", "OnUnitActiveSec")).toEqual(["6h"]);
    expect(values("spread-pair-discovery.service", "ExecStartPost")[0]).toContain("spread-ctl reload");
  });

  test.skipIf(!ANALYZE)("systemd-analyze verify accepts every unit", () => {
    stage();
    const units = [...files.filter((f) => !f.endsWith("@.service")), ...SOURCE_NAMES.map((s) => `spread-feed@${s}.service`), "spread-feed-group@1.service", "spread-feed-group@2.service"];
    const p = Bun.spawnSync([ANALYZE!, "verify", "--man=no", ...units], { cwd: dir, env: { ...process.env, SYSTEMD_LOG_COLOR: "0" } });
    const out = p.stdout.toString() + p.stderr.toString();
    expect({ code: p.exitCode, out }).toEqual({ code: 0, out: "" });
  }, 60_000);

  test.skipIf(!ANALYZE)(`systemd-analyze security: exposure <= ${MAX_EXPOSURE} for every service`, () => {
    stage();
    const services = ["spread-shm-init.service", "spread-pair-discovery.service", ...SOURCE_NAMES.slice(0, 1).map((s) => `spread-feed@${s}.service`), "spread-feed-group@1.service", "spread-engine.service", "spread-tracker.service", "spread-alerts.service", "spread-web.service"];
    for (const u of services) {
      const p = Bun.spawnSync([ANALYZE!, "security", "--offline=true", "--no-pager", u], { cwd: dir, env: { ...process.env, SYSTEMD_COLORS: "0" } });
      const m = /Overall exposure level for \S+: ([\d.]+)/.exec(p.stdout.toString());
      expect({ u, found: m !== null }).toEqual({ u, found: true });
      expect({ u, exposure: Number(m![1]) <= MAX_EXPOSURE }).toEqual({ u, exposure: true });
    }
  }, 60_000);
});
