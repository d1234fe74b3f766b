// In-process fakes for driving the Tracker core tick by tick: a price table, a recording pair state.
import { FundingFlag, PriceFlag, type FundingValue, type PriceRecord } from "@spread/shm";
import { DiskWriter, engineMath, Tracker, type PairState, type SpreadMath, type TrackerSettings, type WriteFault } from "@spread/tracker";

export class FakePrices {
  readonly q = new Map<number, { bid: number; ask: number; flags: number; recvMono: number }>();
  set(src: number, sym: number, bid: number, ask: number, recvMono: number, flags: number = PriceFlag.valid): void {
    this.q.set(src * 1024 + sym, { bid, ask, flags, recvMono });
  }
  read(src: number, sym: number, out: PriceRecord): boolean {
    const e = this.q.get(src * 1024 + sym);
    out.flags = 0;
    if (!e) return true;
    out.bid = e.bid;
    out.ask = e.ask;
    out.flags = e.flags;
    out.recvMono = e.recvMono;
    return true;
  }
}

/** The Funding region as a table: (source, symbol) → rate, next settlement (wall ms), flags. */
export class FakeFunding {
  readonly f = new Map<number, { rate: number; nextAtMs: number; flags: number }>();
  set(src: number, sym: number, rate: number, nextAtMs: number, flags: number = FundingFlag.valid): void {
    this.f.set(src * 1024 + sym, { rate, nextAtMs, flags });
  }
  read(src: number, sym: number, out: FundingValue): boolean {
    const e = this.f.get(src * 1024 + sym);
    out.flags = 0;
    if (!e) return true;
    out.rate = e.rate;
    out.nextFundingAt = e.nextAtMs * 1000;
    out.intervalMin = 60;
    out.flags = e.flags;
    return true;
  }
}

export class RecordingPairs implements PairState {
  readonly tracked = new Set<number>();
  readonly log: string[] = [];
  markTracked(d: number, s: number): void {
    this.tracked.add(d * 1024 + s);
    this.log.push(`T${d}/${s}`);
  }
  free(d: number, s: number): void {
    this.tracked.delete(d * 1024 + s);
    this.log.push(`F${d}/${s}`);
  }
}

/** The engine's math with 0.1 % taker fee on every source: net = gross − 0.2, round trip = gross − 0.4. */
export const MATH: SpreadMath = engineMath(new Float64Array(8).fill(0.1));

export const SETTINGS: TrackerSettings = {
  intervalMs: 200,
  maxDurationMs: 60_000,
  closeSpreadPct: 0.1,
  threshold: { pct: 0.5, on: "gross" },
  staleAfterMs: new Array(8).fill(5000),
  feedLostAfterMs: 2000,
  recentClosed: 50,
};

export function makeTracker(root: string, names: readonly string[], opts: { settings?: Partial<TrackerSettings>; fault?: WriteFault; maxBufferBytes?: number; mono?: () => number; fsyncIntervalMs?: number } = {}) {
  const prices = new FakePrices();
  const funding = new FakeFunding();
  const pairs = new RecordingPairs();
  const disk = new DiskWriter({ root, fsyncIntervalMs: opts.fsyncIntervalMs ?? 0, maxBufferBytes: opts.maxBufferBytes ?? 1 << 20, ...(opts.fault ? { fault: opts.fault } : {}) });
  let mono = 1_000_000_000;
  const tracker = new Tracker({ ...SETTINGS, ...opts.settings }, disk, prices, pairs, MATH, names, opts.mono ?? (() => mono), funding);
  return { tracker, disk, prices, funding, pairs, setMono: (m: number) => (mono = m), mono: () => mono };
}
