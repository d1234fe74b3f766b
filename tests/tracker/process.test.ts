// spread-tracker as a process: woken by signals on the Event Bus, rows every 200 ms on the wall-clock grid,
// CONVERGED then an immediate second tracking, kill -9 and restart (same file, gap marked, no duplicate),
// DELISTED on a hot reload, Health slot 9, SIGTERM exit 0.
import { afterAll, describe, expect, test } from "bun:test";
import { Command, GlobalFlag, HealthError, HealthState, TrackedPairState, wallSeconds } from "@spread/shm";
import { HealthSlot } from "@spread/common";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { parseRow, parseSummary, ROW_HEADER } from "@spread/tracker";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { TrackerBed } from "./bed.ts";
import { lines, until, writeGenerated } from "./helpers.ts";

const bed = new TrackerBed();
afterAll(() => bed.cleanup());

/** Rows of a file; checks that every tick from the first row on is accounted for (sampled or marked missed). */
function checkedRows(text: string) {
  const l = lines(text);
  expect(l[0] + "\n").toBe(ROW_HEADER);
  expect(l.filter((x) => x + "\n" === ROW_HEADER).length).toBe(1);
  const rows = l.slice(1).map((x) => parseRow(x)!);
  for (let i = 1; i < rows.length; i++) {
    const prev = rows[i - 1]!;
    if (/^[A-Z_]+$/.test(rows[i]!.state)) continue; // the close row
    expect(prev.tsMs % 200).toBe(0);
    expect(rows[i]!.tsMs).toBe(prev.tsMs + 200 * Math.max(1, prev.missed));
  }
  return rows;
}

describe("spread-tracker process", () => {
  test("signal → 200 ms rows → CONVERGED → re-signal → kill -9 → resume → DELISTED → SIGTERM", async () => {
    bed.start(["BTC-USDT", "ETH-USDT"], { close_spread_pct: 0.1 });
    // Direction 0: okx_spot (6) → mexc_futures (5).
    bed.price(6, 0, 99.9, 100);
    bed.price(5, 0, 101, 101.1);
    bed.price(6, 1, 9.9, 10);
    bed.price(5, 1, 10.2, 10.3);
    const p = bed.spawn();
    await p.waitForLine(/tracker running/, 15_000);
    bed.signal(0, 0, 6, 5);
    await until("a tracking with 10 rows", () => (bed.status()?.open[0]?.rows ?? 0) >= 10);
    const first = bed.status()!.open[0]!;
    expect(bed.shm.tracked.state(0, 0)).toBe(TrackedPairState.tracked);
    expect(first.symbol).toBe("BTC-USDT");
    expect(first.direction).toBe("okx_spot_mexc_futures");
    await until("Health slot 9 running with one tracking", () => bed.health().state === HealthState.running && bed.health().connectionsUp === 1);
    await until("rows on disk", () => lines(bed.text(first.file)).length > 8);
    // The first sampled row (a loaded machine may have made the schedule miss a tick; then it says so first).
    const early = checkedRows(bed.text(first.file)).filter((r) => r.state !== "missed");
    expect(early[0]!.state).toBe("live");
    expect(early[0]!.grossPct).toBe(1);
    expect(early[0]!.netPct).toBe(0.88); // [engine] default fees: okx_spot 0.1 % + mexc_futures 0.02 %

    // Converge, then the engine signals the same pair again at once.
    bed.price(5, 0, 100.05, 100.2);
    await until("CONVERGED", () => bed.status()?.counters.closes.CONVERGED === 1);
    expect(bed.shm.tracked.state(0, 0)).toBe(TrackedPairState.free); // free for a new signal at once
    bed.price(5, 0, 101, 101.1);
    bed.signal(0, 0, 6, 5);
    bed.signal(0, 1, 6, 5);
    await until("two open trackings", () => bed.status()?.open.length === 2);
    const second = bed.status()!.open.find((o) => o.symbol === "BTC-USDT")!;
    expect(second.file).not.toBe(first.file);
    const closedRows = checkedRows(bed.text(first.file));
    expect(closedRows[closedRows.length - 1]!.state).toBe("CONVERGED");
    const sumFile = join(bed.data, "summary", `${new Date().toISOString().slice(0, 10)}.csv`);
    await until("summary row", () => lines(bed.text(sumFile)).length >= 2);

    // kill -9 mid-tracking, restart: the same trackings continue in the same files, the gap is marked.
    await until("rows of the second tracking on disk", () => lines(bed.text(second.file)).length > 3);
    p.proc.kill("SIGKILL");
    await p.proc.exited;
    // Left behind in the shared state: a TRACKED pair no file knows, and an engine claim whose event is gone.
    bed.shm.tracked.adopt(5, 1, 1);
    bed.shm.tracked.tryClaim(4, 0, wallSeconds() - 100);
    const beforeRestart = lines(bed.text(second.file)).length;
    await Bun.sleep(700); // a window, not a wait: the tracker stays down long enough to miss ≥ 3 ticks
    const p2 = bed.spawn();
    await p2.waitForLine(/tracker running/, 15_000);
    await until("resumed two trackings", () => bed.status()?.counters.resumed === 2 && bed.status()!.open.length === 2);
    expect(bed.status()!.counters.opens).toBe(0); // nothing opened twice
    expect(bed.shm.tracked.state(0, 0)).toBe(TrackedPairState.tracked);
    expect(bed.shm.tracked.state(0, 1)).toBe(TrackedPairState.tracked);
    expect(bed.shm.tracked.state(5, 1)).toBe(TrackedPairState.free); // reconciled
    expect(bed.shm.tracked.state(4, 0)).toBe(TrackedPairState.free);
    await until("rows after the restart", () => lines(bed.text(second.file)).length > beforeRestart + 3);
    const resumed = checkedRows(bed.text(second.file));
    const gap = resumed.filter((r) => r.state === "missed");
    expect(gap.length).toBeGreaterThanOrEqual(1);
    expect(gap.reduce((a, r) => a + r.missed, 0)).toBeGreaterThanOrEqual(3); // ≥ 700 ms down
    bed.signal(0, 0, 6, 5); // the engine re-signals: a duplicate, not a new tracking
    await until("duplicate counted", () => bed.status()?.counters.events_duplicate === 1);
    expect(bed.status()!.open.length).toBe(2);

    // Hot reload: ETH-USDT is delisted → DELISTED; BTC-USDT keeps going.
    writeGenerated(bed.generated, ["BTC-USDT"]);
    bed.shm.control.bumpConfigGeneration();
    await until("DELISTED", () => bed.status()?.counters.closes.DELISTED === 1);
    expect(bed.status()!.open.map((o) => o.symbol)).toEqual(["BTC-USDT"]);

    expect(await p2.stop(5000)).toBe(0);
    expect(bed.health().state).toBe(HealthState.stopped);
    const sums = lines(readFileSync(sumFile, "utf8")).slice(1).map((l) => parseSummary(l)!);
    expect(sums.map((s) => s.reason).sort()).toEqual(["CONVERGED", "DELISTED"]);
  }, 60_000);
});

describe("spread-tracker refusals", () => {
  test("a second tracker on the same prefix exits 4; with the global shutdown flag set it exits 3", async () => {
    const b = new TrackerBed();
    try {
      b.start(["BTC-USDT"]);
      const first = b.spawn();
      await first.waitForLine(/tracker running/, 15_000);
      const second = b.spawn();
      expect(await second.proc.exited).toBe(4);
      expect(second.lines.join("\n")).toContain("Health slot 9 is held by pid");
      b.proc = first;
      expect(await first.stop(5000)).toBe(0);
      b.shm.control.setGlobalFlag(GlobalFlag.shutdown, true);
      const third = b.spawn();
      expect(await third.proc.exited).toBe(3);
      expect(third.lines.join("\n")).toContain("global shutdown flag");
    } finally {
      await b.cleanup();
    }
  }, 30_000);
});

describe("spread-tracker disk errors and Control", () => {
  test("unwritable data directory: keeps running degraded (disk error, write errors counted); pause is recorded; writing resumes; shutdown command exits 0", async () => {
    const b = new TrackerBed();
    try {
      const data = join(b.dir, "blocked");
      writeFileSync(data, "a file where the data directory should be\n");
      b.start(["BTC-USDT"], {}, data);
      b.price(6, 0, 99.9, 100);
      b.price(5, 0, 101, 101.1);
      const p = b.spawn();
      await p.waitForLine(/tracker running/, 20_000);
      b.signal(0, 0, 6, 5);
      await until("Health degraded with the disk error", () => {
        const h = b.health();
        return h.state === HealthState.degraded && h.lastError === HealthError.disk && h.reconnects > 0 && h.connectionsUp === 1;
      });
      expect(p.lines.join("\n")).toContain("tracker files cannot be written");
      expect(p.proc.exitCode).toBeNull(); // still running: no crash loop
      b.shm.control.sendCommand(HealthSlot.tracker, Command.pause);
      // Health says degraded while the disk fails, so the pause shows only as the command taken off the slot.
      await until("the tracker took the pause command", () => b.shm.control.pendingCommands(HealthSlot.tracker) === 0, 20_000, () => `pending command bits ${b.shm.control.pendingCommands(HealthSlot.tracker)}`);
      rmSync(data);
      mkdirSync(data); // the directory becomes writable
      await until("status written again", () => b.status(data) !== null);
      await until("Health paused", () => b.health().state === HealthState.paused);
      b.shm.control.sendCommand(HealthSlot.tracker, Command.resume);
      await until("Health running", () => b.health().state === HealthState.running);
      await until("status: writing again", () => b.status(data)?.disk_failing === false); // the file lags a flush
      const st = b.status(data)!;
      expect(st.counters.write_errors).toBeGreaterThan(0);
      const file = st.open[0]!.file;
      const afterPause = () => {
        const states = lines(b.text(file)).slice(1).map((l) => parseRow(l)?.state);
        const at = states.indexOf("paused");
        // After the pause a sampled row follows (live, or stale if this slow box let the test's prices age 5 s).
        return at >= 0 && states.slice(at + 1).some((st) => st === "live" || st?.endsWith("_stale"));
      };
      await until("a paused row, then sampled rows", afterPause);
      checkedRows(b.text(file)); // every tick accounted for: rows, the paused run
      b.shm.control.sendCommand(HealthSlot.tracker, Command.shutdown);
      expect(await p.proc.exited).toBe(0);
      expect(b.health().state).toBe(HealthState.stopped);
    } finally {
      await b.cleanup();
    }
  }, 60_000);
});

describe("spread-tracker tracked state while running", () => {
  test("a claim whose Event was lost (engine killed between claim and push) is freed without a restart", async () => {
    const b = new TrackerBed();
    try {
      b.start(["BTC-USDT"], { signalled_timeout_s: 1 });
      const p = b.spawn();
      await p.waitForLine(/tracker running/, 20_000);
      b.shm.tracked.tryClaim(3, 0, wallSeconds() - 5); // SIGNALLED, no Event on the bus
      await until("freed by the periodic reconcile", () => b.shm.tracked.state(3, 0) === TrackedPairState.free);
      expect(p.proc.exitCode).toBeNull();
      expect(await p.stop(5000)).toBe(0);
    } finally {
      await b.cleanup();
    }
  }, 40_000);
  test("a signal under the new ids right after a generation bump is named from the new generated/ (the engine may reload first)", async () => {
    const b = new TrackerBed();
    try {
      b.start(["BTC-USDT"]);
      const p = b.spawn();
      await p.waitForLine(/tracker running/, 20_000);
      // The new generation puts AAA-USDT at id 0 (BTC-USDT moves to 1); the engine signals id 0 at once.
      writeGenerated(b.generated, ["AAA-USDT", "BTC-USDT"]);
      b.shm.control.bumpConfigGeneration();
      b.price(6, 0, 99.9, 100);
      b.price(5, 0, 101, 101.1);
      b.signal(0, 0, 6, 5);
      await until("the tracking opened", () => (b.status()?.open.length ?? 0) === 1);
      expect(b.status()!.open[0]!.symbol).toBe("AAA-USDT");
      expect(await p.stop(5000)).toBe(0);
    } finally {
      await b.cleanup();
    }
  }, 40_000);
});
