// Funding parser test helpers: run a WS or REST parser over a fixture and keep what it emitted as plain rows.
import { FundingRecord, type FundingKindValue, type FundingRestParse, type FundingWsParse, SymbolTable } from "@spread/exchanges";

export interface Row {
  symbol: string;
  rate: number;
  next: number;
  hours: number;
  predicted: number;
  ts: number;
  index: number;
}

function row(r: FundingRecord): Row {
  return { symbol: r.symbol(), rate: r.rate, next: r.nextFundingMs, hours: r.intervalHours, predicted: r.predictedRate, ts: r.exchangeTsMs, index: r.symbolIndex };
}

export interface WsResult {
  kind: FundingKindValue;
  rows: Row[];
  message: string | null;
  /** The record's values after the frame (a Skip still leaves what it read). */
  last: Row;
}

export function ws(parse: FundingWsParse, frame: string, symbols: SymbolTable | null = null): WsResult {
  const out = new FundingRecord();
  const rows: Row[] = [];
  const kind = parse(frame, out, symbols, (r) => rows.push(row(r)));
  return { kind, rows, message: out.message, last: row(out) };
}

export function rest(parse: FundingRestParse, body: unknown, symbols: SymbolTable | null = null): Row[] {
  const out = new FundingRecord();
  const rows: Row[] = [];
  const n = parse(body, out, symbols, (r) => rows.push(row(r)));
  if (n !== rows.length) throw new Error(`parser returned ${n} but emitted ${rows.length}`);
  return rows;
}

/** Row literal for expectations; predicted NaN and index -1 unless given. */
export function r(symbol: string, rate: number, next: number, hours: number, ts: number, predicted = Number.NaN, index = -1): Row {
  return { symbol, rate, next, hours, predicted, ts, index };
}
