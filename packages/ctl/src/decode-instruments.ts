// `spread-ctl parse-instruments`: saved REST instrument responses (several files = pages) → one JSON line each.
import { readFileSync } from "node:fs";
import type { RawInstrument, VenueAdapter } from "@spread/exchanges";

export function instrumentLine(i: RawInstrument, sourceName: string): string {
  return JSON.stringify({
    source: sourceName,
    exchange_symbol: i.exchangeSymbol,
    base: i.base,
    quote: i.quote,
    tradable: i.tradable,
    kind: i.kind,
    tick_size: i.tickSize,
    min_qty: i.minQty,
    min_notional: i.minNotional,
    contract_size: i.contractSize,
    multiplier: i.multiplierHint,
  });
}

/** Reads and parses each file; throws an Error naming the file on unreadable or invalid input. */
export function decodeInstrumentFiles(adapter: VenueAdapter, files: readonly string[]): RawInstrument[] {
  const all: RawInstrument[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (err) {
      throw new Error(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (err) {
      throw new Error(`${file}: not JSON (${(err as Error).message})`);
    }
    try {
      all.push(...adapter.parseInstruments(body));
    } catch (err) {
      throw new Error(`${file}: ${(err as Error).message}`);
    }
  }
  return all;
}
