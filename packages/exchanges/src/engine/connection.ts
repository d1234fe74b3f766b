// One WebSocket of a feed: its symbols, its control-message queue, its liveness clocks and its subscriptions.
// The pool decides when it opens, is replaced or rolled over; this class only tracks what happened on it.
import type { SocketHandlers, WsLike } from "./socket.ts";
import { SendQueue } from "./send-queue.ts";

export const ConnState = { Connecting: 0, Open: 1, Closing: 2, Closed: 3 } as const;
export type ConnStateValue = (typeof ConnState)[keyof typeof ConnState];

export interface ConnectionOwner {
  onConnOpen(c: Connection): void;
  onConnFrame(c: Connection, data: string | Uint8Array): void;
  onConnClose(c: Connection, code: number, reason: string): void;
  onConnError(c: Connection, message: string): void;
  /** A subscribe/unsubscribe request was written to the socket. */
  onConnOpSent(c: Connection): void;
  sendLimits(): { maxPerSec: number; maxOpsPerHour: number };
}

let nextConnId = 1;

export class Connection implements SocketHandlers {
  readonly id = nextConnId++;
  state: ConnStateValue = ConnState.Connecting;
  ws: WsLike | null = null;
  readonly queue: SendQueue;
  /** performance.now() marks. createdAt: when the socket was requested (after connection pacing). */
  createdAt = performance.now();
  openedAt = 0;
  lastRecvAt = 0;
  lastDataAt = 0;
  lastPingAt = 0;
  /** A ping is outstanding since this time (0 = none). */
  pingSentAt = 0;
  /** Subscribe requests in flight: reqId → exchange symbols (for whole-batch rejects and bisection). */
  readonly pending = new Map<string, readonly string[]>();
  /** The connection this one is replacing without a gap (forced-disconnect rollover). */
  predecessor: Connection | null = null;
  successor: Connection | null = null;
  /** Why the engine closed it (logs, and to tell a planned close from a drop). */
  closeReason: string | null = null;
  /** The socket's last error message (connect failures, for logs and reports). */
  error: string | null = null;
  /** Withdraws this connection's place in the connection-pacing queue while it waits for its turn. */
  cancelConnect: (() => void) | null = null;

  constructor(
    private readonly owner: ConnectionOwner,
    /** Slot in the pool: the replacement of a connection takes the same slot. */
    readonly slot: number,
    /** Exchange symbols assigned to this connection. */
    public symbols: string[],
  ) {
    const lim = owner.sendLimits();
    this.queue = new SendQueue(
      (f, isOp) => {
        this.ws?.send(f);
        if (isOp) owner.onConnOpSent(this);
      },
      lim.maxPerSec,
      lim.maxOpsPerHour,
    );
  }

  get live(): boolean {
    return this.state === ConnState.Open;
  }

  onOpen(): void {
    this.state = ConnState.Open;
    this.openedAt = this.lastRecvAt = this.lastDataAt = this.lastPingAt = performance.now();
    this.owner.onConnOpen(this);
  }

  onMessage(data: string | Uint8Array): void {
    this.owner.onConnFrame(this, data);
  }

  onClose(code: number, reason: string): void {
    if (this.state === ConnState.Closed) return;
    this.state = ConnState.Closed;
    this.queue.clear();
    this.owner.onConnClose(this, code, reason);
  }

  onError(message: string): void {
    this.error = message;
    this.owner.onConnError(this, message);
  }

  /** Closes on purpose; the owner still gets onConnClose (with closeReason set). */
  close(reason: string, code = 1000): void {
    if (this.state === ConnState.Closed || this.state === ConnState.Closing) return;
    this.closeReason = reason;
    this.state = ConnState.Closing;
    this.queue.clear();
    this.cancelConnect?.();
    this.cancelConnect = null;
    this.ws?.close(code, reason.slice(0, 120));
    // Bun delivers onclose asynchronously; a socket that never opened may never report it, so finish here.
    setTimeout(() => this.onClose(code, reason), 0);
  }
}
