// The live view of `spread-ctl up --view` and the demo: Health of every process, supervisor restarts, the widest
// spreads, trackings, recent supervisor events, and where logs and tracker files are.
import { EngineSchema, wallMicros, type DirectionsFile, type EngineConfig } from "@spread/common";
import { fundingHorizonUs } from "@spread/engine";
import type { Shm } from "@spread/shm";
import { listTracks, type TrackInfo, type TrackList } from "@spread/tracker";
import { newRateMemo, renderHealthTable, type RateMemo } from "../health-table.ts";
import { allSpreads, liveSpreads, renderSpreads } from "../spreads.ts";
import type { ServiceStatus, SupervisorEvent } from "./supervisor.ts";

export interface ViewSources {
  readonly shm: Shm;
  readonly dirs: DirectionsFile;
  readonly names: readonly string[];
  readonly logs: string;
  readonly data: string;
  readonly prefix: string;
  /** [engine] of the config: fees and the open measure for the spread view (defaults when absent). */
  readonly engine?: EngineConfig;
}

export class LiveView {
  private readonly memo: RateMemo = newRateMemo();
  private readonly started = Date.now();
  private tracks: TrackList | null = null;
  private tracksError = "";

  constructor(
    private readonly src: ViewSources,
    private readonly tty: boolean,
  ) {}

  /** Re-reads the tracker's status and summary files (open and recently closed trackings of the last hour). */
  async refreshTracks(): Promise<void> {
    const now = Date.now();
    try {
      this.tracks = await listTracks(this.src.data, now - 3_600_000, now);
      this.tracksError = "";
    } catch (err) {
      this.tracksError = (err as Error).message;
    }
  }

  render(services: readonly ServiceStatus[], events: readonly SupervisorEvent[]): string {
    const up = Math.round((Date.now() - this.started) / 1000);
    const restarted = services.filter((s) => s.restarts > 0 || s.state === "failed" || s.state === "backoff");
    const lines = [
      `spread-scanner — prefix ${this.src.prefix} — ${new Date().toISOString()} — up ${up} s — Ctrl-C to stop`,
      "",
      renderHealthTable(this.src.shm, this.memo),
    ];
    if (restarted.length) {
      lines.push("", "supervisor: " + restarted.map((s) => `${s.name} ${s.state}${s.restarts ? ` (${s.restarts} restarts, last ${s.lastExit})` : ""}`).join("; "));
    }
    const eng = this.src.engine ?? EngineSchema.parse({});
    const shm = this.src.shm;
    const stats = shm.events.readStats();
    const t = shm.tracked.counts();
    lines.push(
      "",
      `engine: events ${shm.events.headPosition()} (dropped ${shm.events.dropped()}), pairs signalled ${t.signalled}, tracked ${t.tracked}; evaluated ${stats.evaluated}, suspects ${stats.suspects}, stale skips ${stats.staleSkips}`,
      renderSpreads(liveSpreads(shm, this.src.dirs, this.src.names, eng.taker_fee_pct, { ...allSpreads(eng.open_on, this.tty ? 12 : 5, eng.stale_after_ms), fundingHorizonUs: fundingHorizonUs(eng) }, wallMicros()), eng.open_on),
    );
    if (this.tracks || this.tracksError) lines.push("", renderTrackings(this.tracks, this.tracksError, this.tty ? 6 : 3));
    if (events.length) {
      lines.push("", "recent:");
      for (const e of events.slice(-5)) lines.push(eventLine(e));
    }
    lines.push("", `logs: ${this.src.logs}   tracker files: ${this.src.data}`);
    return lines.join("\n");
  }
}

/** One supervisor event as a human line ("!" marks warnings and errors). */
export function eventLine(e: SupervisorEvent): string {
  return `  ${new Date(e.at).toISOString().slice(11, 19)} ${e.level === "info" ? " " : "!"} ${e.name}: ${e.msg}`;
}

/** Open trackings (newest first) and the recently closed ones with their reason and duration. */
export function renderTrackings(list: TrackList | null, error: string, limit: number): string {
  if (!list) return `trackings: cannot read the tracker's files: ${error}`;
  const open = list.tracks.filter((t) => t.state === "open");
  const closed = list.tracks.filter((t) => t.state !== "open");
  const row = (t: TrackInfo) =>
    `  ${t.direction.padEnd(32)} ${t.symbol.padEnd(14)} ${t.state.padEnd(10)} ${duration(t.duration_s).padStart(7)}  peak ${fmtPct(t.peak_gross_pct)}  last ${fmtPct(t.last_gross_pct)}`;
  return [
    `trackings: ${open.length} open, ${closed.length} closed in the last hour${list.source === "files" ? " (tracker status file stale: read from the files)" : ""}`,
    ...open.slice(0, limit).map(row),
    ...(closed.length ? ["  recently closed (reason, duration):", ...closed.slice(0, limit).map(row)] : []),
  ].join("\n");
}

const fmtPct = (x: number | null) => (x === null ? "   -  " : `${x.toFixed(3)}%`.padStart(7));
const duration = (s: number) => (s < 120 ? `${s.toFixed(1)}s` : s < 7200 ? `${(s / 60).toFixed(1)}m` : `${(s / 3600).toFixed(2)}h`);
