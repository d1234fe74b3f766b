// Cold-start seeding: one GET of the venue's "best bid/ask of every symbol" endpoint, handed to the pool, which
// publishes only for symbols that have no WebSocket update yet. Best effort: a failure is logged, never fatal.
import type { Logger, SourceEndpoint } from "@spread/common";
import type { ConnectionPool, VenueAdapter } from "@spread/exchanges";

export interface SeedResult {
  readonly url: string | null;
  readonly rows: number;
  readonly seeded: number;
  readonly error: string | null;
}

/** Tries rest_url, then each rest_fallback_urls entry. */
export async function seedFromRest(adapter: VenueAdapter, endpoint: SourceEndpoint, pool: ConnectionPool, log: Logger): Promise<SeedResult> {
  if (!adapter.bookTickerUrl || !adapter.parseBookTickers) return { url: null, rows: 0, seeded: 0, error: "venue has no snapshot endpoint" };
  const errors: string[] = [];
  for (const base of [endpoint.rest_url, ...endpoint.rest_fallback_urls]) {
    const url = adapter.bookTickerUrl(base);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(endpoint.rest_timeout_ms), headers: { accept: "application/json" } });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const body: unknown = await res.json();
      let seeded = 0;
      const rows = adapter.parseBookTickers(body, (sym, bid, ask, bq, aq, ts) => {
        if (pool.seed(sym, bid, ask, bq, aq, ts)) seeded++;
      });
      log.info({ url, rows, seeded }, "REST best bid/ask snapshot: seeded symbols without a WebSocket update yet");
      return { url, rows, seeded, error: null };
    } catch (err) {
      errors.push(`${url}: ${(err as Error).message}`);
    }
  }
  const error = errors.join("; then ");
  log.warn({ err: error }, "REST best bid/ask snapshot failed; quiet symbols get a price at their first WebSocket update");
  return { url: null, rows: 0, seeded: 0, error };
}
