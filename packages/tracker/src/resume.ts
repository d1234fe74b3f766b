// Applies a scan of the files (recover.ts) to a fresh Tracker: closed files get their missing summary row,
// open ones resume (or close now: expired meanwhile, pair no longer listed, or superseded by a newer file of
// the same pair, which can only exist if the process died between a close and its close row reaching disk).
import { DIRECTIONS } from "@spread/common";
import { ROW_HEADER, type CloseReason } from "./csv.ts";
import type { DiskWriter } from "./disk.ts";
import type { ScanReport, ScannedTrack } from "./recover.ts";
import type { TrackerGeneration } from "./generation.ts";
import type { Tracker } from "./tracker.ts";
import { Tracking } from "./tracking.ts";

export interface ResumeResult {
  resumed: number;
  closed: Partial<Record<CloseReason, number>>;
  summariesRebuilt: number;
  repairedFiles: number;
}

/** The close reason a superseded file most likely had, judged from its own rows. */
function inferredReason(s: ScannedTrack, tr: Tracker): CloseReason {
  const cfg = tr.cfg;
  if (s.stats.lastGross <= cfg.closeSpreadPct) return "CONVERGED";
  if (s.lastTickMs - s.openedAtMs >= cfg.maxDurationMs - cfg.intervalMs) return "EXPIRED";
  if (!Number.isNaN(s.staleSinceMs)) return "FEED_LOST";
  return "DELISTED";
}

export function resumeFromFiles(tr: Tracker, disk: DiskWriter, scan: ScanReport, gen: TrackerGeneration, nowMs: number): ResumeResult {
  const res: ResumeResult = { resumed: 0, closed: {}, summariesRebuilt: 0, repairedFiles: 0 };
  const cfg = tr.cfg;
  const tracking = (s: ScannedTrack, symbolId: number) => {
    const t = new Tracking(s.directionId, symbolId, s.symbol, s.openedAtMs, s.rel, disk.open(s.rel, ROW_HEADER), s.stats, cfg.intervalMs);
    if (Number.isFinite(s.lastTickMs)) t.nextTick = Math.round(s.lastTickMs / cfg.intervalMs) + 1;
    t.staleSinceMs = s.staleSinceMs;
    t.legacyRows = s.legacyColumns;
    return t;
  };
  const count = (r: CloseReason) => (res.closed[r] = (res.closed[r] ?? 0) + 1);

  for (const s of scan.unsummarized) {
    const t = tracking(s, gen.ids.get(s.symbol) ?? 0);
    tr.appendSummary(t.summary(s.closed!.atMs, s.closed!.reason));
    disk.close(t.file);
    res.summariesRebuilt++;
  }
  // Newest first: the newest open file of a pair resumes, older ones of the same pair were superseded.
  const open = [...scan.open].sort((a, b) => b.openedAtMs - a.openedAtMs);
  const seen = new Set<string>();
  for (const s of open) {
    if (s.repairedBytes > 0) res.repairedFiles++;
    const key = `${s.directionId}|${s.symbol}`;
    const id = gen.ids.get(s.symbol);
    const t = tracking(s, id ?? 0);
    if (seen.has(key)) {
      const r = inferredReason(s, tr);
      tr.close(t, r, Number.isFinite(s.lastTickMs) ? s.lastTickMs : s.openedAtMs);
      count(r);
      continue;
    }
    seen.add(key);
    const expiryTick = Math.ceil((s.openedAtMs + cfg.maxDurationMs) / cfg.intervalMs);
    if (expiryTick * cfg.intervalMs <= nowMs) {
      tr.writeGap(t, expiryTick);
      tr.close(t, "EXPIRED", expiryTick * cfg.intervalMs);
      count("EXPIRED");
    } else if (id === undefined || !gen.listed(s.directionId, id) || DIRECTIONS[s.directionId] === undefined) {
      tr.close(t, "DELISTED", nowMs);
      count("DELISTED");
    } else {
      tr.add(t);
      tr.counters.resumed++;
      res.resumed++;
    }
  }
  return res;
}
