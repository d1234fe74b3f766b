// The rare symbol written with JSON escapes, for the venues whose frames name a symbol in a JSON string.
import type { SymbolTable } from "../symbol-table.ts";

/** Symbol written with JSON escapes ("\u8fd9..."): decode it (allocates; venues send raw UTF-8 in practice). */
export function escapedSymbolIndex(frame: string, start: number, end: number, symbols: SymbolTable): number {
  try {
    const name: unknown = JSON.parse(frame.slice(start - 1, end + 1));
    return typeof name === "string" ? symbols.get(name) : -1;
  } catch {
    return -1;
  }
}
