// Disk errors: an injected ENOSPC in the middle of a write, a directory that cannot be created, a real full
// tmpfs (when this process may mount one). The file never ends in a partial line, the error is reported, the
// text stays buffered, ticks beyond the buffer bound are recorded as missed, and writing resumes.
import { describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { DiskWriter, parseRow, ROW_HEADER } from "@spread/tracker";
import { lines, tempDirs } from "./helpers.ts";
import { makeTracker } from "./fakes.ts";

const dir = tempDirs();
const T0 = Date.parse("2026-12-03T10:00:00.000Z");
const K0 = T0 / 200;

function checkWholeLines(text: string): void {
  expect(text.endsWith("\n")).toBe(true);
  const l = lines(text);
  expect(l[0] + "\n").toBe(ROW_HEADER);
  for (const x of l.slice(1)) expect(parseRow(x)).not.toBeNull();
}

describe("disk errors", () => {
  test("ENOSPC in the middle of a write: rolled back to the last whole line, reported, retried, resumed", async () => {
    const root = dir("enospc");
    let budget = Number.POSITIVE_INFINITY;
    const states: boolean[] = [];
    const { tracker, disk, prices, mono } = makeTracker(root, ["BTC-USDT"], {
      fault: (_rel, len) => (len > budget ? budget : len),
    });
    (disk as unknown as { o: { onState: (f: boolean) => void } }).o.onState = (f) => states.push(f);
    prices.set(6, 0, 1, 1, mono());
    prices.set(5, 0, 1.02, 1.03, mono());
    const t = tracker.onSignal(0, 0, 6, 5, T0)!;
    for (let k = K0; k < K0 + 5; k++) tracker.onTick(k);
    await disk.flush();
    const good = readFileSync(join(root, t.rel), "utf8");
    checkWholeLines(good);
    budget = 37; // the next write gets 37 bytes onto the disk, then ENOSPC
    for (let k = K0 + 5; k < K0 + 10; k++) tracker.onTick(k);
    await disk.flush();
    expect(disk.failing).toBe(true);
    expect(disk.writeErrors).toBe(1);
    expect(disk.lastError).toContain("ENOSPC");
    expect(disk.lastError).toContain(t.rel);
    expect(readFileSync(join(root, t.rel), "utf8")).toBe(good); // the partial 37 bytes were cut off
    budget = Number.POSITIVE_INFINITY; // space returns
    tracker.onTick(K0 + 10);
    await disk.flush();
    expect(disk.failing).toBe(false);
    expect(states).toEqual([true, false]);
    const text = readFileSync(join(root, t.rel), "utf8");
    checkWholeLines(text);
    const rows = lines(text).slice(1).map((x) => parseRow(x)!);
    expect(rows.map((r) => r.tsMs)).toEqual(Array.from({ length: 11 }, (_, i) => (K0 + i) * 200)); // nothing lost
    await disk.closeAll();
  });

  test("unwritable directory: clear error, buffered rows, beyond the buffer ticks count as missed, then resumes", async () => {
    const base = dir("unwritable");
    const root = join(base, "data");
    writeFileSync(root, "a file where the data directory should be\n"); // mkdir fails (ENOTDIR), even as root
    const { tracker, disk, prices, mono } = makeTracker(root, ["BTC-USDT"], { maxBufferBytes: 1500 });
    prices.set(6, 0, 1, 1, mono());
    prices.set(5, 0, 1.02, 1.03, mono());
    const t = tracker.onSignal(0, 0, 6, 5, T0)!;
    for (let k = K0; k < K0 + 40; k++) {
      tracker.onTick(k);
      if (k % 5 === 0) await disk.flush();
    }
    expect(disk.failing).toBe(true);
    expect(disk.lastError).toMatch(/cannot write .*data.*(ENOTDIR|EEXIST)/);
    expect(disk.bufferedBytes()).toBeGreaterThanOrEqual(1500);
    expect(disk.bufferedBytes()).toBeLessThan(1500 + 300); // bounded: one row past the limit at most
    const sampled = tracker.counters.rowsWritten;
    expect(sampled).toBeLessThan(40);
    rmSync(root);
    mkdirSync(root);
    tracker.onTick(K0 + 40);
    await disk.flush();
    tracker.onTick(K0 + 41);
    await disk.flush();
    expect(disk.failing).toBe(false);
    const rows = lines(readFileSync(join(root, t.rel), "utf8")).slice(1).map((x) => parseRow(x)!);
    const missed = rows.filter((r) => r.state === "missed");
    expect(missed.length).toBe(1);
    expect(missed[0]!.missed).toBe(41 - sampled); // K0+40 too: the buffer was still full when it ran
    // Every tick is accounted for: sampled rows + the missed run = ticks K0..K0+41.
    expect(rows.filter((r) => r.state === "live").length + missed[0]!.missed).toBe(42);
    await disk.closeAll();
  });

  test("a real full tmpfs (skipped when mounting is not permitted)", async () => {
    const base = dir("tmpfs");
    const mnt = join(base, "mnt");
    mkdirSync(mnt);
    const m = Bun.spawnSync(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mnt], { stderr: "pipe" });
    if (m.exitCode !== 0) {
      console.warn(`tmpfs not mountable here (${m.stderr.toString().trim()}); the injected ENOSPC test covers this`);
      return;
    }
    let disk: DiskWriter | undefined;
    try {
      const made = makeTracker(mnt, ["BTC-USDT"], { maxBufferBytes: 1 << 20, settings: { maxDurationMs: 3600_000 } });
      const { tracker, prices, mono } = made;
      disk = made.disk;
      prices.set(6, 0, 1, 1, mono());
      prices.set(5, 0, 1.02, 1.03, mono());
      const t = tracker.onSignal(0, 0, 6, 5, T0)!;
      writeFileSync(join(mnt, "filler"), Buffer.alloc(40 * 1024)); // most of the 64 KiB
      let k = K0;
      while (!disk.failing && k < K0 + 5000) {
        for (let i = 0; i < 50; i++) tracker.onTick(k++);
        await disk.flush();
      }
      expect(disk.failing).toBe(true);
      expect(disk.lastError).toContain("ENOSPC");
      checkWholeLines(readFileSync(join(mnt, t.rel), "utf8"));
      rmSync(join(mnt, "filler")); // space returns
      tracker.onTick(k++);
      await disk.flush();
      expect(disk.failing).toBe(false);
      const text = readFileSync(join(mnt, t.rel), "utf8");
      checkWholeLines(text);
      const rows = lines(text).slice(1).map((x) => parseRow(x)!);
      expect(rows.length).toBe(k - K0); // every row reached the disk in the end
    } finally {
      await disk?.closeAll();
      Bun.spawnSync(["umount", mnt]);
    }
  });

  test("a close appended while the file's write is in flight is not lost: the rest and the close row follow", async () => {
    const root = dir("close-in-flight");
    let d: DiskWriter | null = null;
    let f: ReturnType<DiskWriter["open"]> | null = null;
    let once = true;
    // The fault hook runs inside the write, after the pass took the buffered chunks: a tick lands there.
    d = new DiskWriter({
      root,
      fsyncIntervalMs: 1000,
      maxBufferBytes: 1000,
      fault: (_rel, len) => {
        if (once) {
          once = false;
          d!.append(f!, "row2\nclose\n");
          d!.close(f!);
        }
        return len;
      },
    });
    f = d.open("t/a.csv", "head\n");
    d.append(f, "row1\n");
    await d.flush();
    await d.flush();
    expect(readFileSync(join(root, "t/a.csv"), "utf8")).toBe("head\nrow1\nrow2\nclose\n");
    expect(f.closed).toBe(true);
    expect(d.files.size).toBe(0);
    expect(d.bufferedBytes()).toBe(0);
  });

  test("DiskWriter.replace writes whole files atomically", async () => {
    const root = dir("replace");
    const d = new DiskWriter({ root, fsyncIntervalMs: 1000, maxBufferBytes: 1000 });
    d.replace("x/status.json", "one\n");
    d.replace("x/status.json", "two\n");
    await d.flush();
    expect(readFileSync(join(root, "x/status.json"), "utf8")).toBe("two\n");
    expect(existsSync(join(root, "x/status.json.tmp"))).toBe(false);
  });
});
