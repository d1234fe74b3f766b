// Stage 3: WS validation of every accepted listing, per source in parallel, on the shared connection engine
// (ConnectionPool from @spread/exchanges: the same adapters, batching, heartbeats, reconnects and rejected-batch
// recovery the feeds use). Per source one pool over its pairs with a ValidationSink: first valid update → valid,
// only unusable prices → invalid_prices, refused by the venue → rejected, nothing → no_data.
//
// Sockets: validation_batch pairs per socket (raised where the venue's per-connection cap forces more), at most
// validation_connections per source at once; subscribe requests of validation_batch pairs (capped by the venue's
// per-request limit). A source needing more sockets than that runs in several rounds ("batches" in the progress
// output and the report); usually a source is one round. New sockets of one exchange (spot and futures share an IP
// budget) open at least connect_interval_ms apart through one shared ConnectPacer.
//
// Timing per socket (validation_batch pairs, as one batch was before): a socket is done when every pair on it
// answered (valid or refused), when it gave up (fetch_attempts failures), or once it is open with its subscribe
// requests sent and either idle_s passed without a first answer from its pairs (counted from its last subscribe
// request at the earliest) or collect_s passed since its last subscribe request. A round ends when every socket is
// done, or at batch_timeout_s from its start.
import { SOURCE_NAMES, createLogger, sourceExchange, type Logger, type SourceEndpoint } from "@spread/common";
import { ConnectPacer, ConnectionPool, FeedSymbols, type SlotStatus, type SocketFactory, type VenueAdapter } from "@spread/exchanges";
import { PairState, ValidationSink } from "./pair-state.ts";
import type { PairValidation, SourceValidation } from "./types.ts";

export interface ValidationSettings {
  /** Per round (see above). */
  readonly batchTimeoutMs: number;
  readonly collectMs: number;
  readonly idleMs: number;
  /** Failures (connect failures, drops) after which a socket gives up. */
  readonly connectAttempts: number;
  /** Reconnect delay: from the first value, doubling (with jitter) up to the largest. */
  readonly connectBackoffMs: readonly number[];
  /** Concurrent sockets per source. */
  readonly maxConnections: number;
  /** Minimum spacing of new sockets per exchange. */
  readonly connectIntervalMs: number;
  readonly openTimeoutMs: number;
  /** Connection-level log lines (reconnects, refusals); default silent, the report carries the outcome. */
  readonly log?: Logger;
  /** Tests: a scripted socket instead of Bun's WebSocket. */
  readonly socketFactory?: SocketFactory;
}

export interface SourceValidationInput {
  readonly adapter: VenueAdapter;
  readonly endpoint: SourceEndpoint;
  /** Exchange symbols to validate. */
  readonly symbols: readonly string[];
}

export interface RoundResult {
  readonly pairs: number;
  /** Sockets (pool slots) of the round. */
  readonly connections: number;
  /** Unplanned socket closes, connect failures included. */
  readonly connectionFailures: number;
  /** Sockets that never opened (gave up). */
  readonly deadConnections: number;
  readonly malformed: number;
  /** all_answered: every pair valid or refused; sockets_done: every socket idle / collected / gave up. */
  readonly endedBy: "all_answered" | "sockets_done" | "timeout" | "connections_gone";
  readonly lastError: string | null;
  readonly ms: number;
}

export interface ValidationProgress {
  onBatch?(source: number, e: { batch: number; batches: number; state: "start" | "done"; result?: RoundResult }): void;
  onAnswered?(source: number, answered: number, total: number): void;
}

export interface SourcePlan {
  /** Symbols per subscribe request: validation_batch, capped by the venue's per-request limit. */
  readonly requestSize: number;
  /** The venue's per-connection cap (exchanges.toml, never above the adapter's). */
  readonly subsPerConnection: number;
  /** Rounds: pairs and sockets of each. */
  readonly rounds: readonly { readonly pairs: number; readonly connections: number }[];
  /** = rounds.length (progress, report). */
  readonly batches: number;
  /** Sockets over all rounds. */
  readonly connections: number;
  /** Subscribe requests over all rounds when nothing is refused (pairs spread round-robin over the sockets). */
  readonly requests: number;
}

/** How one source's pairs are split into rounds, sockets and subscribe requests. */
export function planSource(adapter: VenueAdapter, endpoint: SourceEndpoint, count: number, maxConnections: number): SourcePlan {
  const perSocket = Math.max(1, endpoint.validation_batch);
  const subsPerConnection = Math.max(1, Math.min(adapter.maxSubsPerConnection, endpoint.max_subs_per_connection));
  const requestSize = Math.max(1, Math.min(endpoint.validation_batch, adapter.maxSubscribeBatch));
  const maxConns = Math.max(1, maxConnections);
  // symbol ids inside a round are u16 pair indexes
  const nRounds = count === 0 ? 0 : Math.ceil(count / Math.min(maxConns * subsPerConnection, 65536));
  const rounds: { pairs: number; connections: number }[] = [];
  let requests = 0;
  for (let r = 0, left = count; r < nRounds; r++) {
    const pairs = Math.ceil(left / (nRounds - r));
    left -= pairs;
    const connections = Math.min(maxConns, Math.max(Math.ceil(pairs / perSocket), Math.ceil(pairs / subsPerConnection)));
    rounds.push({ pairs, connections });
    // round-robin as ConnectionPool.start(): `extra` sockets hold one pair more
    const base = Math.floor(pairs / connections);
    const extra = pairs % connections;
    requests += extra * Math.ceil((base + 1) / requestSize) + (connections - extra) * Math.ceil(base / requestSize);
  }
  return { requestSize, subsPerConnection, rounds, batches: rounds.length, connections: rounds.reduce((k, r) => k + r.connections, 0), requests };
}

interface RoundInput {
  readonly adapter: VenueAdapter;
  readonly endpoint: SourceEndpoint;
  readonly pairs: readonly PairState[];
  readonly connections: number;
  readonly settings: ValidationSettings;
  readonly pacer: ConnectPacer;
  readonly log: Logger;
  readonly onAnswered: (answered: number) => void;
}

async function runRound(o: RoundInput): Promise<RoundResult> {
  const t0 = performance.now();
  const s = o.settings;
  const sink = new ValidationSink(o.pairs, () => o.onAnswered(sink.answered));
  const backoff = s.connectBackoffMs.length ? s.connectBackoffMs : [100];
  const pool = new ConnectionPool({
    adapter: o.adapter,
    // subscribe requests of validation_batch pairs; sockets as planned (the pool raises them where the cap forces)
    endpoint: { ...o.endpoint, subscribe_batch: o.endpoint.validation_batch, connections: o.connections },
    timings: { reconnect_base_ms: Math.max(1, backoff[0]!), reconnect_max_ms: Math.max(1, ...backoff), reconnect_reset_after_ms: 3_600_000 },
    symbols: new FeedSymbols(o.pairs.map((p, i) => ({ symbolId: i, exchangeSymbol: p.exchangeSymbol, multiplier: 1, qtyFactor: 1 }))),
    sink,
    log: o.log,
    connectPacer: o.pacer,
    connectTimeoutMs: s.openTimeoutMs,
    maxSlotFailures: Math.max(1, s.connectAttempts),
    // a refusal is the answer here (reported as "rejected"), not something to wait out
    rejectRetry: null,
    // watchdog / heartbeat check period: fine enough for short ping intervals (OKX pings after inbound silence)
    tickMs: Math.max(25, Math.min(100, (o.endpoint.ping_interval_ms || 1000) / 4)),
    ...(s.socketFactory ? { socketFactory: s.socketFactory } : {}),
  });
  const syms = pool.symbols;
  const done = () => o.pairs.every((p) => p.done);
  /** The socket has nothing more to wait for (see the timing rules at the top). */
  const socketDone = (x: SlotStatus, now: number): boolean => {
    if (x.gaveUp) return true;
    let open = false;
    let lastAnswer = 0;
    for (const sym of x.symbols) {
      const i = syms.indexOf(sym);
      if (i < 0) continue;
      if (!o.pairs[i]!.done) open = true;
      lastAnswer = Math.max(lastAnswer, sink.answeredAt[i]!);
    }
    if (!open) return true;
    if (!x.up || x.queued > 0 || x.lastOpSentAt === 0) return false;
    return now - x.lastOpSentAt >= s.collectMs || now - Math.max(x.lastOpSentAt, lastAnswer) >= s.idleMs;
  };
  let endedBy: RoundResult["endedBy"] = "timeout";
  pool.start();
  await new Promise<void>((resolve) => {
    const timer = setInterval(
      () => {
        for (let i = 0; i < syms.size; i++) if (syms.rejected[i] && o.pairs[i]!.rejected === null) sink.rejected(i, syms.rejectReason[i] ?? "subscription refused");
        const now = performance.now();
        const slots = pool.slots();
        if (done()) endedBy = "all_answered";
        else if (now - t0 >= s.batchTimeoutMs) endedBy = "timeout";
        else if (slots.every((x) => x.gaveUp)) endedBy = "connections_gone";
        else if (slots.every((x) => socketDone(x, now))) endedBy = "sockets_done";
        else return;
        clearInterval(timer);
        resolve();
      },
      Math.max(10, Math.min(100, s.idleMs / 5)),
    );
  });
  sink.close();
  pool.stop();
  const slots = pool.slots();
  const err = pool.counters.lastErrorText;
  return {
    pairs: o.pairs.length,
    connections: slots.length,
    connectionFailures: slots.reduce((k, x) => k + x.failures, 0),
    deadConnections: slots.filter((x) => x.gaveUp && !x.opened).length,
    malformed: pool.counters.malformed,
    endedBy,
    lastError: err ? `${o.adapter.wsUrl(o.endpoint.ws_url)}: ${err}` : null,
    ms: Math.round(performance.now() - t0),
  };
}

export async function validateSource(input: SourceValidationInput, s: ValidationSettings, pacer: ConnectPacer, progress: ValidationProgress = {}): Promise<SourceValidation> {
  const t0 = performance.now();
  const { adapter, endpoint } = input;
  const name = SOURCE_NAMES[adapter.source];
  const symbols = [...new Set(input.symbols)].sort();
  const plan = planSource(adapter, endpoint, symbols.length, s.maxConnections);
  const states = symbols.map((x) => new PairState(x));
  const log = s.log ?? createLogger("pair-discovery", "silent");
  const results: RoundResult[] = [];
  let before = 0;
  for (let r = 0, at = 0; r < plan.rounds.length; r++) {
    const round = plan.rounds[r]!;
    const pairs = states.slice(at, at + round.pairs);
    at += round.pairs;
    progress.onBatch?.(adapter.source, { batch: r, batches: plan.batches, state: "start" });
    const result = await runRound({
      adapter,
      endpoint,
      pairs,
      connections: round.connections,
      settings: s,
      pacer,
      log,
      onAnswered: (a) => progress.onAnswered?.(adapter.source, before + a, symbols.length),
    });
    before += pairs.filter((p) => p.heard).length;
    results.push(result);
    progress.onBatch?.(adapter.source, { batch: r, batches: plan.batches, state: "done", result });
  }
  const pairs = new Map<string, PairValidation>(states.map((p) => [p.exchangeSymbol, p.freeze()]));
  const valid = states.filter((p) => p.valid).length;
  const connections = results.reduce((k, r) => k + r.connections, 0);
  const dead = results.reduce((k, r) => k + r.deadConnections, 0);
  const lastError = results.map((r) => r.lastError).find((e) => e !== null) ?? null;
  let error: string | null = null;
  if (symbols.length === 0) error = `${name}: nothing to validate`;
  else if (valid === 0) {
    error = dead === connections && lastError ? `${name}: WebSocket unreachable: ${lastError}` : `${name}: no pair produced a valid bid/ask${lastError ? ` (last error: ${lastError})` : ""}`;
  }
  return {
    source: adapter.source,
    ok: valid > 0,
    error,
    pairs,
    batches: plan.batches,
    connections,
    connectionFailures: results.reduce((k, r) => k + r.connectionFailures, 0),
    malformedFrames: results.reduce((k, r) => k + r.malformed, 0),
    ms: Math.round(performance.now() - t0),
  };
}

/** Validates every given source in parallel; one connection pacer per exchange (spot and futures share an IP budget). */
export async function validateAll(inputs: readonly SourceValidationInput[], s: ValidationSettings, progress: ValidationProgress = {}): Promise<SourceValidation[]> {
  const pacers = new Map<string, ConnectPacer>();
  const pacerFor = (source: number) => {
    const ex = sourceExchange(source);
    let p = pacers.get(ex);
    if (!p) pacers.set(ex, (p = new ConnectPacer(s.connectIntervalMs)));
    return p;
  };
  return Promise.all(inputs.map((i) => validateSource(i, s, pacerFor(i.adapter.source), progress)));
}
