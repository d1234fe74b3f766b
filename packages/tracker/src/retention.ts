// Retention: day directories of rows (tracks/YYYY-MM-DD) and day files of summaries (summary/YYYY-MM-DD.csv)
// older than their setting are deleted. A day is old once all of it is: its end is more than `days` before now.
import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { dayStartMs, isDayName, SUMMARY_DIR, TRACKS_DIR } from "./paths.ts";

const DAY_MS = 86_400_000;

/** Deletes what is past retention (0 days = keep for ever); returns the paths deleted, relative to `root`. */
export async function sweepRetention(root: string, nowMs: number, rowsDays: number, summaryDays: number, onError: (file: string, err: string) => void = () => {}): Promise<string[]> {
  const deleted: string[] = [];
  const sweep = async (dir: string, days: number, dayOf: (name: string) => string | null) => {
    if (days === 0) return;
    const cutoff = nowMs - days * DAY_MS;
    for (const n of (await readdir(join(root, dir)).catch(() => [] as string[])).sort()) {
      const day = dayOf(n);
      if (!day || dayStartMs(day) + DAY_MS > cutoff) continue;
      try {
        await rm(join(root, dir, n), { recursive: true, force: true });
        deleted.push(join(dir, n));
      } catch (err) {
        onError(join(dir, n), (err as Error).message);
      }
    }
  };
  await sweep(TRACKS_DIR, rowsDays, (n) => (isDayName(n) ? n : null));
  await sweep(SUMMARY_DIR, summaryDays, (n) => (n.endsWith(".csv") && isDayName(n.slice(0, -4)) ? n.slice(0, -4) : null));
  return deleted;
}
