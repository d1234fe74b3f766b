// The live view of `spread-ctl up --view` and the demo: Health of every process, supervisor restarts, the widest
// spreads, trackings, recent supervisor events, and where logs and tracker files are.
import { wallMicros, type DirectionsFile } from "@spread/common";
import type { Shm } from "@spread/shm";
import { newRateMemo, renderHealthTable, type RateMemo } from "../health-table.ts";
import { renderTop, topSpreads } from "../top.ts";
import type { ServiceStatus, SupervisorEvent } from "./supervisor.ts";

export interface ViewSources {
  readonly shm: Shm;
  readonly dirs: DirectionsFile;
  readonly names: readonly string[];
  readonly logs: string;
  readonly data: string;
  readonly prefix: string;
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
    lines.push("", renderTop(topSpreads(this.src.shm, this.src.dirs, this.src.names, { limit: this.tty ? 12 : 5, staleMs: 10000, nowWallUs: wallMicros() })));
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
