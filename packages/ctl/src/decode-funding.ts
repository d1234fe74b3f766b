// `spread-ctl parse-funding`: decodes saved funding REST bodies or WS frames into one JSON line per value
// {"source","symbol","funding_rate","next_funding_ms","interval_hours"}. A file that is one JSON value (a REST
// body, a pretty-printed frame) is one document; otherwise every non-empty line is one. Interval tables (Binance
// fundingInfo, Bybit instruments-info) print nothing but fill interval_hours of the documents after them.
import { SOURCE_NAMES } from "@spread/common";
import { FundingKind, FundingRecord, VENUES, fundingFor, type FundingAdapter } from "@spread/exchanges";

/** The futures venue's funding hooks for a source id; throws naming the source when it is a spot source. */
export function fundingAdapterFor(source: number): FundingAdapter {
  const f = fundingFor(source);
  if (f !== null) return f;
  const futures = VENUES.map((v) => v.futures.name).join(", ");
  throw new Error(`${SOURCE_NAMES[source] ?? `source ${source}`} has no funding (futures sources: ${futures})`);
}

export interface FundingOutput {
  readonly lines: string[];
  readonly errors: string[];
}

export class FundingDecoder {
  private readonly rec = new FundingRecord();
  private readonly adapter: FundingAdapter;
  private readonly name: string;
  /** Intervals read from an interval table earlier in the run; null until one was read. */
  private intervals: Map<string, number> | null = null;

  constructor(source: number) {
    this.adapter = fundingAdapterFor(source);
    this.name = SOURCE_NAMES[source]!;
  }

  /** Decodes a whole input (file or stdin) named `where` for messages. */
  decodeText(text: string, where: string): FundingOutput {
    const out: FundingOutput = { lines: [], errors: [] };
    const whole = parseJson(text.trim());
    if (whole !== undefined) {
      this.document(text.trim(), whole, where, out);
      return out;
    }
    const lines = text.split("\n");
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.trim();
      if (line !== "") this.document(line, parseJson(line), `${where}:${i + 1}`, out);
    }
    return out;
  }

  private document(text: string, json: unknown, where: string, out: FundingOutput): void {
    const a = this.adapter;
    if (json !== undefined && a.isRestBody(json)) {
      try {
        const n = a.parseRest(json, this.rec, null, (r) => out.lines.push(this.line(r)));
        if (n === 0 && a.parseIntervals !== null) this.loadIntervals(json);
      } catch (err) {
        out.errors.push(`${where}: ${(err as Error).message}`);
      }
      return;
    }
    const kind = a.parseWs(text, this.rec, null, (r) => out.lines.push(this.line(r)));
    if (kind === FundingKind.Malformed) out.errors.push(`${where}: malformed ${this.name} frame: ${this.rec.message ?? "unparseable"}`);
    else if (kind === FundingKind.Error) out.errors.push(`${where}: ${this.rec.message ?? `${this.name} error`}`);
  }

  /** An interval reply (no funding rows): kept for the documents after it. Rows with no rate are simply skipped. */
  private loadIntervals(json: unknown): void {
    try {
      this.intervals = this.adapter.parseIntervals!(json);
    } catch {
      // Not an interval table either: a reply with no USDT-perpetual rows (all delivery, say) prints nothing.
    }
  }

  private line(r: FundingRecord): string {
    const symbol = r.symbol();
    let hours: number | null = r.intervalHours > 0 ? r.intervalHours : null;
    if (hours === null && this.intervals !== null) {
      const h = this.intervals.get(symbol) ?? this.adapter.defaultIntervalHours;
      hours = h > 0 ? h : null;
    }
    return JSON.stringify({
      source: this.name,
      symbol,
      funding_rate: r.rate,
      next_funding_ms: r.nextFundingMs > 0 ? r.nextFundingMs : null,
      interval_hours: hours,
    });
  }
}

function parseJson(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
