// The shared connection engine of one source: splits its symbols over N connections and keeps them alive
// (connection-open pacing, heartbeats, data watchdog, reconnect with backoff, gap-free rollover on forced
// disconnects, rejected-batch recovery). Venue specifics come only from the VenueAdapter hooks and VenueTraits.
// Every WebSocket of the system runs on it: the 8 feeds and Pair Discovery's WS validation.
import type { Logger, SourceEndpoint } from "@spread/common";
import { checkPrices } from "../num.ts";
import { FrameKind, InvalidReason, QuoteRecord, type VenueAdapter } from "../types.ts";
import { Backoff } from "./backoff.ts";
import { Connection, ConnState, type ConnectionOwner } from "./connection.ts";
import { FeedCounters, FeedError, type FeedErrorValue } from "./counters.ts";
import { ConnectPacer } from "./pacer.ts";
import type { PriceSink } from "./sink.ts";
import { bunSocketFactory, type SocketFactory } from "./socket.ts";
import type { FeedSymbols } from "./symbols.ts";
import { venueTraits, type VenueTraits } from "./traits.ts";

export interface PoolTimings {
  reconnect_base_ms: number;
  reconnect_max_ms: number;
  reconnect_reset_after_ms: number;
}

export interface PoolOptions {
  readonly adapter: VenueAdapter;
  readonly endpoint: SourceEndpoint;
  readonly timings: PoolTimings;
  readonly symbols: FeedSymbols;
  readonly sink: PriceSink;
  readonly log: Logger;
  readonly socketFactory?: SocketFactory;
  /** Watchdog period. */
  readonly tickMs?: number;
  /** A rollover successor that has not delivered data after this long takes over anyway. */
  readonly rolloverSettleMs?: number;
  /**
   * Connection-open pacing: this pool's new connections (first opens, reconnects, rollover replacements) open
   * at least this far apart, in FIFO order (OKX allows 3 connection attempts/s per IP, Binance 300 per 5 min).
   * 0 / absent = no pacing.
   */
  readonly connectIntervalMs?: number;
  /** A pacer shared with other pools (one IP budget, e.g. spot and futures of one exchange); wins over connectIntervalMs. */
  readonly connectPacer?: ConnectPacer;
  /** A connection whose socket is not open this long after it was requested is closed and retried. Default 15000. */
  readonly connectTimeoutMs?: number;
  /**
   * A slot stops reconnecting after this many unplanned closes (connect failures, drops, dead-connection kills)
   * and its symbols stay unserved. Absent = never give up (feeds); Pair Discovery bounds its validation sessions.
   */
  readonly maxSlotFailures?: number;
}

/** One connection slot of the pool, for supervisors (Pair Discovery) and ops. */
export interface SlotStatus {
  readonly slot: number;
  /** Exchange symbols assigned to the slot (rejected ones leave it). The live list: do not modify. */
  readonly symbols: readonly string[];
  /** Its connection (or the rollover successor) is open. */
  readonly up: boolean;
  /** Some connection of this slot has opened since start(). */
  readonly opened: boolean;
  /** Control frames (subscribe requests, pings) waiting for their send slot on the live connection. */
  readonly queued: number;
  /** performance.now() when the slot last wrote a subscribe/unsubscribe request; 0 = none yet. */
  readonly lastOpSentAt: number;
  /** Unplanned closes since start(). */
  readonly failures: number;
  /** maxSlotFailures reached: no more reconnects. */
  readonly gaveUp: boolean;
}

export interface SymbolHealth {
  live: number;
  stale: number;
  rejected: number;
  connectionsUp: number;
}

export class ConnectionPool implements ConnectionOwner {
  readonly counters = new FeedCounters();
  readonly adapter: VenueAdapter;
  readonly traits: VenueTraits;
  private readonly endpoint: SourceEndpoint;
  private readonly sink: PriceSink;
  private readonly log: Logger;
  private readonly factory: SocketFactory;
  private readonly rec = new QuoteRecord();
  private syms: FeedSymbols;
  /** Active connection per slot. */
  private conns: (Connection | null)[] = [];
  private backoffs: Backoff[] = [];
  private reconnectTimers: (ReturnType<typeof setTimeout> | null)[] = [];
  private slotFailures: number[] = [];
  private slotOpened: boolean[] = [];
  private slotGaveUp: boolean[] = [];
  private slotLastOp: number[] = [];
  private readonly pacer: ConnectPacer;
  private lastOpAt = 0;
  private tickTimer: ReturnType<typeof setInterval> | null = null;
  private nextReqId = 1;
  private stopped = true;
  private paused = false;
  private readonly rejectLogged = new Set<string>();

  constructor(private readonly opts: PoolOptions) {
    this.adapter = opts.adapter;
    this.endpoint = opts.endpoint;
    this.sink = opts.sink;
    this.log = opts.log;
    this.syms = opts.symbols;
    this.factory = opts.socketFactory ?? bunSocketFactory;
    this.traits = venueTraits(opts.adapter.source);
    this.pacer = opts.connectPacer ?? new ConnectPacer(opts.connectIntervalMs ?? 0);
  }

  /** performance.now() when the last subscribe/unsubscribe request was written to a socket; 0 = none yet. */
  get lastOpSentAt(): number {
    return this.lastOpAt;
  }

  /** Per-slot state: open, send backlog, failures. */
  slots(): SlotStatus[] {
    return this.conns.map((c, slot) => {
      const x = c?.live ? c : c?.successor?.live ? c.successor : null;
      return {
        slot,
        symbols: c?.symbols ?? [],
        up: x !== null,
        opened: this.slotOpened[slot] ?? false,
        queued: x?.queue.length ?? 0,
        lastOpSentAt: this.slotLastOp[slot] ?? 0,
        failures: this.slotFailures[slot] ?? 0,
        gaveUp: this.slotGaveUp[slot] ?? false,
      };
    });
  }

  get symbols(): FeedSymbols {
    return this.syms;
  }

  sendLimits(): { maxPerSec: number; maxOpsPerHour: number } {
    return { maxPerSec: this.endpoint.max_msgs_per_sec, maxOpsPerHour: this.endpoint.max_ops_per_hour };
  }

  /** Connections needed: the configured count, raised where the per-connection cap forces more. */
  slotCount(n: number): number {
    // Nothing to subscribe: no connection (venues close subscription-less sockets, e.g. MEXC spot after 30 s).
    if (n === 0) return 0;
    const cap = Math.min(this.endpoint.max_subs_per_connection, this.adapter.maxSubsPerConnection);
    return Math.max(1, Math.min(Math.max(this.endpoint.connections, Math.ceil(n / cap)), n));
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
    for (const t of this.reconnectTimers) if (t) clearTimeout(t);
    for (const c of this.conns) {
      c?.successor?.close("shutdown");
      c?.close("shutdown");
    }
  }

  setPaused(p: boolean): void {
    this.paused = p;
  }

  private openSlot(slot: number, symbols: string[]): Connection {
    const c = new Connection(this, slot, symbols);
    this.conns[slot] = c;
    this.backoffs[slot] ??= new Backoff(this.opts.timings.reconnect_base_ms, this.opts.timings.reconnect_max_ms);
    this.connect(c);
    return c;
  }

  /** Queues the socket open behind the pacer (immediately when its turn has come). */
  private connect(c: Connection): void {
    const cancel = this.pacer.schedule(() => this.dial(c));
    if (c.state === ConnState.Connecting && c.ws === null) c.cancelConnect = cancel;
  }

  private dial(c: Connection): void {
    c.cancelConnect = null;
    if (this.stopped || c.state !== ConnState.Connecting) return;
    c.createdAt = performance.now();
    try {
      c.ws = this.factory(this.adapter.wsUrl(this.endpoint.ws_url), c);
    } catch (err) {
      this.setError(FeedError.ConnectFailed, `connect: ${(err as Error).message}`);
      c.onClose(1006, "connect failed");
    }
  }

  // ---- ConnectionOwner -------------------------------------------------------------------------------

  onConnOpen(c: Connection): void {
    this.slotOpened[c.slot] = true;
    this.subscribe(c, c.symbols.filter((s) => !this.isRejected(s)));
  }

  /** The hot path: parse, validate, scale, publish. No allocation for price updates. */
  onConnFrame(c: Connection, data: string | Uint8Array): void {
    const now = performance.now();
    c.lastRecvAt = now;
    this.counters.messages++;
    const rec = this.rec;
    const kind = this.adapter.parse(data, rec, this.syms.table);
    if (kind === FrameKind.Update) {
      c.lastDataAt = now;
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
    const slot = c.slot;
    if (c.successor !== null) {
      // A rolled-over connection went away (planned, or the server's forced close after its notice):
      // the successor is the slot's connection from now on.
      const s = c.successor;
      c.successor = null;
      s.predecessor = null;
      if (this.conns[slot] === c) this.conns[slot] = s;
      return;
    }
    if (c.predecessor !== null) {
      // The replacement failed before taking over; the old connection keeps serving and rolls again later.
      c.predecessor.successor = null;
      c.predecessor = null;
      return;
    }
    if (this.conns[slot] !== c || this.stopped) return;
    if (c.closeReason === null) {
      this.setError(c.openedAt ? FeedError.ClosedByServer : FeedError.ConnectFailed, `closed ${code}${reason ? ` ${reason}` : ""}${c.error ? ` (${c.error})` : ""}`);
    }
    this.markConnStale(c);
    const failures = (this.slotFailures[slot] = (this.slotFailures[slot] ?? 0) + 1);
    if (this.opts.maxSlotFailures !== undefined && failures >= this.opts.maxSlotFailures) {
      this.slotGaveUp[slot] = true;
      this.log.warn({ slot, code, reason: c.closeReason ?? reason, failures }, "connection closed; slot gave up");
      return;
    }
    this.counters.reconnects++;
    const b = this.backoffs[slot]!;
    if (c.openedAt && performance.now() - c.openedAt >= this.opts.timings.reconnect_reset_after_ms) b.reset();
    const delay = b.next();
    this.log.warn({ slot, code, reason: c.closeReason ?? reason, delayMs: delay, attempt: b.attempts }, "connection closed; reconnecting");
    this.reconnectTimers[slot] = setTimeout(() => {
      this.reconnectTimers[slot] = null;
      if (this.stopped || this.conns[slot] !== c) return;
      this.openSlot(slot, c.symbols);
    }, delay);
  }

  onConnError(_c: Connection, message: string): void {
    this.counters.lastErrorText = message;
  }

  onConnOpSent(c: Connection): void {
    this.lastOpAt = this.slotLastOp[c.slot] = performance.now();
  }

  // ---- control frames ----------------------------------------------------------------------------------

  private onControlFrame(c: Connection, kind: number, rec: QuoteRecord): void {
    switch (kind) {
      case FrameKind.Invalid: {
        c.lastDataAt = performance.now();
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
        c.pingSentAt = 0;
        return;
      case FrameKind.Ack:
        if (rec.reqId !== null) c.pending.delete(rec.reqId);
        return;
      case FrameKind.SubError:
        this.onSubError(c, rec);
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

  private onSubError(c: Connection, rec: QuoteRecord): void {
    this.counters.subErrors++;
    const msg = rec.message ?? "";
    if (/already subscribed/i.test(msg)) return;
    const named = (rec.rejected ?? []).filter((s) => this.syms.indexOf(s) >= 0);
    for (const s of named) this.reject(c, s, msg);
    const batches: [string, readonly string[]][] = [];
    if (rec.reqId !== null && c.pending.has(rec.reqId)) batches.push([rec.reqId, c.pending.get(rec.reqId)!]);
    else if (named.length) for (const e of c.pending) if (e[1].some((s) => named.includes(s))) batches.push(e);
    for (const [reqId, batch] of batches) {
      c.pending.delete(reqId);
      const rest = batch.filter((s) => !this.isRejected(s));
      if (named.length === 0) {
        // The venue did not say which symbol: split the request until the bad one stands alone.
        if (rest.length === 1) this.reject(c, rest[0]!, msg);
        else if (rest.length > 1) {
          const half = Math.ceil(rest.length / 2);
          this.subscribe(c, rest.slice(0, half), 1);
          this.subscribe(c, rest.slice(half), 1);
        }
      } else if (this.traits.rejectsWholeBatch && rest.length) {
        this.subscribe(c, rest);
      }
    }
    this.setError(FeedError.SubscriptionRejected, msg.slice(0, 200));
  }

  private reject(c: Connection, symbol: string, msg: string): void {
    const i = this.syms.indexOf(symbol);
    if (i < 0 || this.syms.rejected[i]) return;
    this.syms.rejected[i] = 1;
    this.syms.rejectReason[i] = msg || null;
    c.symbols = c.symbols.filter((s) => s !== symbol);
    if (!this.rejectLogged.has(symbol)) {
      this.rejectLogged.add(symbol);
      this.log.warn({ symbol, msg }, "subscription rejected by the exchange; symbol disabled until the next discovery");
    }
  }

  private isRejected(symbol: string): boolean {
    const i = this.syms.indexOf(symbol);
    return i >= 0 && this.syms.rejected[i] === 1;
  }

  private subscribe(c: Connection, symbols: readonly string[], batchOverride?: number): void {
    if (!symbols.length || !c.live) return;
    const batch = batchOverride ?? Math.min(this.endpoint.subscribe_batch, this.adapter.maxSubscribeBatch);
    const reqs = this.adapter.subscribeRequests(symbols, Math.max(1, Math.min(batch, symbols.length)), this.nextReqId);
    this.nextReqId += reqs.length;
    const now = performance.now();
    for (const r of reqs) {
      c.pending.set(r.reqId, r.symbols);
      for (const s of r.symbols) {
        const i = this.syms.indexOf(s);
        if (i >= 0) this.syms.subscribedAt[i] = now;
      }
      c.queue.push(r.frame, true);
    }
  }

  private unsubscribe(c: Connection, symbols: readonly string[]): void {
    if (!symbols.length || !c.live) return;
    const batch = Math.min(this.endpoint.subscribe_batch, this.adapter.maxSubscribeBatch);
    for (const r of this.adapter.unsubscribeRequests(symbols, Math.max(1, batch), this.nextReqId)) {
      this.nextReqId++;
      c.queue.push(r.frame, true);
    }
  }

  // ---- liveness ---------------------------------------------------------------------------------------

  /** Watchdogs: heartbeats, pong timeout, data silence, lifetime rollover, stuck successors. */
  tick(now = performance.now()): void {
    if (this.stopped) return;
    const ep = this.endpoint;
    const hb = this.adapter.heartbeat;
    const connectTimeout = this.opts.connectTimeoutMs ?? 15000;
    for (const c of this.conns) {
      if (!c) continue;
      if (c.state === ConnState.Connecting && c.ws !== null && now - c.createdAt > connectTimeout) {
        this.kill(c, FeedError.ConnectFailed, `not open after ${connectTimeout} ms`);
        continue;
      }
      const s = c.successor;
      if (s && s.live && now - s.openedAt >= (this.opts.rolloverSettleMs ?? 5000)) this.finishRollover(s);
      else if (s && !s.live && now - s.createdAt > connectTimeout) s.close("rollover connect timeout");
      for (const x of s ? [c, s] : [c]) {
        if (!x.live) continue;
        if (hb.clientPing !== null && ep.ping_interval_ms > 0) {
          const due = hb.pingWhenIdleOnly ? now - Math.max(x.lastRecvAt, x.lastPingAt) >= ep.ping_interval_ms : now - x.lastPingAt >= ep.ping_interval_ms;
          if (due) {
            x.lastPingAt = now;
            if (x.pingSentAt === 0) x.pingSentAt = now;
            x.queue.pushFront(hb.clientPing);
          }
        }
        if (x.pingSentAt !== 0 && now - x.pingSentAt > ep.pong_timeout_ms) {
          this.kill(x, FeedError.PongTimeout, "pong timeout");
          continue;
        }
        if (x.symbols.length > 0 && now - x.lastDataAt > ep.data_timeout_ms) {
          this.kill(x, FeedError.DataTimeout, `no data for ${Math.round(now - x.lastDataAt)} ms`);
          continue;
        }
      }
      if (c.live && !c.successor && now - c.openedAt >= ep.max_lifetime_ms) this.rollover(c);
    }
  }

  private kill(c: Connection, err: FeedErrorValue, reason: string): void {
    this.setError(err, reason);
    this.log.warn({ slot: c.slot, reason }, "connection dead; replacing it");
    c.close(reason, 4000);
  }

  /** Opens a replacement before the old connection goes, so updates never stop. */
  rollover(c: Connection): void {
    if (c.successor !== null || c.predecessor !== null || this.stopped) return;
    const n = new Connection(this, c.slot, c.symbols.slice());
    n.predecessor = c;
    c.successor = n;
    this.counters.rollovers++;
    this.connect(n);
  }

  private finishRollover(n: Connection): void {
    const old = n.predecessor;
    if (!old) return;
    n.predecessor = null;
    old.successor = null;
    if (this.conns[n.slot] === old) this.conns[n.slot] = n;
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

  private setError(code: FeedErrorValue, text: string): void {
    this.counters.lastError = code;
    this.counters.lastErrorText = text;
  }

  // ---- health and reload -------------------------------------------------------------------------------

  /** Per-symbol liveness without flapping on quiet symbols of on-change venues. */
  symbolHealth(now = performance.now()): SymbolHealth {
    const syms = this.syms;
    const bound = this.endpoint.symbol_stale_ms;
    const liveConn = new Set<string>();
    let up = 0;
    for (const c of this.conns) {
      const x = c?.live ? c : c?.successor?.live ? c.successor : null;
      if (!x) continue;
      up++;
      for (const s of x.symbols) liveConn.add(s);
    }
    const h: SymbolHealth = { live: 0, stale: 0, rejected: 0, connectionsUp: up };
    for (let i = 0; i < syms.size; i++) {
      if (syms.rejected[i]) {
        h.rejected++;
        continue;
      }
      const onLive = liveConn.has(syms.exchangeSymbols[i]!);
      const last = syms.lastUpdate[i]!;
      let stale: boolean;
      if (!onLive) stale = true;
      else if (last === 0) stale = now - syms.subscribedAt[i]! > bound;
      else stale = this.traits.resendsUnchangedMs > 0 && now - last > bound;
      if (stale) h.stale++;
      else if (last !== 0) h.live++;
    }
    return h;
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
    for (const c of this.conns) {
      if (!c) continue;
      const gone = c.symbols.filter((s) => !keep.has(s));
      removed += gone.length;
      for (const x of c.successor ? [c, c.successor] : [c]) {
        this.unsubscribe(x, gone.filter((s) => old.indexOf(s) >= 0 && !old.rejected[old.indexOf(s)]));
        x.symbols = x.symbols.filter((s) => keep.has(s));
      }
    }
    this.syms = next;
    const assigned = new Set(this.conns.flatMap((c) => c?.symbols ?? []));
    const added = next.exchangeSymbols.filter((s) => !assigned.has(s) && !this.isRejected(s));
    const cap = Math.min(this.endpoint.max_subs_per_connection, this.adapter.maxSubsPerConnection);
    for (const s of added) {
      let best: Connection | null = null;
      for (const c of this.conns) if (c && c.symbols.length < cap && (!best || c.symbols.length < best.symbols.length)) best = c;
      if (!best) {
        this.openSlot(this.conns.length, [s]);
        continue;
      }
      best.symbols.push(s);
      for (const x of best.successor ? [best, best.successor] : [best]) this.subscribe(x, [s]);
    }
    return { added: added.length, removed };
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
    return this.conns.flatMap((c) => (c ? (c.successor ? [c, c.successor] : [c]) : []));
  }
}

export { ConnState };
