// The live view of `spread-ctl up --view` and the demo: Health of every process, supervisor restarts, the widest
// spreads, trackings, recent supervisor events, and where logs and tracker files are.
import { EngineSchema, wallMicros, type DirectionsFile, type EngineConfig } from "@spread/common";
import type { Shm } from "@spread/shm";
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

  constructor(
    private readonly src: ViewSources,
    private readonly tty: boolean,
  ) {}

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
      renderSpreads(liveSpreads(shm, this.src.dirs, this.src.names, eng.taker_fee_pct, allSpreads(eng.open_on, this.tty ? 12 : 5, eng.stale_after_ms), wallMicros()), eng.open_on),
    );
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
