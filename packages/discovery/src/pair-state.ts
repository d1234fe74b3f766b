// Mutable per-pair accumulator used during one validation batch; frozen into a PairValidation at the end.
import type { PairStatus, PairValidation } from "./types.ts";

export class PairState {
  bid = Number.NaN;
  ask = Number.NaN;
  updates = 0;
  invalidUpdates = 0;
  rejected: string | null = null;
  constructor(readonly exchangeSymbol: string) {}

  get valid(): boolean {
    return this.updates > 0;
  }
  /** Nothing more to learn: a valid update arrived or the venue refused the subscription. */
  get done(): boolean {
    return this.updates > 0 || this.rejected !== null;
  }
  /** Any answer at all (also an unusable price). */
  get heard(): boolean {
    return this.done || this.invalidUpdates > 0;
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
