// The four touch fields every bookTicker-like frame prints, memoized per instrument in the venue's number format.
import { FieldCache } from "../../format.ts";
import type { SourceBook } from "../../market/market.ts";

/** Bid, bid size, ask and ask size of each instrument; `price` and `qty` render units with the listing's decimals. */
export function fieldCaches(book: SourceBook, price: (u: number, dec: number) => string, qty: (u: number, dec: number) => string) {
  const ins = book.instruments;
  const n = book.n;
  return {
    bid: new FieldCache(n, (u, i) => price(u, ins[i]!.tickDec)),
    ask: new FieldCache(n, (u, i) => price(u, ins[i]!.tickDec)),
    bq: new FieldCache(n, (u, i) => qty(u, ins[i]!.qtyDec)),
    aq: new FieldCache(n, (u, i) => qty(u, ins[i]!.qtyDec)),
  };
}
