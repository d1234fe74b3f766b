// Crash recovery (A.11) from the files alone. A rows file whose last line is a close row is closed; if its
// summary row is missing (a crash between the two writes) the summary is rebuilt from the rows. Any other rows
// file is an open tracking: a torn last line is cut off, the statistics are rebuilt by reading the rows back,
// and the tracking resumes in the same file (the gap up to the first tick after the restart becomes a missed
// row) or is closed now if it expired meanwhile or its pair is no longer listed.
import { open, readdir, readFile, truncate } from "node:fs/promises";
import { join } from "node:path";
import { isCloseReason, LEGACY_ROW_HEADER, parseRow, parseSummary, ROW_HEADER, type CloseReason } from "./csv.ts";
import { isDayName, parseTrackFileName, SUMMARY_DIR, TRACKS_DIR } from "./paths.ts";
import { EpisodeStats, type ThresholdOn } from "./stats.ts";

/** The threshold time_above_s is measured against ([engine] open_spread_pct and open_on). */
export interface Threshold {
  readonly pct: number;
  readonly on: ThresholdOn;
}

export interface ScannedTrack {
  readonly rel: string;
  readonly directionId: number;
  readonly symbol: string;
  readonly openedAtMs: number;
  readonly stats: EpisodeStats;
  /** Wall ms of the last row's tick (NaN: no row yet). */
  readonly lastTickMs: number;
  /** Wall ms since a leg has been stale at the end of the file (NaN: live). */
  readonly staleSinceMs: number;
  /** Close reason when the file ends with a close row. */
  readonly closed: { reason: CloseReason; atMs: number } | null;
  /** Torn or unparsable lines dropped. */
  readonly badLines: number;
  /** Bytes cut off the end (a torn last line). */
  readonly repairedBytes: number;
  /** The file has the pre-funding header (14 columns): a resumed tracking keeps writing that format. */
  readonly legacyColumns: boolean;
}

export interface ScanReport {
  readonly open: ScannedTrack[];
  /** Closed files whose summary row is missing. */
  readonly unsummarized: ScannedTrack[];
  closedFiles: number;
  readonly skipped: { file: string; why: string }[];
}

/** Reads the last `n` bytes of a file. */
async function tail(abs: string, n: number): Promise<string> {
  const fh = await open(abs, "r");
  try {
    const size = (await fh.stat()).size;
    const len = Math.min(n, size);
    const buf = Buffer.alloc(len);
    await fh.read(buf, 0, len, size - len);
    return buf.toString("utf8");
  } finally {
    await fh.close();
  }
}

function lastCloseRow(text: string): { reason: CloseReason; atMs: number } | null {
  if (!text.endsWith("\n")) return null;
  const start = text.lastIndexOf("\n", text.length - 2) + 1;
  const row = parseRow(text.slice(start, text.length - 1));
  return row && isCloseReason(row.state) ? { reason: row.state, atMs: row.tsMs } : null;
}

/** Files named in the summary rows of every summary file (what has a summary already). */
export async function summarizedFiles(root: string): Promise<Set<string>> {
  const out = new Set<string>();
  let days: string[] = [];
  try {
    days = (await readdir(join(root, SUMMARY_DIR))).filter((n) => n.endsWith(".csv"));
  } catch {
    return out;
  }
  for (const d of days) {
    const text = await readFile(join(root, SUMMARY_DIR, d), "utf8").catch(() => "");
    for (const line of text.split("\n")) {
      const s = line ? parseSummary(line) : null;
      if (s) out.add(s.file);
    }
  }
  return out;
}

/** Parses a whole rows file into statistics; `repair` cuts a torn last line off the file itself. */
export async function readTrack(root: string, rel: string, name: { directionId: number; symbol: string; openedAtMs: number }, threshold: Threshold, intervalMs: number, repair: boolean): Promise<ScannedTrack> {
  const abs = join(root, rel);
  const text = await readFile(abs, "utf8");
  let body = text;
  let repairedBytes = 0;
  if (!text.endsWith("\n")) {
    const cut = text.lastIndexOf("\n") + 1;
    body = text.slice(0, cut);
    repairedBytes = Buffer.byteLength(text) - Buffer.byteLength(body);
    if (repair) await truncate(abs, Buffer.byteLength(body));
  }
  const stats = new EpisodeStats(threshold.pct, threshold.on);
  let badLines = repairedBytes > 0 ? 1 : 0;
  let staleSinceMs = Number.NaN;
  let closed: { reason: CloseReason; atMs: number } | null = null;
  let lastTickMs = Number.NaN;
  const lines = body.split("\n");
  const legacyColumns = `${lines[0]}\n` === LEGACY_ROW_HEADER;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === "" || (i === 0 && (`${line}\n` === ROW_HEADER || legacyColumns))) continue;
    const r = parseRow(line);
    if (!r) {
      badLines++;
      continue;
    }
    if (isCloseReason(r.state)) {
      closed = { reason: r.state, atMs: r.tsMs };
      continue;
    }
    if (r.state === "missed" || r.state === "paused") {
      stats.addGap(r.tsMs, r.state, r.missed, intervalMs);
    } else {
      stats.addSample(r.tsMs, r.state, r.grossPct, r.netPct, r.netRtPct);
      if (!legacyColumns) stats.addFunding(r.tsMs, r.fundingRate, r.nextFundingAtMs, name.openedAtMs);
      if (r.state === "live") staleSinceMs = Number.NaN;
      else if (Number.isNaN(staleSinceMs)) staleSinceMs = r.tsMs;
    }
    lastTickMs = stats.lastTickMs;
  }
  return { rel, ...name, stats, lastTickMs, staleSinceMs, closed, badLines, repairedBytes, legacyColumns };
}

/**
 * Scans data/tracks/*: open trackings (repaired and parsed) and closed ones lacking a summary row.
 * Only the tail of a closed file is read, so a year of files costs one small read each.
 */
export async function scanTracks(root: string, threshold: Threshold, intervalMs: number, repair: boolean): Promise<ScanReport> {
  const report: ScanReport = { open: [], unsummarized: [], closedFiles: 0, skipped: [] };
  let days: string[];
  try {
    days = (await readdir(join(root, TRACKS_DIR))).filter(isDayName).sort();
  } catch {
    return report;
  }
  let summarized: Set<string> | null = null;
  for (const day of days) {
    const names = (await readdir(join(root, TRACKS_DIR, day)).catch(() => [] as string[])).sort();
    for (const base of names) {
      const rel = join(TRACKS_DIR, day, base);
      const parsed = parseTrackFileName(base);
      if (!parsed) {
        if (base.endsWith(".csv")) report.skipped.push({ file: rel, why: "not a tracking file name" });
        continue;
      }
      try {
        const closed = lastCloseRow(await tail(join(root, rel), 256));
        if (closed) {
          report.closedFiles++;
          summarized ??= await summarizedFiles(root);
          if (!summarized.has(rel)) report.unsummarized.push(await readTrack(root, rel, parsed, threshold, intervalMs, false));
          continue;
        }
        report.open.push(await readTrack(root, rel, parsed, threshold, intervalMs, repair));
      } catch (err) {
        report.skipped.push({ file: rel, why: (err as Error).message });
      }
    }
  }
  return report;
}
