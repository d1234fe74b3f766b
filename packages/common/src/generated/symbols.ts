// generated/symbols.bin: symbol_id → normalized name and the listing on each of the 8 sources (docs/formats.md).
import { NUM_SOURCES, MAX_SYMBOLS } from "../ids.ts";
import { ByteWriter } from "./codec.ts";
import { decodeEnvelope, encodeEnvelope } from "./envelope.ts";
import { GeneratedFileError } from "./errors.ts";

/** One source's listing of a symbol. Parameters the venue does not give are null (NaN in the file). */
export interface SymbolListing {
  /** As the exchange spells it: "BTCUSDT", "BTC-USDT-SWAP", "BTC_USDT", "1000PEPEUSDT". */
  readonly exchangeSymbol: string;
  /** Exchange price = price per ONE unit × multiplier (1000PEPEUSDT → 1000). Feeds divide by it. */
  readonly multiplier: number;
  readonly minQty: number | null;
  readonly maxQty: number | null;
  readonly tickSize: number | null;
  readonly minNotional: number | null;
  /** Base units per contract (futures), null when not given. */
  readonly contractSize: number | null;
}

export interface GeneratedSymbol {
  /** symbol_id: equals the index in SymbolsFile.symbols. */
  readonly id: number;
  /** normalized_name "BASE-USDT". */
  readonly name: string;
  /** Indexed by source_id; null where the symbol is not listed. */
  readonly listings: readonly (SymbolListing | null)[];
}

export interface SymbolsFile {
  readonly generation: string;
  readonly symbols: readonly GeneratedSymbol[];
}

export function encodeSymbols(generation: string, symbols: readonly GeneratedSymbol[]): Uint8Array {
  return encodeEnvelope("symbols", generation, symbols.length, encodeSymbolsPayload(symbols));
}

/** The payload alone (the generation id is derived from payloads, see generation.ts). */
export function encodeSymbolsPayload(symbols: readonly GeneratedSymbol[]): Uint8Array {
  if (symbols.length > MAX_SYMBOLS) throw new Error(`symbols.bin: ${symbols.length} symbols exceed MAX_SYMBOLS ${MAX_SYMBOLS}`);
  const w = new ByteWriter();
  symbols.forEach((s, i) => {
    if (s.id !== i) throw new Error(`symbols.bin: symbol "${s.name}" has id ${s.id} at index ${i}; ids must be dense and sorted`);
    w.u16(s.id);
    w.str8(s.name, `symbol ${s.id} name`);
    let mask = 0;
    for (let src = 0; src < NUM_SOURCES; src++) if (s.listings[src]) mask |= 1 << src;
    w.u8(mask);
    for (let src = 0; src < NUM_SOURCES; src++) {
      const l = s.listings[src];
      if (!l) continue;
      w.str8(l.exchangeSymbol, `symbol ${s.name} source ${src} exchange_symbol`);
      w.f64(l.multiplier);
      w.f64(l.minQty);
      w.f64(l.maxQty);
      w.f64(l.tickSize);
      w.f64(l.minNotional);
      w.f64(l.contractSize);
    }
  });
  return w.finish();
}

export function decodeSymbols(bytes: Uint8Array, file: string): SymbolsFile {
  const env = decodeEnvelope(bytes, file, "symbols");
  const r = env.reader;
  if (env.count > MAX_SYMBOLS) throw new GeneratedFileError(file, "invalid", `count ${env.count} exceeds MAX_SYMBOLS ${MAX_SYMBOLS}`);
  const symbols: GeneratedSymbol[] = [];
  const names = new Set<string>();
  for (let i = 0; i < env.count; i++) {
    const id = r.u16(`symbol[${i}].symbol_id`);
    if (id !== i) r.fail(`symbol[${i}].symbol_id is ${id}; ids must be 0..N-1 in order`);
    const name = r.str8(`symbol[${i}].name`);
    if (names.has(name)) r.fail(`symbol[${i}].name "${name}" appears twice`);
    names.add(name);
    const mask = r.u8(`symbol[${i}].source_mask`);
    const listings: (SymbolListing | null)[] = new Array(NUM_SOURCES).fill(null);
    for (let src = 0; src < NUM_SOURCES; src++) {
      if (!(mask & (1 << src))) continue;
      const at = `symbol[${i}] ${name} source ${src}`;
      const exchangeSymbol = r.str8(`${at} exchange_symbol`);
      const multiplier = r.f64(`${at} multiplier`);
      if (!(multiplier > 0) || !Number.isFinite(multiplier)) r.fail(`${at} multiplier ${multiplier} is not a positive number`);
      listings[src] = {
        exchangeSymbol,
        multiplier,
        minQty: opt(r.f64(`${at} min_qty`)),
        maxQty: opt(r.f64(`${at} max_qty`)),
        tickSize: opt(r.f64(`${at} tick_size`)),
        minNotional: opt(r.f64(`${at} min_notional`)),
        contractSize: opt(r.f64(`${at} contract_size`)),
      };
    }
    symbols.push({ id, name, listings });
  }
  if (r.remaining !== 0) r.fail(`${r.remaining} bytes left after ${env.count} symbols`);
  return { generation: env.generation, symbols };
}

function opt(v: number): number | null {
  return Number.isNaN(v) ? null : v;
}
