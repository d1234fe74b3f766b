// Deterministic record contents for cross-process tests: every field derives from one counter n, so
// a reader can tell a consistent copy from a torn one.
import type { EventRecord, FundingStore, FundingValue, HealthRecord, PriceRecord, PriceStore } from "@spread/shm";

/** Wall-clock-like base above 2^32 so both u32 halves of u64 fields change. */
export const BASE_US = 1_700_000_000_000_000;

export function writePricePattern(store: PriceStore, source: number, symbol: number, n: number): void {
  store.write(source, symbol, n, n + 0.5, n * 2, n * 3, BASE_US + n * 7, BASE_US + n, n * 11);
}

export function pricePatternOk(r: PriceRecord): boolean {
  const n = r.bid;
  return r.ask === n + 0.5 && r.bidQty === n * 2 && r.askQty === n * 3 && r.exchangeTs === BASE_US + n * 7 && r.updatedAt === BASE_US + n && r.recvMono === n * 11;
}

/** Event i: spotBid carries i exactly (the ordering check); f32 fields hold exactly representable values. */
export function fillEvent(ev: EventRecord, i: number): void {
  ev.type = 1;
  ev.directionId = i % 12;
  ev.flags = i & 0xff;
  ev.spotSource = (i % 4) * 2;
  ev.futuresSource = (i % 4) * 2 + 1;
  ev.symbolId = i & 1023;
  ev.grossPct = (i & 0xffff) / 1024;
  ev.netPct = -(i & 0xffff) / 2048;
  ev.timestamp = BASE_US + i;
  ev.spotBid = i;
  ev.spotAsk = i + 0.25;
  ev.futuresBid = i + 0.75;
  ev.futuresAsk = i + 1.5;
  ev.spotAgeUs = (i * 2) >>> 0;
  ev.futuresAgeUs = (i * 3) >>> 0;
}

/** Describes the first mismatch between ev and fillEvent(i), or "" when equal. */
export function eventMismatch(ev: EventRecord, i: number): string {
  const checks: [string, number, number][] = [
    ["type", ev.type, 1], ["directionId", ev.directionId, i % 12], ["flags", ev.flags, i & 0xff],
    ["spotSource", ev.spotSource, (i % 4) * 2], ["futuresSource", ev.futuresSource, (i % 4) * 2 + 1],
    ["symbolId", ev.symbolId, i & 1023], ["grossPct", ev.grossPct, (i & 0xffff) / 1024], ["netPct", ev.netPct, -(i & 0xffff) / 2048],
    ["timestamp", ev.timestamp, BASE_US + i], ["spotBid", ev.spotBid, i], ["spotAsk", ev.spotAsk, i + 0.25],
    ["futuresBid", ev.futuresBid, i + 0.75], ["futuresAsk", ev.futuresAsk, i + 1.5],
    ["spotAgeUs", ev.spotAgeUs, (i * 2) >>> 0], ["futuresAgeUs", ev.futuresAgeUs, (i * 3) >>> 0],
  ];
  for (const [name, got, want] of checks) if (got !== want) return `event ${i}: ${name} ${got} != ${want}`;
  return "";
}

export function fillHealth(h: HealthRecord, n: number): void {
  h.kind = 1;
  h.state = 2;
  h.lastError = n & 0xffff;
  h.pid = process.pid;
  h.reconnects = n >>> 0;
  h.heartbeatAt = BASE_US + n;
  h.startedAt = BASE_US;
  h.messages = n * 3;
  h.updates = n * 2;
  h.invalid = (n * 5) >>> 0;
  h.connectionsUp = n & 0xff;
  h.symbolsLive = (n + 1) & 0xffff;
  h.symbolsStale = (n + 2) & 0xffff;
  h.symbolsRejected = (n + 3) & 0xffff;
  h.configGeneration = n >>> 0;
}

export function healthPatternOk(h: HealthRecord): boolean {
  const n = h.heartbeatAt - BASE_US;
  return h.reconnects === n >>> 0 && h.lastError === (n & 0xffff) && h.messages === n * 3 && h.updates === n * 2 &&
    h.invalid === (n * 5) >>> 0 && h.connectionsUp === (n & 0xff) && h.symbolsLive === ((n + 1) & 0xffff) &&
    h.symbolsStale === ((n + 2) & 0xffff) && h.symbolsRejected === ((n + 3) & 0xffff) && h.configGeneration === n >>> 0;
}

/** The symbol a bitmap setter touches at step t (a fixed pseudo-random walk over 0..1023). */
export function setterSymbol(t: number): number {
  return Math.imul(t, 2654435761) >>> 22;
}

/** Funding entry n: every field derives from n (rate carries it); intervals cycle through 60..480 minutes. */
export function writeFundingPattern(store: FundingStore, source: number, symbol: number, n: number): void {
  store.write(source, symbol, n * 1e-6, -n * 1e-6, BASE_US + n * 13, 60 << (n & 3), BASE_US + n * 7, BASE_US + n, n * 11);
}

export function fundingPatternOk(v: FundingValue): boolean {
  const n = Math.round(v.rate * 1e6);
  return v.rate === n * 1e-6 && v.predictedRate === -n * 1e-6 && v.nextFundingAt === BASE_US + n * 13 && v.intervalMin === 60 << (n & 3) &&
    v.exchangeTs === BASE_US + n * 7 && v.updatedAt === BASE_US + n && v.recvMono === n * 11 && v.flags === 1;
}
