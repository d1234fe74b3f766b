// Layout of the tracker's files under [paths] data (docs/formats.md "Tracker files"):
//   tracks/YYYY-MM-DD/<opened>_<direction>_<symbol>.csv   one rows file per tracking, in the UTC day it opened
//   summary/YYYY-MM-DD.csv                                  one summary row per tracking, by UTC day it closed
//   tracker-status.json                                     live state for spread-ctl (rewritten every second)
import { DIRECTIONS } from "@spread/common";
import { join } from "node:path";

export const TRACKS_DIR = "tracks";
export const SUMMARY_DIR = "summary";
export const STATUS_FILE = "tracker-status.json";
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const STAMP_RE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})\.(\d{3})Z_(.+)\.csv$/;

export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function isDayName(s: string): boolean {
  return DAY_RE.test(s);
}

/** Midnight UTC of a "YYYY-MM-DD" name, ms. */
export function dayStartMs(day: string): number {
  return Date.parse(`${day}T00:00:00.000Z`);
}

/** "20261203T074512.200Z": the ISO time without separators (sorts by time, safe in file names). */
function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, "");
}

/** Rows file of a tracking, relative to the data directory. */
export function trackRelPath(openedAtMs: number, direction: string, symbol: string): string {
  return join(TRACKS_DIR, utcDay(openedAtMs), `${stamp(openedAtMs)}_${direction}_${symbol}.csv`);
}

export function summaryRelPath(closedAtMs: number): string {
  return join(SUMMARY_DIR, `${utcDay(closedAtMs)}.csv`);
}

export interface TrackFileName {
  readonly openedAtMs: number;
  readonly directionId: number;
  readonly symbol: string;
}

/** Parses a rows file's base name; null when it is not one of ours. */
export function parseTrackFileName(base: string): TrackFileName | null {
  const m = STAMP_RE.exec(base);
  if (!m) return null;
  const openedAtMs = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}Z`);
  if (!Number.isFinite(openedAtMs)) return null;
  const rest = m[8]!;
  for (const d of DIRECTIONS) {
    if (rest.startsWith(`${d.name}_`) && rest.length > d.name.length + 1) {
      return { openedAtMs, directionId: d.id, symbol: rest.slice(d.name.length + 1) };
    }
  }
  return null;
}
