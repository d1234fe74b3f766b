// Per-symbol liveness of one pool for Health: live, stale, rejected and open connections.
import type { Connection } from "./connection.ts";
import type { FeedSymbols } from "./symbols.ts";

export interface SymbolHealth {
  live: number;
  stale: number;
  rejected: number;
  connectionsUp: number;
}

/**
 * Counts without flapping on quiet symbols of on-change venues: a symbol is stale when no open connection serves it,
 * when it has had no update `staleMs` after its subscription, or (only where the venue re-sends unchanged books,
 * `resends`) when its last update is older than `staleMs`. `serving`: each slot's serving connection or null.
 */
export function countSymbolHealth(syms: FeedSymbols, serving: readonly (Connection | null)[], staleMs: number, resends: boolean, now: number): SymbolHealth {
  const liveConn = new Set<string>();
  let up = 0;
  for (const x of serving) {
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
    const last = syms.lastUpdate[i]!;
    let stale: boolean;
    if (!liveConn.has(syms.exchangeSymbols[i]!)) stale = true;
    else if (last === 0) stale = now - syms.subscribedAt[i]! > staleMs;
    else stale = resends && now - last > staleMs;
    if (stale) h.stale++;
    else if (last !== 0) h.live++;
  }
  return h;
}
