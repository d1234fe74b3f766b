// One validation batch: as many connections as the per-connection cap requires, ended when every pair answered,
// after idle_s without a new answer, after collect_s from the last subscribe frame, or at batch_timeout_s.
import type { VenueAdapter } from "@spread/exchanges";
import { PairState } from "./pair-state.ts";
import { ValidationConnection } from "./ws-connection.ts";
import type { PairValidation } from "./types.ts";

export interface BatchOptions {
  readonly adapter: VenueAdapter;
  readonly url: string;
  readonly symbols: readonly string[];
  readonly subsPerConnection: number;
  readonly requestSize: number;
  readonly msgIntervalMs: number;
  readonly pingIntervalMs: number;
  readonly batchTimeoutMs: number;
  readonly collectMs: number;
  readonly idleMs: number;
  readonly openTimeoutMs: number;
  readonly connectAttempts: number;
  readonly connectBackoffMs: readonly number[];
  readonly gate: () => Promise<void>;
  readonly idStart: number;
  readonly onProgress?: (answered: number, total: number) => void;
}

export interface BatchResult {
  readonly pairs: PairValidation[];
  readonly connections: number;
  readonly connectionFailures: number;
  /** Connections that never got a socket open (all attempts failed). */
  readonly deadConnections: number;
  readonly malformed: number;
  readonly unattributedErrors: number;
  readonly endedBy: "all_answered" | "idle" | "collect" | "timeout" | "connections_gone";
  readonly lastError: string | null;
  readonly ms: number;
}

export function chunk<T>(xs: readonly T[], size: number): T[][] {
  const n = Math.max(1, Math.floor(size));
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

export async function runBatch(o: BatchOptions): Promise<BatchResult> {
  const t0 = performance.now();
  const pairs = new Map(o.symbols.map((s) => [s, new PairState(s)] as const));
  let lastProgress = t0;
  let lastSent: number | null = null;
  let answered = 0;
  const countAnswered = () => {
    let n = 0;
    for (const p of pairs.values()) if (p.heard) n++;
    return n;
  };
  const conns = chunk(o.symbols, o.subsPerConnection).map(
    (syms, i) =>
      new ValidationConnection(
        {
          adapter: o.adapter,
          url: o.url,
          requestSize: o.requestSize,
          msgIntervalMs: o.msgIntervalMs,
          pingIntervalMs: o.pingIntervalMs,
          openTimeoutMs: o.openTimeoutMs,
          attempts: o.connectAttempts,
          backoffMs: o.connectBackoffMs,
          idStart: o.idStart + i * 10_000,
          gate: o.gate,
          pairs,
          onProgress: () => {
            lastProgress = performance.now();
            const a = countAnswered();
            if (a !== answered) {
              answered = a;
              o.onProgress?.(a, pairs.size);
            }
          },
          onSent: () => {
            lastSent = lastProgress = performance.now();
          },
        },
        syms,
      ),
  );
  let endedBy: BatchResult["endedBy"] = "connections_gone";
  let stop!: () => void;
  const stopped = new Promise<void>((r) => (stop = r));
  const tick = Math.max(10, Math.min(100, o.idleMs / 5));
  const timer = setInterval(() => {
    const now = performance.now();
    const all = [...pairs.values()].every((p) => p.done);
    if (all) endedBy = "all_answered";
    else if (now - t0 >= o.batchTimeoutMs) endedBy = "timeout";
    else if (lastSent !== null && conns.every((c) => c.settled) && now - lastSent >= o.collectMs) endedBy = "collect";
    else if (lastSent !== null && conns.every((c) => c.settled) && now - lastProgress >= o.idleMs) endedBy = "idle";
    else return;
    stop();
  }, tick);
  const runs = Promise.all(conns.map((c) => c.run()));
  await Promise.race([runs, stopped]);
  clearInterval(timer);
  for (const c of conns) c.stop();
  await runs;
  const dead = conns.filter((c) => c.attemptsMade > 0 && c.failures >= c.attemptsMade && c.attemptsMade >= o.connectAttempts).length;
  return {
    pairs: [...pairs.values()].map((p) => p.freeze()),
    connections: conns.length,
    connectionFailures: conns.reduce((k, c) => k + c.failures, 0),
    deadConnections: dead,
    malformed: conns.reduce((k, c) => k + c.malformed, 0),
    unattributedErrors: conns.reduce((k, c) => k + c.unattributedErrors, 0),
    endedBy,
    lastError: conns.map((c) => c.lastError).find((e) => e !== null) ?? null,
    ms: Math.round(performance.now() - t0),
  };
}
