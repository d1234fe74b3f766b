// /api/health: every Health slot as JSON (the 8 feeds, engine and tracker always listed), with rates from the
// previous read, plus regions, Control, Event Bus and tracked-state figures. Reads a private snapshot only.
import { HealthSlot, NUM_SOURCES, ProcessKind, errorMessage } from "@spread/common";
import {
  EventBus, GlobalFlag, HEALTH_SLOTS, HealthError, HealthRecord, HealthState, REGIONS, nameOf, slotLiveness, slotOwner, statRegion, type Shm,
} from "@spread/shm";
import { readStatus, type TrackerStatus } from "@spread/tracker";

export interface ProcessHealth {
  slot: number;
  owner: string;
  kind: string;
  /** What the owner last wrote (running, degraded, …), or "empty" for a slot never written. */
  state: string;
  /** alive, dead (pid gone), hung (no heartbeat), stopped, empty, or inconsistent (slot mid-write). */
  liveness: string;
  pid: number;
  heartbeat_age_ms: number | null;
  uptime_s: number | null;
  messages: number;
  updates: number;
  messages_per_s: number | null;
  updates_per_s: number | null;
  invalid: number;
  reconnects: number;
  connections_up: number;
  symbols_live: number;
  symbols_stale: number;
  symbols_rejected: number;
  last_error: string;
  config_generation: number;
}

export interface HealthView {
  time: string;
  prefix: string;
  shm: { ok: boolean; problem: string | null; regions: { key: string; path: string; state: string; size: number }[] };
  control: { global_flags: string[]; config_generation: number } | null;
  events: { head: number; tail: number; backlog: number; dropped: number } | null;
  tracked: { signalled: number; tracked: number } | null;
  processes: ProcessHealth[];
  tracker_status: { age_ms: number; paused: boolean; disk_failing: boolean; last_error: string | null; counters: TrackerStatus["counters"] } | null;
  web: { slot: number; claimed: boolean; problem: string | null };
}

/** Slots always listed even when empty: the feeds, engine, tracker. */
const CORE_SLOTS = new Set([...Array.from({ length: NUM_SOURCES }, (_, i) => i), HealthSlot.engine, HealthSlot.tracker]);

const bits = (table: Record<string, number>, v: number) => Object.entries(table).filter(([, b]) => (v & b) !== 0).map(([k]) => k);

export class HealthReader {
  private readonly rec = new HealthRecord();
  private readonly prevAt = new Float64Array(HEALTH_SLOTS);
  private readonly prevMessages = new Float64Array(HEALTH_SLOTS);
  private readonly prevUpdates = new Float64Array(HEALTH_SLOTS);
  private readonly prevPid = new Float64Array(HEALTH_SLOTS);

  /** One slot per call of the owner's heartbeat; rates are over the interval since the previous read. */
  processes(shm: Shm | undefined, nowUs: number): ProcessHealth[] {
    const out: ProcessHealth[] = [];
    for (let slot = 0; slot < HEALTH_SLOTS; slot++) {
      const base = { slot, owner: slotOwner(slot) };
      const consistent = shm !== undefined && shm.health.read(slot, this.rec);
      const r = this.rec;
      const empty = !consistent || (r.kind === 0 && r.pid === 0 && r.heartbeatAt === 0);
      if (empty && !CORE_SLOTS.has(slot)) continue;
      if (empty) {
        out.push({
          ...base, kind: "none", state: "empty", liveness: shm && !consistent ? "inconsistent" : "empty", pid: 0, heartbeat_age_ms: null, uptime_s: null,
          messages: 0, updates: 0, messages_per_s: null, updates_per_s: null, invalid: 0, reconnects: 0, connections_up: 0, symbols_live: 0,
          symbols_stale: 0, symbols_rejected: 0, last_error: "none", config_generation: 0,
        });
        continue;
      }
      const dt = (nowUs - this.prevAt[slot]!) / 1e6;
      const comparable = this.prevAt[slot]! > 0 && dt > 0 && this.prevPid[slot] === r.pid;
      const rate = (now: number, prev: number) => (comparable && now >= prev ? Math.round(((now - prev) / dt) * 10) / 10 : null);
      out.push({
        ...base,
        kind: nameOf(ProcessKind, r.kind),
        state: nameOf(HealthState, r.state),
        liveness: slotLiveness(r, nowUs),
        pid: r.pid,
        heartbeat_age_ms: r.heartbeatAt > 0 ? Math.round((nowUs - r.heartbeatAt) / 1000) : null,
        uptime_s: r.startedAt > 0 ? Math.round((nowUs - r.startedAt) / 1e6) : null,
        messages: r.messages,
        updates: r.updates,
        messages_per_s: rate(r.messages, this.prevMessages[slot]!),
        updates_per_s: rate(r.updates, this.prevUpdates[slot]!),
        invalid: r.invalid,
        reconnects: r.reconnects,
        connections_up: r.connectionsUp,
        symbols_live: r.symbolsLive,
        symbols_stale: r.symbolsStale,
        symbols_rejected: r.symbolsRejected,
        last_error: nameOf(HealthError, r.lastError),
        config_generation: r.configGeneration,
      });
      // Rates need at least ~1 s between samples, or a slot written once a second reads as bursts and zeros.
      if (!comparable || dt >= 1) {
        this.prevAt[slot] = nowUs;
        this.prevMessages[slot] = r.messages;
        this.prevUpdates[slot] = r.updates;
        this.prevPid[slot] = r.pid;
      }
    }
    return out;
  }
}

export function healthView(
  prefix: string, shm: Shm | undefined, processes: ProcessHealth[], dataDir: string, nowUs: number, web: HealthView["web"],
): HealthView {
  const regions = REGIONS.map((spec) => {
    const st = statRegion(prefix, spec);
    return { key: spec.key, path: st.path, state: st.state, size: st.size };
  });
  const bad = regions.filter((r) => r.state !== "ok");
  let control: HealthView["control"] = null;
  let events: HealthView["events"] = null;
  let tracked: HealthView["tracked"] = null;
  let problem: string | null = bad.length ? bad.map((r) => `${r.key} ${r.state}`).join(", ") : shm ? null : "snapshot failed (regions changing?)";
  if (shm) {
    try {
      control = { global_flags: bits(GlobalFlag, shm.control.globalFlags()), config_generation: shm.control.configGeneration() };
      const ev: EventBus = shm.events;
      events = { head: ev.headPosition(), tail: ev.tailPosition(), backlog: ev.size(), dropped: ev.dropped() };
      const c = shm.tracked.counts();
      tracked = { signalled: c.signalled, tracked: c.tracked };
    } catch (err) {
      problem = `cannot be read: ${errorMessage(err)}`;
    }
  }
  let tracker_status: HealthView["tracker_status"] = null;
  const st = readStatus(dataDir);
  if (st) {
    tracker_status = { age_ms: Math.round(nowUs / 1000 - Date.parse(st.written_at)), paused: st.paused, disk_failing: st.disk_failing, last_error: st.last_error, counters: st.counters };
  }
  return {
    time: new Date(nowUs / 1000).toISOString(), prefix, shm: { ok: problem === null, problem, regions }, control, events, tracked, processes, tracker_status, web,
  };
}
