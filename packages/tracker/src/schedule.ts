// One tick schedule for every tracking: tick k is due at wall time k × interval (ms since the epoch), so the
// ticks are aligned to the wall clock and never drift (each timer is armed for the next due time, not "interval
// from now"). A tick the process could not run in time (event loop blocked, machine suspended) is reported as
// missed; a wall clock stepped backwards by more than `maxBackstepMs` re-anchors the schedule.

export interface TickHandler {
  /** Tick `k` (due at k × interval ms) runs now; `missedBefore` ticks before it were not run; lateMs = now − due. */
  onTick(k: number, missedBefore: number, lateMs: number): void;
}

export class TickSchedule {
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Last tick run; ticks are numbered from the epoch. */
  lastTick = -1;
  stopped = true;

  constructor(
    readonly intervalMs: number,
    private readonly handler: TickHandler,
    private readonly now: () => number = Date.now,
    private readonly maxBackstepMs = 2000,
  ) {}

  start(): void {
    this.stopped = false;
    this.lastTick = Math.floor(this.now() / this.intervalMs);
    this.arm();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  dueMs(k: number): number {
    return k * this.intervalMs;
  }

  private arm(): void {
    if (this.stopped) return;
    const delay = Math.max(0, this.dueMs(this.lastTick + 1) - this.now());
    this.timer = setTimeout(() => this.fire(), delay);
  }

  private fire(): void {
    this.timer = null;
    if (this.stopped) return;
    const now = this.now();
    const k = Math.floor(now / this.intervalMs);
    if (k <= this.lastTick) {
      // Early wake-up (timer granularity) or a wall clock stepped back.
      if ((this.lastTick - k) * this.intervalMs > this.maxBackstepMs) this.lastTick = k - 1;
      else {
        this.arm();
        return;
      }
    }
    const missed = k - this.lastTick - 1;
    this.lastTick = k;
    try {
      this.handler.onTick(k, missed, now - this.dueMs(k));
    } finally {
      this.arm();
    }
  }
}
