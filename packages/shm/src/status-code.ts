// The exit code of `spread-ctl status` and `shm-init --status`, for monitoring (docs/operations.md, Exit codes).
// Reads like renderStatus (private snapshots, never throws on content) and reduces what it sees to one verdict.
import { wallMicros } from "@spread/common";
import { Health, HealthRecord } from "./health.ts";
import { HEALTH_SLOTS, HealthState, REGIONS } from "./layout.ts";
import { HEARTBEAT_MAX_AGE_MS, slotLiveness } from "./liveness.ts";
import { statRegion } from "./region.ts";
import { snapshotRegion } from "./snapshot.ts";
import { nameOf, slotOwner } from "./status.ts";

/** Exit codes of the status commands; 2 is every binary's usage/config error (runBin). */
export const StatusExit = {
  /** Every region is valid; every process that holds a Health slot is alive and running, paused or cleanly stopped. */
  healthy: 0,
  /** Regions are fine, but some process is degraded, dead, hung (stale heartbeat) or its slot is unreadable. */
  unhealthy: 1,
  /** Usage or configuration error (bad flag, bad config.toml, bad SPREAD_SCANNER_* variable). */
  usage: 2,
  /** A region is missing, unreadable or does not match the layout (size, magic, version): shm-init or --force. */
  shm: 3,
} as const;
export type StatusExitCode = (typeof StatusExit)[keyof typeof StatusExit];

export interface StatusVerdict {
  readonly code: StatusExitCode;
  /** One short phrase per problem, e.g. "okx_spot: degraded", "health region: missing". */
  readonly problems: string[];
}

/** What the Health slots say, as problems (empty = healthy). */
export function healthProblems(health: Health, nowWallUs: number, maxAgeMs = HEARTBEAT_MAX_AGE_MS): string[] {
  const rec = new HealthRecord();
  const problems: string[] = [];
  for (let slot = 0; slot < HEALTH_SLOTS; slot++) {
    const name = slotOwner(slot);
    if (!health.read(slot, rec)) {
      problems.push(`${name}: slot unreadable (odd seq: its writer died mid-write or is stuck)`);
      continue;
    }
    const l = slotLiveness(rec, nowWallUs, maxAgeMs);
    if (l === "empty" || l === "stopped") continue; // never started, or stopped cleanly: not an alarm here
    if (l === "dead") problems.push(`${name}: process ${rec.pid} is gone but its slot says ${nameOf(HealthState, rec.state)}`);
    else if (l === "hung") problems.push(`${name}: no heartbeat for ${((nowWallUs - rec.heartbeatAt) / 1e6).toFixed(1)} s (hung or stopped)`);
    else if (rec.state === HealthState.degraded) problems.push(`${name}: degraded`);
    else if (nameOf(HealthState, rec.state).startsWith("?")) problems.push(`${name}: unknown state ${rec.state}`);
  }
  return problems;
}

/** The verdict for `prefix`: regions first (3), then processes (1). Never creates or modifies anything. */
export function statusVerdict(prefix: string, nowWallUs = wallMicros()): StatusVerdict {
  const regionProblems: string[] = [];
  for (const spec of REGIONS) {
    const st = statRegion(prefix, spec);
    if (st.state !== "ok") regionProblems.push(`${spec.key} region: ${st.state === "missing" ? "missing" : st.problem}`);
  }
  if (regionProblems.length) return { code: StatusExit.shm, problems: regionProblems };
  const spec = REGIONS.find((r) => r.key === "health")!;
  const snap = snapshotRegion(prefix, spec, { seqlocked: true });
  if (!snap) return { code: StatusExit.shm, problems: ["health region: cannot be read"] };
  const problems = healthProblems(new Health(snap), nowWallUs);
  return { code: problems.length ? StatusExit.unhealthy : StatusExit.healthy, problems };
}

/** The last line of a status output: the verdict a monitor acts on. */
export function verdictLine(v: StatusVerdict): string {
  if (v.code === StatusExit.healthy) return "verdict: healthy (exit 0)";
  const what = v.code === StatusExit.shm ? "shared memory missing or corrupt" : "unhealthy";
  return `verdict: ${what} (exit ${v.code}): ${v.problems.join("; ")}`;
}
