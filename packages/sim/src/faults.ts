// Fault injection registry: one-shot actions (drop, close, shutdown) and persistent faults (silent, no_pong,
// corrupt frames, slow, reject, REST errors/hangs) per source, from the scenario schedule or the control API.
import { NUM_SOURCES, SOURCE_NAMES, SourceId, type SourceName } from "@spread/common";
import { FaultSchema, type FaultConfig, type FaultKind } from "./scenario/schema.ts";
import type { Conn, CorruptBudget } from "./server/conn.ts";

export interface FaultHost {
  connsOf(source: number): Iterable<Conn>;
  /** Sends the venue's shutdown notice (if any) and schedules the forced close. */
  shutdown(conn: Conn, now: number): void;
}

export interface ActiveFault {
  readonly id: number;
  readonly cfg: FaultConfig;
  readonly sources: readonly number[];
  readonly createdAt: number;
  /** 0 = until cleared. */
  readonly expiresAt: number;
  /** Connections hit; null = every connection of the sources, including new ones. */
  readonly connIds: Set<number> | null;
  readonly budget: CorruptBudget | null;
  /** REST requests still to fail (Infinity without a count). */
  restRemaining: number;
}

const ONE_SHOT: ReadonlySet<FaultKind> = new Set(["drop", "close", "shutdown"]);
const CONN_FLAGS: ReadonlySet<FaultKind> = new Set(["silent", "no_pong", "malformed", "truncated", "garbage", "slow"]);

export type RestFault = { kind: "error"; status: number } | { kind: "hang"; ms: number };

export class Faults {
  readonly list: ActiveFault[] = [];
  private nextId = 1;
  /** Upgrades refused until this time per source (drop with duration_s). */
  private readonly refuseUntil = new Float64Array(NUM_SOURCES);

  constructor(private readonly host: FaultHost) {}

  /** Validates a fault request (control API body or scenario entry) into a FaultConfig. */
  static parse(input: unknown): FaultConfig {
    return FaultSchema.parse(input);
  }

  /** Applies a fault now; returns the record (one-shot faults are recorded only when they have a duration). */
  add(cfg: FaultConfig, now: number): ActiveFault {
    const sources = cfg.source === "all" ? SOURCE_NAMES.map((_, i) => i) : [SourceId[cfg.source as SourceName]];
    let connIds: Set<number> | null = null;
    if (cfg.connections !== "all") {
      const picked: Conn[] = [];
      for (const s of sources) for (const c of this.host.connsOf(s)) if (!c.closed) picked.push(c);
      picked.sort((a, b) => a.id - b.id);
      connIds = new Set(picked.slice(0, cfg.connections).map((c) => c.id));
    }
    const corrupt = cfg.kind === "malformed" || cfg.kind === "truncated" || cfg.kind === "garbage";
    const fault: ActiveFault = {
      id: this.nextId++,
      cfg,
      sources,
      createdAt: now,
      expiresAt: cfg.duration_s > 0 ? now + cfg.duration_s * 1000 : 0,
      connIds,
      budget: corrupt ? { kind: cfg.kind as CorruptBudget["kind"], probability: cfg.probability, remaining: cfg.count > 0 ? cfg.count : Infinity } : null,
      restRemaining: cfg.count > 0 ? cfg.count : Infinity,
    };
    if (ONE_SHOT.has(cfg.kind)) {
      for (const s of sources) {
        for (const c of [...this.host.connsOf(s)]) {
          if (c.closed || (connIds !== null && !connIds.has(c.id))) continue;
          if (cfg.kind === "drop") c.terminate();
          else if (cfg.kind === "close") c.close(cfg.code, "closed by fault injection");
          else this.host.shutdown(c, now);
        }
        if (cfg.kind === "drop" && fault.expiresAt > 0 && connIds === null) this.refuseUntil[s] = Math.max(this.refuseUntil[s]!, fault.expiresAt);
      }
      if (fault.expiresAt > 0) this.list.push(fault);
      return fault;
    }
    this.list.push(fault);
    this.reapply();
    return fault;
  }

  /** Removes faults by id, by source, or all; returns how many were removed. */
  clear(filter: { id?: number; source?: string } = {}): number {
    const before = this.list.length;
    const src = filter.source !== undefined && filter.source !== "all" ? SourceId[filter.source as SourceName] : undefined;
    for (let i = this.list.length - 1; i >= 0; i--) {
      const f = this.list[i]!;
      if (filter.id !== undefined && f.id !== filter.id) continue;
      if (src !== undefined && !f.sources.includes(src)) continue;
      this.list.splice(i, 1);
    }
    if (filter.id === undefined) {
      for (let s = 0; s < NUM_SOURCES; s++) if (src === undefined || src === s) this.refuseUntil[s] = 0;
    }
    this.reapply();
    return before - this.list.length;
  }

  /** Drops expired faults and faults whose count is used up (called by housekeeping). */
  expire(now: number): void {
    let changed = false;
    for (let i = this.list.length - 1; i >= 0; i--) {
      const f = this.list[i]!;
      const spent = (f.budget !== null && f.budget.remaining <= 0) || ((f.cfg.kind === "rest_error" || f.cfg.kind === "rest_hang") && f.restRemaining <= 0);
      if ((f.expiresAt > 0 && now >= f.expiresAt) || spent) {
        this.list.splice(i, 1);
        changed = true;
      }
    }
    if (changed) this.reapply();
  }

  private reapply(): void {
    for (let s = 0; s < NUM_SOURCES; s++) for (const c of this.host.connsOf(s)) this.applyTo(c);
  }

  /** Recomputes one connection's fault flags from the active list (also called for new connections). */
  applyTo(conn: Conn): void {
    conn.silent = false;
    conn.noPong = false;
    conn.corrupt = null;
    let slow: FaultConfig | null = null;
    conn.faultIds = [];
    for (const f of this.list) {
      if (!CONN_FLAGS.has(f.cfg.kind) || !f.sources.includes(conn.source)) continue;
      if (f.connIds !== null && !f.connIds.has(conn.id)) continue;
      conn.faultIds.push(f.id);
      switch (f.cfg.kind) {
        case "silent":
          conn.silent = true;
          break;
        case "no_pong":
          conn.noPong = true;
          break;
        case "slow":
          slow = f.cfg;
          break;
        default:
          conn.corrupt = f.budget;
      }
    }
    if (slow === null) {
      if (conn.slow !== null) {
        // Hand the held-back frames over to the normal queue when the slow fault ends.
        for (const item of conn.slow.queue) conn.out.push(item.frame);
        conn.slow = null;
      }
    } else if (conn.slow === null) {
      conn.slow = { delayMs: slow.delay_ms, rate: slow.rate, tokens: slow.rate, lastRefill: Date.now(), queue: [], dropped: 0 };
    } else {
      conn.slow.delayMs = slow.delay_ms;
      conn.slow.rate = slow.rate;
    }
  }

  /** True when subscriptions to `symbol` on `source` must be rejected (fault "reject"). */
  rejects(source: number, symbol: string): boolean {
    for (const f of this.list) {
      if (f.cfg.kind !== "reject" || !f.sources.includes(source)) continue;
      if (f.cfg.symbols.length === 0 || f.cfg.symbols.some((s) => s.toUpperCase() === symbol.toUpperCase())) return true;
    }
    return false;
  }

  refusesUpgrade(source: number, now: number): boolean {
    return this.refuseUntil[source]! > now;
  }

  /** REST fault for a request accounted to `source`, consuming one unit of its count. */
  restFault(source: number): RestFault | null {
    for (const f of this.list) {
      if ((f.cfg.kind !== "rest_error" && f.cfg.kind !== "rest_hang") || !f.sources.includes(source)) continue;
      if (f.restRemaining <= 0) continue;
      f.restRemaining--;
      return f.cfg.kind === "rest_error" ? { kind: "error", status: f.cfg.status } : { kind: "hang", ms: f.cfg.hang_ms };
    }
    return null;
  }

  describe(): object[] {
    return this.list.map((f) => ({
      id: f.id,
      kind: f.cfg.kind,
      sources: f.sources.map((s) => SOURCE_NAMES[s]),
      connections: f.connIds === null ? "all" : [...f.connIds],
      expires_in_s: f.expiresAt ? Number(((f.expiresAt - Date.now()) / 1000).toFixed(3)) : null,
      ...(f.budget ? { remaining: Number.isFinite(f.budget.remaining) ? f.budget.remaining : null } : {}),
      ...(f.cfg.kind === "reject" ? { symbols: f.cfg.symbols } : {}),
      ...(f.cfg.kind === "slow" ? { delay_ms: f.cfg.delay_ms, rate: f.cfg.rate } : {}),
      ...(f.cfg.kind === "rest_error" ? { status: f.cfg.status } : {}),
    }));
  }
}
