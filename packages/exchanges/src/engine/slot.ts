// One connection slot of a pool: its live connection and the reconnect state that outlives each connection.
import { Backoff } from "./backoff.ts";
import type { Connection } from "./connection.ts";

export class Slot {
  readonly backoff: Backoff;
  private current: Connection | null = null;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private failureCount = 0;
  private everOpened = false;
  private gaveUpFlag = false;
  private opAt = 0;

  constructor(
    readonly index: number,
    baseMs: number,
    capMs: number,
  ) {
    this.backoff = new Backoff(baseMs, capMs);
  }

  /** The slot's current connection (a rollover successor hangs off it until it takes over). */
  get conn(): Connection | null {
    return this.current;
  }
  /** Unplanned closes since start(). */
  get failures(): number {
    return this.failureCount;
  }
  /** Some connection of this slot has opened since start(). */
  get opened(): boolean {
    return this.everOpened;
  }
  /** maxSlotFailures reached: no more reconnects. */
  get gaveUp(): boolean {
    return this.gaveUpFlag;
  }
  /** performance.now() when the slot last wrote a subscribe/unsubscribe request; 0 = none yet. */
  get lastOpAt(): number {
    return this.opAt;
  }

  /** The connection serving the slot now: the current one, or its successor while a rollover settles. */
  get serving(): Connection | null {
    const c = this.current;
    return c?.live ? c : c?.successor?.live ? c.successor : null;
  }

  /** The current connection and its rollover successor, if any. */
  all(): Connection[] {
    const c = this.current;
    return c ? (c.successor ? [c, c.successor] : [c]) : [];
  }

  /** A new connection (first open or reconnect) serves the slot from now on. */
  adopt(c: Connection): void {
    this.current = c;
  }

  /** A rollover settled: `next` replaces `prev`, if `prev` is still the slot's connection. */
  handOver(prev: Connection, next: Connection): void {
    if (this.current === prev) this.current = next;
  }

  markOpened(): void {
    this.everOpened = true;
  }

  opSent(now: number): void {
    this.opAt = now;
  }

  /** Counts an unplanned close; true when that reaches `maxFailures` (the slot gives up for good). */
  fail(maxFailures: number | undefined): boolean {
    const n = ++this.failureCount;
    if (maxFailures !== undefined && n >= maxFailures) this.gaveUpFlag = true;
    return this.gaveUpFlag;
  }

  /** Runs `reopen` after `delayMs` unless cancelled first. */
  scheduleReconnect(delayMs: number, reopen: () => void): void {
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      reopen();
    }, delayMs);
  }

  cancelReconnect(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
  }
}
