// Subscription lifecycle of one pool: pending requests, acks, refusals (whole-batch resend, bisection when the
// venue names no symbol) and the retry of refused symbols with backoff. Venue facts come from the adapter only.
import type { Logger, SourceEndpoint } from "@spread/common";
import { SubErrorKind, type QuoteRecord, type VenueAdapter } from "../types.ts";
import type { Connection } from "./connection.ts";
import { FeedError, type FeedCounters, type FeedErrorValue } from "./counters.ts";
import type { FeedSymbols } from "./symbols.ts";

/** When a refused symbol is tried again: base × 2^(refusals − 1), capped. */
export interface RejectRetry {
  readonly baseMs: number;
  readonly maxMs: number;
}

/**
 * A venue refuses a symbol for a while (pre-launch, suspended, maintenance) more often than forever, and the next
 * discovery is 6–12 h away: try again after 1 min, doubling to at most 1 h.
 */
export const DEFAULT_REJECT_RETRY: RejectRetry = { baseMs: 60_000, maxMs: 3_600_000 };

/** What the subscription manager needs from its pool. */
export interface SubscriptionHost {
  readonly adapter: VenueAdapter;
  readonly symbols: FeedSymbols;
  readonly counters: FeedCounters;
  setError(code: FeedErrorValue, text: string): void;
  /** A symbol was refused: whatever price it has (REST seed, an earlier connection) is no longer current. */
  onRefused(symbolIndex: number): void;
}

export class Subscriptions {
  private nextReqId = 1;
  private readonly rejectLogged = new Set<string>();

  constructor(
    private readonly host: SubscriptionHost,
    private readonly endpoint: SourceEndpoint,
    private readonly log: Logger,
    /** null: a refusal is final for this pool's lifetime (Pair Discovery reports it instead). */
    private readonly retry: RejectRetry | null,
  ) {}

  private get syms(): FeedSymbols {
    return this.host.symbols;
  }

  private batchLimit(): number {
    return Math.min(this.endpoint.subscribe_batch, this.host.adapter.maxSubscribeBatch);
  }

  subscribe(c: Connection, symbols: readonly string[], batchOverride?: number): void {
    if (!symbols.length || !c.live) return;
    const batch = batchOverride ?? this.batchLimit();
    const reqs = this.host.adapter.subscribeRequests(symbols, Math.max(1, Math.min(batch, symbols.length)), this.nextReqId);
    this.nextReqId += reqs.length;
    const now = performance.now();
    for (const r of reqs) {
      c.expect(r.reqId, r.symbols);
      for (const s of r.symbols) {
        const i = this.syms.indexOf(s);
        if (i >= 0) this.syms.subscribedAt[i] = now;
      }
      c.queue.push(r.frame, true);
    }
  }

  unsubscribe(c: Connection, symbols: readonly string[]): void {
    if (!symbols.length || !c.live) return;
    for (const r of this.host.adapter.unsubscribeRequests(symbols, Math.max(1, this.batchLimit()), this.nextReqId)) {
      this.nextReqId++;
      c.queue.push(r.frame, true);
    }
  }

  onAck(c: Connection, rec: QuoteRecord): void {
    if (rec.reqId !== null) c.acked(rec.reqId);
  }

  onSubError(c: Connection, rec: QuoteRecord): void {
    this.host.counters.subErrors++;
    const msg = rec.message ?? "";
    const adapter = this.host.adapter;
    if (adapter.classifySubError(msg) === SubErrorKind.AlreadySubscribed) return;
    const named = (rec.rejected ?? []).filter((s) => this.syms.indexOf(s) >= 0);
    for (const s of named) this.reject(c, s, msg);
    for (const batch of c.takeRefused(rec.reqId, named)) {
      const rest = batch.filter((s) => !this.isRejected(s));
      if (named.length === 0) {
        // The venue did not say which symbol: bisect, each half one request (the good half is accepted whole, the
        // bad one splits again), until the bad one stands alone: ~2·log2(n) requests, not one per symbol.
        if (rest.length === 1) this.reject(c, rest[0]!, msg);
        else if (rest.length > 1) {
          const half = Math.ceil(rest.length / 2);
          this.subscribe(c, rest.slice(0, half), half);
          this.subscribe(c, rest.slice(half), rest.length - half);
        }
      } else if (adapter.traits.rejectsWholeBatch && rest.length) {
        this.subscribe(c, rest);
      }
    }
    this.host.setError(FeedError.SubscriptionRejected, msg.slice(0, 200));
  }

  /** Takes a refused symbol off its connection and schedules its retry. */
  private reject(c: Connection, symbol: string, msg: string): void {
    const syms = this.syms;
    const i = syms.indexOf(symbol);
    if (i < 0 || syms.rejected[i]) return;
    syms.rejected[i] = 1;
    syms.rejectReason[i] = msg || null;
    const n = (syms.rejectCount[i] = Math.min(0xffff, syms.rejectCount[i]! + 1));
    syms.retryAt[i] = this.retry === null ? Infinity : performance.now() + Math.min(this.retry.maxMs, this.retry.baseMs * 2 ** Math.min(n - 1, 30));
    c.dropSymbol(symbol);
    this.host.onRefused(i);
    if (!this.rejectLogged.has(symbol)) {
      this.rejectLogged.add(symbol);
      const until = this.retry === null ? "for this session" : `retrying from ${Math.round(this.retry.baseMs / 1000)} s, backing off to ${Math.round(this.retry.maxMs / 1000)} s`;
      this.log.warn({ symbol, msg }, `subscription rejected by the exchange; symbol disabled, ${until}`);
    }
  }

  isRejected(symbol: string): boolean {
    const i = this.syms.indexOf(symbol);
    return i >= 0 && this.syms.rejected[i] === 1;
  }

  /**
   * Refused symbols whose retry time has come (all of them when `all`), cleared of their refusal: the caller puts
   * them back on a connection. A venue that refuses again doubles the wait.
   */
  takeRetries(now: number, all = false): string[] {
    const syms = this.syms;
    const out: string[] = [];
    for (let i = 0; i < syms.size; i++) {
      if (syms.rejected[i] !== 1 || (!all && syms.retryAt[i]! > now)) continue;
      syms.rejected[i] = 0;
      syms.rejectReason[i] = null;
      syms.retryAt[i] = 0;
      out.push(syms.exchangeSymbols[i]!);
    }
    if (out.length) this.host.counters.subRetries += out.length;
    return out;
  }
}
