// Stage 1: REST instrument lists through each adapter (instrumentsUrl / nextCursor / parseInstruments), following
// pages, with a per-request timeout and retries with backoff. Errors name the source, the URL and the attempt.
import { SOURCE_NAMES, errorMessage } from "@spread/common";
import type { RawInstrument, VenueAdapter } from "@spread/exchanges";
import type { SourceFetch } from "./types.ts";

export type FetchFn = (url: string, init: { signal: AbortSignal; headers: Record<string, string> }) => Promise<Response>;

export interface FetchOptions {
  readonly timeoutMs: number;
  readonly attempts: number;
  /** Wait before attempt 2, 3, …; the last value repeats. */
  readonly backoffMs: readonly number[];
  readonly fetchImpl?: FetchFn;
  /** Guard against a cursor that never ends. Default 50. */
  readonly maxPages?: number;
  readonly onPage?: (e: { source: number; page: number; attempt: number; ok: boolean; instruments: number; error: string | null }) => void;
  readonly sleep?: (ms: number) => Promise<void>;
}

const defaultFetch: FetchFn = (url, init) => fetch(url, init);

/**
 * Fetches every page of one source's instrument list, trying each REST base in turn (exchanges.toml rest_url,
 * then rest_fallback_urls: the venues have moved hosts before, e.g. MEXC futures contract.mexc.com →
 * api.mexc.com, OKX www.okx.com → openapi.okx.com, and which one answers is UNCONFIRMED). Never throws.
 */
export async function fetchSource(adapter: VenueAdapter, restBase: string | readonly string[], opts: FetchOptions): Promise<SourceFetch> {
  const bases = typeof restBase === "string" ? [restBase] : restBase;
  const errors: string[] = [];
  let last: SourceFetch | null = null;
  for (const base of bases) {
    last = await fetchFromBase(adapter, base, opts);
    if (last.ok) return last;
    errors.push(last.error ?? "failed");
  }
  if (!last) throw new Error(`${SOURCE_NAMES[adapter.source]}: no REST base URL configured`);
  return bases.length > 1 ? { ...last, error: errors.join("; then ") } : last;
}

async function fetchFromBase(adapter: VenueAdapter, restBase: string, opts: FetchOptions): Promise<SourceFetch> {
  const t0 = performance.now();
  const name = SOURCE_NAMES[adapter.source]!;
  const doFetch = opts.fetchImpl ?? defaultFetch;
  const sleep = opts.sleep ?? Bun.sleep;
  const maxPages = opts.maxPages ?? 50;
  const instruments: RawInstrument[] = [];
  const seen = new Set<string>();
  let cursor: string | null = null;
  let attempts = 0;
  for (let page = 1; ; page++) {
    const url = adapter.instrumentsUrl(restBase, cursor);
    let lastError = "";
    let body: unknown = undefined;
    let parsed: RawInstrument[] | null = null;
    for (let attempt = 1; attempt <= opts.attempts; attempt++) {
      if (attempt > 1) await sleep(opts.backoffMs[Math.min(attempt - 2, opts.backoffMs.length - 1)] ?? 0);
      attempts++;
      try {
        const res = await doFetch(url, { signal: AbortSignal.timeout(opts.timeoutMs), headers: { accept: "application/json" } });
        const text = await res.text();
        if (!res.ok) throw new Error(`HTTP ${res.status}${text ? `: ${text.slice(0, 160)}` : ""}`);
        try {
          body = JSON.parse(text);
        } catch (err) {
          throw new Error(`response is not JSON (${errorMessage(err)}; ${text.length} bytes)`);
        }
        parsed = adapter.parseInstruments(body);
        opts.onPage?.({ source: adapter.source, page, attempt, ok: true, instruments: parsed.length, error: null });
        break;
      } catch (err) {
        const e = err as Error;
        lastError = e.name === "TimeoutError" || e.name === "AbortError" ? `timed out after ${opts.timeoutMs} ms` : errorMessage(err);
        opts.onPage?.({ source: adapter.source, page, attempt, ok: false, instruments: 0, error: lastError });
      }
    }
    if (!parsed) {
      return fail(adapter.source, attempts, t0, page - 1, `${name}: GET ${url}: ${lastError} (after ${opts.attempts} attempts)`);
    }
    instruments.push(...parsed);
    cursor = adapter.nextCursor(body);
    if (cursor === null || cursor === "") return ok(adapter.source, instruments, page, attempts, t0);
    if (seen.has(cursor)) return fail(adapter.source, attempts, t0, page, `${name}: GET ${url}: page cursor "${cursor}" repeats`);
    seen.add(cursor);
    if (page >= maxPages) return fail(adapter.source, attempts, t0, page, `${name}: more than ${maxPages} pages; giving up`);
  }
}

export function ok(source: number, instruments: RawInstrument[], pages: number, attempts: number, t0: number): SourceFetch {
  return { source, ok: true, instruments, pages, attempts, ms: Math.round(performance.now() - t0), error: null };
}

export function fail(source: number, attempts: number, t0: number, pages: number, error: string): SourceFetch {
  return { source, ok: false, instruments: [], pages, attempts, ms: Math.round(performance.now() - t0), error };
}
