// generated/ → the FeedSymbolDef list of one source (multipliers, and quantity scale where sizes are contracts).
import { loadSourceSymbols, loadSymbols } from "@spread/common";
import { adapterFor, type FeedSymbolDef } from "@spread/exchanges";

export interface LoadedFeedSymbols {
  readonly generation: string;
  readonly numSymbols: number;
  readonly defs: FeedSymbolDef[];
}

/** Throws GeneratedFileError / Error naming the file when generated/ is missing, corrupt or inconsistent. */
export function loadFeedSymbols(dir: string, source: number): LoadedFeedSymbols {
  const list = loadSourceSymbols(dir, source);
  const symbols = loadSymbols(dir);
  if (symbols.generation !== list.generation) {
    throw new Error(`${dir}: symbols.bin (${symbols.generation}) and source_symbols (${list.generation}) are from different generations`);
  }
  const inContracts = adapterFor(source).traits.qtyInContracts;
  const defs = list.entries.map((e) => {
    const contractSize = symbols.symbols[e.symbolId]?.listings[source]?.contractSize ?? null;
    return {
      symbolId: e.symbolId,
      exchangeSymbol: e.exchangeSymbol,
      multiplier: e.multiplier,
      qtyFactor: inContracts && contractSize ? contractSize : e.multiplier,
    };
  });
  return { generation: list.generation, numSymbols: list.numSymbols, defs };
}
