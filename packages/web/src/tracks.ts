// Trackings and pair statistics for the pages and /api/trackings: the tracker's own readers (listTracks,
// readSummaries, pairStats), plus the spread series of a rows file, read incrementally from where the last read
// stopped so an open tracking's chart grows without re-reading its file.
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { listTracks, pairStats, parseRow, readSummaries, sortPairStats, TRACKS_DIR, type PairStats, type TrackInfo } from "@spread/tracker";

export interface TrackingsView {
  /** Where the open trackings came from: the tracker's status file, or the rows files when it is not running. */
  source: "status" | "files";
  status_age_ms: number | null;
  open: WebTrack[];
  closed: WebTrack[];
}

/** A TrackInfo with its rows file relative to the data directory (the id /api/track takes). */
export type WebTrack = Omit<TrackInfo, "file"> & { file: string };

export interface Series {
  file: string;
  /** ms since the epoch, gross %, net %; null where the row had no value (a stale leg, a gap marker). */
  t: number[];
  gross: (number | null)[];
  net: (number | null)[];
  /** The futures leg's funding rate per interval in each row (a fraction); null where the row has none. */
  funding: (number | null)[];
  /** The next settlement the last row with funding announced, ms since the epoch; null when none did. */
  next_funding_at: number | null;
  /** The close reason when the file ends with the closing row. */
  closed: string | null;
  /** Lines that did not parse (torn tail while the tracker writes, foreign lines). */
  bad: number;
}

const relTo = (root: string, file: string) => relative(root, file).split(sep).join("/");

export async function trackingsView(root: string, sinceMs: number, nowMs: number, closedLimit: number): Promise<TrackingsView> {
  const list = await listTracks(root, sinceMs, nowMs);
  const toWeb = (t: TrackInfo): WebTrack => ({ ...t, file: relTo(root, t.file) });
  return {
    source: list.source,
    status_age_ms: list.statusAgeMs === null ? null : Math.round(list.statusAgeMs),
    open: list.tracks.filter((t) => t.state === "open").map(toWeb),
    closed: list.tracks.filter((t) => t.state !== "open").slice(0, closedLimit).map(toWeb),
  };
}

export function statsView(root: string, sinceMs: number): { pairs: PairStats[]; bad_lines: number } {
  const read = readSummaries(root, sinceMs);
  return { pairs: sortPairStats(pairStats(read.rows), "episodes"), bad_lines: read.badLines };
}

/** The absolute path of a rows file named relative to `root`, or null when it is not one (no escaping tracks/). */
export function trackPath(root: string, rel: string): string | null {
  if (!/^[A-Za-z0-9_./-]{1,300}$/.test(rel) || !rel.endsWith(".csv")) return null;
  const base = resolve(root, TRACKS_DIR);
  const abs = resolve(root, rel);
  return abs.startsWith(base + sep) ? abs : null;
}

interface Cursor {
  series: Series;
  offset: number;
  tail: string;
  usedAt: number;
}

/** Rows files read incrementally; entries unused for a while are dropped. */
export class SeriesCache {
  private readonly cursors = new Map<string, Cursor>();

  constructor(
    private readonly root: string,
    private readonly maxFiles = 200,
  ) {}

  /** The whole series of `rel` so far (null when it is not a rows file of this data directory or unreadable). */
  read(rel: string, nowMs: number): Series | null {
    const abs = trackPath(this.root, rel);
    if (abs === null) return null;
    let c = this.cursors.get(rel);
    if (!c) {
      c = { series: { file: rel, t: [], gross: [], net: [], funding: [], next_funding_at: null, closed: null, bad: 0 }, offset: 0, tail: "", usedAt: nowMs };
      this.cursors.set(rel, c);
      this.evict();
    }
    c.usedAt = nowMs;
    if (!this.advance(abs, c)) {
      this.cursors.delete(rel);
      return null;
    }
    return c.series;
  }

  private advance(abs: string, c: Cursor): boolean {
    let fd: number;
    try {
      fd = openSync(abs, "r");
    } catch {
      return false;
    }
    try {
      const size = fstatSync(fd).size;
      if (size < c.offset) {
        // Truncated or replaced (recovery cuts a torn tail): start again.
        c.offset = 0;
        c.tail = "";
        c.series = { file: c.series.file, t: [], gross: [], net: [], funding: [], next_funding_at: null, closed: null, bad: 0 };
      }
      if (size === c.offset) return true;
      const buf = Buffer.alloc(Math.min(size - c.offset, 64 << 20));
      const n = readSync(fd, buf, 0, buf.length, c.offset);
      c.offset += n;
      const text = c.tail + buf.subarray(0, n).toString("utf8");
      const lines = text.split("\n");
      c.tail = lines.pop() ?? "";
      const s = c.series;
      for (const line of lines) {
        if (line === "" || line.startsWith("ts,")) continue;
        const r = parseRow(line);
        if (!r) {
          s.bad++;
          continue;
        }
        if (r.state === "CONVERGED" || r.state === "EXPIRED" || r.state === "FEED_LOST" || r.state === "DELISTED") s.closed = r.state;
        s.t.push(r.tsMs);
        s.gross.push(Number.isFinite(r.grossPct) ? r.grossPct : null);
        s.net.push(Number.isFinite(r.netPct) ? r.netPct : null);
        s.funding.push(Number.isFinite(r.fundingRate) ? r.fundingRate : null);
        if (Number.isFinite(r.nextFundingAtMs)) s.next_funding_at = r.nextFundingAtMs;
      }
      return true;
    } catch {
      return false;
    } finally {
      closeSync(fd);
    }
  }

  private evict(): void {
    if (this.cursors.size <= this.maxFiles) return;
    const oldest = [...this.cursors.entries()].sort((a, b) => a[1].usedAt - b[1].usedAt);
    for (const [k] of oldest.slice(0, this.cursors.size - this.maxFiles)) this.cursors.delete(k);
  }
}

/** The data directory's rows files live under here (for docs and tests). */
export const tracksRoot = (root: string) => join(root, TRACKS_DIR);
