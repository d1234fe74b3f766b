// spread-ctl tracks' list (listTracks): a tracking that closed after the last status file was written is listed
// once, closed (from its summary row), not also as open from the status file (which lags by up to a second).
import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildStatus, listTracks, STATUS_FILE } from "@spread/tracker";
import { tempDirs } from "./helpers.ts";
import { makeTracker } from "./fakes.ts";

const dir = tempDirs();
const T0 = Date.parse("2026-12-03T10:00:00.000Z");
const K0 = T0 / 200;

describe("listTracks", () => {
  test("a tracking the status file still shows open but whose summary is written is listed once, closed", async () => {
    const root = dir("query");
    const { tracker, disk, prices, mono } = makeTracker(root, ["BTC-USDT"]);
    prices.set(6, 0, 1, 1, mono());
    prices.set(5, 0, 1.02, 1.03, mono());
    const t = tracker.onSignal(0, 0, 6, 5, T0)!;
    for (let k = K0; k < K0 + 3; k++) tracker.onTick(k);
    await disk.flush();
    const now = Date.now();
    writeFileSync(join(root, STATUS_FILE), JSON.stringify(buildStatus(root, tracker, disk, now)));
    prices.set(5, 0, 1.0, 1.01, mono()); // converges at the next tick, before the next status file
    tracker.onTick(K0 + 3);
    await disk.flush();
    await disk.flush();
    await disk.closeAll(); // the summary file's handle, closed explicitly (never by the garbage collector)
    expect(tracker.counters.closes.CONVERGED).toBe(1);
    const list = await listTracks(root, 0, now);
    expect(list.source).toBe("status");
    expect(list.tracks.map((x) => [x.file, x.state])).toEqual([[join(root, t.rel), "CONVERGED"]]);
  });
});
