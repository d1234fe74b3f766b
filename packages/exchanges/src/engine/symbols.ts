// The symbols one feed serves: exchange symbol ↔ local index ↔ global symbol_id, price multipliers and
// per-symbol liveness, all in typed arrays indexed by the local index the SymbolTable returns.
import { SymbolTable } from "../symbol-table.ts";

export interface FeedSymbolDef {
  readonly symbolId: number;
  readonly exchangeSymbol: string;
  /** Venue price ÷ multiplier = price per ONE unit of the base (1000PEPEUSDT → 1000). */
  readonly multiplier: number;
  /** Venue quantity × qtyFactor = base units (multiplier, or contract size where sizes are contracts). */
  readonly qtyFactor: number;
}

export class FeedSymbols {
  readonly table: SymbolTable;
  readonly exchangeSymbols: readonly string[];
  readonly symbolIds: Uint16Array;
  readonly invMultiplier: Float64Array;
  readonly qtyFactor: Float64Array;
  /** performance.now() of the last valid update; 0 = never. */
  readonly lastUpdate: Float64Array;
  /** performance.now() when the symbol was (re)subscribed; for the never-received watchdog. */
  readonly subscribedAt: Float64Array;
  /** 1 = the exchange refused it; it is tried again at retryAt (or on a reload). */
  readonly rejected: Uint8Array;
  /** Refusals so far (the retry backoff doubles with each). */
  readonly rejectCount: Uint16Array;
  /** performance.now() when a refused symbol is subscribed again; Infinity = never (Pair Discovery). */
  readonly retryAt: Float64Array;
  /** 1 = the venue's last push had an empty book side (no quote: a market state, not a feed fault). */
  readonly oneSided: Uint8Array;
  /** The venue's refusal message per rejected symbol (null = not rejected, or the venue gave no text). */
  readonly rejectReason: (string | null)[];

  constructor(defs: readonly FeedSymbolDef[]) {
    this.exchangeSymbols = defs.map((d) => d.exchangeSymbol);
    this.table = new SymbolTable(this.exchangeSymbols);
    if (this.table.size !== defs.length) throw new Error("duplicate exchange symbol in feed symbol list");
    const n = defs.length;
    this.symbolIds = new Uint16Array(n);
    this.invMultiplier = new Float64Array(n);
    this.qtyFactor = new Float64Array(n);
    this.lastUpdate = new Float64Array(n);
    this.subscribedAt = new Float64Array(n);
    this.rejected = new Uint8Array(n);
    this.rejectCount = new Uint16Array(n);
    this.retryAt = new Float64Array(n);
    this.oneSided = new Uint8Array(n);
    this.rejectReason = new Array<string | null>(n).fill(null);
    defs.forEach((d, i) => {
      this.symbolIds[i] = d.symbolId;
      this.invMultiplier[i] = 1 / d.multiplier;
      this.qtyFactor[i] = d.qtyFactor;
    });
  }

  get size(): number {
    return this.exchangeSymbols.length;
  }

  indexOf(exchangeSymbol: string): number {
    return this.table.get(exchangeSymbol);
  }

  /** Carries liveness and rejection state over to a new generation, by exchange symbol. */
  inheritFrom(old: FeedSymbols): void {
    for (let i = 0; i < this.size; i++) {
      const j = old.indexOf(this.exchangeSymbols[i]!);
      if (j < 0) continue;
      this.lastUpdate[i] = old.lastUpdate[j]!;
      this.subscribedAt[i] = old.subscribedAt[j]!;
      this.rejected[i] = old.rejected[j]!;
      this.oneSided[i] = old.oneSided[j]!;
      this.rejectReason[i] = old.rejectReason[j]!;
      this.rejectCount[i] = old.rejectCount[j]!;
      this.retryAt[i] = old.retryAt[j]!;
    }
  }
}
