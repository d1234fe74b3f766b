// One client WebSocket connection: outgoing data queue flushed once per tick under cork, control frames sent at
// once, counters for /state, the send-backlog guard and the per-connection fault flags.
import type { ServerWebSocket } from "bun";
import type { VenueSettings } from "../scenario/venue-defaults.ts";
import type { WsRoute } from "../venues/types.ts";

export type CorruptKind = "malformed" | "truncated" | "garbage";

/** Shared budget of a corruption fault (its `count` is spent across all the connections it hits). */
export interface CorruptBudget {
  readonly kind: CorruptKind;
  readonly probability: number;
  /** Frames still to corrupt; Infinity when the fault has no count. */
  remaining: number;
}

export interface SlowState {
  delayMs: number;
  /** Frames per second; 0 = no cap (delay only). */
  rate: number;
  tokens: number;
  lastRefill: number;
  readonly queue: { at: number; frame: string | Uint8Array }[];
  dropped: number;
}

const SLOW_QUEUE_MAX = 200_000;
let nextConnId = 1;

export class Conn {
  readonly id = nextConnId++;
  ws!: ServerWebSocket<Conn>;
  readonly openedAt: number;
  /** Data frames waiting for the next flush. */
  readonly out: (string | Uint8Array)[] = [];
  /** Venue-specific protocol state (subscriptions, flags). */
  v: any = null;

  msgsIn = 0;
  framesOut = 0;
  dataOut = 0;
  droppedBacklog = 0;
  corrupted = 0;
  lastClientMsgAt: number;
  lastDataAt: number;
  /** Application-level ping from the client (Bybit op:ping, OKX "ping", MEXC PING/ping). */
  lastAppPingAt: number;
  /** Server ping frames (Binance): payload of the outstanding ping and when it was sent (0 = none). */
  pingPayload = "";
  pingSentAt = 0;
  lastPingSentAt: number;
  /** Client message rate window. */
  private winStart = 0;
  private winCount = 0;
  backlogSince = 0;
  noticeSentAt = 0;
  /** Forced close scheduled at this time (after a shutdown notice); 0 = none. */
  closeAt = 0;
  closed = false;
  closeCode = 0;
  /** Subscriptions currently held (venue-maintained count for caps and /state). */
  subs = 0;

  // Fault flags, recomputed whenever faults change.
  silent = false;
  noPong = false;
  corrupt: CorruptBudget | null = null;
  slow: SlowState | null = null;
  faultIds: number[] = [];

  private readonly flushBound = () => this.sendOut();

  constructor(
    readonly source: number,
    readonly path: string,
    /** What the upgrade path resolved to (route kind, streams named in the URL). */
    readonly route: WsRoute,
    readonly settings: VenueSettings,
    now: number,
  ) {
    this.openedAt = now;
    this.lastClientMsgAt = now;
    this.lastDataAt = now;
    this.lastAppPingAt = now;
    this.lastPingSentAt = now;
  }

  /** Queues a data frame (dropped while the silent fault is on). */
  data(frame: string | Uint8Array, now: number): void {
    if (this.closed || this.silent) return;
    this.lastDataAt = now;
    if (this.slow !== null) {
      const q = this.slow.queue;
      if (q.length >= SLOW_QUEUE_MAX) {
        this.slow.dropped++;
        return;
      }
      q.push({ at: now + this.slow.delayMs, frame });
      return;
    }
    this.out.push(frame);
  }

  /** Sends a control frame (ack, error, pong, notice) immediately. */
  control(frame: string): void {
    if (this.closed) return;
    this.ws.send(frame);
    this.framesOut++;
  }

  /** Counts one client message; true when the venue's per-second limit is exceeded. */
  countClientMessage(now: number, limitPerSec: number): boolean {
    this.msgsIn++;
    this.lastClientMsgAt = now;
    if (limitPerSec <= 0) return false;
    if (now - this.winStart >= 1000) {
      this.winStart = now;
      this.winCount = 0;
    }
    return ++this.winCount > limitPerSec;
  }

  /** Sends queued data frames under one cork, honouring the slow fault and the backlog guard. */
  flush(now: number): void {
    if (this.closed) {
      this.out.length = 0;
      return;
    }
    const slow = this.slow;
    if (slow !== null && slow.queue.length) {
      if (slow.rate > 0) {
        slow.tokens = Math.min(slow.rate, slow.tokens + ((now - slow.lastRefill) * slow.rate) / 1000);
        slow.lastRefill = now;
      }
      let k = 0;
      const q = slow.queue;
      while (k < q.length && q[k]!.at <= now && (slow.rate <= 0 || slow.tokens >= 1)) {
        this.out.push(q[k]!.frame);
        if (slow.rate > 0) slow.tokens -= 1;
        k++;
      }
      if (k) q.splice(0, k);
    }
    if (this.out.length === 0) return;
    const limit = this.settings.backlog_limit_bytes;
    if (limit > 0 && this.ws.getBufferedAmount() > limit) {
      // Never buffer unboundedly: a client that cannot keep up loses data frames, like a venue's slow-consumer
      // policy, and is disconnected if it stays behind (see backlog_close_ms).
      this.droppedBacklog += this.out.length;
      this.out.length = 0;
      if (this.backlogSince === 0) this.backlogSince = now;
      return;
    }
    this.backlogSince = 0;
    this.ws.cork(this.flushBound);
  }

  private sendOut(): void {
    const out = this.out;
    const ws = this.ws;
    for (let i = 0; i < out.length; i++) {
      const f = out[i]!;
      // sendText/sendBinary skip send()'s type dispatch on the hottest line of the simulator.
      if (typeof f === "string") ws.sendText(f);
      else ws.sendBinary(f);
    }
    this.framesOut += out.length;
    this.dataOut += out.length;
    out.length = 0;
  }

  /** Clean close with a code (the client sees that code). */
  close(code: number, reason = ""): void {
    if (this.closed) return;
    this.closed = true;
    this.closeCode = code;
    this.ws.close(code, reason);
  }

  /** Abrupt close without a close frame (the client sees 1006). */
  terminate(): void {
    if (this.closed) return;
    this.closed = true;
    this.closeCode = 1006;
    this.ws.terminate();
  }
}
