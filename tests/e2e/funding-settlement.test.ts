// A funding settlement inside a tracking, through the real processes (issue 14): `spread-ctl up` on the simulator
// (discovery → feeds polling the venues' funding REST every 5 s, the configured minimum → engine → tracker), a
// scripted episode holding a spread, and a funding settlement of the pair's futures leg scripted a few seconds
// ahead with a known rate (POST /funding). The settlement passes while the spread is held; the spread converges.
// Asserted on the files of docs/formats.md: the summary lists exactly that settlement (time@rate) and
// funding_sum_pct = 100 × rate (the short futures leg earns a positive rate); the rows announce it before and the
// following settlement (one interval later) after.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { DIRECTIONS, loadGeneration, SOURCE_NAMES, type Generation } from "@spread/common";
import { waitFor } from "../wait.ts";
import { OpsBed } from "../ops/helpers.ts";
import { control, episode, ofPair, plainSymbol, rows, startSpreadSim, tracks, upAndWait, type Pick, type Track } from "./system.ts";

const HOUR = 3_600_000;
/** [feed] funding_poll_ms: the configured minimum (config/app.ts), so the venues' budgets need no test-only path. */
const POLL_MS = 5000;
const RATE = 0.00031234;
const INTERVAL_H = 8;
const bed = new OpsBed();
let gen: Generation;

beforeAll(async () => {
  await startSpreadSim(bed, { tracker: { max_duration_s: 120 }, sections: { feed: { funding_poll_ms: POLL_MS } } });
  await upAndWait(bed);
  gen = loadGeneration(bed.generatedDir);
}, 120_000);

afterAll(async () => {
  await bed.cleanup();
}, 30_000);

const iso = (ms: number) => new Date(ms).toISOString();

describe("a funding settlement inside a tracking, end to end", () => {
  test("the summary lists the scripted settlement with its rate; next_funding_at moves to the following one", async () => {
    // The model's own settlements fall on whole hours: keep them out of this tracking (it lasts well under a minute).
    const toHour = HOUR - (Date.now() % HOUR);
    if (toHour < 90_000) await Bun.sleep(toHour + 1000); // pacing by the clock: start past the hour

    const p: Pick = plainSymbol(gen, 0, new Set());
    const futures = SOURCE_NAMES[DIRECTIONS[p.d]!.futures]!;
    const asset = p.sym.replace(/-USDT$/, "");
    await episode(bed, p, { hold_s: 30, pct: 3 });
    let ts: Track[] = [];
    await waitFor("the pair tracked, its rows carrying funding", async () => {
      const t = ofPair((ts = await tracks(bed)), p).find((x) => x.state === "open");
      return !!t && rows(t.file).some((r) => r.funding_rate !== "");
    }, 20_000, 300);
    const opened = ofPair(ts, p).find((x) => x.state === "open")!;

    // Settles 3 polls ahead: at least two polls see the scripted rate before it, one the following settlement after.
    const r = (await control(bed, "/funding", { asset, source: futures, rate: RATE, in_ms: 3 * POLL_MS, interval_hours: INTERVAL_H })) as { funding: { next_funding_ms: number; following_ms: number }[] };
    const at = r.funding[0]!.next_funding_ms;
    const following = r.funding[0]!.following_ms;
    expect(following).toBe(at + INTERVAL_H * HOUR);
    expect(at).toBeGreaterThan(Date.parse(opened.opened_at));

    await waitFor("CONVERGED", async () => ofPair((ts = await tracks(bed)), p).some((t) => t.state === "CONVERGED"), 60_000, 500);
    const t = ofPair(ts, p).find((x) => x.state === "CONVERGED")!;
    expect(t.file).toBe(opened.file);
    expect(Date.parse(t.closed_at!)).toBeGreaterThan(at + POLL_MS);

    // Rows: the scripted settlement announced with its rate before the instant, the following one after it.
    const data = rows(t.file).slice(0, -1);
    const funded = data.filter((x) => x.funding_rate !== "");
    const before = funded.filter((x) => x.next_funding_at === iso(at));
    const after = funded.filter((x) => x.next_funding_at === iso(following));
    expect(before.length).toBeGreaterThan(0);
    expect(after.length).toBeGreaterThan(0);
    for (const x of before) expect(Number(x.funding_rate)).toBe(RATE);
    expect(Math.max(...before.map((x) => Date.parse(x.ts!)))).toBeLessThan(at + POLL_MS + 1000); // the feed rolled over at its next poll
    expect(Math.min(...after.map((x) => Date.parse(x.ts!)))).toBeGreaterThanOrEqual(at);
    expect(Number(after[0]!.funding_rate)).not.toBe(RATE); // the model's rate for the following settlement
    // Announced in order: the model's settlement, the scripted one, the following one; nothing else.
    const announced = [...new Set(funded.map((x) => x.next_funding_at))];
    expect(announced.slice(-2)).toEqual([iso(at), iso(following)]);
    expect(announced.length).toBeLessThanOrEqual(3);

    // Summary: exactly that settlement, at the scripted rate; the short futures leg earned 100 × rate %.
    const dir = join(bed.dataDir, "summary");
    const s = readdirSync(dir).flatMap((f) => rows(join(dir, f))).find((x) => x.file && t.file.endsWith(x.file))!;
    expect(s.reason).toBe("CONVERGED");
    expect(s.funding_settlements).toBe(`${iso(at)}@${RATE}`);
    expect(Number(s.funding_sum_pct)).toBe(0.031234);
    expect(Date.parse(s.opened_at!)).toBeLessThan(at);
    expect(Date.parse(s.closed_at!)).toBeGreaterThanOrEqual(at);
  }, 150_000);
});
