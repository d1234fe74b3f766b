// Outcomes every venue parser writes into its QuoteRecord: one place for Malformed / Invalid / Update.
// Allocation-free (the update paths call them on every frame).
import { checkPrices } from "../num.ts";
import { FrameKind, InvalidReason, type FrameKindValue, type InvalidReasonValue, type QuoteRecord } from "../types.ts";

/** A fast path's "not handled here": the caller runs the venue's structural walk. */
export const FAST_FALLBACK = 0;

export function malformed(out: QuoteRecord, why: string): FrameKindValue {
  out.message = why;
  return FrameKind.Malformed;
}

export function invalid(out: QuoteRecord, reason: InvalidReasonValue): FrameKindValue {
  out.invalidReason = reason;
  return FrameKind.Invalid;
}

/** Update, or Invalid with checkPrices' reason (sizes are not checked: some venues send none). */
export function priceOutcome(out: QuoteRecord, bid: number, ask: number): FrameKindValue {
  const bad = checkPrices(bid, ask);
  return bad === 0 ? FrameKind.Update : invalid(out, bad);
}

/** priceOutcome, then Invalid NonFinite unless both sizes are finite. */
export function quoteOutcome(out: QuoteRecord, bid: number, ask: number, bidQty: number, askQty: number): FrameKindValue {
  const bad = checkPrices(bid, ask);
  if (bad !== 0) return invalid(out, bad);
  if (!Number.isFinite(bidQty) || !Number.isFinite(askQty)) return invalid(out, InvalidReason.NonFinite);
  return FrameKind.Update;
}
