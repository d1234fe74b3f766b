// The shared connection engine of one source: splits its symbols over N connections and keeps them alive
// (connection-open pacing, heartbeats, data watchdog, reconnect with backoff, gap-free rollover on forced
// disconnects, rejected-batch recovery). Venue specifics come only from the VenueAdapter (hooks and traits).
// Every WebSocket of the system runs on it: the 8 feeds and Pair Discovery's WS validation. Its parts:
// pool-options.ts (what a caller sets), connection.ts (one socket's state: clocks, symbols, requests in flight,
// rollover links), slot.ts (per-slot reconnect state), subscriptions.ts (pending/ack/refusal/retry), liveness.ts
// (watchdogs), symbol-health.ts (live/stale counts). The pool only decides; each part changes its own state.
import type { Logger, SourceEndpoint } from "@spread/common";
import { checkPrices } from "../num.ts";
import { FrameKind, InvalidReason, QuoteRecord, type VenueAdapter } from "../types.ts";
import { Connection, ConnState, type ConnectionOwner } from "./connection.ts";
import { FeedCounters, FeedError, type FeedErrorValue } from "./counters.ts";
import { checkLiveness } from "./liveness.ts";
import { ConnectPacer } from "./pacer.ts";
import type { PriceSink } from "./sink.ts";
import { Slot } from "./slot.ts";
import { bunSocketFactory, type SocketFactory } from "./socket.ts";
import { DEFAULT_REJECT_RETRY, Subscriptions, type SubscriptionHost } from "./subscriptions.ts";
import type { FeedSymbols } from "./symbols.ts";
import { countSymbolHealth, type SymbolHealth } from "./symbol-health.ts";
import type { PoolOptions, SlotStatus } from "./pool-options.ts";

export class ConnectionPool implements ConnectionOwner, SubscriptionHost {
  readonly counters = new FeedCounters();
  readonly adapter: VenueAdapter;
  private readonly endpoint: SourceEndpoint;
  private readonly sink: PriceSink;
  private readonly log: Logger;
  private readonly factory: SocketFactory;
  private readonly rec = new QuoteRecord();
  private readonly subs: Subscriptions;
  private syms: FeedSymbols;
  private slotList: Slot[] = [];
  private readonly pacer: ConnectPacer;
  private lastOpAt = 0;
  private tickTimer: ReturnType<typeof setInterval> | null = null;
  private stopped = true;
  private paused = false;

  constructor(private readonly opts: PoolOptions) {
    this.adapter = opts.adapter;
    this.endpoint = opts.endpoint;
    this.sink = opts.sink;
    this.log = opts.log;
    this.syms = opts.symbols;
    this.factory = opts.socketFactory ?? bunSocketFactory;
    this.pacer = opts.connectPacer ?? new ConnectPacer(opts.connectIntervalMs ?? 0);
    this.subs = new Subscriptions(this, opts.endpoint, opts.log, opts.rejectRetry === undefined ? DEFAULT_REJECT_RETRY : opts.rejectRetry);
  }

  /** performance.now() when the last subscribe/unsubscribe request was written to a socket; 0 = none yet. */
  get lastOpSentAt(): number {
    return this.lastOpAt;
  }

  /** Per-slot state: open, send backlog, failures. */
  slots(): SlotStatus[] {
    return this.slotList.map((sl) => {
      const x = sl.serving;
      return {
        slot: sl.index,
        symbols: sl.conn?.symbols ?? [],
        up: x !== null,
        opened: sl.opened,
        queued: x?.queue.length ?? 0,
        lastOpSentAt: sl.lastOpAt,
        failures: sl.failures,
        gaveUp: sl.gaveUp,
      };
    });
  }

  get symbols(): FeedSymbols {
    return this.syms;
  }

  sendLimits(): { maxPerSec: number; maxOpsPerHour: number } {
    return { maxPerSec: this.endpoint.max_msgs_per_sec, maxOpsPerHour: this.endpoint.max_ops_per_hour };
  }

  private subsCap(): number {
    return Math.min(this.endpoint.max_subs_per_connection, this.adapter.maxSubsPerConnection);
  }

  /** Connections needed: the configured count, raised where the per-connection cap forces more. */
  slotCount(n: number): number {
    // Nothing to subscribe: no connection (venues close subscription-less sockets, e.g. MEXC spot after 30 s).
    if (n === 0) return 0;
    return Math.max(1, Math.min(Math.max(this.endpoint.connections, Math.ceil(n / this.subsCap())), n));
  }

  start(): void {
    this.stopped = false;
    const active = this.syms.exchangeSymbols.filter((_, i) => !this.syms.rejected[i]);
    const n = this.slotCount(active.length);
    if (n === 0) this.log.warn("no symbols to subscribe for this source (did Pair Discovery drop it?); idle until a reload adds some");
    const groups: string[][] = Array.from({ length: n }, () => []);
    // Round-robin so busy symbols (alphabetically clustered majors) spread over the connections.
    active.forEach((s, i) => groups[i % n]!.push(s));
    for (let slot = 0; slot < n; slot++) this.openSlot(slot, groups[slot]!);
    this.tickTimer = setInterval(() => this.tick(), this.opts.tickMs ?? 250);
  }

  stop(): void {
    this.stopped = true;
    if (this.tickTimer) clearInterval(this.tickTimer);
    this.tickTimer = null;
    for (const sl of this.slotList) {
      sl.cancelReconnect();
      for (const c of sl.all().reverse()) c.close("shutdown");
    }
  }

  setPaused(p: boolean): void {
    this.paused = p;
  }

  private openSlot(index: number, symbols: readonly string[]): Connection {
    const t = this.opts.timings;
    const sl = (this.slotList[index] ??= new Slot(index, t.reconnect_base_ms, t.reconnect_max_ms));
    const c = new Connection(this, index, symbols);
    sl.adopt(c);
    this.connect(c);
    return c;
  }

  /** Queues the socket open behind the pacer (immediately when its turn has come). */
  private connect(c: Connection): void {
    c.waitForTurn(this.pacer.schedule(() => this.dial(c)));
  }

  private dial(c: Connection): void {
    if (!c.turnCame() || this.stopped) return;
    try {
      c.dial(this.factory, this.adapter.wsUrl(this.endpoint.ws_url));
    } catch (err) {
      this.setError(FeedError.ConnectFailed, `connect: ${(err as Error).message}`);
      c.onClose(1006, "connect failed");
    }
  }

  // ---- ConnectionOwner -------------------------------------------------------------------------------

  onConnOpen(c: Connection): void {
    this.slotList[c.slot]!.markOpened();
    this.subs.subscribe(c, c.symbols.filter((s) => !this.subs.isRejected(s)));
  }

  /** The hot path: parse, validate, scale, publish. No allocation for price updates. */
  onConnFrame(c: Connection, data: string | Uint8Array): void {
    const now = performance.now();
    c.received(now);
    this.counters.messages++;
    const rec = this.rec;
    const kind = this.adapter.parse(data, rec, this.syms.table);
    if (kind === FrameKind.Update) {
      c.dataReceived(now);
      const i = rec.symbolIndex;
      if (i < 0) {
        this.counters.unknownSymbol++;
        return;
      }
      const syms = this.syms;
      syms.lastUpdate[i] = now;
      syms.oneSided[i] = 0;
      if (c.predecessor !== null) this.finishRollover(c);
      if (this.paused) return;
      this.publish(i, rec.bid, rec.ask, rec.bidQty, rec.askQty, rec.exchangeTsMs);
      this.counters.updates++;
      return;
    }
    this.onControlFrame(c, kind, rec);
  }

  onConnClose(c: Connection, code: number, reason: string): void {
    const sl = this.slotList[c.slot]!;
    const s = c.unlinkSuccessor();
    if (s !== null) {
      // A rolled-over connection went away (planned, or the server's forced close after its notice):
      // the successor is the slot's connection from now on.
      sl.handOver(c, s);
      return;
    }
    // The replacement failed before taking over; the old connection keeps serving and rolls again later.
    if (c.unlinkPredecessor() !== null) return;
    if (sl.conn !== c || this.stopped) return;
    if (c.closeReason === null) {
      this.setError(c.openedAt ? FeedError.ClosedByServer : FeedError.ConnectFailed, `closed ${code}${reason ? ` ${reason}` : ""}${c.error ? ` (${c.error})` : ""}`);
    }
    this.markConnStale(c);
    if (sl.fail(this.opts.maxSlotFailures)) {
      this.log.warn({ slot: sl.index, code, reason: c.closeReason ?? reason, failures: sl.failures }, "connection closed; slot gave up");
      return;
    }
    this.counters.reconnects++;
    const b = sl.backoff;
    if (c.openedAt && performance.now() - c.openedAt >= this.opts.timings.reconnect_reset_after_ms) b.reset();
    const delay = b.next();
    this.log.warn({ slot: sl.index, code, reason: c.closeReason ?? reason, delayMs: delay, attempt: b.attempts }, "connection closed; reconnecting");
    sl.scheduleReconnect(delay, () => {
      if (this.stopped || sl.conn !== c) return;
      this.openSlot(sl.index, c.symbols);
    });
  }

  onConnError(_c: Connection, message: string): void {
    this.counters.lastErrorText = message;
  }

  onRefused(symbolIndex: number): void {
    this.sink.markStale([this.syms.symbolIds[symbolIndex]!]);
  }

  onConnOpSent(c: Connection): void {
    const now = (this.lastOpAt = performance.now());
    this.slotList[c.slot]!.opSent(now);
  }

  // ---- control frames ----------------------------------------------------------------------------------

  private onControlFrame(c: Connection, kind: number, rec: QuoteRecord): void {
    switch (kind) {
      case FrameKind.Invalid: {
        c.dataReceived(performance.now());
        const i = rec.symbolIndex;
        if (rec.invalidReason === InvalidReason.EmptySide) {
          // An empty side is the venue's "no orders there" (OKX "" and [] on thin books), not corruption.
          this.counters.noQuote++;
          if (i < 0) return;
          this.syms.oneSided[i] = 1;
          if (this.sink.noQuote !== undefined) this.sink.noQuote(this.syms.symbolIds[i]!);
          return;
        }
        this.counters.invalid++;
        if (i >= 0 && this.sink.invalid !== undefined) this.sink.invalid(this.syms.symbolIds[i]!, rec.invalidReason);
        return;
      }
      case FrameKind.Malformed:
        this.counters.malformed++;
        this.counters.lastError = FeedError.MalformedFrame;
        return;
      case FrameKind.Pong:
        c.pong();
        return;
      case FrameKind.Ack:
        this.subs.onAck(c, rec);
        return;
      case FrameKind.SubError:
        this.subs.onSubError(c, rec);
        return;
      case FrameKind.Notice:
        this.counters.notices++;
        this.setError(FeedError.ServerNotice, `server notice ${rec.noticeCode ?? ""}`);
        this.log.info({ slot: c.slot, notice: rec.noticeCode, msg: rec.message }, "server notice: rolling the connection over");
        this.rollover(c);
        return;
      default:
        return;
    }
  }

  // ---- liveness ---------------------------------------------------------------------------------------

  /** Watchdogs: heartbeats, pong timeout, data silence, lifetime rollover, stuck successors; refused-symbol retries. */
  tick(now = performance.now()): void {
    if (this.stopped) return;
    const ep = this.endpoint;
    const connectTimeout = this.opts.connectTimeoutMs ?? 15000;
    for (const sl of this.slotList) {
      const c = sl.conn;
      if (!c) continue;
      if (c.connectOverdue(now, connectTimeout)) {
        this.kill(c, FeedError.ConnectFailed, `not open after ${connectTimeout} ms`);
        continue;
      }
      const s = c.successor;
      if (s && s.live && now - s.openedAt >= (this.opts.rolloverSettleMs ?? 5000)) this.finishRollover(s);
      else if (s && !s.live && now - s.createdAt > connectTimeout) s.close("rollover connect timeout");
      for (const x of sl.all()) {
        if (!x.live) continue;
        const dead = checkLiveness(x, now, ep, this.adapter.heartbeat);
        if (dead !== null) this.kill(x, dead.error, dead.reason);
      }
      if (c.live && !c.successor && now - c.openedAt >= ep.max_lifetime_ms) this.rollover(c);
    }
    const due = this.subs.takeRetries(now);
    if (due.length) {
      this.log.info({ symbols: due.length }, "subscribing refused symbols again");
      this.place(due);
    }
  }

  /** Subscribes every refused symbol again now (an operator's reload: the venue may accept them by now). */
  retryRejected(): number {
    const all = this.subs.takeRetries(performance.now(), true);
    this.place(all);
    return all.length;
  }

  private kill(c: Connection, err: FeedErrorValue, reason: string): void {
    this.setError(err, reason);
    this.log.warn({ slot: c.slot, reason }, "connection dead; replacing it");
    c.close(reason, 4000);
  }

  /** Opens a replacement before the old connection goes, so updates never stop. */
  rollover(c: Connection): void {
    if (c.successor !== null || c.predecessor !== null || this.stopped) return;
    const n = new Connection(this, c.slot, c.symbols, c);
    this.counters.rollovers++;
    this.connect(n);
  }

  private finishRollover(n: Connection): void {
    const old = n.unlinkPredecessor();
    if (!old) return;
    this.slotList[n.slot]!.handOver(old, n);
    old.close("rolled over");
  }

  private markConnStale(c: Connection): void {
    const ids: number[] = [];
    for (const s of c.symbols) {
      const i = this.syms.indexOf(s);
      if (i >= 0) ids.push(this.syms.symbolIds[i]!);
    }
    if (ids.length) this.sink.markStale(ids);
  }

  setError(code: FeedErrorValue, text: string): void {
    this.counters.lastError = code;
    this.counters.lastErrorText = text;
  }

  // ---- health and reload -------------------------------------------------------------------------------

  /** Per-symbol liveness without flapping on quiet symbols of on-change venues. */
  symbolHealth(now = performance.now()): SymbolHealth {
    return countSymbolHealth(this.syms, this.slotList.map((sl) => sl.serving), this.endpoint.symbol_stale_ms, this.adapter.traits.resendsUnchangedMs > 0, now);
  }

  /**
   * Hot reload: adopt a new symbol list, unsubscribing what went away and subscribing what is new on the
   * least-loaded connections; symbols that stay are not touched.
   */
  reload(next: FeedSymbols): { added: number; removed: number } {
    const old = this.syms;
    next.inheritFrom(old);
    const keep = new Set(next.exchangeSymbols);
    let removed = 0;
    for (const sl of this.slotList) {
      const c = sl.conn;
      if (!c) continue;
      const gone = c.symbols.filter((s) => !keep.has(s));
      removed += gone.length;
      for (const x of sl.all()) {
        this.subs.unsubscribe(x, gone.filter((s) => old.indexOf(s) >= 0 && !old.rejected[old.indexOf(s)]));
        x.keepSymbols(keep);
      }
    }
    this.syms = next;
    const assigned = new Set(this.slotList.flatMap((sl) => sl.conn?.symbols ?? []));
    const added = next.exchangeSymbols.filter((s) => !assigned.has(s) && !this.subs.isRejected(s));
    this.place(added);
    return { added: added.length, removed };
  }

  /** Puts symbols on the least-loaded connections (a new slot where all are full) and subscribes them. */
  private place(symbols: readonly string[]): void {
    const cap = this.subsCap();
    for (const s of symbols) {
      let best: Slot | null = null;
      for (const sl of this.slotList) {
        const n = sl.conn?.symbols.length ?? Infinity;
        if (n < cap && (!best || n < best.conn!.symbols.length)) best = sl;
      }
      if (!best) {
        this.openSlot(this.slotList.length, [s]);
        continue;
      }
      best.conn!.addSymbol(s);
      for (const x of best.all()) this.subs.subscribe(x, [s]);
    }
  }

  /**
   * Cold-start seed from the venue's REST best bid/ask snapshot: publishes, with the same validation and scaling
   * as a WebSocket update, only for a served symbol that has had no WebSocket update yet (a WS price is always
   * newer). Binance and MEXC push only on change, so without this a quiet symbol has no price until it moves.
   */
  seed(exchangeSymbol: string, bid: number, ask: number, bidQty: number, askQty: number, exchangeTsMs: number): boolean {
    const syms = this.syms;
    const i = syms.indexOf(exchangeSymbol);
    if (i < 0 || syms.lastUpdate[i] !== 0 || syms.rejected[i] === 1 || this.paused) return false;
    if (checkPrices(bid, ask) !== 0) {
      this.counters.invalid++;
      return false;
    }
    this.publish(i, bid, ask, bidQty, askQty, exchangeTsMs);
    this.counters.seeded++;
    return true;
  }

  /** The one place venue units become store units: price per ONE base unit, quantity in base units, µs. */
  private publish(i: number, bid: number, ask: number, bidQty: number, askQty: number, exchangeTsMs: number): void {
    const syms = this.syms;
    const inv = syms.invMultiplier[i]!;
    const qf = syms.qtyFactor[i]!;
    this.sink.publish(syms.symbolIds[i]!, bid * inv, ask * inv, bidQty * qf, askQty * qf, exchangeTsMs * 1000);
  }

  /** Test and ops hook: the current connections (active and rolling). */
  connections(): Connection[] {
    return this.slotList.flatMap((sl) => sl.all());
  }
}

export { ConnState };
