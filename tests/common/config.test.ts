// Static configuration: the shipped files load, and every kind of mistake names the file and the key path.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ConfigError, DIRECTIONS, loadAppConfig, loadDirectionsConfig, loadExchangesConfig, requireConfigFiles, SOURCE_NAMES, TIMER_MAX_MS } from "@spread/common";
import { EXCHANGE_LIMITS } from "@spread/exchanges";

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
    const prod = loadExchangesConfig(app.resolved.exchanges, EXCHANGE_LIMITS);
    expect(prod.binance_futures.ws_url).toBe("wss://fstream.binance.com");
    expect(prod.mexc_spot.ws_url).toBe("wss://wbs-api.mexc.com");
    expect(prod.mexc_spot.max_subs_per_connection).toBe(30);
    expect(prod.bybit_spot.subscribe_batch).toBeLessThanOrEqual(10);
    expect(prod.okx_spot.max_ops_per_hour).toBe(480);
    for (const n of SOURCE_NAMES) expect(prod[n].rest_url.startsWith("https://")).toBe(true);
    const s = loadExchangesConfig(sim.resolved.exchanges, EXCHANGE_LIMITS);
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
  test("a world-writable [shm] mode is refused (any local user could write Control)", () => {
    const p = file("mode.toml", '[shm]\nmode = "0777"\n');
    expect(errorOf(() => loadAppConfig(p))).toContain(`${p}: shm.mode: must not be world-writable`);
    const q = file("mode2.toml", '[shm]\nmode = "0460"\n');
    expect(errorOf(() => loadAppConfig(q))).toContain("shm.mode: must give the owner read and write");
    expect(loadAppConfig(file("mode3.toml", '[shm]\nmode = "0660"\nallow_foreign_owner = true\n')).shm.allow_foreign_owner).toBe(true);
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
      expect(errorOf(() => loadExchangesConfig(missing, EXCHANGE_LIMITS))).toContain(`${missing}: binance_spot.pong_timeout_ms: Invalid input`);
      const over = file("e2.toml", text.replace(/(\[bybit_spot\][\s\S]*?subscribe_batch = )\d+/, "$111"));
      expect(errorOf(() => loadExchangesConfig(over, EXCHANGE_LIMITS))).toBe(`${over}: bybit_spot.subscribe_batch: 11 exceeds the exchange limit 10 per request`);
    });
  });
  test("directions.toml must match table A.4", () => {
    const p = file("f.toml", Array.from({ length: 12 }, (_, i) => `[[direction]]\nid = ${i}\nspot = "${i === 3 ? "okx_spot" : DIRECTIONS[i]!.name.split("_spot_")[0] + "_spot"}"\nfutures = "${DIRECTIONS[i]!.name.split("_spot_")[1]}"\n`).join("\n"));
    expect(errorOf(() => loadDirectionsConfig(p))).toContain("direction[3] (id 3): okx_spot → okx_futures does not match table A.4");
  });
});

describe("[feed] groups (opt-in feed grouping)", () => {
  test("default: no groups (one process per source); a valid partition loads as given", () => {
    expect(loadAppConfig(join(ROOT, "config/config.toml")).feed.groups).toEqual([]);
    const p = file("fg1.toml", '[feed]\ngroups = [["binance_spot", "binance_futures", "bybit_spot", "bybit_futures"], ["okx_spot"]]\n');
    expect(loadAppConfig(p).feed.groups).toEqual([["binance_spot", "binance_futures", "bybit_spot", "bybit_futures"], ["okx_spot"]]);
  });
  test("an unknown source and an empty group name the key", () => {
    const p = file("fg2.toml", '[feed]\ngroups = [["binance_spot", "kraken_spot"], []]\n');
    const msg = errorOf(() => loadAppConfig(p));
    expect(msg).toContain(`${p}: feed.groups.0.1: Invalid option: expected one of "binance_spot"|`);
    expect(msg).toContain(`${p}: feed.groups.1: a group names at least one source`);
  });
  test("a source in two groups (or twice in one) is refused, naming where it was first", () => {
    const p = file("fg3.toml", '[feed]\ngroups = [["okx_spot", "okx_futures"], ["mexc_spot", "okx_spot"]]\n');
    expect(errorOf(() => loadAppConfig(p))).toBe(`${p}: feed.groups.1.1: okx_spot is already in group 1 (groups = [[okx_spot, okx_futures], [mexc_spot, okx_spot]]): a source runs in one process only`);
    const q = file("fg4.toml", '[feed]\ngroups = [["mexc_spot", "mexc_spot"]]\n');
    expect(errorOf(() => loadAppConfig(q))).toContain(`${q}: feed.groups.0.1: mexc_spot is already in group 1`);
  });
});

describe("bounds, cross-field checks, URLs, required files (issue 9 §3)", () => {
  test("every timer is bounded by setTimeout's 2^31-1 ms (larger values would fire after 1 ms)", () => {
    const p = file("g1.toml", "[feed]\nhealth_interval_ms = 99999999999999\n[discovery]\nbackoff_ms = [100, 2147483648]\nbatch_timeout_s = 1e9\n");
    const msg = errorOf(() => loadAppConfig(p));
    expect(msg).toContain(`${p}: feed.health_interval_ms: must be at most 2147483647 ms`);
    expect(msg).toContain(`${p}: discovery.backoff_ms.1: must be at most 2147483647 ms`);
    expect(msg).toContain(`${p}: discovery.batch_timeout_s: must be at most 2147483 s`);
    const edge = file("g2.toml", "[feed]\nhealth_interval_ms = 2147483647\n");
    expect(loadAppConfig(edge).feed.health_interval_ms).toBe(TIMER_MAX_MS);
  });
  test("other numbers have upper bounds too", () => {
    const p = file("g3.toml", "[engine]\nmax_spread_pct = 1e12\n[discovery]\nfetch_attempts = 1000000\ncollision_max_deviation = 1e300\n[cpu]\nfeeds = [4096]\n");
    const msg = errorOf(() => loadAppConfig(p));
    for (const key of ["engine.max_spread_pct", "discovery.fetch_attempts", "discovery.collision_max_deviation", "cpu.feeds.0"]) expect(msg).toContain(`${p}: ${key}: `);
  });
  test("cross-field: reconnect_base_ms > reconnect_max_ms, spreads, discovery windows", () => {
    const p = file("h1.toml", "[feed]\nreconnect_base_ms = 5000\nreconnect_max_ms = 1000\n");
    expect(errorOf(() => loadAppConfig(p))).toBe(`${p}: feed.reconnect_base_ms: must be at most reconnect_max_ms (1000)`);
    const q = file("h2.toml", "[engine]\nopen_spread_pct = 60\n[tracker]\nclose_spread_pct = 70\n[discovery]\ncollect_s = 100\nidle_s = 200\n");
    const msg = errorOf(() => loadAppConfig(q));
    expect(msg).toContain(`${q}: engine.max_spread_pct: must be above open_spread_pct (60)`);
    expect(msg).toContain(`${q}: discovery.idle_s: must be at most collect_s (100)`);
    expect(msg).toContain(`${q}: discovery.collect_s: must be at most batch_timeout_s (90)`);
    const r = file("h3.toml", "[tracker]\nclose_spread_pct = 0.5\n");
    expect(errorOf(() => loadAppConfig(r))).toBe(`${r}: tracker.close_spread_pct: must be below engine.open_spread_pct (0.5): a tracking would converge at once`);
  });
  test("URLs: scheme, host and port 1..65535 are checked", async () => {
    const text = await Bun.file(join(ROOT, "config/exchanges.toml")).text();
    const bad = (name: string, from: RegExp, to: string) => file(name, text.replace(from, to));
    const cases: [string, RegExp, string, string][] = [
      ["u1.toml", /^ws_url = .*$/m, 'ws_url = "ws://:::99999999"', 'binance_spot.ws_url: "ws://:::99999999" is not a valid ws or wss URL (bad host or port? ports are 1..65535)'],
      ["u2.toml", /^ws_url = .*$/m, 'ws_url = "https://stream.binance.com"', 'binance_spot.ws_url: "https://stream.binance.com": scheme must be ws or wss'],
      ["u3.toml", /^ws_url = .*$/m, 'ws_url = "wss://host:0"', 'binance_spot.ws_url: "wss://host:0": port must be 1..65535'],
      ["u4.toml", /^rest_url = .*$/m, 'rest_url = "https://api.binance.com:70000"', 'binance_spot.rest_url: "https://api.binance.com:70000" is not a valid http or https URL (bad host or port? ports are 1..65535)'],
      ["u5.toml", /^rest_url = .*$/m, 'rest_url = "ftp://api.binance.com"', 'binance_spot.rest_url: "ftp://api.binance.com": scheme must be http or https'],
      ["u6.toml", /^rest_url = .*$/m, 'rest_url = "https://api.binance.com?x=1"', "binance_spot.rest_url: \"https://api.binance.com?x=1\": a base URL has no query or fragment"],
    ];
    for (const [name, from, to, want] of cases) {
      const p = bad(name, from, to);
      expect(errorOf(() => loadExchangesConfig(p, EXCHANGE_LIMITS))).toBe(`${p}: ${want}`);
    }
    const big = bad("u7.toml", /^pong_timeout_ms = .*$/m, "pong_timeout_ms = 99999999999999");
    expect(errorOf(() => loadExchangesConfig(big, EXCHANGE_LIMITS))).toContain(`${big}: binance_spot.pong_timeout_ms: must be at most 2147483647 ms`);
  });
  test("a missing [paths] directions or exchanges file is an error naming config.toml and the key", () => {
    const p = file("i1.toml", '[paths]\ndirections = "no-such-directions.toml"\nexchanges = "no-such-exchanges.toml"\n');
    const cfg = loadAppConfig(p);
    const msg = errorOf(() => requireConfigFiles(cfg, ["exchanges", "directions"]));
    expect(msg).toBe(
      `${p}: paths.exchanges: ${join(dir, "no-such-exchanges.toml")} does not exist or is not a file\n${p}: paths.directions: ${join(dir, "no-such-directions.toml")} does not exist or is not a file`,
    );
    expect(() => requireConfigFiles(loadAppConfig(join(ROOT, "config/config.toml")), ["exchanges", "directions"])).not.toThrow();
  });
  test("an invalid SPREAD_SCANNER_SHM_PREFIX names the variable (no raw zod dump)", () => {
    process.env.SPREAD_SCANNER_SHM_PREFIX = "../etc/x";
    try {
      expect(errorOf(() => loadAppConfig(join(ROOT, "config/config.toml")))).toBe(
        'env SPREAD_SCANNER_SHM_PREFIX="../etc/x": must be 1-64 characters of A-Z a-z 0-9 _ . - (no slash)',
      );
    } finally {
      delete process.env.SPREAD_SCANNER_SHM_PREFIX;
    }
  });
});

test("an invalid SPREAD_SCANNER_LOG_LEVEL names the variable; a valid one wins over [log] level", () => {
  process.env.SPREAD_SCANNER_LOG_LEVEL = "loud";
  try {
    expect(errorOf(() => loadAppConfig(join(ROOT, "config/config.toml")))).toBe('env SPREAD_SCANNER_LOG_LEVEL="loud": must be one of fatal, error, warn, info, debug, trace, silent');
    process.env.SPREAD_SCANNER_LOG_LEVEL = "debug";
    expect(loadAppConfig(join(ROOT, "config/config.toml")).log.level).toBe("debug");
  } finally {
    delete process.env.SPREAD_SCANNER_LOG_LEVEL;
  }
});
