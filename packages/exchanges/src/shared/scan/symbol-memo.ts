// The byte fast paths' symbol lookup: SymbolTable.lookupBytes over the loaded frame, memoized.
import type { SymbolTable } from "../../symbol-table.ts";
import { BYTES, WORDS } from "./bytes.ts";

// Symbol index memo. SymbolTable.lookup hashes and compares the symbol char by char (~25-30 ns here, a fifth
// of the Binance budget); the same few hundred symbols arrive over and over, so a direct-mapped memo of
// symbol bytes → index answers with three 4-byte compares. SymbolTables are immutable after construction, so
// a memoized answer never goes stale. The memo serves one table at a time (a feed has one): a call with
// another table starts a new generation, which invalidates every slot at once and keeps no reference to the
// old table. A slot is only trusted when its generation is current, its length matches and its bytes equal
// the symbol's (the hash only picks the slot).
const MEMO_SLOTS = 4096; // ~4% of 300 symbols collide (those take lookupBytes)
/** Memoized symbols are 4..12 bytes long: then the first, middle and last 4 bytes cover the whole symbol. */
const MEMO_MAX_LEN = 12;
const MEMO_WORDS = new Int32Array(MEMO_SLOTS * 3);
const MEMO_LEN = new Int32Array(MEMO_SLOTS);
const MEMO_INDEX = new Int32Array(MEMO_SLOTS);
const MEMO_GEN = new Int32Array(MEMO_SLOTS); // 0 = empty
let memoTable: SymbolTable | null = null;
let memoGen = 0;

/**
 * symbols.lookupBytes(BYTES, s, e), memoized for symbols of 4..12 bytes. The words at s, at
 * s + ((len - 4) >> 1) and at e - 4 lie inside the symbol and together cover all of its bytes for
 * 4 <= len <= 12 (the middle one covers bytes 4 .. len - 5), so equal length and equal words mean equal bytes.
 */
export function symbolIndexAt(symbols: SymbolTable, s: number, e: number): number {
  const len = e - s;
  if (len < 4 || len > MEMO_MAX_LEN) return symbols.lookupBytes(BYTES, s, e);
  if (symbols !== memoTable) newMemoGeneration(symbols);
  const w = WORDS;
  const a = w.getInt32(s, true);
  const m = w.getInt32(s + ((len - 4) >> 1), true);
  const z = w.getInt32(e - 4, true);
  const h = Math.imul(Math.imul(a ^ len, 0x85ebca6b) ^ Math.imul(m, 0xc2b2ae35) ^ z, 0x9e3779b1) >>> 20;
  const o = h * 3;
  const mw = MEMO_WORDS;
  if (MEMO_GEN[h] === memoGen && MEMO_LEN[h] === len && mw[o] === a && mw[o + 1] === m && mw[o + 2] === z) return MEMO_INDEX[h]!;
  const index = symbols.lookupBytes(BYTES, s, e);
  MEMO_GEN[h] = memoGen;
  MEMO_LEN[h] = len;
  mw[o] = a;
  mw[o + 1] = m;
  mw[o + 2] = z;
  MEMO_INDEX[h] = index;
  return index;
}

function newMemoGeneration(symbols: SymbolTable): void {
  memoTable = symbols;
  if (memoGen === 0x7fffffff) {
    // generations never repeat while a slot could still hold one: clear before wrapping
    MEMO_GEN.fill(0);
    memoGen = 0;
  }
  memoGen++;
}
