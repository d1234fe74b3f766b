// Funding-rate contract every futures venue folder implements (docs/operations.md "Funding collection"): a
// caller-owned FundingRecord that the parsers fill, the outcome of one frame or body, and the venue's funding hooks.
// All four venues publish a rate per funding interval (a plain fraction); intervals are per symbol and change.
import type { SymbolTable } from "./symbol-table.ts";
import { MemberScan } from "./shared/scan/index.ts";

/** Outcome of one funding frame (or one REST row). */
export const FundingKind = {
  /** out holds funding values for a USDT perpetual (emit was called once per value). */
  Value: 1,
  /** well-formed funding data that is not for a USDT perpetual, or says "no funding" (delivery, USDC, inverse, rate ""). */
  Skip: 2,
  /** ack, pong, another channel: nothing about funding. */
  Other: 3,
  /** the venue reports an error (MEXC rs.error, OKX event error, Bybit success:false). out.message says which. */
  Error: 4,
  /** not parseable: truncated, wrong type, missing symbol, rate not a number. out.message says why. */
  Malformed: 5,
} as const;
export type FundingKindValue = (typeof FundingKind)[keyof typeof FundingKind];

/**
 * Caller-owned, reused output of the funding parsers: numbers only on the per-message path. "Not given" is NaN for
 * rates and 0 for times and intervals; a Bybit delta leaves out what did not change, so the reader merges.
 */
export class FundingRecord {
  /** Text the symbol range refers to (the frame itself for WS; the row's symbol string for REST): no copy. */
  src = "";
  symStart = 0;
  symEnd = 0;
  /** Index from the SymbolTable passed to the parser; -1 when unknown or no table was given. */
  symbolIndex = -1;
  /** Rate per interval for the settlement at nextFundingMs (the venue's live estimate). */
  rate = Number.NaN;
  /** Venue's prediction for the settlement after it, where it gives one (OKX nextFundingRate, mostly ""). */
  predictedRate = Number.NaN;
  /** Upcoming settlement, ms since the epoch. */
  nextFundingMs = 0;
  /** Funding interval in hours; 0 when the payload does not say (Binance premiumIndex / markPrice, MEXC WS). */
  intervalHours = 0;
  /** The venue's own time of the value, ms; 0 when absent. */
  exchangeTsMs = 0;
  /** Why the frame was Malformed or Error (fresh string: never on a Value). */
  message: string | null = null;
  readonly scan = new MemberScan();

  /** Clears the values before each row or element (not message: that is per frame). */
  clearValues(): void {
    this.symStart = 0;
    this.symEnd = 0;
    this.symbolIndex = -1;
    this.rate = Number.NaN;
    this.predictedRate = Number.NaN;
    this.nextFundingMs = 0;
    this.intervalHours = 0;
    this.exchangeTsMs = 0;
  }

  reset(): void {
    this.src = "";
    this.clearValues();
    this.message = null;
  }

  /** The exchange symbol as a string (allocates: CLI and tests, not the hot path). */
  symbol(): string {
    return this.src.slice(this.symStart, this.symEnd);
  }

  /** Points the symbol at a whole string (REST rows) and resolves its index. */
  setSymbol(src: string, symbols: SymbolTable | null): void {
    this.src = src;
    this.symStart = 0;
    this.symEnd = src.length;
    this.symbolIndex = symbols === null ? -1 : symbols.lookup(src, 0, src.length);
  }

  /** Points the symbol at a range of the frame and resolves its index without allocating. */
  setSymbolRange(frame: string, start: number, end: number, symbols: SymbolTable | null): void {
    this.src = frame;
    this.symStart = start;
    this.symEnd = end;
    this.symbolIndex = symbols === null ? -1 : symbols.lookup(frame, start, end);
  }
}

/** Called once per funding value of a USDT perpetual; `out` is reused, copy what you keep. */
export type FundingEmit = (out: FundingRecord) => void;

/**
 * WS frame parser: fills `out`, calls `emit` per value (Binance's all-market array carries many), returns the
 * frame's outcome (Value when at least one value was emitted). Pure: no clock, socket or log; no allocation for
 * value frames.
 */
export type FundingWsParse = (frame: string, out: FundingRecord, symbols: SymbolTable | null, emit: FundingEmit) => FundingKindValue;

/**
 * REST body parser (JSON-parsed body; polled, not per message): emit per USDT-perpetual row, returns the number
 * emitted. Throws an Error naming the venue, the field and the value on a venue error or a bad envelope.
 */
export type FundingRestParse = (body: unknown, out: FundingRecord, symbols: SymbolTable | null, emit: FundingEmit) => number;

/** Interval table from a venue's interval endpoint (Binance fundingInfo, Bybit instruments-info): symbol → hours. */
export type FundingIntervalsParse = (body: unknown) => Map<string, number>;

/** A futures venue's funding hooks (VenueDescriptor.funding). */
export interface FundingAdapter {
  /** True when a JSON value is one of the venue's funding REST replies (envelope or rows), not a WS frame. */
  isRestBody(body: unknown): boolean;
  /** The all-symbols funding REST endpoint. */
  restUrl(restBase: string): string;
  readonly parseRest: FundingRestParse;
  /** Where the interval is not in the funding reply (Binance fundingInfo, Bybit instruments-info on old replies). */
  intervalsUrl: ((restBase: string) => string) | null;
  readonly parseIntervals: FundingIntervalsParse | null;
  /** Interval of a symbol the interval endpoint does not list (Binance: 8 h; 0 = unknown). */
  readonly defaultIntervalHours: number;
  /** WS topic for one symbol's funding ("btcusdt@markPrice", "tickers.BTCUSDT", funding-rate channel, MEXC sub). */
  wsTopic(exchangeSymbol: string): string;
  readonly parseWs: FundingWsParse;
}

/** 1 h in ms, for intervals derived from two settlement times (OKX). */
export const HOUR_MS = 3_600_000;

/** Sets out.message and returns Malformed (parsers' one exit for unusable frames). */
export function fundingMalformed(out: FundingRecord, why: string): FundingKindValue {
  out.message = why;
  return FundingKind.Malformed;
}
