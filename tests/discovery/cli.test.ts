// bins/pair-discovery.ts as a process: exit codes (0 written, 1 failed, 2 usage/config), one clear error line,
// pino JSON lines when stdout is not a TTY.
import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { HealthSlot, loadGeneratedMetadata } from "@spread/common";
import { createAll, HealthRecord, HealthState, StatusExit, statusVerdict, unlinkAll } from "@spread/shm";
import { BIN, REAL_SIZE, REPO, runBin, tempDirs, testEnv, writeTestConfig } from "./helpers.ts";

const dir = tempDirs();

describe("usage and config errors exit 2 with one line", () => {
  const cases: [string, string[], RegExp][] = [
    ["unknown option", ["--bogus"], /^pair-discovery: unknown option --bogus \(see pair-discovery --help\)$/],
    ["bad --min-sources", ["--min-sources", "9"], /^pair-discovery: --min-sources: "9" must be a whole number 1\.\.8$/],
    ["bad --sources", ["--sources", "binance_spot,kraken"], /^pair-discovery: --sources: unknown source "kraken"; expected one of binance_spot, /],
    ["missing config", ["--config", "/nonexistent/config.toml"], /^pair-discovery: \/nonexistent\/config\.toml: cannot read config file \(ENOENT\)$/],
    ["conflicting flags", ["--offline", "x", "--validate", "--skip-validation"], /^pair-discovery: --validate and --skip-validation exclude each other$/],
  ];
  for (const [name, args, re] of cases) {
    test(name, async () => {
      const cfgArgs = args.includes("--config") ? [] : ["--config", writeTestConfig(dir("cfg"), { generated: dir("out") })];
      const r = await runBin([...cfgArgs, ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split("\n").length).toBe(1);
      expect(r.stderr.trim()).toMatch(re);
    });
  }
  test("bad [discovery] deny entry names the config file and key", async () => {
    const d = dir("cfgdeny");
    const cfg = writeTestConfig(d, { generated: dir("out"), discovery: 'deny = ["BTCUSDT"]' });
    const r = await runBin(["--config", cfg, "--offline", REAL_SIZE]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`pair-discovery: ${cfg}: discovery.deny: "BTCUSDT" must be a normalized name like "XYZ-USDT" or "source:EXCHANGE_SYMBOL"`);
  });
  test("--help exits 0 and lists the options", async () => {
    const r = await runBin(["--help"]);
    expect(r.code).toBe(0);
    for (const o of ["--config", "--exchanges", "--output", "--offline", "--validate", "--skip-validation", "--min-sources", "--sources"]) expect(r.stdout).toContain(o);
  });
});

describe("runs", () => {
  test("offline success: exit 0, pino JSON lines, --output overrides [paths] generated", async () => {
    const out = dir("ok-out");
    const cfg = writeTestConfig(dir("cfg"), { generated: dir("unused") });
    const r = await runBin(["--config", cfg, "--offline", REAL_SIZE, "--output", out]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.every((l) => l.proc === "pair-discovery" && typeof l.level === "number")).toBe(true);
    const last = lines[lines.length - 1]!;
    expect(last.msg).toBe("pair discovery finished");
    expect(last.generation).toBe(loadGeneratedMetadata(out).generation);
    expect(lines.some((l) => l.msg === "shm config generation not bumped")).toBe(true);
  });
  test("too few sources: exit 1, one error line, generated/ untouched", async () => {
    const off = dir("few");
    for (const f of ["binance_spot.json", "okx_spot.json"]) writeFileSync(join(off, f), await Bun.file(join(REAL_SIZE, f)).text());
    const out = join(dir("few-out"), "generated");
    const cfg = writeTestConfig(dir("cfg"), { generated: out });
    const r = await runBin(["--config", cfg, "--offline", off]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/^pair-discovery: only 2 of 8 sources fetched, at least 6 required; generated\/ left untouched\./);
    expect(existsSync(out)).toBe(false);
    const sub = await runBin(["--config", cfg, "--offline", off, "--sources", "binance_spot,okx_spot"]);
    expect(sub.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(["directions.bin", "directions.txt", "metadata.json", "source_symbols", "symbols.bin", "symbols.txt", "validation_report.txt"]);
  }, 20_000); // two bun processes: on a loaded 2-core box they alone can take 5 s
});

describe("SIGTERM while fetching (nothing written yet)", () => {
  test("exit 0 within the stop timeout, generated/ untouched, its Health slot stopped (status stays healthy)", async () => {
    // every REST call hangs: the run sits in its fetch stage
    const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Promise<Response>(() => {}) });
    const prefix = `t-${process.pid}-discterm`;
    const { shm } = createAll(prefix);
    try {
      const d = dir("termfetch");
      const text = await Bun.file(join(REPO, "config/exchanges.sim.toml")).text();
      const exchanges = join(d, "exchanges.toml");
      writeFileSync(exchanges, text.replace(/http:\/\/127\.0\.0\.1:\d+/g, `http://127.0.0.1:${server.port}`));
      const out = dir("termfetch-out");
      const cfg = writeTestConfig(d, { generated: out, exchanges });
      const p = Bun.spawn(["bun", BIN, "--config", cfg, "--skip-validation"], { cwd: REPO, env: testEnv({ SPREAD_SCANNER_SHM_PREFIX: prefix }), stdout: "pipe", stderr: "pipe" });
      const reader = p.stdout.getReader();
      let seen = "";
      const deadline = Date.now() + 20_000;
      while (!seen.includes('"stage":"fetch"')) {
        if (Date.now() > deadline) throw new Error(`no fetch stage line: ${seen}`);
        const { value, done } = await reader.read();
        if (done) throw new Error(`exited early: ${seen}`);
        seen += new TextDecoder().decode(value);
      }
      p.kill("SIGTERM");
      const code = await Promise.race([p.exited, Bun.sleep(10_000).then(() => "timeout" as const)]);
      expect([code, p.signalCode]).toEqual([0, null]);
      expect(readdirSync(out)).toEqual([]);
      const h = new HealthRecord();
      expect(shm.health.read(HealthSlot.discovery, h)).toBe(true);
      expect([h.state, h.pid]).toEqual([HealthState.stopped, p.pid]);
      expect(statusVerdict(prefix)).toEqual({ code: StatusExit.healthy, problems: [] });
    } finally {
      server.stop(true);
      unlinkAll(prefix);
    }
  }, 60_000);
});
