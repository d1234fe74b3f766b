// The shared CLI conventions of every binary (runBin): stray positional words are usage errors (exit 2), errors and
// --help carry no ANSI colour into a pipe, a bad SPREAD_SCANNER_* variable is named (exit 2).
import { describe, expect, test } from "bun:test";
import { join, resolve } from "node:path";
import { colourAllowed, forStream } from "@spread/common";

const ROOT = resolve(import.meta.dir, "../..");
const ESC = "\x1b[";

/** Runs a bin with stdout/stderr piped (never a TTY), no SPREAD_SCANNER_* from the caller. */
async function run(bin: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith("SPREAD_SCANNER_") && k !== "NO_COLOR") base[k] = v;
  const p = Bun.spawn(["bun", join(ROOT, "bins", bin), ...args], { cwd: ROOT, env: { ...base, ...env }, stdout: "pipe", stderr: "pipe" });
  const [code, out, err] = await Promise.all([p.exited, new Response(p.stdout).text(), new Response(p.stderr).text()]);
  return { code, out, err };
}

describe("colour", () => {
  test("only on a TTY, and never with NO_COLOR (any non-empty value) or TERM=dumb", () => {
    expect(colourAllowed({ isTTY: true }, {})).toBe(true);
    expect(colourAllowed({ isTTY: false }, {})).toBe(false);
    expect(colourAllowed({}, {})).toBe(false);
    expect(colourAllowed({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(colourAllowed({ isTTY: true }, { NO_COLOR: "yes" })).toBe(false);
    expect(colourAllowed({ isTTY: true }, { NO_COLOR: "" })).toBe(true);
    expect(colourAllowed({ isTTY: true }, { TERM: "dumb" })).toBe(false);
    expect(forStream("\x1b[36mbogus\x1b[39m and \x1b[4m\x1b[1mUSAGE\x1b[22m\x1b[24m", { isTTY: false })).toBe("bogus and USAGE");
  });

  test("errors and --help written to a pipe carry no ANSI codes", async () => {
    const results = await Promise.all([run("spread-ctl.ts", ["bogus"]), run("spread-ctl.ts", ["--help"]), run("spread-ctl.ts", ["status", "--help"]), run("pair-discovery.ts", ["--help"])]);
    expect(results.map((r) => r.code)).toEqual([2, 0, 0, 0]);
    expect(results[0]!.err).toBe('spread-ctl: unknown command "bogus" (one of status, spreads, top, tracks, stats, pause, resume, shutdown, kill, reload, clear, up, down, discover, demo, parse, parse-instruments, parse-funding, alerts; see spread-ctl --help)\n');
    expect(results[1]!.out).toContain("USAGE spread-ctl status|spreads|top|");
    for (const r of results) expect(r.out + r.err).not.toContain(ESC);
  }, 60_000);
});

describe("stray positional arguments and flags without values are usage errors (exit 2) in every binary", () => {
  const cases: [string, string[], string][] = [
    ["spread-ctl.ts", ["status", "extra"], 'spread-ctl status: unexpected argument "extra"'],
    ["spread-ctl.ts", ["pause", "all", "more", "words"], 'spread-ctl pause: unexpected arguments "more" "words"'],
    ["spread-ctl.ts", ["status", "--prefix"], "spread-ctl status: --prefix needs a value"],
    ["shm-init.ts", ["--status", "extra"], 'shm-init: unexpected argument "extra"'],
    ["pair-discovery.ts", ["--offline", "/nonexistent", "extra"], 'pair-discovery: unexpected argument "extra"'],
    ["feed.ts", ["--source", "okx_spot", "extra"], 'feed: unexpected argument "extra"'],
    ["feed-okx-spot.ts", ["extra"], 'feed-okx-spot: unexpected argument "extra"'],
    ["exchange-sim.ts", ["extra"], 'exchange-sim: unexpected argument "extra"'],
    ["demo.ts", ["extra"], 'demo: unexpected argument "extra"'],
    ["spread-engine.ts", ["extra"], 'spread-engine: unexpected argument "extra"'],
    ["spread-tracker.ts", ["extra"], 'spread-tracker: unexpected argument "extra"'],
  ];
  test("each names the word and exits 2 before doing anything", async () => {
    const results = await Promise.all(cases.map(([bin, args]) => run(bin, args)));
    results.forEach((r, i) => {
      const [bin, args, want] = cases[i]!;
      expect(`${bin} ${args.join(" ")}: ${r.code} ${r.err.split("\n")[0]!.split(" (see")[0]}`).toBe(`${bin} ${args.join(" ")}: 2 ${want}`);
      expect(r.out).toBe("");
    });
  }, 90_000);

  test("variadic positionals (parse-instruments FILE...) still take several words", async () => {
    const file = join(ROOT, "tests/fixtures-discovery/okx_spot.json");
    const r = await run("spread-ctl.ts", ["parse-instruments", "--source", "okx_spot", file, file]);
    expect(r.code).toBe(0);
    expect(r.out.split("\n").length).toBeGreaterThan(2);
  }, 30_000);
});

describe("SPREAD_SCANNER_* variables", () => {
  test("an invalid SPREAD_SCANNER_SHM_PREFIX or _LOG_LEVEL is named on one line, exit 2 (no raw zod dump)", async () => {
    const bad = { SPREAD_SCANNER_SHM_PREFIX: "../../etc/passwd" };
    const [ctl, init, level] = await Promise.all([
      run("spread-ctl.ts", ["status"], bad),
      run("shm-init.ts", ["--status"], bad),
      run("spread-ctl.ts", ["status"], { SPREAD_SCANNER_LOG_LEVEL: "loud" }),
    ]);
    expect([ctl.code, ctl.err]).toEqual([2, 'spread-ctl status: env SPREAD_SCANNER_SHM_PREFIX="../../etc/passwd": must be 1-64 characters of A-Z a-z 0-9 _ . - (no slash)\n']);
    expect([init.code, init.err]).toEqual([2, 'shm-init: env SPREAD_SCANNER_SHM_PREFIX="../../etc/passwd": must be 1-64 characters of A-Z a-z 0-9 _ . - (no slash)\n']);
    expect([level.code, level.err]).toEqual([2, 'spread-ctl status: env SPREAD_SCANNER_LOG_LEVEL="loud": must be one of fatal, error, warn, info, debug, trace, silent\n']);
    // a binary that reads no config.toml checks them too
    const sim = await run("exchange-sim.ts", [], { SPREAD_SCANNER_LOG_LEVEL: "loud" });
    expect([sim.code, sim.err]).toEqual([2, 'exchange-sim: env SPREAD_SCANNER_LOG_LEVEL="loud": must be one of fatal, error, warn, info, debug, trace, silent\n']);
  }, 60_000);
});
