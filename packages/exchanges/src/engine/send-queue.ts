// Client→server control messages within the venue's limits: messages per second (Binance 5/10 incl. pings)
// and subscribe ops per hour (OKX 480 per connection). Excess waits in FIFO order instead of getting us cut off.

export interface SendClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(t: unknown): void;
}

export const realClock: SendClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (t) => clearTimeout(t as ReturnType<typeof setTimeout>),
};

interface Pending {
  readonly frame: string;
  readonly isOp: boolean;
}

export class SendQueue {
  private readonly queue: Pending[] = [];
  private readonly sentAt: number[] = [];
  private readonly opsAt: number[] = [];
  private timer: unknown = null;

  constructor(
    private readonly send: (frame: string, isOp: boolean) => void,
    private readonly maxPerSec: number,
    private readonly maxOpsPerHour: number,
    private readonly clock: SendClock = realClock,
  ) {}

  /** Queues a frame; `isOp` marks subscribe/unsubscribe requests (counted against the hourly budget). */
  push(frame: string, isOp: boolean): void {
    this.queue.push({ frame, isOp });
    this.drain();
  }

  /** Heartbeats jump the queue (a late ping kills the connection) but still count against the rate. */
  pushFront(frame: string): void {
    this.queue.unshift({ frame, isOp: false });
    this.drain();
  }

  get length(): number {
    return this.queue.length;
  }

  clear(): void {
    this.queue.length = 0;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private drain(): void {
    if (this.timer !== null) return;
    while (this.queue.length) {
      const now = this.clock.now();
      while (this.sentAt.length && now - this.sentAt[0]! >= 1000) this.sentAt.shift();
      while (this.opsAt.length && now - this.opsAt[0]! >= 3_600_000) this.opsAt.shift();
      const head = this.queue[0]!;
      let waitMs = 0;
      if (this.sentAt.length >= this.maxPerSec) waitMs = 1000 - (now - this.sentAt[0]!);
      if (head.isOp && this.maxOpsPerHour > 0 && this.opsAt.length >= this.maxOpsPerHour) {
        waitMs = Math.max(waitMs, 3_600_000 - (now - this.opsAt[0]!));
      }
      if (waitMs > 0) {
        this.timer = this.clock.setTimeout(() => {
          this.timer = null;
          this.drain();
        }, Math.ceil(waitMs));
        return;
      }
      this.queue.shift();
      this.sentAt.push(now);
      if (head.isOp) this.opsAt.push(now);
      this.send(head.frame, head.isOp);
    }
  }
}
