// One Pair Discovery per shm prefix: a run claims Health slot `discovery` (an OFD lock the kernel drops
// however the process dies) and keeps a heartbeat in it, so a timer run and a manual run do not both hit the
// venues' rate limits and bump the config generation. Without shared memory (no shm-init yet, or regions it
// may not use) there is nothing to coordinate through; generated/ keeps its own writer lock either way.
import { HealthSlot, ProcessKind, RefusalExit, RefusedError } from "@spread/common";
import { Health, HealthError, ShmError, SlotBusyError, beaconSlot, openRegion, regionSpec, type SlotBeacon } from "@spread/shm";

export interface DiscoveryGuard {
  /** Marks the slot stopped (with HealthError.internal when the run failed) and releases it. */
  finish(ok: boolean): void;
  /** Why there is no slot (undefined when claimed). */
  readonly skipped: string | undefined;
}

/**
 * `onTick` runs on the slot's heartbeat (about once a second), discovery's only periodic work: the supervisor check.
 * @throws RefusedError (exit 4) naming the pid of the run that holds the slot.
 */
export function guardDiscovery(prefix: string, allowForeignOwner: boolean, onTick?: () => void): DiscoveryGuard {
  let health: Health;
  try {
    health = new Health(openRegion(prefix, regionSpec("health"), { allowForeignOwner }));
  } catch (err) {
    if (!(err instanceof ShmError)) throw err;
    return { finish: () => {}, skipped: err.message };
  }
  let beacon: SlotBeacon;
  try {
    beacon = beaconSlot(prefix, HealthSlot.discovery, ProcessKind.discovery, health, 1000, onTick);
  } catch (err) {
    if (err instanceof SlotBusyError) throw new RefusedError(err.message, RefusalExit.slotBusy);
    throw err;
  }
  return { finish: (ok) => beacon.finish(ok ? HealthError.none : HealthError.internal), skipped: undefined };
}
