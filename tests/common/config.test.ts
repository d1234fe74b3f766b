// Static configuration: the shipped files load, and every kind of mistake names the file and the key path.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ConfigError, DIRECTIONS, loadAppConfig, loadDirectionsConfig, loadExchangesConfig, SOURCE_NAMES } from "@spread/common";

const ROOT = resolve(import.meta.dir, "../..");
const dir = mkdtempSync(join(tmpdir(), "cfg-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const errorOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error("expected a ConfigError");
};

describe("shipped config files", () => {
  test("config.toml, config.sim.toml, exchanges.toml, exchanges.sim.toml, directions.toml load", () => {
    const app = loadAppConfig(join(ROOT, "config/config.toml"));
    expect(app.shm.prefix).toBe("spread-scanner");
    expect(app.tracker.interval_ms).toBe(200);
    expect(app.tracker.max_duration_s).toBe(3 * 3600);
    expect(app.resolved.generated).toBe(join(ROOT, "generated"));
    const sim = loadAppConfig(join(ROOT, "config/config.sim.toml"));
    expect(sim.shm.prefix).not.toBe(app.shm.prefix); // the demo never touches a production prefix
    expect(sim.resolved.exchanges).toBe(join(ROOT, "config/exchanges.sim.toml"));
    const prod = loadExchangesConfig(app.resolved.exchanges);
    expect(prod.binance_futures.ws_url).toBe("wss://fstream.binance.com");
    expect(prod.mexc_spot.ws_url).toBe("wss://wbs-api.mexc.com");
    expect(prod.mexc_spot.max_subs_per_connection).toBe(30);
    expect(prod.bybit_spot.subscribe_batch).toBeLessThanOrEqual(10);
    expect(prod.okx_spot.max_ops_per_hour).toBe(480);
    for (const n of SOURCE_NAMES) expect(prod[n].rest_url.startsWith("https://")).toBe(true);
    const s = loadExchangesConfig(sim.resolved.exchanges);
    for (const n of SOURCE_NAMES) expect(new URL(s[n].ws_url).hostname).toBe("127.0.0.1");
    expect(loadDirectionsConfig(app.resolved.directions)).toBe(DIRECTIONS);
  });

  test("SPREAD_SCANNER_SHM_PREFIX overrides the configured prefix", () => {
    process.env.SPREAD_SCANNER_SHM_PREFIX = "from-env";
    try {
      expect(loadAppConfig(join(ROOT, "config/config.toml")).shm.prefix).toBe("from-env");
    } finally {
      delete process.env.SPREAD_SCANNER_SHM_PREFIX;
    }
  });
});

describe("config errors name the file and the key path", () => {
  test("wrong type", () => {
    const p = file("a.toml", "[engine]\nopen_spread_pct = \"x\"\n");
    expect(errorOf(() => loadAppConfig(p))).toBe(`${p}: engine.open_spread_pct: Invalid input: expected number, received string`);
  });
  test("unknown keys, nested and top-level, all reported at once", () => {
    const p = file("b.toml", "[feed]\nhealth_interval = 5\n[bogus]\nx = 1\n");
    const msg = errorOf(() => loadAppConfig(p));
    expect(msg).toContain(`${p}: unknown key feed.health_interval`);
    expect(msg).toContain(`${p}: unknown key bogus`);
  });
  test("invalid TOML gives line and column", () => {
    const p = file("c.toml", "[shm]\nprefix = \n");
    expect(errorOf(() => loadAppConfig(p))).toMatch(new RegExp(`^${p}:2:\\d+: invalid TOML`));
  });
  test("a prefix that would escape /dev/shm is refused", () => {
    const p = file("d.toml", '[shm]\nprefix = "../etc"\n');
    expect(errorOf(() => loadAppConfig(p))).toContain("shm.prefix");
  });
  test("missing file", () => {
    expect(errorOf(() => loadAppConfig(join(dir, "nope.toml")))).toContain("nope.toml: cannot read config file (ENOENT)");
  });
  test("exchanges.toml: missing key, and a limit above the exchange's", () => {
    const good = Bun.file(join(ROOT, "config/exchanges.toml"));
    return good.text().then((text) => {
      const missing = file("e1.toml", text.replace(/^pong_timeout_ms = .*$/m, ""));
      expect(errorOf(() => loadExchangesConfig(missing))).toContain(`${missing}: binance_spot.pong_timeout_ms: Invalid input`);
      const over = file("e2.toml", text.replace(/(\[bybit_spot\][\s\S]*?subscribe_batch = )\d+/, "$111"));
      expect(errorOf(() => loadExchangesConfig(over))).toBe(`${over}: bybit_spot.subscribe_batch: 11 exceeds the exchange limit 10 per request`);
    });
  });
  test("directions.toml must match table A.4", () => {
    const p = file("f.toml", Array.from({ length: 12 }, (_, i) => `[[direction]]\nid = ${i}\nspot = "${i === 3 ? "okx_spot" : DIRECTIONS[i]!.name.split("_spot_")[0] + "_spot"}"\nfutures = "${DIRECTIONS[i]!.name.split("_spot_")[1]}"\n`).join("\n"));
    expect(errorOf(() => loadDirectionsConfig(p))).toContain("direction[3] (id 3): okx_spot → okx_futures does not match table A.4");
  });
});
