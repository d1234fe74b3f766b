// Funding collection of a futures feed: one GET of the venue's all-symbols funding endpoint every funding_poll_ms
// (plus the interval table every INTERVALS_EVERY polls where the reply lacks intervals), written into the Funding
// region for the feed's symbols. A REST poll is the cheapest mechanism on all four venues (docs/operations.md
// "Funding collection"): one request a minute against budgets of hundreds; funding moves over minutes, and the
// streams that carry it either push every symbol every second (Binance !markPrice@arr) or need a subscription per
// symbol (OKX, MEXC). A value older than STALE_POLLS polls is flagged stale, as prices are. Best effort: a failed
// poll is logged and counted, never fatal; the next poll retries every base URL.
import type { Logger, SourceEndpoint } from "@spread/common";
import { FundingRecord, type FeedSymbols, type FundingAdapter } from "@spread/exchanges";
import type { FundingStore } from "@spread/shm";

/** Re-read the interval table (Binance fundingInfo, Bybit instruments-info) every this many polls: intervals change. */
export const INTERVALS_EVERY = 10;
/** A value not refreshed for this many poll periods is stale. */
export const STALE_POLLS = 3;

export interface FundingPollerOptions {
  readonly source: number;
  readonly adapter: FundingAdapter;
  readonly endpoint: SourceEndpoint;
  readonly store: FundingStore;
  /** The feed's current symbols (they change on a hot reload). */
  readonly symbols: () => FeedSymbols;
  readonly pollMs: number;
  readonly log: Logger;
  /** Wall and monotonic clocks in µs (tests pass their own). */
  readonly wallUs: () => number;
  readonly monoUs: () => number;
}

export class FundingPoller {
  /** Completed polls, failed polls, values written, values flagged stale (since start). */
  polls = 0;
  failures = 0;
  written = 0;
  staled = 0;
  lastError: string | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private running: Promise<void> | null = null;
  private intervals: Map<string, number> | null = null;
  /** Wall µs of the last write per feed symbol index (0 = none); rebuilt when the symbol list changes. */
  private lastWrite = new Float64Array(0);
  private symbolsSeen: FeedSymbols | null = null;
  private readonly rec = new FundingRecord();

  constructor(private readonly o: FundingPollerOptions) {}

  start(): void {
    this.kick();
    this.timer = setInterval(() => this.kick(), this.o.pollMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Resolves when the poll in flight (if any) is done. */
  settled(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  /** While paused nothing is fetched or written (the feed marked everything stale). */
  paused = false;

  private kick(): void {
    if (this.running || this.paused) return; // a slow venue: never two polls at once
    this.running = this.pollOnce().finally(() => {
      this.running = null;
    });
  }

  /** One poll: intervals when due, then every symbol's funding; then the staleness check. */
  async pollOnce(): Promise<void> {
    const a = this.o.adapter;
    try {
      if (a.intervalsUrl !== null && a.parseIntervals !== null && (this.intervals === null || this.polls % INTERVALS_EVERY === 0)) {
        try {
          this.intervals = a.parseIntervals(await this.get(a.intervalsUrl));
        } catch (err) {
          // Keep the previous table; without any, intervals the reply lacks stay unknown (0).
          this.o.log.warn({ err: (err as Error).message }, "funding interval table fetch failed");
        }
      }
      const body = await this.get(a.restUrl);
      this.write(body);
      this.polls++;
      this.lastError = null;
    } catch (err) {
      this.failures++;
      this.lastError = (err as Error).message;
      this.o.log.warn({ err: this.lastError }, "funding poll failed; the values age until the next poll");
    }
    this.checkStale();
  }

  private async get(url: (base: string) => string): Promise<unknown> {
    const e = this.o.endpoint;
    const errors: string[] = [];
    for (const base of [e.rest_url, ...e.rest_fallback_urls]) {
      const u = url(base);
      try {
        const res = await fetch(u, { signal: AbortSignal.timeout(e.rest_timeout_ms), headers: { accept: "application/json" } });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        return (await res.json()) as unknown;
      } catch (err) {
        errors.push(`${u}: ${(err as Error).message}`);
      }
    }
    throw new Error(errors.join("; then "));
  }

  private syncSymbols(): FeedSymbols {
    const syms = this.o.symbols();
    if (syms !== this.symbolsSeen) {
      this.symbolsSeen = syms;
      this.lastWrite = new Float64Array(syms.size);
    }
    return syms;
  }

  /** Parses a reply and writes the feed's symbols (others are ignored). Throws on a venue error body. */
  private write(body: unknown): void {
    const syms = this.syncSymbols();
    const store = this.o.store;
    const src = this.o.source;
    const now = this.o.wallUs();
    const mono = this.o.monoUs();
    const intervals = this.intervals;
    const def = this.o.adapter.defaultIntervalHours;
    this.o.adapter.parseRest(body, this.rec, syms.table, (r) => {
      const i = r.symbolIndex;
      if (i < 0) return;
      let hours = r.intervalHours;
      if (hours === 0 && intervals !== null) hours = intervals.get(syms.exchangeSymbols[i]!) ?? def;
      store.write(src, syms.symbolIds[i]!, r.rate, r.predictedRate, r.nextFundingMs * 1000, Math.round(hours * 60), r.exchangeTsMs * 1000, now, mono);
      this.lastWrite[i] = now;
      this.written++;
    });
  }

  /** Flags values older than STALE_POLLS polls (a symbol the venue stopped listing, a venue that keeps failing). */
  checkStale(): void {
    const syms = this.syncSymbols();
    const bound = this.o.wallUs() - STALE_POLLS * this.o.pollMs * 1000;
    for (let i = 0; i < syms.size; i++) {
      const t = this.lastWrite[i]!;
      if (t > 0 && t < bound) {
        if (this.o.store.setStale(this.o.source, syms.symbolIds[i]!, true)) this.staled++;
        this.lastWrite[i] = 0; // flagged once; the next write makes it fresh again
      }
    }
  }

  /** Flags every given symbol_id of this source (stop, pause, start, remapped ids): nothing is fresh until rewritten. */
  markStale(ids: ArrayLike<number>): void {
    for (let k = 0; k < ids.length; k++) this.o.store.setStale(this.o.source, ids[k]!, true);
    this.lastWrite.fill(0);
  }
}
