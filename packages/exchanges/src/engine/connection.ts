// One WebSocket of a feed: its symbols, its control-message queue, its liveness clocks, its requests in flight and
// its rollover links. The pool decides when it opens, is replaced or rolled over; this class keeps what happened on
// it, and only its own methods change that.
import type { SocketFactory, SocketHandlers, WsLike } from "./socket.ts";
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
  readonly queue: SendQueue;
  private st: ConnStateValue = ConnState.Connecting;
  private ws: WsLike | null = null;
  private syms: string[];
  /** performance.now() marks. created: when the socket was requested (after connection pacing). */
  private created = performance.now();
  private opened = 0;
  private recvAt = 0;
  private dataAt = 0;
  private pingAt = 0;
  /** A ping is outstanding since this time (0 = none). */
  private pingOut = 0;
  /** Subscribe requests in flight: reqId → exchange symbols (for whole-batch rejects and bisection). */
  private readonly pending = new Map<string, readonly string[]>();
  private pred: Connection | null = null;
  private succ: Connection | null = null;
  private closedFor: string | null = null;
  private lastError: string | null = null;
  /** Withdraws this connection's place in the connection-pacing queue while it waits for its turn. */
  private cancelConnect: (() => void) | null = null;

  constructor(
    private readonly owner: ConnectionOwner,
    /** Slot in the pool: the replacement of a connection takes the same slot. */
    readonly slot: number,
    /** Exchange symbols assigned to this connection (copied: the connection owns its list). */
    symbols: readonly string[],
    /** The connection this one replaces without a gap (forced-disconnect rollover): linked both ways. */
    predecessor: Connection | null = null,
  ) {
    this.syms = symbols.slice();
    if (predecessor !== null) {
      this.pred = predecessor;
      predecessor.succ = this;
    }
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

  get state(): ConnStateValue {
    return this.st;
  }
  get live(): boolean {
    return this.st === ConnState.Open;
  }
  get symbols(): readonly string[] {
    return this.syms;
  }
  get createdAt(): number {
    return this.created;
  }
  /** When the socket opened; 0 = never. */
  get openedAt(): number {
    return this.opened;
  }
  get lastRecvAt(): number {
    return this.recvAt;
  }
  /** The last data frame (updates and invalid updates; heartbeats and acks do not count). */
  get lastDataAt(): number {
    return this.dataAt;
  }
  get lastPingAt(): number {
    return this.pingAt;
  }
  get pingSentAt(): number {
    return this.pingOut;
  }
  /** The connection this one is replacing (a rollover in progress), or null. */
  get predecessor(): Connection | null {
    return this.pred;
  }
  /** The connection replacing this one (a rollover in progress), or null. */
  get successor(): Connection | null {
    return this.succ;
  }
  /** Why the engine closed it (logs, and to tell a planned close from a drop); null = not closed on purpose. */
  get closeReason(): string | null {
    return this.closedFor;
  }
  /** The socket's last error message (connect failures, for logs and reports). */
  get error(): string | null {
    return this.lastError;
  }

  // ---- opening ----------------------------------------------------------------------------------------

  /** Keeps the pacer's cancel while the connection still waits for its turn (not dialled, not closed). */
  waitForTurn(cancel: () => void): void {
    if (this.st === ConnState.Connecting && this.ws === null) this.cancelConnect = cancel;
  }

  /** Its pacing turn came: nothing left to cancel. True while it still wants a socket. */
  turnCame(): boolean {
    this.cancelConnect = null;
    return this.st === ConnState.Connecting;
  }

  /** Requests the socket now (throws what the factory throws). */
  dial(factory: SocketFactory, url: string): void {
    this.created = performance.now();
    this.ws = factory(url, this);
  }

  /** Dialled but still not open `timeoutMs` after the request. */
  connectOverdue(now: number, timeoutMs: number): boolean {
    return this.st === ConnState.Connecting && this.ws !== null && now - this.created > timeoutMs;
  }

  // ---- traffic ----------------------------------------------------------------------------------------

  /** Any frame arrived. */
  received(now: number): void {
    this.recvAt = now;
  }

  /** A data frame arrived (staleness counts only these). */
  dataReceived(now: number): void {
    this.dataAt = now;
  }

  /** Queues an application ping ahead of everything else; the pong clock starts unless one is outstanding. */
  ping(frame: string, now: number): void {
    this.pingAt = now;
    if (this.pingOut === 0) this.pingOut = now;
    this.queue.pushFront(frame);
  }

  pong(): void {
    this.pingOut = 0;
  }

  // ---- symbols and requests in flight ------------------------------------------------------------------

  addSymbol(symbol: string): void {
    this.syms.push(symbol);
  }

  dropSymbol(symbol: string): void {
    this.syms = this.syms.filter((s) => s !== symbol);
  }

  /** Keeps only the symbols in `keep` (a reload). */
  keepSymbols(keep: ReadonlySet<string>): void {
    this.syms = this.syms.filter((s) => keep.has(s));
  }

  /** A subscribe request went out; its ack or refusal settles it. */
  expect(reqId: string, symbols: readonly string[]): void {
    this.pending.set(reqId, symbols);
  }

  acked(reqId: string): void {
    this.pending.delete(reqId);
  }

  /**
   * Takes the requests a refusal settles: the one it names by id, else every one holding a symbol it names
   * (venues that refuse by symbol, not by request).
   */
  takeRefused(reqId: string | null, named: readonly string[]): (readonly string[])[] {
    const out: [string, readonly string[]][] = [];
    const byId = reqId === null ? undefined : this.pending.get(reqId);
    if (byId !== undefined) out.push([reqId!, byId]);
    else if (named.length) for (const e of this.pending) if (e[1].some((s) => named.includes(s))) out.push(e);
    for (const [id] of out) this.pending.delete(id);
    return out.map((e) => e[1]);
  }

  // ---- rollover -----------------------------------------------------------------------------------------

  /** Ends the link to the connection this one was replacing; returns it (null when there was none). */
  unlinkPredecessor(): Connection | null {
    const p = this.pred;
    if (p !== null) {
      p.succ = null;
      this.pred = null;
    }
    return p;
  }

  /** Ends the link to the connection replacing this one; returns it (null when there was none). */
  unlinkSuccessor(): Connection | null {
    const s = this.succ;
    if (s !== null) {
      s.pred = null;
      this.succ = null;
    }
    return s;
  }

  // ---- socket events and closing -------------------------------------------------------------------------

  onOpen(): void {
    this.st = ConnState.Open;
    this.opened = this.recvAt = this.dataAt = this.pingAt = performance.now();
    this.owner.onConnOpen(this);
  }

  onMessage(data: string | Uint8Array): void {
    this.owner.onConnFrame(this, data);
  }

  onClose(code: number, reason: string): void {
    if (this.st === ConnState.Closed) return;
    this.st = ConnState.Closed;
    this.queue.clear();
    this.owner.onConnClose(this, code, reason);
  }

  onError(message: string): void {
    this.lastError = message;
    this.owner.onConnError(this, message);
  }

  /** Closes on purpose; the owner still gets onConnClose (with closeReason set). */
  close(reason: string, code = 1000): void {
    if (this.st === ConnState.Closed || this.st === ConnState.Closing) return;
    this.closedFor = reason;
    this.st = ConnState.Closing;
    this.queue.clear();
    this.cancelConnect?.();
    this.cancelConnect = null;
    this.ws?.close(code, reason.slice(0, 120));
    // Bun delivers onclose asynchronously; a socket that never opened may never report it, so finish here.
    setTimeout(() => this.onClose(code, reason), 0);
  }
}
