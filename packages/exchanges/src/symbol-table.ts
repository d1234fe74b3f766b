// Exchange symbol → local index, looked up straight from the frame (string range or byte range)
// without slicing: FNV-1a over char codes into an open-addressing table, then an exact compare.

const EMPTY = -1;

export class SymbolTable {
  private readonly names: string[] = [];
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(symbols: readonly string[]) {
    let cap = 16;
    while (cap < symbols.length * 4) cap <<= 1;
    this.slots = new Int32Array(cap).fill(EMPTY);
    this.mask = cap - 1;
    for (const s of symbols) this.add(s);
  }

  get size(): number {
    return this.names.length;
  }

  /** Exchange symbol at an index (for logs and the CLI, never the hot path). */
  name(index: number): string {
    return this.names[index]!;
  }

  /** Index of a symbol given as a whole string; -1 if absent. */
  get(symbol: string): number {
    return this.lookup(symbol, 0, symbol.length);
  }

  private add(symbol: string): number {
    const existing = this.get(symbol);
    if (existing >= 0) return existing;
    let h = hashString(symbol, 0, symbol.length) & this.mask;
    while (this.slots[h] !== EMPTY) h = (h + 1) & this.mask;
    const index = this.names.length;
    this.names.push(symbol);
    this.slots[h] = index;
    return index;
  }

  /** Index of text[start, end); -1 if absent. Allocation-free. */
  lookup(text: string, start: number, end: number): number {
    let h = hashString(text, start, end) & this.mask;
    const len = end - start;
    for (;;) {
      const idx = this.slots[h]!;
      if (idx === EMPTY) return -1;
      const name = this.names[idx]!;
      if (name.length === len) {
        let i = 0;
        while (i < len && name.charCodeAt(i) === text.charCodeAt(start + i)) i++;
        if (i === len) return idx;
      }
      h = (h + 1) & this.mask;
    }
  }

  /** Index of bytes[start, end) read as ASCII/Latin-1; -1 if absent (or non-ASCII). Allocation-free. */
  lookupBytes(bytes: Uint8Array, start: number, end: number): number {
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
    h = (h >>> 0) & this.mask;
    const len = end - start;
    for (;;) {
      const idx = this.slots[h]!;
      if (idx === EMPTY) return -1;
      const name = this.names[idx]!;
      if (name.length === len) {
        let i = 0;
        while (i < len && name.charCodeAt(i) === bytes[start + i]) i++;
        if (i === len) return idx;
      }
      h = (h + 1) & this.mask;
    }
  }
}

function hashString(s: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
