// Fault matrix, exchange faults against the feeds: one simulator, one discovery run, the 8 real feed processes, and
// each fault family injected into every source at once and asserted per source (docs/operations.md "Fault matrix",
// "Exchange faults"). Families run in order on the same bed; each one ends with every source recovered.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync } from "node:fs";
import { monoMicros, SOURCE_NAMES, type Generation, type SourceName } from "@spread/common";
import { HealthError, HealthState, PriceFlag } from "@spread/shm";
import { FeedBed, waitFor } from "../feed/harness.ts";

const bed = new FeedBed();
let gen: Generation;
const SOURCES = [0, 1, 2, 3, 4, 5, 6, 7] as const;
const DATA_TIMEOUT_MS = 2000;
const PING = { ping_interval_ms: 400, pong_timeout_ms: 800 };
const TICK_MS = 250; // the pool's watchdog period
const FEED = { reconnect_base_ms: 50, reconnect_max_ms: 800, reconnect_reset_after_ms: 4000, reject_retry_ms: 1000, reject_retry_max_ms: 2000 };

const ids = (s: number) => gen.sources[s]!.entries.map((e) => e.symbolId);
const name = (s: number) => SOURCE_NAMES[s]! as SourceName;
const isStale = (s: number, id: number) => {
  const f = bed.quote(s, id).flags;
  return (f & PriceFlag.valid) === 0 || (f & PriceFlag.stale) !== 0;
};
/** A fresh price this feed wrote after `mono` (CLOCK_MONOTONIC µs, the same clock in every process). */
const writtenSince = (s: number, id: number, mono: number) => {
  const q = bed.quote(s, id);
  return (q.flags & (PriceFlag.valid | PriceFlag.stale)) === PriceFlag.valid && q.recvMono > mono;
};

/** Runs `fn` for every source in parallel; returns name → result, so one toEqual shows every source's outcome. */
async function perSource<T>(fn: (s: number) => Promise<T> | T, only: readonly number[] = SOURCES): Promise<Record<string, T>> {
  const out = await Promise.all(only.map(async (s) => [name(s), await fn(s)] as const));
  return Object.fromEntries(out);
}
const same = <T>(v: T, only: readonly number[] = SOURCES): Record<string, T> => Object.fromEntries(only.map((s) => [name(s), v]));

/** The feed's log lines (pino JSON) from byte `from` on. */
async function logLines(s: number, from = 0): Promise<any[]> {
  return (await bed.log(s)).slice(from).split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
}
const logSize = async (s: number) => (await bed.log(s)).length;

/** Waits until every served symbol of `s` has a fresh price written after `mono`; returns the ms it took. */
const recovered = (s: number, mono: number, ms = 10_000) => waitFor(`${name(s)}: every symbol fresh again`, () => ids(s).every((id) => writtenSince(s, id, mono)), ms);

/** Waits until `s` has every connection up and no reconnect for longer than a ping round trip can take. */
async function settled(s: number): Promise<void> {
  const quietMs = PING.ping_interval_ms + PING.pong_timeout_ms + 2 * TICK_MS + 200;
  let last = -1;
  let since = performance.now();
  await waitFor(`${name(s)}: reconnects settle`, () => {
    const h = bed.health(s);
    if (h.reconnects !== last || h.connectionsUp === 0) {
      last = h.reconnects;
      since = performance.now();
    }
    return performance.now() - since >= quietMs;
  }, 10_000);
}

/** Every served price of `s` is sane and matches the venue's current book (store = venue price / multiplier). */
function pricesMatchVenue(s: number, tolerance = 0.02): string[] {
  const bad: string[] = [];
  const inst = bed.sim.universe.instruments[s]!;
  const book = bed.sim.market.books[s]!;
  for (const e of gen.sources[s]!.entries) {
    const q = bed.quote(s, e.symbolId);
    if ((q.flags & PriceFlag.valid) === 0) continue;
    if (!(q.bid > 0 && q.ask > 0 && q.bid < q.ask && Number.isFinite(q.ask))) bad.push(`${e.exchangeSymbol}: ${q.bid}/${q.ask}`);
    const i = bed.sim.universe.bySymbol[s]!.get(e.exchangeSymbol)!;
    const venueMid = ((book.bid[i]! + book.ask[i]!) / 2) * inst[i]!.tick;
    const mid = ((q.bid + q.ask) / 2) * e.multiplier;
    if (Math.abs(mid / venueMid - 1) > tolerance) bad.push(`${e.exchangeSymbol}: ${mid} vs venue ${venueMid}`);
  }
  return bad;
}

beforeAll(async () => {
  await bed.start({
    scenario: {
      sim: { seed: 11 },
      // No silent or anomalous symbols: every served symbol must be priced, so "every symbol" is exact.
      universe: { scale: 0.12, silent_per_source: 0, anomalies_per_source: 0 },
      rate: { total: 6000, min_per_symbol: 2 },
      episodes: [],
    },
    endpoints: Object.fromEntries(SOURCE_NAMES.map((n) => [n, { data_timeout_ms: DATA_TIMEOUT_MS, symbol_stale_ms: 5000, ...(n.startsWith("binance") ? {} : PING) }])),
    discovery: { validate: false, min_sources: 8 },
    feed: { ...FEED, funding_poll_ms: 0 },
  });
  gen = await bed.discover();
  for (const s of SOURCES) bed.startFeed(s);
  const unpriced = (s: number) => gen.sources[s]!.entries.filter((e) => !writtenSince(s, e.symbolId, 0)).map((e) => e.exchangeSymbol);
  await Promise.all(SOURCES.map((s) => waitFor(`${name(s)} prices every symbol`, () => ids(s).length > 0 && unpriced(s).length === 0, 30_000).catch((err) => {
    throw new Error(`${(err as Error).message}; unpriced: ${unpriced(s).join(" ")}`);
  })));
}, 90_000);

// A failed assertion must not leave its fault on for the next family.
afterEach(() => {
  bed.sim?.clearFaults();
});

afterAll(async () => {
  await bed.cleanup();
}, 30_000);

describe("exchange faults, every source at once", () => {
  test("dropped connections: entries stale at once and through the outage; reconnect with exponential backoff; every symbol resubscribed", async () => {
    const WINDOW_MS = 3000;
    const r0 = await perSource((s) => bed.health(s).reconnects);
    const log0 = await perSource(logSize);
    // Every connection terminated (1006); new upgrades refused with HTTP 503 for the window.
    bed.sim.addFault({ source: "all", kind: "drop", connections: "all", duration_s: WINDOW_MS / 1000 });
    const t0 = performance.now();
    await perSource((s) => waitFor(`${name(s)}: every entry stale`, () => ids(s).every((id) => isStale(s, id)), 1500, 10));
    // Through the outage no price looks live.
    const liveDuring = await perSource(async (s) => {
      let live = 0;
      while (performance.now() - t0 < WINDOW_MS - 300) {
        live += ids(s).filter((id) => !isStale(s, id)).length;
        await Bun.sleep(50); // a window, not a wait: sampled through the whole outage
      }
      return live;
    });
    expect(liveDuring).toEqual(same(0));
    const mono = monoMicros();
    await perSource((s) => recovered(s, mono));
    const outcome = await perSource(async (s) => {
      const h = bed.health(s);
      // Backoff per slot: consecutive attempts n, n+1, … (n = 1 unless the slot already failed within
      // reconnect_reset_after_ms), attempt a waiting within [d/2, d] for d = base × 2^(a−1), capped.
      const lines = (await logLines(s, log0[name(s)])).filter((l) => l.msg === "connection closed; reconnecting");
      const bySlot = new Map<number, any[]>();
      for (const l of lines) bySlot.set(l.slot, [...(bySlot.get(l.slot) ?? []), l]);
      const problems: string[] = [];
      for (const [slot, ls] of bySlot) {
        if (ls.length < 2) problems.push(`slot ${slot}: only ${ls.length} attempt(s) during a ${WINDOW_MS} ms refusal`);
        if (ls.length > 10) problems.push(`slot ${slot}: ${ls.length} attempts (no backoff?)`);
        ls.forEach((l, k) => {
          const d = Math.min(FEED.reconnect_max_ms, FEED.reconnect_base_ms * 2 ** (l.attempt - 1));
          if (l.attempt !== ls[0].attempt + k || l.delayMs < Math.floor(d / 2) || l.delayMs > d) problems.push(`slot ${slot} #${k + 1}: attempt ${l.attempt} delay ${l.delayMs} (want ${d / 2}..${d})`);
        });
      }
      return { reconnected: h.reconnects > r0[name(s)]!, slots: bySlot.size > 0, problems, alive: bed.feeds.get(s)!.proc.exitCode === null };
    });
    expect(outcome).toEqual(same({ reconnected: true, slots: true, problems: [], alive: true }));
  }, 30_000);

  test("silent sockets: detected within data_timeout_ms, every entry stale meanwhile and while silence lasts; fresh again after", async () => {
    const r0 = await perSource((s) => bed.health(s).reconnects);
    const log0 = await perSource(logSize);
    const f = bed.sim.addFault({ source: "all", kind: "silent", connections: "all" });
    const detected = await perSource((s) => waitFor(`${name(s)}: silence detected (every entry stale)`, () => ids(s).every((id) => isStale(s, id)), DATA_TIMEOUT_MS + 2000, 20));
    // Bound: the timeout, one watchdog tick, slack for a loaded box.
    for (const [n, ms] of Object.entries(detected)) expect({ n, within: ms <= DATA_TIMEOUT_MS + TICK_MS + 1000 }).toEqual({ n, within: true });
    // The replacements are silent too: a second detection cycle passes with nothing looking live.
    const t1 = performance.now();
    const liveDuring = await perSource(async (s) => {
      let live = 0;
      while (performance.now() - t1 < DATA_TIMEOUT_MS + 500) {
        live += ids(s).filter((id) => !isStale(s, id)).length;
        await Bun.sleep(50); // a window, not a wait: sampled through a whole detection cycle
      }
      return live;
    });
    expect(liveDuring).toEqual(same(0));
    const during = await perSource(async (s) => {
      const h = bed.health(s);
      const kills = (await logLines(s, log0[name(s)])).filter((l) => l.msg === "connection dead; replacing it").map((l) => /^no data for (\d+) ms$/.exec(l.reason));
      return {
        reconnected: h.reconnects > r0[name(s)]!,
        stale: h.symbolsStale === ids(s).length,
        degraded: h.state === HealthState.degraded,
        error: h.lastError === HealthError.timeout,
        killsForSilence: kills.length > 0 && kills.every((m) => m !== null && Number(m[1]) >= DATA_TIMEOUT_MS),
      };
    });
    expect(during).toEqual(same({ reconnected: true, stale: true, degraded: true, error: true, killsForSilence: true }));
    bed.sim.clearFaults({ id: f.id });
    const mono = monoMicros();
    await perSource((s) => recovered(s, mono));
    expect(await perSource((s) => waitFor(`${name(s)} running`, () => bed.health(s).state === HealthState.running, 3000).then(() => true))).toEqual(same(true));
  }, 30_000);

  test("unanswered pings: the connection is declared dead (pong timeout) and replaced; Binance (the venue pings) keeps its connections", async () => {
    const CLIENT_PINGS = [2, 3, 4, 5, 6, 7];
    const BINANCE = [0, 1];
    const r0 = await perSource((s) => bed.health(s).reconnects);
    const u0 = await perSource((s) => bed.health(s).updates);
    const log0 = await perSource(logSize);
    // OKX pings only an idle connection (a busy one needs none): silence its data so its ping is due.
    const faults = [bed.sim.addFault({ source: "all", kind: "no_pong", connections: "all" }), bed.sim.addFault({ source: "okx_spot", kind: "silent" }), bed.sim.addFault({ source: "okx_futures", kind: "silent" })];
    const bound = PING.ping_interval_ms + PING.pong_timeout_ms + 2 * TICK_MS + 1000;
    const firstKill = async (s: number) => (await logLines(s, log0[name(s)])).find((l) => l.msg === "connection dead; replacing it")?.reason ?? null;
    const detected = await perSource((s) => waitFor(`${name(s)}: pong timeout`, async () => (await firstKill(s)) !== null, bound, 20), CLIENT_PINGS);
    await perSource((s) => waitFor(`${name(s)}: reconnect in Health`, () => bed.health(s).reconnects > r0[name(s)]!, 10_000), CLIENT_PINGS);
    const outcome = await perSource(async (s) => ({ reason: await firstKill(s), reconnected: bed.health(s).reconnects > r0[name(s)]!, error: bed.health(s).lastError }), CLIENT_PINGS);
    expect(outcome).toEqual(same({ reason: "pong timeout", reconnected: true, error: HealthError.timeout }, CLIENT_PINGS));
    // Pong timeout catches a dead OKX connection before the data timeout would.
    for (const s of [6, 7]) expect(detected[name(s)]!).toBeLessThan(DATA_TIMEOUT_MS);
    const binance = await perSource((s) => ({ reconnects: bed.health(s).reconnects - r0[name(s)]!, flowing: bed.health(s).updates > u0[name(s)]! }), BINANCE);
    expect(binance).toEqual(same({ reconnects: 0, flowing: true }, BINANCE));
    for (const f of faults) bed.sim.clearFaults({ id: f.id });
    const mono = monoMicros();
    await perSource((s) => recovered(s, mono));
    // A ping sent before the clear is never answered: its connection is replaced once more. Wait for quiet.
    await perSource(settled);
  }, 30_000);

  test("malformed, truncated and garbage frames: each counted in Health invalid, nothing bad published, valid frames around them applied, no reconnect", async () => {
    const COUNT = 4;
    for (const kind of ["malformed", "truncated", "garbage"]) {
      const h0 = await perSource((s) => bed.health(s));
      const faults = SOURCES.map((s) => bed.sim.addFault({ source: name(s), kind, probability: 0.5, count: COUNT }));
      await waitFor(`every ${kind} frame sent`, () => faults.every((f) => !bed.sim.faults.list.includes(f)), 10_000, 20);
      await perSource((s) => waitFor(`${name(s)}: ${kind} frames counted`, () => bed.health(s).invalid >= h0[name(s)]!.invalid + COUNT, 3000, 20));
      // A window, not a wait: two more Health writes, and nothing else is counted meanwhile.
      const hb = performance.now();
      await Bun.sleep(500);
      expect(performance.now() - hb).toBeGreaterThanOrEqual(500);
      const outcome = await perSource((s) => {
        const h = bed.health(s);
        const was = h0[name(s)]!;
        return {
          invalid: h.invalid - was.invalid,
          reconnects: h.reconnects - was.reconnects,
          applied: h.updates > was.updates,
          pid: h.pid === was.pid && bed.feeds.get(s)!.proc.exitCode === null,
          prices: pricesMatchVenue(s),
        };
      });
      expect({ kind, outcome }).toEqual({ kind, outcome: same({ invalid: COUNT, reconnects: 0, applied: true, pid: true, prices: [] as string[] }) });
    }
    expect(await perSource((s) => bed.health(s).lastError)).toEqual(same(HealthError.parse));
  }, 40_000);

  test("refused subscriptions: only the bad symbol is refused (whole-batch refusals split up), counted, retried with backoff, taken back once the venue accepts it", async () => {
    // One listed symbol per source, mid-list so it shares a subscribe request with others.
    const bad = await perSource((s) => gen.sources[s]!.entries[Math.floor(gen.sources[s]!.entries.length / 2)]!);
    const log0 = await perSource(logSize);
    const rejects = SOURCES.map((s) => bed.sim.addFault({ source: name(s), kind: "reject", symbols: [bad[name(s)]!.exchangeSymbol] }));
    // Refusals apply to new subscriptions: every source resubscribes everything after a drop.
    bed.sim.addFault({ source: "all", kind: "drop", connections: "all" });
    const mono = monoMicros();
    await perSource((s) => waitFor(`${name(s)}: one symbol refused`, () => bed.health(s).symbolsRejected === 1, 10_000));
    const others = (s: number) => ids(s).filter((id) => id !== bad[name(s)]!.symbolId);
    await perSource((s) => waitFor(`${name(s)}: every other symbol fresh`, () => others(s).every((id) => writtenSince(s, id, mono)), 15_000));
    // The refusal is retried (reject_retry_ms) and refused again while the venue still refuses.
    const retried = async (s: number) => (await logLines(s, log0[name(s)])).some((l) => l.msg === "subscribing refused symbols again");
    await perSource((s) => waitFor(`${name(s)}: refused symbol retried`, () => retried(s), FEED.reject_retry_ms + 3000));
    // While the retry's request is in flight the symbol is not counted refused; the venue's answer refuses it again.
    await perSource((s) => waitFor(`${name(s)}: refused again`, () => bed.health(s).symbolsRejected === 1, 5000));
    const during = await perSource(async (s) => {
      const b = bad[name(s)]!;
      const h = bed.health(s);
      const warned = (await logLines(s, log0[name(s)])).filter((l) => l.msg.startsWith("subscription rejected by the exchange")).map((l) => l.symbol);
      return { rejected: h.symbolsRejected, error: h.lastError, warned, stale: isStale(s, b.symbolId) && !writtenSince(s, b.symbolId, mono) };
    });
    expect(during).toEqual(Object.fromEntries(SOURCES.map((s) => [name(s), { rejected: 1, error: HealthError.subscribe, warned: [bad[name(s)]!.exchangeSymbol], stale: true }])));
    // The venue lists it again: the next retry (at most reject_retry_max_ms away) takes it back.
    for (const f of rejects) bed.sim.clearFaults({ id: f.id });
    const mono2 = monoMicros();
    await perSource((s) => waitFor(`${name(s)}: refused symbol back`, () => bed.health(s).symbolsRejected === 0 && writtenSince(s, bad[name(s)]!.symbolId, mono2), FEED.reject_retry_max_ms + 5000));
  }, 60_000);

  test("slow delivery: no reconnect, prices stay correct, ages (receipt − exchange time) show the delay; back to normal after", async () => {
    const DELAY_MS = 600;
    // Binance spot's bookTicker carries no exchange time: its age can only be counted from receipt.
    const TIMED = [1, 2, 3, 4, 5, 6, 7];
    const r0 = await perSource((s) => bed.health(s).reconnects);
    const f = bed.sim.addFault({ source: "all", kind: "slow", delay_ms: DELAY_MS });
    const mono = monoMicros() + DELAY_MS * 1000;
    // Every symbol is written again through the delayed stream (min_per_symbol 2/s), after the delay.
    await perSource((s) => recovered(s, mono, 10_000 + DELAY_MS));
    const lag = (s: number) => {
      const lags: number[] = [];
      for (const id of ids(s)) {
        const q = bed.quote(s, id);
        if (q.recvMono > mono && q.exchangeTs > 0) lags.push((q.updatedAt - q.exchangeTs) / 1000);
      }
      return lags.sort((a, b) => a - b);
    };
    const during = await perSource((s) => {
      const l = lag(s);
      return { reconnects: bed.health(s).reconnects - r0[name(s)]!, minLagOk: l.length === 0 ? "no exchange time" : l[0]! >= DELAY_MS - 100, prices: pricesMatchVenue(s) };
    });
    expect(during).toEqual({ ...same({ reconnects: 0, minLagOk: true, prices: [] as string[] }, TIMED), binance_spot: { reconnects: 0, minLagOk: "no exchange time", prices: [] } });
    bed.sim.clearFaults({ id: f.id });
    const mono2 = monoMicros();
    await perSource((s) => recovered(s, mono2));
    const after = await perSource((s) => {
      const l = lag(s).filter((x) => x > 0);
      return l.length === 0 || l[Math.floor(l.length / 2)]! < DELAY_MS / 2;
    });
    expect(after).toEqual(same(true));
  }, 40_000);
});

test("no shm leftovers from this file", async () => {
  await bed.cleanup();
  expect(readdirSync("/dev/shm").filter((f) => f.startsWith(bed.prefix))).toEqual([]);
  expect(existsSync(bed.dir)).toBe(false);
}, 30_000);
