// Connection-open pacing: venues limit how fast one IP may open sockets (OKX 3 per second, Binance 300 per
// 5 minutes), so new connections (first opens, reconnects, rollover replacements) wait their turn in FIFO order,
// at least `intervalMs` apart. One pacer per pool by default; pools of one venue may share one (Pair Discovery
// validates spot and futures of an exchange at the same time, from the same IP).
import { realClock, type SendClock } from "./send-queue.ts";

interface Waiting {
  readonly fn: () => void;
  cancelled: boolean;
}

export class ConnectPacer {
  private readonly queue: Waiting[] = [];
  private next = -Infinity;
  private timer: unknown = null;

  constructor(
    readonly intervalMs: number,
    private readonly clock: SendClock = realClock,
  ) {}

  /** Opens waiting for their turn. */
  get waiting(): number {
    return this.queue.reduce((n, w) => n + (w.cancelled ? 0 : 1), 0);
  }

  /** Runs `fn` now if its turn has come (synchronously), else when it does. Returns a cancel function. */
  schedule(fn: () => void): () => void {
    const w: Waiting = { fn, cancelled: false };
    this.queue.push(w);
    this.drain();
    return () => {
      w.cancelled = true;
    };
  }

  private drain(): void {
    if (this.timer !== null) return;
    while (this.queue.length) {
      const head = this.queue[0]!;
      if (head.cancelled) {
        this.queue.shift();
        continue;
      }
      const now = this.clock.now();
      if (now < this.next) {
        this.timer = this.clock.setTimeout(() => {
          this.timer = null;
          this.drain();
        }, Math.ceil(this.next - now));
        return;
      }
      this.queue.shift();
      this.next = now + this.intervalMs;
      head.fn();
    }
  }
}
