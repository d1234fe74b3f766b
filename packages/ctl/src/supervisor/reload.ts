// `spread-ctl reload` (A.13): after a discovery run every process must run on the new generated/. Bump the config
// generation, wait for each live process to report it in Health (hot reload); a process that does not within the
// wait gets a graceful shutdown command, and its supervisor (spread-ctl up or systemd, Restart=always) starts it
// again on the new files. `--restart` restarts every process that way without waiting. A process whose hot reload
// FAILED (last_error config: generated/ unreadable) is left running on the generation it serves: started again it
// would refuse the same files with exit 2, which neither spread-ctl up nor systemd restarts.
import { HealthSlot, SOURCE_NAMES } from "@spread/common";
import { Command, HealthError, HealthRecord, type Shm } from "@spread/shm";
import { liveSlots, type LiveSlot } from "./live-slots.ts";

/** Processes reload acts on: feeds, engine, tracker (not discovery/ctl/sim). */
const RELOADABLE = new Set<number>([...SOURCE_NAMES.map((_, i) => i), HealthSlot.engine, HealthSlot.tracker]);

export const slotName = (slot: number): string =>
  SOURCE_NAMES[slot] ? `feed-${SOURCE_NAMES[slot]}` : (Object.entries(HealthSlot).find(([, v]) => v === slot)?.[0] ?? `slot ${slot}`);

export interface ReloadResult {
  readonly generation: number;
  readonly reloaded: string[];
  readonly restarted: string[];
  /** Reported a failed hot reload (generated/ unreadable): kept running on the previous generation. */
  readonly failed: string[];
}

export interface ReloadOptions {
  /** Generation to wait for; default: bump now. */
  readonly generation?: number;
  readonly waitMs: number;
  /** Restart every process instead of waiting for a hot reload. */
  readonly restart: boolean;
}

export async function reloadAll(shm: Shm, o: ReloadOptions): Promise<ReloadResult> {
  const generation = o.generation ?? shm.control.bumpConfigGeneration();
  // The processes running now are waited for by slot until each reports the generation, whatever its heartbeat
  // meanwhile: one busy loading the new files, or starved on a loaded box, misses heartbeats for a few seconds
  // ("hung") and must neither drop out of the wait (it would never be restarted if it did not reload) nor out of
  // the report (the soak saw a feed missing from both lists). A slot that is dead or stopped is not waited for.
  const targets = liveSlots(shm.health, undefined, ["alive", "hung"]).filter((l) => RELOADABLE.has(l.slot));
  const rec = new HealthRecord();
  /** The slot as it reads now (the start's copy while its owner keeps it busy). */
  const fresh = (l: LiveSlot): LiveSlot => (shm.health.read(l.slot, rec) ? { slot: l.slot, pid: rec.pid, configGeneration: rec.configGeneration, lastError: rec.lastError } : l);
  let pending: LiveSlot[] = o.restart ? targets : [];
  if (!o.restart) {
    const deadline = Date.now() + o.waitMs;
    for (;;) {
      pending = targets.map(fresh).filter((l) => l.configGeneration < generation);
      if (pending.length === 0 || Date.now() >= deadline) break;
      await Bun.sleep(100);
    }
  }
  const late = new Set(pending.map((l) => l.slot));
  const reloaded = o.restart ? [] : targets.filter((l) => !late.has(l.slot)).map((l) => slotName(l.slot));
  const failed = o.restart ? [] : pending.filter((l) => l.lastError === HealthError.config);
  const restart = pending.filter((l) => !failed.includes(l));
  for (const l of restart) shm.control.sendCommand(l.slot, Command.shutdown);
  return { generation, reloaded, restarted: restart.map((l) => slotName(l.slot)), failed: failed.map((l) => slotName(l.slot)) };
}

export function renderReload(r: ReloadResult): string {
  const lines = [`config generation ${r.generation}`];
  if (r.reloaded.length) lines.push(`hot-reloaded: ${r.reloaded.join(", ")}`);
  if (r.failed.length) lines.push(`reload failed, still running on the previous generation: ${r.failed.join(", ")} (generated/ unreadable: see their logs, fix it or rerun pair-discovery, then reload again)`);
  if (r.restarted.length) lines.push(`restarting (graceful shutdown; the supervisor starts them on the new generated/): ${r.restarted.join(", ")}`);
  if (!r.reloaded.length && !r.restarted.length && !r.failed.length) lines.push("no live process on this prefix");
  return lines.join("\n");
}
