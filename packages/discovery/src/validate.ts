// Stage 5: WS validation of every accepted listing, per source in parallel, through the same adapters the feeds use.
// A source's symbols are cut into batches of validation_batch; batches run concurrently up to
// validation_connections sockets per source, and new sockets of one exchange open at least connect_interval_ms apart.
import { SOURCE_NAMES, sourceExchange, type SourceEndpoint } from "@spread/common";
import type { VenueAdapter } from "@spread/exchanges";
import { chunk, runBatch, type BatchResult } from "./batch.ts";
import { IntervalGate, pool } from "./gate.ts";
import type { PairValidation, SourceValidation } from "./types.ts";

export interface ValidationSettings {
  readonly batchTimeoutMs: number;
  readonly collectMs: number;
  readonly idleMs: number;
  readonly connectAttempts: number;
  readonly connectBackoffMs: readonly number[];
  /** Concurrent sockets per source. */
  readonly maxConnections: number;
  /** Minimum spacing of new sockets per exchange. */
  readonly connectIntervalMs: number;
  readonly openTimeoutMs: number;
}

export interface SourceValidationInput {
  readonly adapter: VenueAdapter;
  readonly endpoint: SourceEndpoint;
  /** Exchange symbols to validate. */
  readonly symbols: readonly string[];
}

export interface ValidationProgress {
  onBatch?(source: number, e: { batch: number; batches: number; state: "start" | "done"; result?: BatchResult }): void;
  onAnswered?(source: number, answered: number, total: number): void;
}

/** How one source's symbols are split: batch size, sockets per batch, symbols per subscribe request. */
export function planSource(adapter: VenueAdapter, endpoint: SourceEndpoint, count: number, maxConnections: number) {
  const batchSize = Math.max(1, endpoint.validation_batch);
  const subsPerConnection = Math.max(1, Math.min(adapter.maxSubsPerConnection, endpoint.max_subs_per_connection));
  const requestSize = Math.max(1, Math.min(endpoint.subscribe_batch, batchSize, adapter.maxSubscribeBatch));
  const batches = Math.ceil(count / batchSize);
  const connsPerBatch = Math.ceil(Math.min(batchSize, Math.max(count, 1)) / subsPerConnection);
  const concurrentBatches = Math.max(1, Math.floor(maxConnections / connsPerBatch));
  return { batchSize, subsPerConnection, requestSize, batches, connsPerBatch, concurrentBatches };
}

export async function validateSource(input: SourceValidationInput, s: ValidationSettings, gate: IntervalGate, progress: ValidationProgress = {}): Promise<SourceValidation> {
  const t0 = performance.now();
  const { adapter, endpoint } = input;
  const symbols = [...input.symbols].sort();
  const plan = planSource(adapter, endpoint, symbols.length, s.maxConnections);
  const batches = chunk(symbols, plan.batchSize);
  const answered = new Array<number>(batches.length).fill(0);
  const url = adapter.wsUrl(endpoint.ws_url);
  const results = await pool(batches, plan.concurrentBatches, async (syms, i) => {
    progress.onBatch?.(adapter.source, { batch: i, batches: batches.length, state: "start" });
    const r = await runBatch({
      adapter,
      url,
      symbols: syms,
      subsPerConnection: plan.subsPerConnection,
      requestSize: plan.requestSize,
      msgIntervalMs: Math.ceil(1000 / endpoint.max_msgs_per_sec),
      pingIntervalMs: endpoint.ping_interval_ms,
      batchTimeoutMs: s.batchTimeoutMs,
      collectMs: s.collectMs,
      idleMs: s.idleMs,
      openTimeoutMs: s.openTimeoutMs,
      connectAttempts: s.connectAttempts,
      connectBackoffMs: s.connectBackoffMs,
      gate: () => gate.acquire(),
      idStart: 1 + i * 100_000,
      onProgress: (a) => {
        answered[i] = a;
        progress.onAnswered?.(adapter.source, answered.reduce((x, y) => x + y, 0), symbols.length);
      },
    });
    progress.onBatch?.(adapter.source, { batch: i, batches: batches.length, state: "done", result: r });
    return r;
  });
  const pairs = new Map<string, PairValidation>();
  for (const r of results) for (const p of r.pairs) pairs.set(p.exchangeSymbol, p);
  const valid = [...pairs.values()].filter((p) => p.status === "valid").length;
  const connections = results.reduce((k, r) => k + r.connections, 0);
  const dead = results.reduce((k, r) => k + r.deadConnections, 0);
  const lastError = results.map((r) => r.lastError).find((e) => e !== null) ?? null;
  let error: string | null = null;
  if (symbols.length === 0) error = `${SOURCE_NAMES[adapter.source]}: nothing to validate`;
  else if (valid === 0) {
    error = dead === connections && lastError ? `${SOURCE_NAMES[adapter.source]}: WebSocket unreachable: ${lastError}` : `${SOURCE_NAMES[adapter.source]}: no pair produced a valid bid/ask${lastError ? ` (last error: ${lastError})` : ""}`;
  }
  return {
    source: adapter.source,
    ok: valid > 0,
    error,
    pairs,
    batches: batches.length,
    connections,
    connectionFailures: results.reduce((k, r) => k + r.connectionFailures, 0),
    malformedFrames: results.reduce((k, r) => k + r.malformed, 0),
    ms: Math.round(performance.now() - t0),
  };
}

/** Validates every given source in parallel; one connection gate per exchange (spot and futures share an IP budget). */
export async function validateAll(inputs: readonly SourceValidationInput[], s: ValidationSettings, progress: ValidationProgress = {}): Promise<SourceValidation[]> {
  const gates = new Map<string, IntervalGate>();
  const gateFor = (source: number) => {
    const ex = sourceExchange(source);
    let g = gates.get(ex);
    if (!g) gates.set(ex, (g = new IntervalGate(s.connectIntervalMs)));
    return g;
  };
  return Promise.all(inputs.map((i) => validateSource(i, s, gateFor(i.adapter.source), progress)));
}
