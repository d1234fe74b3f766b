// The compiled binaries (`bun run build`) from an empty directory with nothing beside them: each answers --help,
// the installed defaults apply (config from $SPREAD_SCANNER_CONFIG or /etc/spread-scanner, never ./config), and
// the whole system runs from them against the compiled simulator under the compiled `spread-ctl up`; the compiled
// spread-web serves its pages and API with its assets embedded in the binary.
// Compiling takes ~15 s on the 2-core CI box; SPREAD_SCANNER_SKIP_COMPILE=1 skips this file with a message.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { HealthSlot, INSTALLED_CONFIG, SOURCE_NAMES } from "@spread/common";
import { launch } from "@spread/ctl";
import { HealthState, REGIONS, statRegion } from "@spread/shm";
import { waitFor } from "../feed/harness.ts";
import { alive, OpsBed, ROOT } from "./helpers.ts";

const SKIP = process.env.SPREAD_SCANNER_SKIP_COMPILE === "1";
if (SKIP) console.warn("tests/ops/compiled.test.ts: skipped (SPREAD_SCANNER_SKIP_COMPILE=1)");

const bed = new OpsBed();
const bin = join(bed.dir, "bin");
const empty = join(bed.dir, "empty");
const PROGRAMS = ["shm-init", "pair-discovery", "feed", "spread-ctl", "exchange-sim", "spread-engine", "spread-tracker", "spread-alerts", "spread-web"];
let built: string[] = [];

beforeAll(async () => {
  if (SKIP) return;
  mkdirSync(empty, { recursive: true });
  const p = Bun.spawn([join(ROOT, "scripts/build.sh")], { cwd: ROOT, env: { ...process.env, OUT: bin }, stdout: "pipe", stderr: "pipe" });
  const [code, out, err] = await Promise.all([p.exited, new Response(p.stdout).text(), new Response(p.stderr).text()]);
  if (code !== 0) throw new Error(`build failed (${code}): ${out}\n${err}`);
  built = readdirSync(bin);
}, 180_000);

afterAll(async () => {
  await bed.cleanup();
}, 30_000);

/** Runs a compiled binary in the empty directory with a clean environment. */
async function run(name: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  const p = Bun.spawn([join(bin, name), ...args], { cwd: empty, env: { PATH: "/usr/bin:/bin", HOME: bed.dir, SPREAD_SCANNER_RUN_DIR: bed.runDir, ...env }, stdout: "pipe", stderr: "pipe" });
  const t = setTimeout(() => p.kill("SIGKILL"), 20_000);
  const [code, out, err] = await Promise.all([p.exited, new Response(p.stdout).text(), new Response(p.stderr).text()]);
  clearTimeout(t);
  return { code, out: out + err };
}

describe.skipIf(SKIP)("compiled binaries", () => {
  test("every process is built (engine and tracker once their entry points exist)", () => {
    for (const p of PROGRAMS) {
      if (existsSync(join(ROOT, "bins", `${p}.ts`))) expect(built).toContain(p);
    }
    for (const p of built) expect(statSync(join(bin, p)).mode & 0o111).toBeGreaterThan(0);
    // One binary under every name (hard links): all processes share its pages.
    const inode = statSync(join(bin, "spread-scanner")).ino;
    for (const p of built) expect({ p, ino: statSync(join(bin, p)).ino }).toEqual({ p, ino: inode });
  });

  test("each answers --help from an empty directory", async () => {
    for (const p of built) {
      const r = await run(p, ["--help"]);
      expect({ p, code: r.code }).toEqual({ p, code: 0 });
      expect(r.out).toContain("USAGE");
    }
  }, 60_000);

  test("installed default: /etc/spread-scanner/config.toml, or $SPREAD_SCANNER_CONFIG; never ./config", async () => {
    const help = await run("shm-init", ["--help"]);
    expect(help.out).toContain(INSTALLED_CONFIG);
    if (!existsSync(INSTALLED_CONFIG)) {
      const r = await run("shm-init", ["--status"]);
      expect(r.code).toBe(2);
      expect(r.out).toContain(`${INSTALLED_CONFIG}: cannot read config file (ENOENT); not installed here`);
    }
    await bed.startSim();
    const r = await run("shm-init", [], { SPREAD_SCANNER_CONFIG: bed.configFile });
    expect(r.code).toBe(0);
    expect(existsSync(`/dev/shm/${bed.prefix}-health`)).toBe(true);
    await bed.sim!.stop();
    bed.sim = null;
  }, 60_000);

  test("compiled spread-web serves its pages, embedded assets and API from an empty directory; SIGTERM exits 0", async () => {
    expect(built).toContain("spread-web");
    if (!existsSync(bed.configFile)) bed.writeConfigs(null);
    expect((await run("shm-init", [], { SPREAD_SCANNER_CONFIG: bed.configFile })).code).toBe(0);
    const web = launch("spread-web", [join(bin, "spread-web"), "--port", "0"], {
      cwd: empty,
      env: { SPREAD_SCANNER_CONFIG: bed.configFile, SPREAD_SCANNER_SHM_PREFIX: bed.prefix },
    });
    bed.children.push(web);
    const line = await web.waitForLine(/spread-web listening/, 30_000);
    const url = (JSON.parse(line) as { url: string }).url.replace(/\/$/, "");
    const health = await fetch(`${url}/api/health`);
    expect(health.status).toBe(200);
    const h = (await health.json()) as { prefix: string; shm: { ok: boolean }; processes: { slot: number }[]; web: { claimed: boolean } };
    expect({ prefix: h.prefix, ok: h.shm.ok, claimed: h.web.claimed }).toEqual({ prefix: bed.prefix, ok: true, claimed: true });
    expect(h.processes.length).toBeGreaterThanOrEqual(10);
    // "/" is the Spreads page; its script and stylesheet (and uPlot) come out of the binary, not a file beside it.
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('data-page="spreads"');
    expect(html).toContain('<script src="/app.js">');
    expect(await (await fetch(`${url}/app.js`)).text()).toBe(readFileSync(join(ROOT, "packages/web/src/assets/app.js"), "utf8"));
    expect(await (await fetch(`${url}/app.css`)).text()).toContain(readFileSync(join(ROOT, "packages/web/src/assets/app.css"), "utf8"));
    expect((await (await fetch(`${url}/uplot.js`)).text()).length).toBeGreaterThan(20_000);
    expect(await web.stop(10_000)).toBe(0);
  }, 60_000);

  test("the compiled system runs against the compiled simulator under the compiled spread-ctl up", async () => {
    const exchanges = join(bed.dir, "etc", "exchanges.toml");
    mkdirSync(join(bed.dir, "etc"), { recursive: true });
    const sim = launch("exchange-sim", [join(bin, "exchange-sim"), "--ephemeral", "--control-port", "0", "--rate", "3000", "--exchanges-out", exchanges], { cwd: empty });
    bed.children.push(sim);
    await sim.waitForLine(/"msg":"ready"/, 30_000);
    bed.writeConfigs(null);
    const up = bed.ctl(["up", "--duration", "0"], { argv0: [join(bin, "spread-ctl")], cwd: empty, env: { SPREAD_SCANNER_CONFIG: bed.configFile } });
    const feedsLive = () => SOURCE_NAMES.every((_, s) => {
      const h = bed.health(s);
      return h.pid > 0 && h.state === HealthState.running && h.symbolsLive > 0;
    });
    // spread-engine / spread-tracker run too when built (their Workers must be inside the binary).
    const others = ([["spread-engine", HealthSlot.engine], ["spread-tracker", HealthSlot.tracker]] as const).filter(([p]) => built.includes(p)).map(([, slot]) => slot);
    const othersUp = () => others.every((slot) => {
      const h = bed.health(slot);
      return h.pid > 0 && alive(h.pid) && (h.state === HealthState.running || h.state === HealthState.degraded);
    });
    await waitFor("8 compiled feeds live, engine and tracker running", () => {
      if (up.proc.exitCode !== null) throw new Error(`spread-ctl up exited ${up.proc.exitCode}: ${up.lines.slice(-10).join("\n")}`);
      // Every region complete (headers written, magic last) before the test maps them.
      return REGIONS.every((r) => statRegion(bed.prefix, r).state === "ok") && feedsLive() && othersUp();
    }, 90_000, 200).catch((err) => {
      throw new Error(`${(err as Error).message}\n${up.lines.slice(-15).join("\n")}`);
    });
    // Still the same engine/tracker process a few seconds later (not a crash loop under the supervisor).
    const first = others.map((slot) => bed.health(slot).pid);
    await Bun.sleep(3000); // a window, not a wait: no restart may replace them meanwhile
    expect(others.map((slot) => bed.health(slot).pid)).toEqual(first);
    // The feeds are the compiled `feed` binary, not bun.
    const exe = Bun.spawnSync(["readlink", `/proc/${bed.health(0).pid}/exe`]).stdout.toString().trim();
    expect(exe).toBe(join(bin, "feed"));
    const top = await run("spread-ctl", ["top", "--limit", "3"], { SPREAD_SCANNER_CONFIG: bed.configFile });
    expect(top.code).toBe(0);
    expect(top.out).toMatch(/both legs (live|fresh) [1-9]/);
    const pids = [...SOURCE_NAMES.map((_, s) => bed.health(s).pid), ...first];
    up.proc.kill("SIGTERM");
    expect(await up.proc.exited).toBe(0);
    for (const pid of pids) expect(alive(pid)).toBe(false);
  }, 150_000);
});
