// Delivery without blocking: publish() only queues (O(queue) at worst); each target sends one message at a
// time from its own timer, spaced by its limiters, retried with backoff on 5xx / timeouts, held back by a 429's
// retry_after. A full queue drops the oldest message of the lowest priority; openings beyond burst_max per
// digest window are folded into one digest line ("and 14 more opened in the last minute").
import type { AlertEvent } from "./message.ts";
import { priorityOf } from "./message.ts";
import type { Target } from "./channels.ts";
import type { SendResult } from "./transport.ts";

export interface DeliveryOptions {
  readonly queueMax: number;
  readonly burstMax: number;
  readonly digestWindowS: number;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly backoffMs: number;
  /** How often a 429 may push one message back before it is given up. */
  readonly maxHolds?: number;
}

export interface DeliveryCounters {
  published: number;
  sent: number;
  /** Given up after the retries, or refused by the endpoint (4xx). */
  failed: number;
  /** Dropped because a queue was full. */
  dropped: number;
  /** Openings folded into digests. */
  digested: number;
  retries: number;
  rateLimited: number;
}

export interface DeliveryReport {
  readonly target: string;
  readonly kind: AlertEvent["kind"];
  readonly result: SendResult;
  readonly attempt: number;
  /** "sent", "retry" (will be tried again) or "failed" (given up). */
  readonly outcome: "sent" | "retry" | "failed";
}

interface Item {
  readonly event: AlertEvent;
  readonly prio: number;
  attempts: number;
  holds: number;
}

const SAMPLE = 8;
const MAX_BACKOFF_MS = 60_000;

class TargetQueue {
  readonly queue: Item[] = [];
  private inflight = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private retryAt = 0;
  private windowStart = 0;
  private windowOpened = 0;
  private overflow = 0;
  private sample: string[] = [];
  stopped = false;

  constructor(
    readonly target: Target,
    private readonly d: Dispatcher,
  ) {}

  publish(e: AlertEvent, now: number): void {
    if (e.kind === "opened") {
      this.rollWindow(now);
      if (this.windowOpened >= this.d.opts.burstMax) {
        this.overflow++;
        this.d.counters.digested++;
        if (this.sample.length < SAMPLE) this.sample.push(e.symbol);
        return;
      }
      this.windowOpened++;
    }
    this.enqueue({ event: e, prio: priorityOf(e), attempts: 0, holds: 0 });
  }

  /** Ends a digest window: the openings it left out go out as one message. */
  rollWindow(now: number): void {
    const w = this.d.opts.digestWindowS * 1000;
    if (now - this.windowStart < w) return;
    if (this.overflow > 0) {
      this.enqueue({ event: { kind: "digest", count: this.overflow, windowS: this.d.opts.digestWindowS, sample: this.sample }, prio: 1, attempts: 0, holds: 0 });
    }
    this.windowStart = now;
    this.windowOpened = 0;
    this.overflow = 0;
    this.sample = [];
  }

  private enqueue(it: Item): void {
    const q = this.queue;
    if (q.length >= this.d.opts.queueMax) {
      // The oldest of the lowest priority present goes, unless the newcomer is lower still.
      let worst = -1;
      for (let i = 0; i < q.length; i++) if (worst < 0 || q[i]!.prio > q[worst]!.prio) worst = i;
      this.d.counters.dropped++;
      if (worst < 0 || q[worst]!.prio < it.prio) return;
      q.splice(worst, 1);
    }
    // Stable by priority: after every item of the same or higher priority.
    let at = q.length;
    while (at > 0 && q[at - 1]!.prio > it.prio) at--;
    q.splice(at, 0, it);
    this.schedule(0);
  }

  schedule(delayMs: number): void {
    if (this.stopped || this.inflight) return;
    if (this.timer !== null) {
      if (delayMs > 0) return; // an earlier wake-up is pending
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.pump();
    }, delayMs);
  }

  private pump(): void {
    if (this.stopped || this.inflight || this.queue.length === 0) return;
    const now = Date.now();
    let wait = Math.max(0, this.retryAt - now);
    for (const l of this.target.limiters) wait = Math.max(wait, l.wait(now));
    if (wait > 0) return this.schedule(wait);
    for (const l of this.target.limiters) l.take(now);
    const it = this.queue.shift()!;
    it.attempts++;
    this.inflight = true;
    void this.target.transport.post(this.target.body(it.event), this.d.opts.timeoutMs).then(
      (r) => this.done(it, r),
      (err: unknown) => this.done(it, { ok: false, status: 0, retryable: true, retryAfterMs: null, error: String((err as Error)?.name ?? "error") }),
    );
  }

  private done(it: Item, r: SendResult): void {
    this.inflight = false;
    const c = this.d.counters;
    const now = Date.now();
    let outcome: DeliveryReport["outcome"];
    if (r.ok) {
      c.sent++;
      outcome = "sent";
    } else if (r.status === 429 && it.holds < (this.d.opts.maxHolds ?? 10)) {
      c.rateLimited++;
      it.holds++;
      it.attempts--; // a 429 is the endpoint's pacing, not a failure of this message
      const ms = r.retryAfterMs ?? this.d.opts.backoffMs;
      for (const l of this.target.limiters) l.hold(now, ms);
      this.retryAt = now + ms;
      this.queue.unshift(it);
      outcome = "retry";
    } else if (r.retryable && it.attempts <= this.d.opts.retries) {
      c.retries++;
      this.retryAt = now + Math.min(MAX_BACKOFF_MS, this.d.opts.backoffMs * 2 ** (it.attempts - 1));
      this.queue.unshift(it);
      outcome = "retry";
    } else {
      c.failed++;
      outcome = "failed";
    }
    this.d.report({ target: this.target.label, kind: it.event.kind, result: r, attempt: it.attempts, outcome });
    if (this.queue.length) this.schedule(0);
  }

  get busy(): boolean {
    return this.inflight || this.queue.length > 0;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}

export class Dispatcher {
  readonly counters: DeliveryCounters = { published: 0, sent: 0, failed: 0, dropped: 0, digested: 0, retries: 0, rateLimited: 0 };
  private readonly queues: TargetQueue[];

  constructor(
    targets: readonly Target[],
    readonly opts: DeliveryOptions,
    private readonly onReport: (r: DeliveryReport) => void = () => {},
  ) {
    this.queues = targets.map((t) => new TargetQueue(t, this));
  }

  /** Queues `e` for every target that takes its kind. Never waits. */
  publish(e: AlertEvent, now = Date.now()): void {
    this.counters.published++;
    for (const q of this.queues) if (q.target.events.has(e.kind)) q.publish(e, now);
  }

  /** Closes digest windows that have ended (call about once a second). */
  tick(now = Date.now()): void {
    for (const q of this.queues) q.rollWindow(now);
  }

  /** Messages waiting over all targets. */
  pending(): number {
    let n = 0;
    for (const q of this.queues) n += q.queue.length;
    return n;
  }

  /** The events waiting for target `i`, in sending order (status output, tests). */
  queued(i: number): AlertEvent[] {
    return (this.queues[i]?.queue ?? []).map((it) => it.event);
  }

  idle(): boolean {
    return this.queues.every((q) => !q.busy);
  }

  report(r: DeliveryReport): void {
    this.onReport(r);
  }

  stop(): void {
    for (const q of this.queues) q.stop();
  }
}
