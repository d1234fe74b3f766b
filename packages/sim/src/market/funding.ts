// Simulated funding of the perpetuals (issue 14): per-symbol intervals (mostly 8 h, some 4/2/1 h, BTC and ETH
// always 8 h), settlements on UTC multiples of the interval (unless a scripted settlement, FundingOverride, is in
// force), and a rate that drifts with time around a per-symbol base inside ±cap. Deterministic in (symbol, time):
// every venue module renders the same numbers, and tests can compute what a reply must say. The rate is held in units of 1e-8 (Binance's 8 dp), so every venue's decimal
// rendering is exact.
import { hashName } from "../rng.ts";
import type { Instrument } from "./instrument.ts";

const HOUR_MS = 3_600_000;
/** Rates are integers × 1e-8. */
export const FUNDING_RATE_DEC = 8;

export interface SimFunding {
  /** Rate per interval in units of 1e-8 (integer, may be negative). */
  rateUnits: number;
  intervalHours: number;
  /** Upcoming settlement, ms (a UTC multiple of the interval, strictly after now). */
  nextMs: number;
  /** The settlement before it. */
  prevMs: number;
  /** Cap in units of 1e-8 (symmetric floor). */
  capUnits: number;
}

/**
 * A scripted settlement (POST /funding): the settlement at `atMs` with rate `rateUnits`, then one more at
 * atMs + intervalHours at the model's rate, after which the model's own UTC grid resumes.
 */
export interface FundingOverride {
  readonly rateUnits: number;
  readonly atMs: number;
  readonly intervalHours: number;
}

/** The model's interval of a perpetual: stable per symbol (BTC/ETH 8 h; others 8 h 70 %, 4 h 15 %, 2 h 5 %, 1 h 10 %). */
export function modelIntervalHours(inst: Instrument): number {
  if (inst.base === "BTC" || inst.base === "ETH") return 8;
  const h = hashName(inst.symbol) % 100;
  return h < 70 ? 8 : h < 85 ? 4 : h < 90 ? 2 : 1;
}

/** The override of `inst` still in force at `nowMs` (until its following settlement), or null. */
function activeOverride(inst: Instrument, nowMs: number): FundingOverride | null {
  const o = inst.fundingOverride;
  return o !== null && nowMs < o.atMs + o.intervalHours * HOUR_MS ? o : null;
}

/** Funding interval of a perpetual at `nowMs`: the model's, or a scripted settlement's until its following one. */
export function fundingIntervalHours(inst: Instrument, nowMs = Date.now()): number {
  return activeOverride(inst, nowMs)?.intervalHours ?? modelIntervalHours(inst);
}

/** The funding of `inst` at wall time `nowMs` (fills and returns `out`). */
export function simFunding(inst: Instrument, nowMs: number, out: SimFunding): SimFunding {
  modelFunding(inst, nowMs, out);
  const o = activeOverride(inst, nowMs);
  if (o === null) return out;
  const iv = o.intervalHours * HOUR_MS;
  out.intervalHours = o.intervalHours;
  if (nowMs < o.atMs) {
    // Before the scripted settlement: its rate, its time; the previous one stays the model's last.
    out.rateUnits = o.rateUnits;
    out.capUnits = Math.max(out.capUnits, Math.abs(o.rateUnits));
    out.nextMs = o.atMs;
  } else {
    // Between it and the following settlement (one interval later): the model's rate for that one.
    out.prevMs = o.atMs;
    out.nextMs = o.atMs + iv;
  }
  return out;
}

function modelFunding(inst: Instrument, nowMs: number, out: SimFunding): void {
  const h = hashName(inst.symbol);
  const hours = modelIntervalHours(inst);
  const iv = hours * HOUR_MS;
  out.intervalHours = hours;
  out.nextMs = Math.floor(nowMs / iv) * iv + iv;
  out.prevMs = out.nextMs - iv;
  // 1 h contracts run hot (that is why venues switch them to 1 h): a larger cap.
  out.capUnits = hours === 1 ? 200_000 : 75_000;
  // Base 0.01 % (the usual interest component) ± up to 0.02 %, drifting ± 0.015 % over a 6-hour period.
  const base = 10_000 + ((h % 4001) - 2000);
  const phase = ((h >>> 12) % 1000) / 1000;
  const drift = 1_500 * Math.sin(2 * Math.PI * (nowMs / (6 * HOUR_MS) + phase));
  const units = Math.round(base + drift) * (hours === 1 ? 5 : 1);
  out.rateUnits = Math.max(-out.capUnits, Math.min(out.capUnits, units));
}

export function newSimFunding(): SimFunding {
  return { rateUnits: 0, intervalHours: 8, nextMs: 0, prevMs: 0, capUnits: 0 };
}

/** The rate as a decimal string with exactly `dec` ≥ 8 decimals ("0.00003791", "-0.0001000000000000"). */
export function fundingDecimal(units: number, dec: number): string {
  const neg = units < 0;
  const digits = String(Math.abs(units)).padStart(FUNDING_RATE_DEC + 1, "0");
  const int = digits.slice(0, digits.length - FUNDING_RATE_DEC);
  const frac = digits.slice(digits.length - FUNDING_RATE_DEC).padEnd(dec, "0");
  return `${neg ? "-" : ""}${int}.${frac}`;
}

/** The rate with trailing zeros removed ("0.00005", "0", "-0.0000125"), as Bybit prints it. */
export function fundingTrimmed(units: number): string {
  if (units === 0) return "0";
  return fundingDecimal(units, FUNDING_RATE_DEC).replace(/0+$/, "").replace(/\.$/, "");
}
