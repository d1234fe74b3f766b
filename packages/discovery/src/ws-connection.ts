// One WebSocket of a validation batch, driven entirely by the venue adapter: URL, paced subscribe requests,
// client heartbeat, adapter.parse with a SymbolTable. Refused subscriptions are marked and the rest of the refused
// request is subscribed again (Bybit refuses a whole batch for one bad topic). Reconnects while the batch runs.
import { errorMessage } from "@spread/common";
import { FrameKind, QuoteRecord, SymbolTable, checkPrices, type SubscribeRequest, type VenueAdapter } from "@spread/exchanges";
import type { PairState } from "./pair-state.ts";

export interface ConnectionContext {
  readonly adapter: VenueAdapter;
  readonly url: string;
  /** Symbols per subscribe request (the adapter caps it at its own limit). */
  readonly requestSize: number;
  /** Minimum spacing of client frames (exchanges.toml max_msgs_per_sec). */
  readonly msgIntervalMs: number;
  /** Client ping period; 0 = the server pings (exchanges.toml ping_interval_ms). */
  readonly pingIntervalMs: number;
  readonly openTimeoutMs: number;
  readonly attempts: number;
  readonly backoffMs: readonly number[];
  readonly idStart: number;
  /** Waits for the exchange's connection-rate slot. */
  readonly gate: () => Promise<void>;
  readonly pairs: ReadonlyMap<string, PairState>;
  /** A pair was heard from, validated or refused for the first time. */
  readonly onProgress: () => void;
  /** A subscribe frame went out (anchors the collect window). */
  readonly onSent: () => void;
}

type SessionEnd = "stopped" | "closed";

/** Per-symbol re-subscription budget after a refused request. */
const MAX_RETRIES = 2;

export class ValidationConnection {
  attemptsMade = 0;
  failures = 0;
  malformed = 0;
  unattributedErrors = 0;
  lastError: string | null = null;
  private stopped = false;
  private finished = false;
  private isOpen = false;
  private ws: WebSocket | null = null;
  private readonly table: SymbolTable;
  private readonly rec = new QuoteRecord();
  private queue: string[] = [];
  private sendTimer: ReturnType<typeof setTimeout> | null = null;
  private lastSendAt = -Infinity;
  private lastInboundAt = 0;
  private lastPingAt = 0;
  private nextId: number;
  private reqById = new Map<string, SubscribeRequest>();
  private reqBySymbol = new Map<string, SubscribeRequest>();
  private retries = new Map<string, number>();

  constructor(
    private readonly ctx: ConnectionContext,
    readonly symbols: readonly string[],
  ) {
    this.table = new SymbolTable(symbols);
    this.nextId = ctx.idStart;
  }

  /** Subscribe frames still waiting for their send slot. */
  get sending(): boolean {
    return this.queue.length > 0;
  }

  /** Open with every subscribe frame sent, or given up: only then may idle / collect end the batch. */
  get settled(): boolean {
    return this.finished || (this.isOpen && this.queue.length === 0);
  }

  get allDone(): boolean {
    return this.symbols.every((s) => this.ctx.pairs.get(s)!.done);
  }

  stop(): void {
    this.stopped = true;
    this.clearSend();
    const ws = this.ws;
    if (ws) {
      try {
        ws.terminate();
      } catch {
        // already closed
      }
    }
  }

  /** Connects (retrying) until stopped, every symbol is done, or the attempts are used up. */
  async run(): Promise<void> {
    try {
      for (let attempt = 1; attempt <= this.ctx.attempts && !this.stopped && !this.allDone; attempt++) {
        if (attempt > 1) await Bun.sleep(this.ctx.backoffMs[Math.min(attempt - 2, this.ctx.backoffMs.length - 1)] ?? 0);
        if (this.stopped) return;
        await this.ctx.gate();
        if (this.stopped) return;
        this.attemptsMade++;
        const end = await this.session();
        if (end === "stopped") return;
        this.failures++;
      }
    } finally {
      this.finished = true;
    }
  }

  private session(): Promise<SessionEnd> {
    return new Promise<SessionEnd>((resolve) => {
      let ws: WebSocket;
      try {
        ws = new WebSocket(this.ctx.url, { perMessageDeflate: false });
      } catch (err) {
        this.lastError = `${this.ctx.url}: ${errorMessage(err)}`;
        resolve("closed");
        return;
      }
      this.ws = ws;
      ws.binaryType = "arraybuffer";
      let opened = false;
      let timedOut = false;
      let pingTimer: ReturnType<typeof setInterval> | null = null;
      const openTimer = setTimeout(() => {
        timedOut = true;
        this.lastError = `${this.ctx.url}: not open after ${this.ctx.openTimeoutMs} ms`;
        try {
          ws.terminate();
        } catch {
          // ignore
        }
      }, this.ctx.openTimeoutMs);
      ws.onopen = () => {
        clearTimeout(openTimer);
        opened = true;
        this.isOpen = true;
        this.lastInboundAt = performance.now();
        this.lastPingAt = this.lastInboundAt;
        this.reqById.clear();
        this.reqBySymbol.clear();
        this.subscribe(this.symbols.filter((s) => !this.ctx.pairs.get(s)!.done), this.ctx.requestSize);
        const ping = this.ctx.adapter.heartbeat.clientPing;
        if (ping !== null && this.ctx.pingIntervalMs > 0) {
          const every = Math.max(50, Math.min(1000, this.ctx.pingIntervalMs / 4));
          pingTimer = setInterval(() => this.maybePing(ping), every);
        }
      };
      ws.onmessage = (ev: MessageEvent) => {
        this.lastInboundAt = performance.now();
        const d = ev.data as unknown;
        const frame = typeof d === "string" ? d : d instanceof ArrayBuffer ? new Uint8Array(d) : (d as Uint8Array);
        this.onFrame(frame);
      };
      ws.onerror = (ev: Event) => {
        if (timedOut) return;
        const msg = (ev as ErrorEvent).message;
        this.lastError = `${this.ctx.url}: ${msg || "WebSocket error"}`;
      };
      ws.onclose = (ev: CloseEvent) => {
        this.isOpen = false;
        clearTimeout(openTimer);
        if (pingTimer) clearInterval(pingTimer);
        this.clearSend();
        this.ws = null;
        if (!this.stopped && opened) this.lastError = `${this.ctx.url}: closed by the server (code ${ev.code}${ev.reason ? ` ${ev.reason}` : ""})`;
        resolve(this.stopped ? "stopped" : "closed");
      };
    });
  }

  private maybePing(ping: string): void {
    const now = performance.now();
    const since = this.ctx.adapter.heartbeat.pingWhenIdleOnly ? now - Math.max(this.lastInboundAt, this.lastPingAt) : now - this.lastPingAt;
    if (since >= this.ctx.pingIntervalMs) {
      this.lastPingAt = now;
      this.sendNow(ping);
    }
  }

  private subscribe(symbols: readonly string[], size: number): void {
    if (symbols.length === 0) return;
    const reqs = this.ctx.adapter.subscribeRequests(symbols, size, this.nextId);
    this.nextId += reqs.length + 1;
    for (const r of reqs) {
      if (r.reqId !== "") this.reqById.set(r.reqId, r);
      for (const s of r.symbols) this.reqBySymbol.set(s, r);
      this.queue.push(r.frame);
    }
    this.pump();
  }

  private pump(): void {
    if (this.sendTimer || this.queue.length === 0 || this.stopped) return;
    const wait = this.lastSendAt + this.ctx.msgIntervalMs - performance.now();
    if (wait > 0) {
      this.sendTimer = setTimeout(() => {
        this.sendTimer = null;
        this.pump();
      }, wait);
      return;
    }
    const frame = this.queue.shift()!;
    this.lastSendAt = performance.now();
    this.sendNow(frame);
    this.ctx.onSent();
    if (this.queue.length) this.pump();
  }

  private sendNow(frame: string): void {
    try {
      this.ws?.send(frame);
    } catch (err) {
      this.lastError = `${this.ctx.url}: send failed: ${errorMessage(err)}`;
    }
  }

  private clearSend(): void {
    if (this.sendTimer) clearTimeout(this.sendTimer);
    this.sendTimer = null;
    this.queue = [];
  }

  private pair(index: number): PairState | undefined {
    return index >= 0 && index < this.table.size ? this.ctx.pairs.get(this.table.name(index)) : undefined;
  }

  private onFrame(frame: string | Uint8Array): void {
    const rec = this.rec;
    rec.reset();
    let kind: number;
    try {
      kind = this.ctx.adapter.parse(frame, rec, this.table);
    } catch {
      this.malformed++;
      return;
    }
    switch (kind) {
      case FrameKind.Update: {
        const p = this.pair(rec.symbolIndex);
        if (!p) return;
        const before = p.heard;
        if (checkPrices(rec.bid, rec.ask) === 0) {
          const first = !p.valid;
          p.updates++;
          p.bid = rec.bid;
          p.ask = rec.ask;
          if (first) this.ctx.onProgress();
        } else {
          p.invalidUpdates++;
          if (!before) this.ctx.onProgress();
        }
        return;
      }
      case FrameKind.Invalid: {
        const p = this.pair(rec.symbolIndex);
        if (!p) return;
        const before = p.heard;
        p.invalidUpdates++;
        if (!before) this.ctx.onProgress();
        return;
      }
      case FrameKind.SubError:
        this.onSubError();
        return;
      case FrameKind.Malformed:
        this.malformed++;
        return;
      default:
        return; // Ack, Pong, Notice, Unknown
    }
  }

  private bump(symbol: string): boolean {
    const n = this.retries.get(symbol) ?? 0;
    if (n >= MAX_RETRIES) return false;
    this.retries.set(symbol, n + 1);
    return true;
  }

  private onSubError(): void {
    const rec = this.rec;
    const message = rec.message ?? "subscription refused";
    const mine = new Set(this.symbols);
    const rejected = (rec.rejected ?? []).filter((s) => mine.has(s));
    let reqs: SubscribeRequest[] = [];
    const byId = rec.reqId ? this.reqById.get(rec.reqId) : undefined;
    if (byId) reqs = [byId];
    else reqs = [...new Set(rejected.map((s) => this.reqBySymbol.get(s)).filter((r): r is SubscribeRequest => r !== undefined))];
    for (const s of rejected) {
      const p = this.ctx.pairs.get(s)!;
      if (!p.done) {
        p.rejected = message;
        this.ctx.onProgress();
      }
    }
    if (reqs.length === 0) {
      if (rejected.length === 0) this.unattributedErrors++;
      return;
    }
    const refused = new Set(rejected);
    if (rejected.length > 0) {
      // The venue named the bad symbol(s): the rest of the same request may not be subscribed (Bybit) → again.
      const rest = reqs.flatMap((r) => r.symbols).filter((s) => !refused.has(s) && !this.ctx.pairs.get(s)!.done && this.bump(s));
      this.subscribe(rest, this.ctx.requestSize);
      return;
    }
    // Unnamed: a single-symbol request is that symbol; a larger one is split into singles to find the culprit.
    for (const r of reqs) {
      if (r.symbols.length === 1) {
        const p = this.ctx.pairs.get(r.symbols[0]!)!;
        if (!p.done) {
          p.rejected = message;
          this.ctx.onProgress();
        }
        continue;
      }
      const todo = r.symbols.filter((s) => !this.ctx.pairs.get(s)!.done && this.bump(s));
      for (const s of todo) this.subscribe([s], 1);
    }
  }
}
