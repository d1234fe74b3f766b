// Scripted funding settlements (POST /funding): a known rate settling at a known time, a few seconds ahead if a
// test wants, on one symbol's perpetuals. The override lives on the instrument (Instrument.fundingOverride), so
// every REST and WS rendering of that venue's funding (simFunding) shows it; it lapses at its following settlement.
import { SOURCE_NAMES, SourceId, type SourceName } from "@spread/common";
import type { FundingScriptConfig } from "../scenario/schema.ts";
import { findListing } from "./episodes.ts";
import { FUNDING_RATE_DEC, modelIntervalHours, type FundingOverride } from "./funding.ts";
import type { Instrument } from "./instrument.ts";
import type { Universe } from "./universe.ts";

const HOUR_MS = 3_600_000;
const FUTURES_SOURCES = SOURCE_NAMES.filter((n) => n.endsWith("_futures")).map((n) => SourceId[n]);

export interface FundingScript {
  readonly id: number;
  readonly inst: Instrument;
  readonly override: FundingOverride;
  /** Its settlement passed and the slow funding channels were pushed the following one. */
  announced: boolean;
}

export class FundingScripts {
  private list: FundingScript[] = [];
  private nextId = 1;

  constructor(private readonly universe: Universe) {}

  /**
   * Overrides the funding of the named perpetuals from now on (one script per source; a newer script on the same
   * instrument replaces the older). Throws, naming the key, when nothing matches or the time is not ahead.
   */
  add(cfg: FundingScriptConfig, nowMs: number): FundingScript[] {
    const atMs = cfg.in_ms !== undefined ? nowMs + cfg.in_ms : cfg.next_funding_ms!;
    if (!(atMs > nowMs)) throw new Error(`next_funding_ms: ${atMs} is not ahead of now (${nowMs})`);
    if (atMs > nowMs + 7 * 24 * HOUR_MS) throw new Error(`next_funding_ms: ${atMs} is more than 7 days ahead`);
    const insts = this.targets(cfg);
    const rateUnits = Math.round(cfg.rate * 10 ** FUNDING_RATE_DEC);
    const added = insts.map((inst): FundingScript => {
      const override: FundingOverride = { rateUnits, atMs, intervalHours: cfg.interval_hours ?? modelIntervalHours(inst) };
      inst.fundingOverride = override;
      return { id: this.nextId++, inst, override, announced: false };
    });
    this.list = this.list.filter((s) => !insts.includes(s.inst)).concat(added);
    return added;
  }

  private targets(cfg: FundingScriptConfig): Instrument[] {
    const u = this.universe;
    const sources = cfg.source === "all" ? FUTURES_SOURCES : [SourceId[cfg.source as SourceName]];
    if (cfg.symbol !== undefined) {
      const s = sources[0]!;
      const i = u.bySymbol[s]!.get(cfg.symbol);
      const inst = i === undefined ? undefined : u.instruments[s]![i]!;
      if (!inst || inst.kind !== "perp" || inst.status !== "trading") throw new Error(`symbol: ${cfg.symbol} is not a trading perpetual on ${SOURCE_NAMES[s]}`);
      return [inst];
    }
    const out: Instrument[] = [];
    for (const s of sources) {
      const i = findListing(u, s, cfg.asset!);
      if (i >= 0 && u.instruments[s]![i]!.kind === "perp") out.push(u.instruments[s]![i]!);
    }
    if (!out.length) throw new Error(`asset: "${cfg.asset}" has no trading USDT perpetual on ${cfg.source === "all" ? "any futures source" : cfg.source} in this universe`);
    return out;
  }

  /** Scripts still in force at `nowMs` (before their following settlement); lapsed ones are dropped. */
  active(nowMs: number): FundingScript[] {
    if (this.list.length === 0) return this.list; // the housekeeping timer asks every tick
    this.list = this.list.filter((s) => {
      const live = nowMs < s.override.atMs + s.override.intervalHours * HOUR_MS;
      if (!live && s.inst.fundingOverride === s.override) s.inst.fundingOverride = null;
      return live;
    });
    return this.list;
  }

  /** Scripts whose settlement passed since the last call (their venues' funding moved to the following one). */
  settledSince(nowMs: number): FundingScript[] {
    const out: FundingScript[] = [];
    for (const s of this.active(nowMs)) {
      if (s.announced || nowMs < s.override.atMs) continue;
      s.announced = true;
      out.push(s);
    }
    return out;
  }

  /** Removes every script (the model resumes at once); returns how many were in force. */
  clear(nowMs: number): number {
    const n = this.active(nowMs).length;
    for (const s of this.list) if (s.inst.fundingOverride === s.override) s.inst.fundingOverride = null;
    this.list = [];
    return n;
  }

  describe(nowMs: number): object[] {
    return this.active(nowMs).map((s) => ({
      id: s.id,
      source: SOURCE_NAMES[s.inst.source],
      symbol: s.inst.symbol,
      rate: s.override.rateUnits / 10 ** FUNDING_RATE_DEC,
      next_funding_ms: s.override.atMs,
      interval_hours: s.override.intervalHours,
      following_ms: s.override.atMs + s.override.intervalHours * HOUR_MS,
      settled: nowMs >= s.override.atMs,
    }));
  }
}
