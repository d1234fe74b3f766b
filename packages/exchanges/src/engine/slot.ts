// One connection slot of a pool: its live connection and the reconnect state that outlives each connection.
import { Backoff } from "./backoff.ts";
import type { Connection } from "./connection.ts";

export class Slot {
  /** The slot's current connection (a rollover successor hangs off it until it takes over). */
  conn: Connection | null = null;
  readonly backoff: Backoff;
  reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  /** Unplanned closes since start(). */
  failures = 0;
  /** Some connection of this slot has opened since start(). */
  opened = false;
  /** maxSlotFailures reached: no more reconnects. */
  gaveUp = false;
  /** performance.now() when the slot last wrote a subscribe/unsubscribe request; 0 = none yet. */
  lastOpAt = 0;

  constructor(
    readonly index: number,
    baseMs: number,
    capMs: number,
  ) {
    this.backoff = new Backoff(baseMs, capMs);
  }

  /** The connection serving the slot now: the current one, or its successor while a rollover settles. */
  get serving(): Connection | null {
    const c = this.conn;
    return c?.live ? c : c?.successor?.live ? c.successor : null;
  }

  /** The current connection and its rollover successor, if any. */
  all(): Connection[] {
    const c = this.conn;
    return c ? (c.successor ? [c, c.successor] : [c]) : [];
  }

  cancelReconnect(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
  }
}
