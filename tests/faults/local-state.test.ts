// Fault matrix, bad local state at start (issue 17): every process that reads generated/ and maps shared memory
// (feed, spread-engine, spread-tracker) refuses a missing, truncated, corrupted, newer-format or inconsistent
// generated/ file, a region of another layout version, a region another user owns, and a config error, with exit
// 2 (never restarted: restarting cannot fix a file) and ONE stderr line naming the file and the problem.
// spread-web, the read-only dashboard, keeps serving and shows what is wrong. A full tracker directory (a real
// small tmpfs) leaves the tracker running degraded with the rows buffered, and writes them all once space returns.
import { afterAll, describe, expect, test } from "bun:test";
import { chownSync, closeSync, copyFileSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DIRECTIONS, encodeDirectionsPayload, encodeEnvelope, encodeSourceSymbolsPayload, GeneratedFile, HEADER_SIZE, sourceSymbolsFile, SourceId } from "@spread/common";
import { launch } from "@spread/ctl";
import { createAll, HealthError, HealthState, unlinkAll } from "@spread/shm";
import { waitFor } from "../wait.ts";
import { toToml } from "../feed/harness.ts";
import { ROOT, writeGenerated } from "../tracker/helpers.ts";
import { TrackerBed } from "../tracker/bed.ts";
import { expectTicksOnce, rows } from "../e2e/system.ts";

const NAMES = ["BTC-USDT", "ETH-USDT"];
const BINS = {
  feed: ["bins/feed.ts", "--source", "okx_spot"],
  "spread-engine": ["bins/spread-engine.ts"],
  "spread-tracker": ["bins/spread-tracker.ts"],
} as const;
type Bin = keyof typeof BINS;
const ALL: Bin[] = ["feed", "spread-engine", "spread-tracker"];

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

/** A consistent system's local state in a temp dir: config.toml, exchanges/directions, generated/, shm regions. */
function setup(tag: string, extraConfig: Record<string, Record<string, unknown>> = {}) {
  const dir = mkdtempSync(join(tmpdir(), `faults-${tag}-`));
  const prefix = `t-fl-${process.pid}-${Math.floor(Math.random() * 1e9).toString(36)}`;
  const gen = join(dir, "generated");
  mkdirSync(gen);
  const generation = writeGenerated(gen, NAMES);
  copyFileSync(join(ROOT, "config/exchanges.sim.toml"), join(dir, "exchanges.toml"));
  copyFileSync(join(ROOT, "config/directions.toml"), join(dir, "directions.toml"));
  const config = join(dir, "config.toml");
  writeFileSync(config, toToml({ paths: { generated: gen, data: join(dir, "data"), exchanges: "exchanges.toml" }, shm: { prefix }, web: { port: 0 }, ...extraConfig }));
  createAll(prefix);
  cleanups.push(() => {
    unlinkAll(prefix);
    rmSync(dir, { recursive: true, force: true });
  });
  return { dir, prefix, gen, generation, config };
}

/** Runs a binary to completion (bounded); a loaded box may take seconds just to start Bun. */
async function run(bin: Bin, config: string): Promise<{ code: number | null; err: string[] }> {
  const p = Bun.spawn([process.execPath, ...BINS[bin], "--config", config], {
    cwd: ROOT, stdin: "ignore", stdout: "ignore", stderr: "pipe",
    env: { ...process.env, SPREAD_SCANNER_SHM_PREFIX: undefined, SPREAD_SCANNER_CONFIG: undefined, SPREAD_SCANNER_LOG_LEVEL: "warn" },
  });
  const t = setTimeout(() => p.kill("SIGKILL"), 60_000);
  const [code, err] = await Promise.all([p.exited, new Response(p.stderr).text()]);
  clearTimeout(t);
  return { code: p.signalCode ? null : code, err: err.split("\n").filter((l) => l.length) };
}

async function expectRefused(bins: readonly Bin[], config: string, what: RegExp): Promise<void> {
  const rs = await Promise.all(bins.map((b) => run(b, config)));
  rs.forEach((r, i) => {
    const b = bins[i]!;
    expect({ bin: b, code: r.code, lines: r.err.length }).toEqual({ bin: b, code: 2, lines: 1 });
    expect(r.err[0]!.startsWith(`${b}: `)).toBe(true);
    expect(r.err[0]!).toMatch(what);
  });
}

function patchHealthVersion(prefix: string, version: number): void {
  const fd = openSync(`/dev/shm/${prefix}-health`, "r+");
  writeSync(fd, Buffer.from([version, 0, 0, 0]), 0, 4, 4); // header: magic u32, layout version u32
  closeSync(fd);
}

describe("bad generated/, shared memory or config at start: exit 2, one line naming what and where", () => {
  test("generated/ missing", async () => {
    const s = setup("nogen");
    rmSync(s.gen, { recursive: true });
    await expectRefused(ALL, s.config, new RegExp(`generated/ is missing or unusable .*${s.gen}/metadata\\.json: missing`));
  }, 90_000);

  test("symbols.bin truncated (feed, tracker read it)", async () => {
    const s = setup("trunc");
    truncateSync(join(s.gen, GeneratedFile.symbols), 20);
    await expectRefused(["feed", "spread-tracker"], s.config, new RegExp(`${s.gen}/symbols\\.bin: truncated: 20 bytes`));
  }, 90_000);

  test("directions.bin corrupted: a payload byte flipped (engine reads it)", async () => {
    const s = setup("crc");
    const f = join(s.gen, GeneratedFile.directions);
    const b = readFileSync(f);
    b[HEADER_SIZE + 3]! ^= 0x40;
    writeFileSync(f, b);
    await expectRefused(["spread-engine"], s.config, new RegExp(`${s.gen}/directions\\.bin: checksum mismatch`));
  }, 90_000);

  test("metadata.json of a newer format version (wrong schema)", async () => {
    const s = setup("schema");
    const f = join(s.gen, GeneratedFile.metadata);
    const m = JSON.parse(readFileSync(f, "utf8")) as { format_version: number };
    writeFileSync(f, JSON.stringify({ ...m, format_version: m.format_version + 1 }));
    await expectRefused(ALL, s.config, new RegExp(`${s.gen}/metadata\\.json: format_version ${m.format_version + 1} is newer than this build reads`));
  }, 90_000);

  test("bad ids: a symbol id beyond symbols.bin in source_symbols/okx_spot.bin (feed) and directions.bin (engine), envelopes valid", async () => {
    const s = setup("ids");
    const src = encodeSourceSymbolsPayload(SourceId.okx_spot, NAMES.length, NAMES.map((n, i) => ({ symbolId: i, exchangeSymbol: n.replace("-", ""), multiplier: 1 })));
    new DataView(src.buffer, src.byteOffset).setUint16(4, 7, true); // entry[0].symbol_id: 0 → 7
    writeFileSync(join(s.gen, sourceSymbolsFile(SourceId.okx_spot)), encodeEnvelope("sourceSymbols", s.generation, NAMES.length, src));
    const dirs = encodeDirectionsPayload(NAMES.length, DIRECTIONS.map(() => NAMES.map((_, i) => i)));
    new DataView(dirs.buffer, dirs.byteOffset).setUint16(12, 7, true); // direction[0].symbol_ids[0]: 0 → 7
    writeFileSync(join(s.gen, GeneratedFile.directions), encodeEnvelope("directions", s.generation, DIRECTIONS.length, dirs));
    await expectRefused(["feed"], s.config, /source_symbols\/okx_spot\.bin: .*entry\[0\]\.symbol_id 7: ids must ascend and stay below 2/);
    await expectRefused(["spread-engine"], s.config, /directions\.bin: .*direction\[0\]\.symbol_ids\[0\] = 7: ids must ascend and stay below 2/);
  }, 120_000);

  test("a shared-memory region of another layout version", async () => {
    const s = setup("layout");
    patchHealthVersion(s.prefix, 2);
    await expectRefused(ALL, s.config, new RegExp(`/dev/shm/${s.prefix}-health: has layout version 2, expected 1; run shm-init --force`));
  }, 90_000);

  test.skipIf(process.getuid?.() !== 0)("a region owned by another user (as root: chown to uid 1)", async () => {
    const s = setup("owner");
    chownSync(`/dev/shm/${s.prefix}-control`, 1, 1);
    await expectRefused(ALL, s.config, new RegExp(`/dev/shm/${s.prefix}-control: is owned by uid 1, not by this user`));
  }, 90_000);

  test("config error: an unknown key", async () => {
    const s = setup("config", { tracker: { bogus: 1 } });
    await expectRefused(ALL, s.config, new RegExp(`${s.config}: unknown key tracker\\.bogus`));
  }, 90_000);

  test("spread-web keeps serving and shows the problems (generated/ missing, Health region of another layout)", async () => {
    const s = setup("web");
    rmSync(s.gen, { recursive: true });
    patchHealthVersion(s.prefix, 2);
    const web = launch("spread-web", [process.execPath, join(ROOT, "bins/spread-web.ts"), "--config", s.config], { cwd: ROOT, env: { SPREAD_SCANNER_SHM_PREFIX: undefined, SPREAD_SCANNER_CONFIG: undefined } });
    try {
      const line = await web.waitForLine(/spread-web listening/, 60_000);
      const url = (JSON.parse(line) as { url: string }).url;
      const get = async <T>(path: string) => (await (await fetch(`${url}${path}`)).json()) as T;
      const health = await get<{ web: { claimed: boolean; problem: string } }>("api/health");
      expect(health.web.claimed).toBe(false);
      expect(health.web.problem).toContain(`/dev/shm/${s.prefix}-health: has layout version 2, expected 1`);
      expect((await get<{ problem: string }>("api/spreads")).problem).toContain(`shared memory "${s.prefix}" missing or unreadable`);
      // shm-init --force's effect: the region is valid again; spread-web claims its slot (retried every 5 s) and
      // now names the next problem, generated/.
      patchHealthVersion(s.prefix, 1);
      await waitFor("spread-web claimed its Health slot", async () => (await get<{ web: { claimed: boolean } }>("api/health")).web.claimed, 20_000, 200);
      expect((await get<{ problem: string }>("api/spreads")).problem).toContain(`generated/ (${s.gen}) unusable`);
      expect(web.proc.exitCode).toBeNull();
    } finally {
      expect(await web.stop(10_000)).toBe(0);
    }
  }, 90_000);
});

describe("a full tracker directory (a real 256 KiB tmpfs)", () => {
  test("keeps running degraded (disk), rows buffered; once space returns every row is written, none lost", async () => {
    const b = new TrackerBed();
    const mnt = join(b.dir, "data");
    mkdirSync(mnt);
    const m = Bun.spawnSync(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", mnt], { stderr: "pipe" });
    if (m.exitCode !== 0) {
      console.warn(`skipped: tmpfs not mountable here (${m.stderr.toString().trim()}); tests/tracker/disk.test.ts covers ENOSPC with an injected fault`);
      await b.cleanup();
      return;
    }
    try {
      b.start(["BTC-USDT"], { flush_interval_ms: 200, fsync_interval_s: 0, max_buffer_mb: 1 }, mnt);
      b.price(6, 0, 99.9, 100);
      b.price(5, 0, 101, 101.1);
      const p = b.spawn();
      await p.waitForLine(/tracker running/, 60_000);
      b.signal(0, 0, 6, 5);
      await waitFor("the tracking writes rows", () => (b.status(mnt)?.open[0]?.rows ?? 0) >= 3, 20_000, 50);
      const file = b.status(mnt)!.open[0]!.file;
      // Fill the file system to the last byte.
      const fill = openSync(join(mnt, "filler"), "w");
      try {
        const chunk = Buffer.alloc(4096);
        for (;;) writeSync(fill, chunk);
      } catch (err) {
        expect((err as NodeJS.ErrnoException).code).toBe("ENOSPC");
      }
      try {
        for (;;) writeSync(fill, Buffer.alloc(1));
      } catch {
        // full to the byte
      }
      closeSync(fill);
      await waitFor("Health degraded with the disk error, write errors counted", () => {
        const h = b.health();
        return h.state === HealthState.degraded && h.lastError === HealthError.disk && h.reconnects > 0;
      }, 20_000, 100);
      // The rows file still fills its last tmpfs page (no new block needed); once that is full nothing more lands.
      // "Full" is judged by failed flushes, not by time: a tracker descheduled for a second on a loaded box looks
      // like a file that stopped growing, and its next flush may still fit the page.
      let size = -1;
      let errorsAtSize = 0;
      let since = Date.now();
      await waitFor("the rows file stopped growing while two flushes failed", () => {
        const n = statSync(file).size;
        const errors = b.health().reconnects;
        if (n !== size) [size, errorsAtSize, since] = [n, errors, Date.now()];
        return errors >= errorsAtSize + 2;
      }, 30_000, 100);
      const fullFrom = since;
      const rowsWhileFull = rows(file).length;
      const errors0 = b.health().reconnects;
      // Ticks keep being sampled and buffered while flushes fail. Whether a few rows still squeeze in is up to the
      // file system, not the tracker: each failed rewrite of tracker-status.json truncates its tmp file, and the page
      // that frees can take a flush of rows. What the tracker owes is below: no row lost, none twice, once space returns.
      await waitFor("two more failed flushes", () => b.health().reconnects >= errors0 + 2, 20_000, 100);
      expect(p.proc.exitCode).toBeNull();
      expect(b.health().pid).toBe(p.proc.pid);
      const fullTo = Date.now();
      rmSync(join(mnt, "filler")); // space returns
      await waitFor("Health running again", () => b.health().state === HealthState.running, 20_000, 100);
      // buffered_bytes is never reliably 0 (a status tick may land between a row and its flush, and on a quiet box
      // the two timers keep their phase): wait for the full window's rows themselves to reach the file.
      const inFullWindow = (r: { ts?: string; state?: string }) => Date.parse(r.ts!) >= fullFrom && Date.parse(r.ts!) <= fullTo && r.state !== "missed";
      await waitFor("status written again, the full window's rows on disk", () => b.status(mnt)?.disk_failing === false && rows(file).filter(inFullWindow).length >= 5, 20_000, 100);
      const st = b.status(mnt)!;
      expect(st.counters.buffered_bytes).toBeLessThan(4096); // at most the rows of one flush interval
      expect(st.counters.write_errors).toBeGreaterThan(0);
      const rs = rows(file);
      expect(rs.length).toBeGreaterThan(rowsWhileFull + 7);
      // Every tick once; the ticks of the full window were sampled and buffered, then written (1 MiB of buffer was
      // never exceeded, so none became a `missed` gap; a tick a loaded box started too late would be one).
      expectTicksOnce(rs);
      expect(rs.filter(inFullWindow).length).toBeGreaterThanOrEqual(5);
      expect(await p.stop(10_000)).toBe(0);
    } finally {
      await b.proc?.stop(2000);
      Bun.spawnSync(["umount", mnt]);
      await b.cleanup();
    }
  }, 120_000);
});
