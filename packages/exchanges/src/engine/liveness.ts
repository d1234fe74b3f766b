// Liveness of one open connection: application pings, pong timeout and data silence. Pure apart from queueing
// the ping; the pool decides what a verdict means (replace the connection).
import type { SourceEndpoint } from "@spread/common";
import type { HeartbeatSpec } from "../types.ts";
import type { Connection } from "./connection.ts";
import { FeedError, type FeedErrorValue } from "./counters.ts";

export interface DeadVerdict {
  readonly error: FeedErrorValue;
  readonly reason: string;
}

/** Sends a due ping; returns why the connection is dead, or null while it is healthy. */
export function checkLiveness(x: Connection, now: number, ep: SourceEndpoint, hb: HeartbeatSpec): DeadVerdict | null {
  if (hb.clientPing !== null && ep.ping_interval_ms > 0) {
    const due = hb.pingWhenIdleOnly ? now - Math.max(x.lastRecvAt, x.lastPingAt) >= ep.ping_interval_ms : now - x.lastPingAt >= ep.ping_interval_ms;
    if (due) x.ping(hb.clientPing, now);
  }
  if (x.pingSentAt !== 0 && now - x.pingSentAt > ep.pong_timeout_ms) return { error: FeedError.PongTimeout, reason: "pong timeout" };
  // Only data frames count: heartbeats and acks keep flowing on a connection whose subscriptions went quiet.
  if (x.symbols.length > 0 && now - x.lastDataAt > ep.data_timeout_ms) return { error: FeedError.DataTimeout, reason: `no data for ${Math.round(now - x.lastDataAt)} ms` };
  return null;
}
