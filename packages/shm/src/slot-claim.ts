// One writer per Health slot: a process that owns slot n (a feed for its source, the engine, the tracker,
// discovery) holds an OFD write lock on the slot's 64 bytes of the health file for as long as it runs. The
// kernel drops the lock when the process dies, kill -9 included, so a dead owner never blocks its successor,
// and a reused pid cannot fake one. Locks are advisory: they do not affect the mapping.
import { HealthSlot, SOURCE_NAMES, wallMicros } from "@spread/common";
import { Health, HealthRecord } from "./health.ts";
import { HEADER_SIZE, HEALTH_SLOT_SIZE, HEALTH_SLOTS, HealthState, REGIONS, shmName, shmPath } from "./layout.ts";
import { EACCES, EAGAIN, F_UNLCK, F_WRLCK, O_RDWR, cstr, errno, errnoText, libc, ofdLock } from "./libc.ts";
import { ShmError, type Region } from "./region.ts";

const HEALTH_SPEC = REGIONS.find((r) => r.key === "health")!;

/** Another live process owns the slot. `holderPid` comes from the slot itself (0 = it has not written it yet). */
export class SlotBusyError extends Error {
  override readonly name = "SlotBusyError";
  constructor(
    readonly slot: number,
    readonly holderPid: number,
    message: string,
  ) {
    super(message);
  }
}

export interface SlotClaim {
  readonly slot: number;
  /** Gives the slot up (the process exiting does the same). */
  release(): void;
}

/** "okx_spot" for feed slots, "engine", "tracker", … for the others. */
export function slotName(slot: number): string {
  if (slot < SOURCE_NAMES.length) return SOURCE_NAMES[slot]!;
  return Object.entries(HealthSlot).find(([, v]) => v === slot)?.[0] ?? `slot ${slot}`;
}

/**
 * Claims Health slot `slot` of `prefix` for this process, or throws SlotBusyError naming the pid that holds it.
 * Call it before writing anything the slot's owner owns (Price Store entries of a source, the Event Bus
 * producer side, …). `health` is this process's mapping of the region, used to name the holder.
 * @throws SlotBusyError, or ShmError when the health region cannot be opened.
 */
export function claimSlot(prefix: string, slot: number, health: Health | Region): SlotClaim {
  if (slot >>> 0 >= HEALTH_SLOTS) throw new RangeError(`claimSlot: slot ${slot} out of range 0..${HEALTH_SLOTS - 1}`);
  const path = shmPath(prefix, HEALTH_SPEC.key);
  // A descriptor of our own (its own open file description), kept open while we hold the lock.
  const fd = libc.shm_open(cstr(shmName(prefix, HEALTH_SPEC.key)), O_RDWR, 0);
  if (fd < 0) throw new ShmError("os", path, `shm_open for the slot lock failed: ${errnoText(errno())}`);
  const start = HEADER_SIZE + slot * HEALTH_SLOT_SIZE;
  const code = ofdLock(fd, F_WRLCK, start, HEALTH_SLOT_SIZE);
  if (code !== 0) {
    libc.close(fd);
    if (code !== EAGAIN && code !== EACCES) throw new ShmError("os", path, `locking Health slot ${slot} failed: ${errnoText(code)}`);
    const rec = new HealthRecord();
    const h = health instanceof Health ? health : new Health(health);
    const pid = h.read(slot, rec) ? rec.pid : 0;
    const who = pid > 0 ? `pid ${pid}` : "another process (it has not written its pid yet)";
    throw new SlotBusyError(slot, pid, `${slotName(slot)} is already running on shm prefix "${prefix}": Health slot ${slot} is held by ${who}; stop that process first (only one writer per slot)`);
  }
  let held = true;
  return {
    slot,
    release(): void {
      if (!held) return;
      held = false;
      ofdLock(fd, F_UNLCK, start, HEALTH_SLOT_SIZE);
      libc.close(fd);
    },
  };
}

/** A claimed slot whose Health record is refreshed on a timer (processes without a Health loop of their own). */
export interface SlotBeacon {
  /** The record written every tick; update its counters freely. */
  readonly record: HealthRecord;
  /** Writes the final state (stopped), stops the timer and releases the slot. */
  finish(lastError?: number): void;
}

/**
 * claimSlot, then publishes `kind`/pid/state running in the slot at once and every `intervalMs` (timer unref'd,
 * so it never keeps the process alive), so readers see a live owner. `onTick` runs before every timed write (a
 * process whose only periodic work is this beacon hangs its checks on it). Throws like claimSlot.
 */
export function beaconSlot(prefix: string, slot: number, kind: number, health: Health, intervalMs = 1000, onTick?: () => void): SlotBeacon {
  const claim = claimSlot(prefix, slot, health);
  const rec = new HealthRecord();
  rec.kind = kind;
  rec.pid = process.pid;
  rec.startedAt = wallMicros();
  rec.state = HealthState.running;
  const write = () => {
    rec.heartbeatAt = wallMicros();
    health.write(slot, rec);
  };
  write();
  let done = false;
  const timer = setInterval(() => {
    onTick?.();
    if (!done) write();
  }, intervalMs);
  timer.unref?.();
  return {
    record: rec,
    finish(lastError = 0): void {
      if (done) return;
      done = true;
      clearInterval(timer);
      rec.state = HealthState.stopped;
      rec.lastError = lastError;
      write();
      claim.release();
    },
  };
}
