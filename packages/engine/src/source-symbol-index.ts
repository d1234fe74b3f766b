// SourceSymbolIndex (A.10): for each (source_id, symbol_id) the directions it takes part in, as flat typed
// arrays indexed by source_id × MAX_SYMBOLS + symbol_id. No Map, no object per entry: a price update costs
// one array index to find its directions.
import { DIRECTIONS, MAX_SYMBOLS, NUM_DIRECTIONS, NUM_SOURCES, type DirectionsFile } from "@spread/common";

/** Entries reserved per (source, symbol) (A.10). With table A.4 a source is in at most 3 directions. */
export const MAX_DIRECTIONS_PER_SOURCE_SYMBOL = 6;

const SLOTS = NUM_SOURCES * MAX_SYMBOLS;

export class SourceSymbolIndex {
  /** Entries in use per (source, symbol). */
  readonly count = new Uint8Array(SLOTS);
  /** DirectionEntry fields at (source × MAX_SYMBOLS + symbol) × 6 + i. */
  readonly directionId = new Uint8Array(SLOTS * MAX_DIRECTIONS_PER_SOURCE_SYMBOL);
  readonly counterpartSource = new Uint8Array(SLOTS * MAX_DIRECTIONS_PER_SOURCE_SYMBOL);
  /** 1 = this (source, symbol) is the spot leg of the direction. */
  readonly isSpotSide = new Uint8Array(SLOTS * MAX_DIRECTIONS_PER_SOURCE_SYMBOL);
  /** Symbols per direction, for full scans: the lists of directions.bin (ascending). */
  readonly directionSymbols: readonly Uint16Array[];
  /** symbol ids in use (num_symbols of the generation). */
  readonly numSymbols: number;
  /** Sum over directions of their symbols. */
  readonly pairs: number;
  readonly generation: string;

  constructor(file: DirectionsFile) {
    if (file.directions.length !== NUM_DIRECTIONS) throw new Error(`directions: ${file.directions.length} directions, expected ${NUM_DIRECTIONS}`);
    const lists: Uint16Array[] = [];
    let pairs = 0;
    for (let d = 0; d < NUM_DIRECTIONS; d++) {
      const dir = file.directions[d]!;
      const def = DIRECTIONS[d]!;
      // The loader already checks this; the index must never attribute a leg to the wrong side.
      if (dir.id !== d || dir.spot !== def.spot || dir.futures !== def.futures) throw new Error(`directions: direction ${d} is ${dir.spot}→${dir.futures}, table A.4 says ${def.spot}→${def.futures}`);
      for (const sym of dir.symbols) {
        if (sym >= MAX_SYMBOLS) throw new Error(`directions: symbol_id ${sym} ≥ ${MAX_SYMBOLS}`);
        this.add(def.spot, sym, d, def.futures, 1);
        this.add(def.futures, sym, d, def.spot, 0);
      }
      lists.push(dir.symbols);
      pairs += dir.symbols.length;
    }
    this.directionSymbols = lists;
    this.numSymbols = file.numSymbols;
    this.pairs = pairs;
    this.generation = file.generation;
  }

  private add(source: number, symbol: number, direction: number, counterpart: number, spot: number): void {
    const slot = source * MAX_SYMBOLS + symbol;
    const n = this.count[slot]!;
    if (n >= MAX_DIRECTIONS_PER_SOURCE_SYMBOL) throw new Error(`SourceSymbolIndex: source ${source} symbol ${symbol} is in more than ${MAX_DIRECTIONS_PER_SOURCE_SYMBOL} directions`);
    const e = slot * MAX_DIRECTIONS_PER_SOURCE_SYMBOL + n;
    this.directionId[e] = direction;
    this.counterpartSource[e] = counterpart;
    this.isSpotSide[e] = spot;
    this.count[slot] = n + 1;
  }

  /** First entry index of (source, symbol); its entries are base .. base + count − 1. */
  static base(source: number, symbol: number): number {
    return (source * MAX_SYMBOLS + symbol) * MAX_DIRECTIONS_PER_SOURCE_SYMBOL;
  }

  entries(source: number, symbol: number): number {
    return this.count[source * MAX_SYMBOLS + symbol]!;
  }
}
