// Compact Health view of the feeds (and other slots in use) for the demo and `spread-ctl status --brief`.
import { NUM_HEALTH_SLOTS, wallMicros } from "@spread/common";
import { HealthRecord, HealthState, slotLiveness, slotName, type Shm } from "@spread/shm";

const STATE_NAME = Object.fromEntries(Object.entries(HealthState).map(([k, v]) => [v, k])) as Record<number, string>;

export interface RateMemo {
  at: number;
  messages: number[];
  updates: number[];
}

export function newRateMemo(): RateMemo {
  return { at: 0, messages: new Array(NUM_HEALTH_SLOTS).fill(0), updates: new Array(NUM_HEALTH_SLOTS).fill(0) };
}

/** The written state, unless the owner is gone (DEAD: kill -9 cannot update the slot) or silent (HUNG). */
function stateText(rec: HealthRecord, now: number): string {
  const l = slotLiveness(rec, now);
  if (l === "dead") return "DEAD";
  if (l === "hung") return "HUNG";
  return STATE_NAME[rec.state] ?? String(rec.state);
}

/** One row per slot that has ever been written; rates are computed against the previous call's memo. */
export function renderHealthTable(shm: Shm, memo: RateMemo, now = wallMicros()): string {
  const rec = new HealthRecord();
  const dt = memo.at ? (now - memo.at) / 1e6 : 0;
  const rows = ["process          state     pid      conns  msg/s    upd/s    updates      invalid  live  stale  rej  reconn  age"];
  for (let slot = 0; slot < NUM_HEALTH_SLOTS; slot++) {
    if (!shm.health.read(slot, rec) || rec.pid === 0) continue;
    const msgRate = dt > 0 ? (rec.messages - memo.messages[slot]!) / dt : 0;
    const updRate = dt > 0 ? (rec.updates - memo.updates[slot]!) / dt : 0;
    memo.messages[slot] = rec.messages;
    memo.updates[slot] = rec.updates;
    const age = rec.heartbeatAt ? ((now - rec.heartbeatAt) / 1e6).toFixed(1) + "s" : "-";
    rows.push(
      [
        slotName(slot).padEnd(16),
        stateText(rec, now).padEnd(9),
        String(rec.pid).padEnd(8),
        String(rec.connectionsUp).padStart(5),
        Math.round(msgRate).toString().padStart(7),
        Math.round(updRate).toString().padStart(8),
        Math.round(rec.updates).toString().padStart(10),
        String(rec.invalid).padStart(10),
        String(rec.symbolsLive).padStart(5),
        String(rec.symbolsStale).padStart(6),
        String(rec.symbolsRejected).padStart(4),
        String(rec.reconnects).padStart(7),
        age.padStart(6),
      ].join(" "),
    );
  }
  memo.at = now;
  return rows.join("\n");
}
