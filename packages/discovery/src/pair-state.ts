// Mutable per-pair accumulator used during WS validation, frozen into a PairValidation at the end, and the
// PriceSink that fills it from the shared ConnectionPool.
import { checkPrices, type PriceSink } from "@spread/exchanges";
import type { PairStatus, PairValidation } from "./types.ts";

export class PairState {
  bid = Number.NaN;
  ask = Number.NaN;
  updates = 0;
  invalidUpdates = 0;
  /** Pushes with an empty book side: the venue answered, but with no quote (not an invalid price). */
  noQuoteUpdates = 0;
  rejected: string | null = null;
  constructor(readonly exchangeSymbol: string) {}

  get valid(): boolean {
    return this.updates > 0;
  }
  /** Nothing more to learn: a valid update arrived or the venue refused the subscription. */
  get done(): boolean {
    return this.updates > 0 || this.rejected !== null;
  }
  /** Any answer at all (also an unusable price or an empty side). */
  get heard(): boolean {
    return this.done || this.invalidUpdates > 0 || this.noQuoteUpdates > 0;
  }

  status(): PairStatus {
    if (this.updates > 0) return "valid";
    if (this.rejected !== null) return "rejected";
    if (this.invalidUpdates > 0) return "invalid_prices";
    return "no_data";
  }

  freeze(): PairValidation {
    return {
      exchangeSymbol: this.exchangeSymbol,
      status: this.status(),
      bid: this.bid,
      ask: this.ask,
      updates: this.updates,
      invalidUpdates: this.invalidUpdates,
      detail: this.updates > 0 ? null : this.rejected,
    };
  }
}

/**
 * The validation PriceSink: the ConnectionPool reports each pair's valid and invalid updates here (symbolId = the
 * pair's index in the round). Rejections are read from the pool's symbol table (rejected()).
 */
export class ValidationSink implements PriceSink {
  /** Pairs with any answer (valid, unusable prices or refused). */
  answered = 0;
  /** performance.now() of each pair's last first-time answer (heard, validated or refused for the first time); 0 = none. */
  readonly answeredAt: Float64Array;
  private closed = false;

  constructor(
    private readonly pairs: readonly PairState[],
    private readonly onAnswered: () => void = () => {},
  ) {
    this.answeredAt = new Float64Array(pairs.length);
  }

  publish(symbolId: number, bid: number, ask: number): void {
    const p = this.pairs[symbolId];
    if (!p || this.closed) return;
    if (checkPrices(bid, ask) !== 0) {
      this.invalid(symbolId);
      return;
    }
    const heard = p.heard;
    const first = !p.valid;
    p.updates++;
    p.bid = bid;
    p.ask = ask;
    if (first) this.note(symbolId, heard);
  }

  invalid(symbolId: number): void {
    this.count(symbolId, "invalidUpdates");
  }

  /** An empty book side: the pair is subscribed and alive, but has no quote yet (no_data unless one follows). */
  noQuote(symbolId: number): void {
    this.count(symbolId, "noQuoteUpdates");
  }

  /** An answer that does not validate the pair; the first answer of any kind is noted. */
  private count(symbolId: number, field: "invalidUpdates" | "noQuoteUpdates"): void {
    const p = this.pairs[symbolId];
    if (!p || this.closed) return;
    const heard = p.heard;
    p[field]++;
    if (!heard) this.note(symbolId, false);
  }

  /** The venue refused the pair's subscription (first refusal wins; a pair already validated stays valid). */
  rejected(symbolId: number, message: string): void {
    const p = this.pairs[symbolId];
    if (!p || this.closed || p.done) return;
    const heard = p.heard;
    p.rejected = message;
    this.note(symbolId, heard);
  }

  markStale(): void {}

  /** The round ended: late frames from closing sockets no longer count. */
  close(): void {
    this.closed = true;
  }

  private note(symbolId: number, wasHeard: boolean): void {
    this.answeredAt[symbolId] = performance.now();
    if (!wasHeard) this.answered++;
    this.onAnswered();
  }
}
