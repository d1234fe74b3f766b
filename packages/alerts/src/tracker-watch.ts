// Opened and closed trackings, read from the tracker's own output (docs/formats.md "Tracker files"): the
// status file it rewrites atomically every second lists open trackings and the recently closed ones; the latest
// live row of a rows file gives both legs' prices, gross and net; the summary file gives the closing line.
// Nothing here touches the Event Bus (SPSC engine → tracker) or the tracker's schedule: it only reads files.
import { closeSync, fstatSync, openSync, readFileSync, readSync } from "node:fs";
import { join, relative } from "node:path";
import type { AlertsConfig } from "@spread/common";
import { fieldsOf, LEGACY_ROW_COLUMNS, ROW_COLUMNS, parseSummary, readStatus, summaryRelPath, type TrackInfo } from "@spread/tracker";
import type { ClosedEvent, OpenedEvent } from "./message.ts";

/** Enough of a rows file's end for the last few rows (a row is ~150 bytes). */
const TAIL_BYTES = 8192;
/** Cooldown entries are swept once there are this many (12 directions × up to 1,024 symbols bound them anyway). */
const PRUNE_AT = 1024;
const COL = Object.fromEntries(ROW_COLUMNS.map((c, i) => [c, i])) as Record<(typeof ROW_COLUMNS)[number], number>;

export interface LiveRow {
  readonly spotAsk: number;
  readonly futuresBid: number;
  readonly grossPct: number;
  readonly netPct: number;
}

/** The latest row with state "live" among the last TAIL_BYTES of a rows file; null when none (yet) or unreadable. */
export function latestLiveRow(file: string): LiveRow | null {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch {
    return null;
  }
  try {
    const size = fstatSync(fd).size;
    const len = Math.min(size, TAIL_BYTES);
    const buf = Buffer.alloc(len);
    let got = 0;
    while (got < len) {
      const n = readSync(fd, buf, got, len - got, size - len + got);
      if (n <= 0) break;
      got += n;
    }
    const lines = buf.subarray(0, got).toString("utf8").split("\n");
    // The first piece may be cut; the last is empty or a line being written.
    for (let i = lines.length - 2; i >= 1 || (i === 0 && len === size); i--) {
      const f = fieldsOf(lines[i]!, ROW_COLUMNS.length, LEGACY_ROW_COLUMNS);
      if (f === null || f[COL.state] !== "live") continue;
      const row = { spotAsk: Number(f[COL.spot_ask]), futuresBid: Number(f[COL.futures_bid]), grossPct: Number(f[COL.gross_pct]), netPct: Number(f[COL.net_pct]) };
      if (Object.values(row).every(Number.isFinite)) return row;
    }
    return null;
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/** The summary line of the tracking whose rows file is `rel`, from the summary file of its close day. */
export function summaryLine(root: string, closedAtMs: number, rel: string): string | null {
  let text: string;
  try {
    text = readFileSync(join(root, summaryRelPath(closedAtMs)), "utf8");
  } catch {
    return null;
  }
  const lines = text.split("\n");
  for (let i = lines.length - 1; i >= 1; i--) {
    const s = parseSummary(lines[i]!);
    if (s !== null && s.file === rel) return lines[i]!;
  }
  return null;
}

interface Seen {
  /** Alerted, or settled as not to be alerted (too old, below threshold for open_window_s). */
  done: boolean;
  alerted: boolean;
}

export interface WatchCounters {
  opened: number;
  closed: number;
  /** Openings suppressed by the per-pair cooldown. */
  cooldown: number;
}

export class TrackerWatch {
  private readonly seen = new Map<string, Seen>();
  private readonly seenClosed = new Set<string>();
  private readonly lastOpenAlert = new Map<string, number>();
  private primed = false;
  readonly counters: WatchCounters = { opened: 0, closed: 0, cooldown: 0 };
  /** Open trackings at the last poll. */
  open = 0;

  constructor(
    readonly root: string,
    private readonly cfg: Pick<AlertsConfig, "open_on" | "open_pct" | "open_window_s" | "closed" | "cooldown_s">,
    /** Funding of the futures leg in % per interval, or null when the system has none for it. */
    private readonly funding: (futuresSource: string, symbol: string) => number | null = () => null,
  ) {}

  /** Reads the status file once; returns the new events. At the first poll existing trackings are only noted. */
  poll(nowMs: number): (OpenedEvent | ClosedEvent)[] {
    const st = readStatus(this.root);
    if (st === null) return [];
    const out: (OpenedEvent | ClosedEvent)[] = [];
    const prime = !this.primed;
    this.primed = true;
    this.open = st.open.length;
    const openKeys = new Set<string>();
    for (const t of st.open) {
      openKeys.add(t.file);
      let s = this.seen.get(t.file);
      if (s === undefined) {
        s = { done: prime, alerted: false };
        this.seen.set(t.file, s);
      }
      if (s.done) continue;
      const e = this.checkOpen(t, nowMs, s);
      if (e !== null) out.push(e);
    }
    const closedKeys = new Set<string>();
    for (const c of st.recent_closed) {
      closedKeys.add(c.file);
      if (this.seenClosed.has(c.file)) continue;
      this.seenClosed.add(c.file);
      const s = this.seen.get(c.file);
      this.seen.delete(c.file);
      if (prime || this.cfg.closed === "none" || (this.cfg.closed === "alerted" && !s?.alerted)) continue;
      out.push(this.closed(c));
    }
    // The status file lists each tracking until it leaves recent_closed; forget what it no longer lists.
    for (const k of this.seenClosed) if (!closedKeys.has(k)) this.seenClosed.delete(k);
    for (const k of this.seen.keys()) if (!openKeys.has(k)) this.seen.delete(k);
    if (this.lastOpenAlert.size > PRUNE_AT) {
      for (const [pair, at] of this.lastOpenAlert) if (nowMs - at >= this.cfg.cooldown_s * 1000) this.lastOpenAlert.delete(pair);
    }
    return out;
  }

  private checkOpen(t: TrackInfo, nowMs: number, s: Seen): OpenedEvent | null {
    const openedAtMs = Date.parse(t.opened_at);
    if (!(nowMs - openedAtMs <= this.cfg.open_window_s * 1000)) {
      s.done = true;
      return null;
    }
    // net <= gross: a peak gross below the threshold spares reading the file.
    if (t.peak_gross_pct === null || t.peak_gross_pct < this.cfg.open_pct) return null;
    const row = latestLiveRow(t.file);
    if (row === null) return null;
    const value = this.cfg.open_on === "gross" ? row.grossPct : row.netPct;
    if (value < this.cfg.open_pct) return null;
    s.done = true;
    const pair = `${t.direction}/${t.symbol}`;
    const last = this.lastOpenAlert.get(pair);
    if (last !== undefined && nowMs - last < this.cfg.cooldown_s * 1000) {
      this.counters.cooldown++;
      return null;
    }
    this.lastOpenAlert.set(pair, nowMs);
    s.alerted = true;
    this.counters.opened++;
    return {
      kind: "opened", direction: t.direction, spotSource: t.spot_source, futuresSource: t.futures_source, symbol: t.symbol, openedAtMs,
      grossPct: row.grossPct, netPct: row.netPct, spotAsk: row.spotAsk, futuresBid: row.futuresBid, fundingPct: this.funding(t.futures_source, t.symbol),
      thresholdPct: this.cfg.open_pct, thresholdOn: this.cfg.open_on,
    };
  }

  private closed(c: TrackInfo): ClosedEvent {
    this.counters.closed++;
    const closedAtMs = Date.parse(c.closed_at ?? "");
    const openedAtMs = Date.parse(c.opened_at);
    return {
      kind: "closed", direction: c.direction, symbol: c.symbol, reason: c.state as ClosedEvent["reason"], openedAtMs, closedAtMs,
      peakGrossPct: c.peak_gross_pct, summary: summaryLine(this.root, closedAtMs, relative(this.root, c.file)),
    };
  }
}
