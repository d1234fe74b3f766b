// Venue-neutral pieces of the REST best bid/ask parsers (VenueAdapter.parseBookTickers): the emit callback,
// the row list (an array, or the one object a `?symbol=` request answers with) and one row's numbers.
// Not a hot path: bodies arrive JSON-parsed and numbers go through restNumber.
import { restNumber } from "../num.ts";
import type { VenueAdapter } from "../types.ts";
import { fieldError, isObject } from "./rest-fields.ts";

export type BookTickerEmit = Parameters<NonNullable<VenueAdapter["parseBookTickers"]>>[1];

/** The rows of a body: an array as is, a single object (answer to `?symbol=`) as one row. */
export function bookTickerRows(v: unknown, path: string): unknown[] {
  if (Array.isArray(v)) return v;
  if (isObject(v)) return [v];
  throw fieldError(path, "expected an array or an object", v);
}

/** A timestamp in ms: 0 when absent, empty, unparseable or not positive. */
export function bookTickerTime(v: unknown): number {
  const n = restNumber(v);
  return n !== null && n > 0 ? n : 0;
}

/**
 * Emits one row when both prices are finite numbers (number or decimal string); returns 1 if emitted, 0 if
 * skipped. Quantities that are absent or unparseable become NaN.
 */
export function emitBookTicker(
  emit: BookTickerEmit,
  symbol: string,
  bid: unknown,
  ask: unknown,
  bidQty: unknown,
  askQty: unknown,
  tsMs: number,
): 0 | 1 {
  const b = restNumber(bid);
  const a = restNumber(ask);
  if (b === null || a === null) return 0;
  emit(symbol, b, a, restNumber(bidQty) ?? Number.NaN, restNumber(askQty) ?? Number.NaN, tsMs);
  return 1;
}
