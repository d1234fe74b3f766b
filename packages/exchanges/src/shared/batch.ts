// Venue-neutral URL joining and subscribe batching, used by Binance and Bybit.

/** base + path without a doubled slash ("wss://host/" + "/stream"). */
export function joinUrl(base: string, path: string): string {
  return base.replace(/\/+$/, "") + path;
}

/**
 * Splits symbols into chunks of at most min(batch, max), in order, each symbol once (a duplicate in one
 * Bybit batch would get the whole batch refused as "already subscribed").
 */
export function chunkSymbols(symbols: readonly string[], batch: number, max: number, venue: string): string[][] {
  if (!Number.isInteger(batch) || batch < 1) throw new Error(`${venue} subscribe batch: expected a positive integer (${batch})`);
  const size = Math.min(batch, max);
  const unique = [...new Set(symbols)];
  const out: string[][] = [];
  for (let i = 0; i < unique.length; i += size) out.push(unique.slice(i, i + size));
  return out;
}

/** Request ids are unsigned integers (Binance USD-M refuses others; Bybit echoes them as text). */
export function checkIdStart(idStart: number, venue: string): void {
  if (!Number.isSafeInteger(idStart) || idStart < 0) throw new Error(`${venue} subscribe idStart: expected an unsigned integer (${idStart})`);
}
