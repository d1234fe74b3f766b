// Which Health slots of a prefix belong to a process that is alive right now (@spread/shm liveness: pid exists,
// slot not stopped, heartbeat recent): the guard against a second system on the same prefix, and the set
// `reload` waits for.
import { NUM_HEALTH_SLOTS, wallMicros } from "@spread/common";
import { Health, HealthRecord, regionSpec, slotLiveness, snapshotRegion, type Liveness } from "@spread/shm";

export interface LiveSlot {
  readonly slot: number;
  readonly pid: number;
  readonly configGeneration: number;
  /** HealthError code the owner last reported (config = its last hot reload failed). */
  readonly lastError: number;
}

/** Slots whose liveness is in `accept` (default: alive; reload also takes "hung": a late heartbeat, pid still there). */
export function liveSlots(health: Health, now = wallMicros(), accept: readonly Liveness[] = ["alive"]): LiveSlot[] {
  const rec = new HealthRecord();
  const out: LiveSlot[] = [];
  for (let slot = 0; slot < NUM_HEALTH_SLOTS; slot++) {
    if (!health.read(slot, rec) || !accept.includes(slotLiveness(rec, now))) continue;
    out.push({ slot, pid: rec.pid, configGeneration: rec.configGeneration, lastError: rec.lastError });
  }
  return out;
}

/** Live slots of a prefix read from a private copy of its Health region (no mapping; [] when it does not exist). */
export function liveSlotsOf(prefix: string): LiveSlot[] {
  const region = snapshotRegion(prefix, regionSpec("health"), { seqlocked: true });
  return region ? liveSlots(new Health(region)) : [];
}
