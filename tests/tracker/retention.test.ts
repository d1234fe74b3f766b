// Retention: whole days past the setting are deleted, the current and recent days and foreign names are kept,
// 0 keeps everything.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sweepRetention } from "@spread/tracker";
import { tempDir } from "./helpers.ts";

const t = tempDir("retention");
afterAll(() => t.cleanup());

describe("retention", () => {
  test("rows by day directory, summaries by day file; 0 = keep", async () => {
    const root = t.dir;
    for (const d of ["2026-11-01", "2026-11-02", "2026-11-03", "2026-12-03", "notes"]) {
      mkdirSync(join(root, "tracks", d), { recursive: true });
      writeFileSync(join(root, "tracks", d, "x.csv"), "ts\n");
    }
    mkdirSync(join(root, "summary"), { recursive: true });
    for (const f of ["2026-11-01.csv", "2026-11-03.csv", "2026-12-03.csv", "README.csv"]) writeFileSync(join(root, "summary", f), "h\n");
    const now = Date.parse("2026-12-03T12:00:00.000Z");
    // 30 days: 2026-11-03 ends 2026-11-04T00:00, 29.5 days ago → kept; 11-02 ends 30.5 days ago → deleted.
    expect(await sweepRetention(root, now, 30, 0)).toEqual(["tracks/2026-11-01", "tracks/2026-11-02"]);
    expect(existsSync(join(root, "tracks/2026-11-03/x.csv"))).toBe(true);
    expect(existsSync(join(root, "tracks/notes/x.csv"))).toBe(true);
    expect(existsSync(join(root, "summary/2026-11-01.csv"))).toBe(true); // summaries: keep for ever
    expect(await sweepRetention(root, now, 0, 31)).toEqual(["summary/2026-11-01.csv"]);
    expect(existsSync(join(root, "summary/README.csv"))).toBe(true);
    expect(await sweepRetention(root, now, 0, 0)).toEqual([]);
  });
});
