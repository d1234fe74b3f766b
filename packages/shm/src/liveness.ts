// Is the owner of a Health slot alive, and may a reader trust the prices of a source? A writer killed by
// SIGKILL (or stopped by SIGSTOP) cannot mark anything on its way out, so readers decide from what it left:
// the slot's state, whether its pid still exists and how old its heartbeat is (docs/shm-layout.md, Staleness).
import { HEALTH_SLOTS, HealthState, NUM_SOURCES, PriceFlag } from "./layout.ts";
import { HealthRecord, type Health } from "./health.ts";

/** Linux PID_MAX_LIMIT: a larger value in a slot is garbage (and kill(2) would treat it as a group). */
const PID_MAX = 4194304;

/** Heartbeat age beyond which a slot's owner counts as hung, for the default health_interval_ms (1000). */
export const HEARTBEAT_MAX_AGE_MS = 5000;

/**
 * How far a heartbeat may lie in the reader's future and still count: writers stamp wall µs from their own
 * calibrated clock while some readers take `now` from Date.now() (ms, truncated), so a fresh heartbeat is often
 * a fraction of a millisecond "ahead". Only a heartbeat further ahead than this is garbage.
 */
export const HEARTBEAT_FUTURE_SKEW_MS = 1000;

/** The heartbeat bound for writers that refresh their slot every `healthIntervalMs`: 3 missed ticks, at least 5 s. */
export function heartbeatBoundMs(healthIntervalMs: number): number {
  return Math.max(HEARTBEAT_MAX_AGE_MS, 3 * healthIntervalMs);
}

/** true / false, or undefined when `pid` cannot be a process id (0, garbage). Never throws. */
export function pidAlive(pid: number): boolean | undefined {
  if (!Number.isInteger(pid) || pid <= 0 || pid > PID_MAX) return undefined;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * What a reader concludes about a slot's owner.
 * - `empty`: never written. `stopped`: the owner said it stopped (state stopped).
 * - `alive`: pid exists and the heartbeat is recent. `dead`: the state says it runs but the pid is gone
 *   (kill -9, crash). `hung`: the pid exists but the heartbeat is older than the bound (SIGSTOP, a blocked
 *   event loop, or a reused pid).
 */
export type Liveness = "empty" | "stopped" | "alive" | "dead" | "hung";

export function slotLiveness(rec: HealthRecord, nowWallUs: number, maxAgeMs = HEARTBEAT_MAX_AGE_MS): Liveness {
  if (rec.kind === 0 && rec.pid === 0 && rec.heartbeatAt === 0) return "empty";
  if (rec.state === HealthState.stopped) return "stopped";
  const alive = pidAlive(rec.pid);
  if (alive !== true) return "dead";
  const age = nowWallUs - rec.heartbeatAt;
  return age >= -HEARTBEAT_FUTURE_SKEW_MS * 1000 && age <= maxAgeMs * 1000 ? "alive" : "hung";
}

/** States in which a feed writes prices; a paused, stopping or stopped feed does not. */
function publishing(state: number): boolean {
  return state === HealthState.starting || state === HealthState.running || state === HealthState.degraded;
}

/**
 * Reader-side staleness rule for the Price Store (engine, tracker, spread-ctl). A price of source `s` is fresh
 * only if its entry has `valid` and not `stale` AND the feed in Health slot `s` is publishing: alive (pid
 * exists, heartbeat within the bound) and in state starting, running or degraded. Call refresh() every few
 * hundred ms (8 slot reads and up to 8 kill(pid, 0) calls), then fresh()/sourceLive() cost nothing.
 */
export class SourceLiveness {
  private readonly live = new Uint8Array(NUM_SOURCES);
  private readonly rec = new HealthRecord();

  constructor(
    private readonly health: Health,
    /** See heartbeatBoundMs(); readers that know health_interval_ms pass heartbeatBoundMs(it). */
    private readonly maxAgeMs = HEARTBEAT_MAX_AGE_MS,
  ) {}

  /** Re-reads the feed slots. Returns how many sources are publishing. */
  refresh(nowWallUs: number): number {
    let n = 0;
    for (let s = 0; s < NUM_SOURCES; s++) {
      const ok = this.health.read(s, this.rec) && publishing(this.rec.state) && slotLiveness(this.rec, nowWallUs, this.maxAgeMs) === "alive";
      this.live[s] = ok ? 1 : 0;
      if (ok) n++;
    }
    return n;
  }

  /** The feed of `source` was publishing at the last refresh(). */
  sourceLive(source: number): boolean {
    return this.live[source] === 1;
  }

  /** The price of `source` with these PriceFlag bits may be used. */
  fresh(source: number, flags: number): boolean {
    return (flags & (PriceFlag.valid | PriceFlag.stale)) === PriceFlag.valid && this.live[source] === 1;
  }
}

/** Every slot's liveness at once (status output, monitoring). Unreadable slots come back as undefined. */
export function allSlotLiveness(health: Health, nowWallUs: number, maxAgeMs = HEARTBEAT_MAX_AGE_MS): (Liveness | undefined)[] {
  const rec = new HealthRecord();
  const out: (Liveness | undefined)[] = [];
  for (let slot = 0; slot < HEALTH_SLOTS; slot++) out.push(health.read(slot, rec) ? slotLiveness(rec, nowWallUs, maxAgeMs) : undefined);
  return out;
}
