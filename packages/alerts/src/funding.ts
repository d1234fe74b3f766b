// Funding of an opened spread's futures leg, when the system has it: the Funding region (shm layout 3) at the
// Price Store's index (symbol_id × 8 + source_id), used only if valid, not stale and its feed is publishing
// (docs/shm-layout.md "Funding"). Symbol names map to ids through generated/symbols.bin, re-read when a name is
// not found (a new generation). Anything missing (no region on an older layout, no value yet) → null, "n/a".
import { SOURCE_NAMES, loadSymbolNames } from "@spread/common";
import { FundingFlag, FundingStore, FundingValue, type SourceLiveness } from "@spread/shm";

/** Reloading generated/ at most this often when names are not found. */
const RELOAD_EVERY_MS = 10_000;

export class FundingLookup {
  private ids = new Map<string, number>();
  private loadedAt = -Infinity;
  private readonly v = new FundingValue();

  constructor(
    private readonly store: FundingStore,
    private readonly liveness: SourceLiveness,
    private readonly generatedDir: string,
  ) {}

  /** Funding rate in percent per interval of `symbol` on futures source `source` (a name), or null. */
  pct(source: string, symbol: string, nowMs = Date.now()): number | null {
    const src = SOURCE_NAMES.indexOf(source as (typeof SOURCE_NAMES)[number]);
    if (src < 0 || src % 2 === 0) return null;
    let id = this.ids.get(symbol);
    if (id === undefined && nowMs - this.loadedAt >= RELOAD_EVERY_MS) {
      this.loadedAt = nowMs;
      try {
        this.ids = new Map(loadSymbolNames(this.generatedDir).map((n, i) => [n, i]));
      } catch {
        // no usable generated/ right now
      }
      id = this.ids.get(symbol);
    }
    if (id === undefined || !this.store.read(src, id, this.v)) return null;
    const usable = (this.v.flags & (FundingFlag.valid | FundingFlag.stale)) === FundingFlag.valid && this.liveness.sourceLive(src);
    return usable && Number.isFinite(this.v.rate) ? this.v.rate * 100 : null;
  }
}
