// bins/exchange-sim.ts as a child process: --help, ready line with every address, --exchanges/--exchanges-out,
// SIGTERM exits 0, configuration errors exit 2 naming the file and key path. Always on ephemeral ports.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadExchangesConfig, SOURCE_NAMES } from "@spread/common";
import { EXCHANGE_LIMITS } from "@spread/exchanges";
import { startSimProcess } from "@spread/sim";
import { getJson, SCENARIOS } from "./helpers.ts";

const BIN = join(import.meta.dir, "../../bins/exchange-sim.ts");
const tmp = mkdtempSync(join(tmpdir(), "sim-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function run(args: string[]): { code: number; out: string; err: string } {
  const p = Bun.spawnSync(["bun", BIN, ...args], { stdout: "pipe", stderr: "pipe", env: { ...process.env, SPREAD_SCANNER_LOG_LEVEL: "warn" } });
  return { code: p.exitCode ?? -1, out: p.stdout.toString(), err: p.stderr.toString() };
}

describe("exchange-sim CLI", () => {
  test("--help lists every flag", () => {
    const r = run(["--help"]);
    expect(r.code).toBe(0);
    for (const f of ["--exchanges", "--control-port", "--scenario", "--seed", "--rate", "--ephemeral", "--exchanges-out"]) expect(r.out).toContain(f);
  });

  test("ready line with every address; serves REST; SIGTERM exits 0", async () => {
    const out = join(tmp, "ex.toml");
    const sim = await startSimProcess({ scenario: join(SCENARIOS, "test-fast.toml"), seed: 5, args: ["--exchanges-out", out] });
    try {
      expect(Object.keys(sim.urls).sort()).toEqual([...SOURCE_NAMES].sort());
      expect((await getJson(`${sim.controlUrl}/health`)).body).toEqual({ ok: true });
      const st = (await getJson(`${sim.controlUrl}/state?conns=0`)).body;
      expect([st.scenario, st.seed]).toEqual(["test-fast", 5]);
      const cfg = loadExchangesConfig(out, EXCHANGE_LIMITS);
      for (const n of SOURCE_NAMES) expect(cfg[n].rest_url).toBe(sim.urls[n].rest_url);
      expect(cfg.okx_spot.max_ops_per_hour).toBe(480);
      expect((await getJson(`${sim.urls.okx_spot.rest_url}/api/v5/public/instruments?instType=SPOT`)).body.code).toBe("0");
    } finally {
      expect(await sim.stop()).toBe(0);
    }
  });

  test("--exchanges FILE with --ephemeral: the file's settings, ephemeral ports (--exchanges-out shows both)", async () => {
    const file = join(tmp, "in.toml");
    const out = join(tmp, "out.toml");
    const base = readFileSync(join(import.meta.dir, "../../config/exchanges.sim.toml"), "utf8").replace(/^data_timeout_ms = .*$/m, "data_timeout_ms = 4321");
    writeFileSync(file, base);
    const sim = await startSimProcess({ args: ["--exchanges", file, "--exchanges-out", out, "--control-port", "0", "--rate", "100"] });
    try {
      expect(new Set(SOURCE_NAMES.map((n) => sim.urls[n].rest_url)).size).toBe(8);
      expect((await getJson(`${sim.urls.binance_spot.rest_url}/api/v3/ping`)).body).toEqual({});
      const written = readFileSync(out, "utf8");
      expect(written).toContain("data_timeout_ms = 4321");
      expect(written).toContain(`rest_url = "${sim.urls.binance_spot.rest_url}"`);
    } finally {
      await sim.stop();
    }
  });

  test("a bad scenario exits 2 naming the file and the key path", () => {
    const f = join(tmp, "bad.toml");
    writeFileSync(f, `[rate]\ntotal = "fast"\n\n[universe]\nnope = 1\n`);
    const r = run(["--ephemeral", "--scenario", f]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${f}: rate.total:`);
    expect(r.err).toContain(`${f}: unknown key universe.nope`);
  });

  test("an episode on an unlisted asset and bad flags are usage errors", () => {
    const f = join(tmp, "ep.toml");
    writeFileSync(f, `[[episodes]]\nasset = "NOPE"\nspot = "okx_spot"\nfutures = "okx_futures"\nspread_pct = 1\n`);
    const r = run(["--ephemeral", "--scenario", f]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("episodes[0].asset");
    expect(run(["--ephemeral", "--seed", "x"]).code).toBe(2);
    expect(run(["--bogus"]).code).toBe(2);
  });
});
