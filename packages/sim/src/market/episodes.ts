// Scripted spread episodes: at sim time t, move one leg of (spot source, futures source, asset) by X %, hold it
// for D seconds, then converge back (or not). The offset multiplies that leg's quoted mid.
import { ConfigError, SOURCE_NAMES, SourceId, type SourceName } from "@spread/common";
import type { EpisodeConfig } from "../scenario/schema.ts";
import type { Universe } from "./universe.ts";

export type EpisodePhase = "pending" | "ramp" | "hold" | "converge" | "open" | "done";

export interface Episode {
  readonly id: number;
  readonly cfg: EpisodeConfig;
  readonly spotSource: number;
  readonly futuresSource: number;
  readonly spotIndex: number;
  readonly futuresIndex: number;
  /** Sim time (s) of the current/next run start. */
  startS: number;
  phase: EpisodePhase;
  /** Current offset of the moved leg as a fraction (0.015 = +1.5 %). */
  offset: number;
}

/** Counted, trading instrument of `ticker` on `source`, or -1. Prefers the real asset over a ticker collision. */
export function findListing(u: Universe, source: number, ticker: string): number {
  const t = ticker.toUpperCase();
  let found = -1;
  for (const inst of u.instruments[source]!) {
    if (!inst.counted || inst.status !== "trading") continue;
    const a = u.assets[inst.asset]!;
    if (a.ticker !== t) continue;
    if (found < 0 || (u.assets[u.instruments[source]![found]!.asset]!.extra === null && a.fixed)) found = inst.index;
  }
  return found;
}

export class Episodes {
  readonly list: Episode[] = [];
  private nextId = 1;

  constructor(private readonly universe: Universe) {}

  /** Adds an episode; `where` names its origin (file + key path) in errors. Runs start at cfg.at_s + offsetS. */
  add(cfg: EpisodeConfig, offsetS: number, where: string): Episode {
    const spotSource = SourceId[cfg.spot as SourceName];
    const futuresSource = SourceId[cfg.futures as SourceName];
    const spotIndex = findListing(this.universe, spotSource, cfg.asset);
    const futuresIndex = findListing(this.universe, futuresSource, cfg.asset);
    const missing = [spotIndex < 0 ? cfg.spot : null, futuresIndex < 0 ? cfg.futures : null].filter(Boolean);
    if (missing.length) {
      throw new ConfigError(`${where}.asset: "${cfg.asset}" is not listed (trading, USDT) on ${missing.join(" and ")} in this universe`);
    }
    const ep: Episode = { id: this.nextId++, cfg, spotSource, futuresSource, spotIndex, futuresIndex, startS: cfg.at_s + offsetS, phase: "pending", offset: 0 };
    this.list.push(ep);
    return ep;
  }

  remove(id: number): boolean {
    const i = this.list.findIndex((e) => e.id === id);
    if (i < 0) return false;
    this.list.splice(i, 1);
    return true;
  }

  /** Advances every episode to sim time `t` (seconds). */
  update(t: number): void {
    for (const ep of this.list) {
      const c = ep.cfg;
      const x = c.spread_pct / 100;
      let dt = t - ep.startS;
      if (dt < 0) {
        ep.phase = ep.phase === "done" ? "done" : "pending";
        ep.offset = 0;
        continue;
      }
      const total = c.ramp_s + c.hold_s + c.converge_s;
      if (c.converge && dt >= total && c.every_s > 0) {
        ep.startS += Math.ceil((dt - total) / c.every_s + 1e-9) * c.every_s;
        dt = t - ep.startS;
        if (dt < 0) {
          ep.phase = "pending";
          ep.offset = 0;
          continue;
        }
      }
      if (dt < c.ramp_s) {
        ep.phase = "ramp";
        ep.offset = (x * dt) / c.ramp_s;
      } else if (dt < c.ramp_s + c.hold_s || !c.converge) {
        ep.phase = dt < c.ramp_s + c.hold_s ? "hold" : "open";
        ep.offset = x;
      } else if (dt < total) {
        ep.phase = "converge";
        ep.offset = (x * (total - dt)) / Math.max(1e-9, c.converge_s);
      } else {
        ep.phase = "done";
        ep.offset = 0;
      }
    }
  }

  /** Writes each active leg's multiplicative offset into the per-source factor arrays (zeroed first). */
  applyFactors(factors: Float64Array[]): void {
    for (const ep of this.list) {
      factors[ep.spotSource]![ep.spotIndex] = 0;
      factors[ep.futuresSource]![ep.futuresIndex] = 0;
    }
    for (const ep of this.list) {
      if (ep.offset === 0) continue;
      if (ep.cfg.leg === "futures") factors[ep.futuresSource]![ep.futuresIndex]! += ep.offset;
      else factors[ep.spotSource]![ep.spotIndex]! += 1 / (1 + ep.offset) - 1;
    }
  }

  describe(universe: Universe, nowS: number): object[] {
    return this.list.map((e) => ({
      id: e.id,
      asset: e.cfg.asset,
      spot: `${SOURCE_NAMES[e.spotSource]}:${universe.instruments[e.spotSource]![e.spotIndex]!.symbol}`,
      futures: `${SOURCE_NAMES[e.futuresSource]}:${universe.instruments[e.futuresSource]![e.futuresIndex]!.symbol}`,
      spread_pct: e.cfg.spread_pct,
      phase: e.phase,
      offset_pct: Number((e.offset * 100).toFixed(4)),
      starts_in_s: Number(Math.max(0, e.startS - nowS).toFixed(3)),
    }));
  }
}
