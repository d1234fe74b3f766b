// The Spreads page's live top-N, kept incrementally and shared by every client. Each refresh recomputes only the
// pairs whose legs' Price Store entries changed (ShmMirror lists them), picks the top N with a bounded heap over a
// typed array only when a changed pair could enter or leave it, and rebuilds only the top rows whose inputs
// moved. Rows carry their legs' update times, not ages (the page ages them against the server clock `now`), so a
// row changes only with its prices, staleness, funding or tracked state, and an upsert of a row the client has
// carries only the fields that changed. One delta per refresh (upserts, removals, the order when it moved) is
// serialised once and sent to every client that is up to date; any other client gets the full table.
import { MAX_SYMBOLS, NUM_SOURCES, SOURCE_NAMES, type DirectionsFile, type EngineConfig, type OpenOn } from "@spread/common";
import { feeTable, fundingOverHorizonPct, grossPct, HORIZON_NEXT_SETTLEMENT, netEntryPct, netRoundTripPct, settlementsWithin } from "@spread/engine";
import { FundingValue, PRICE_ENTRIES, PriceFlag, PriceRecord, SourceLiveness, TRACKED_ENTRIES, type Shm, type ShmMirror } from "@spread/shm";

const TRACKED_NAMES = ["free", "signalled", "tracked"] as const;
/** A row's identity: present in every upsert (partial ones included) so the page can find the row. */
const ID_FIELDS = new Set(["direction_id", "symbol_id"]);

/** One row of the WebSocket `spreads` topic (docs/formats.md). Times are wall ms since the epoch. */
export interface BoardRow {
  direction_id: number;
  direction: string;
  spot_source: string;
  futures_source: string;
  symbol_id: number;
  symbol: string;
  spot_bid: number;
  spot_ask: number;
  futures_bid: number;
  futures_ask: number;
  gross_pct: number;
  net_pct: number;
  net_round_trip_pct: number;
  spot_updated_at: number;
  futures_updated_at: number;
  tracked: "free" | "signalled" | "tracked";
  spot_stale: boolean;
  futures_stale: boolean;
  funding_rate: number | null;
  funding_interval_h: number | null;
  next_funding_at: number | null;
  net_funding_pct: number | null;
}

export interface BoardSettings {
  readonly topN: number;
  readonly by: OpenOn;
  readonly staleMs: number;
  readonly fees: EngineConfig["taker_fee_pct"];
  readonly maxSpreadPct: number;
  /** net_funding_pct's horizon in µs (fundingHorizonUs of [engine]); default through the next settlement. */
  readonly fundingHorizonUs?: number;
}

/** "direction_id:symbol_id", the row key of the topic. */
const keyOf = (p: number) => `${(p / MAX_SYMBOLS) | 0}:${p % MAX_SYMBOLS}`;

export class SpreadBoard {
  /** Bumped by every update() that changed what a client shows; a client that has `version` needs nothing. */
  version = 0;
  /** The spreads-topic JSON taking a client from version - 1 to version (null before the first change). */
  private delta: string | null = null;
  private full: string | null = null;
  pairs = 0;
  priced = 0;
  generation: string | null = null;
  problem: string | null = null;
  /** Wall ms of the last update (the clock reference of the messages). */
  now = 0;

  private readonly fee: Float64Array;
  private readonly staleUs: number;
  // Last consistent quote of every Price Store entry (symbol_id × 8 + source_id).
  private readonly bid = new Float64Array(PRICE_ENTRIES);
  private readonly ask = new Float64Array(PRICE_ENTRIES);
  private readonly upd = new Float64Array(PRICE_ENTRIES);
  private readonly flags = new Uint32Array(PRICE_ENTRIES);
  // Pairs, indexed direction_id × MAX_SYMBOLS + symbol_id (the tracked-state index).
  private readonly value = new Float64Array(TRACKED_ENTRIES).fill(Number.NaN);
  private readonly listed = new Uint8Array(TRACKED_ENTRIES);
  private readonly inTop = new Uint8Array(TRACKED_ENTRIES);
  private pairList = new Int32Array(0);
  private readonly spotOf = new Int32Array(TRACKED_ENTRIES / MAX_SYMBOLS);
  private readonly futuresOf = new Int32Array(TRACKED_ENTRIES / MAX_SYMBOLS);
  private names: readonly string[] = [];
  private dirNames: string[] = [];
  /** Directions each source is a leg of. */
  private srcDirs: number[][] = Array.from({ length: NUM_SOURCES }, () => []);
  private top = new Int32Array(0);
  private topLen = 0;
  private readonly heapP: Int32Array;
  private readonly heapV: Float64Array;
  /** The rows as last published, by pair. */
  private readonly sent = new Map<number, BoardRow>();
  /** Bumped per update(); `touched[p]` = the update that last recomputed p from a new price. */
  private round = 1;
  private readonly touched = new Uint32Array(TRACKED_ENTRIES);
  /** What a published row was built from: the round, stale/tracked/funding bits, the funding entry's seq. */
  private readonly builtRound = new Uint32Array(TRACKED_ENTRIES);
  private readonly builtBits = new Uint8Array(TRACKED_ENTRIES);
  private readonly builtFunding = new Uint32Array(TRACKED_ENTRIES);
  /** Settlements inside the funding horizon when built: with an hours horizon it moves with time alone. */
  private readonly builtSettlements = new Uint16Array(TRACKED_ENTRIES);
  private readonly horizonUs: number;
  private head = "";
  private epoch = -1;
  private rescan = true;
  private live: SourceLiveness | undefined;
  private liveShm: Shm | undefined;
  private readonly rec = new PriceRecord();
  private readonly fv = new FundingValue();

  constructor(private readonly s: BoardSettings) {
    this.fee = feeTable(s.fees);
    this.staleUs = s.staleMs * 1000;
    this.horizonUs = s.fundingHorizonUs ?? HORIZON_NEXT_SETTLEMENT;
    this.heapP = new Int32Array(s.topN);
    this.heapV = new Float64Array(s.topN);
  }

  /** A generation of generated/ (start, reload): the listed pairs and names change, every value is recomputed. */
  setDirections(dirs: DirectionsFile, names: readonly string[]): void {
    this.listed.fill(0);
    this.srcDirs = Array.from({ length: NUM_SOURCES }, () => []);
    this.dirNames = [];
    const list: number[] = [];
    for (const d of dirs.directions) {
      this.spotOf[d.id] = d.spot;
      this.futuresOf[d.id] = d.futures;
      this.dirNames[d.id] = d.name;
      this.srcDirs[d.spot]!.push(d.id);
      this.srcDirs[d.futures]!.push(d.id);
      for (const sym of d.symbols) {
        if (sym >= MAX_SYMBOLS) continue;
        const p = d.id * MAX_SYMBOLS + sym;
        if (this.listed[p]) continue;
        this.listed[p] = 1;
        list.push(p);
      }
    }
    this.pairList = Int32Array.from(list);
    this.pairs = list.length;
    this.names = names;
    this.generation = dirs.generation;
    this.value.fill(Number.NaN);
    for (let i = 0; i < this.pairList.length; i++) this.recompute(this.pairList[i]!);
    // Names may have changed under the same ids: every published row is rebuilt and compared.
    this.builtRound.fill(0);
    this.rescan = true;
  }

  private recompute(p: number): void {
    const d = (p / MAX_SYMBOLS) | 0;
    const sym = p - d * MAX_SYMBOLS;
    const se = sym * NUM_SOURCES + this.spotOf[d]!;
    const fe = sym * NUM_SOURCES + this.futuresOf[d]!;
    const a = this.ask[se]!;
    const b = this.bid[fe]!;
    let v = Number.NaN;
    if ((this.flags[se]! & PriceFlag.valid) !== 0 && (this.flags[fe]! & PriceFlag.valid) !== 0 && a > 0 && b > 0) {
      const gross = grossPct(a, b);
      const by = this.s.by;
      v = by === "gross" ? gross : by === "net" ? netEntryPct(gross, this.fee[this.spotOf[d]!]!, this.fee[this.futuresOf[d]!]!) : netRoundTripPct(gross, this.fee[this.spotOf[d]!]!, this.fee[this.futuresOf[d]!]!);
      if (!Number.isFinite(v)) v = Number.NaN;
    }
    this.value[p] = v;
    this.touched[p] = this.round;
    // Only a pair in the top, or one now better than its last member, can change the top.
    if (this.inTop[p] || (v === v && (this.topLen < this.s.topN || this.better(v, p, this.value[this.top[this.topLen - 1]!]!, this.top[this.topLen - 1]!)))) this.rescan = true;
  }

  /** Higher value first; equal values by pair index, so the order is stable across refreshes. */
  private better(v: number, p: number, w: number, q: number): boolean {
    return v > w || (v === w && p < q);
  }

  /**
   * Applies the mirror's changes since the last call (and marks them consumed), re-picks the top when needed, and
   * computes the delta. `problem`: generated/ trouble to show above the rows. At most one new version per call.
   */
  update(mirror: ShmMirror, nowUs: number, problem: string | null): boolean {
    const shm = mirror.shm;
    this.problem = problem;
    this.round++;
    if (mirror.epoch !== this.epoch) {
      // Regions recreated: nothing held so far describes them.
      this.epoch = mirror.epoch;
      this.flags.fill(0);
      this.value.fill(Number.NaN);
      this.builtRound.fill(0);
      this.rescan = true;
    }
    const rec = this.rec;
    for (let i = 0; i < mirror.changedPriceCount; i++) {
      const e = mirror.changedPrices[i]!;
      const src = e % NUM_SOURCES;
      const sym = (e - src) / NUM_SOURCES;
      if (!shm.prices.readQuote(src, sym, rec)) continue;
      this.bid[e] = rec.bid;
      this.ask[e] = rec.ask;
      this.upd[e] = rec.updatedAt;
      this.flags[e] = rec.flags;
      const dirs = this.srcDirs[src]!;
      for (let j = 0; j < dirs.length; j++) {
        const p = dirs[j]! * MAX_SYMBOLS + sym;
        if (this.listed[p]) this.recompute(p);
      }
    }
    mirror.changedPriceCount = 0;
    if (this.liveShm !== shm) {
      this.live = new SourceLiveness(shm.health);
      this.liveShm = shm;
    }
    this.live!.refresh(nowUs);
    this.now = Math.round(nowUs / 1000);
    if (this.rescan) this.pickTop();
    this.countPriced(nowUs);
    return this.diff(shm, nowUs);
  }

  /** Shared memory unusable this refresh: the rows stay as they were, the header says why. */
  setProblem(problem: string, nowUs: number): boolean {
    this.problem = problem;
    this.now = Math.round(nowUs / 1000);
    return this.diff(undefined, nowUs);
  }

  private fresh(e: number, src: number, nowUs: number): boolean {
    return this.live!.fresh(src, this.flags[e]!) && nowUs - this.upd[e]! <= this.staleUs;
  }

  private countPriced(nowUs: number): void {
    let n = 0;
    const list = this.pairList;
    for (let i = 0; i < list.length; i++) {
      const p = list[i]!;
      const v = this.value[p]!;
      if (v !== v) continue;
      const d = (p / MAX_SYMBOLS) | 0;
      const sym = p - d * MAX_SYMBOLS;
      const s = this.spotOf[d]!;
      const f = this.futuresOf[d]!;
      if (this.fresh(sym * NUM_SOURCES + s, s, nowUs) && this.fresh(sym * NUM_SOURCES + f, f, nowUs)) n++;
    }
    this.priced = n;
  }

  /** The top N by value: a bounded min-heap over every listed pair (O(pairs), no per-pair object), then sorted. */
  private pickTop(): void {
    this.rescan = false;
    const n = this.s.topN;
    const hp = this.heapP;
    const hv = this.heapV;
    let size = 0;
    const list = this.pairList;
    for (let k = 0; k < list.length; k++) {
      const p = list[k]!;
      const v = this.value[p]!;
      if (v !== v) continue;
      if (size < n) {
        // sift up: the root is the worst member
        let i = size++;
        while (i > 0) {
          const up = (i - 1) >> 1;
          if (!this.better(hv[up]!, hp[up]!, v, p)) break;
          hp[i] = hp[up]!;
          hv[i] = hv[up]!;
          i = up;
        }
        hp[i] = p;
        hv[i] = v;
      } else if (this.better(v, p, hv[0]!, hp[0]!)) {
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          if (l >= size) break;
          const r = l + 1;
          const w = r < size && this.better(hv[l]!, hp[l]!, hv[r]!, hp[r]!) ? r : l;
          if (!this.better(v, p, hv[w]!, hp[w]!)) break;
          hp[i] = hp[w]!;
          hv[i] = hv[w]!;
          i = w;
        }
        hp[i] = p;
        hv[i] = v;
      }
    }
    for (let i = 0; i < this.topLen; i++) this.inTop[this.top[i]!] = 0;
    const order = Array.from(hp.subarray(0, size)).sort((a, b) => (this.better(this.value[a]!, a, this.value[b]!, b) ? -1 : 1));
    this.top = Int32Array.from(order);
    this.topLen = size;
    for (let i = 0; i < size; i++) this.inTop[this.top[i]!] = 1;
  }

  private row(shm: Shm, p: number, nowUs: number): BoardRow {
    const d = (p / MAX_SYMBOLS) | 0;
    const sym = p - d * MAX_SYMBOLS;
    const s = this.spotOf[d]!;
    const f = this.futuresOf[d]!;
    const se = sym * NUM_SOURCES + s;
    const fe = sym * NUM_SOURCES + f;
    const gross = grossPct(this.ask[se]!, this.bid[fe]!);
    const net = netEntryPct(gross, this.fee[s]!, this.fee[f]!);
    const fv = this.fv;
    const hasFunding = shm.funding.read(f, sym, fv) && this.live!.fresh(f, fv.flags) && Number.isFinite(fv.rate);
    return {
      direction_id: d,
      direction: this.dirNames[d] ?? String(d),
      spot_source: SOURCE_NAMES[s]!,
      futures_source: SOURCE_NAMES[f]!,
      symbol_id: sym,
      symbol: this.names[sym] ?? `#${sym}`,
      spot_bid: this.bid[se]!,
      spot_ask: this.ask[se]!,
      futures_bid: this.bid[fe]!,
      futures_ask: this.ask[fe]!,
      gross_pct: gross,
      net_pct: net,
      net_round_trip_pct: netRoundTripPct(gross, this.fee[s]!, this.fee[f]!),
      spot_updated_at: Math.round(this.upd[se]! / 1000),
      futures_updated_at: Math.round(this.upd[fe]! / 1000),
      tracked: TRACKED_NAMES[shm.tracked.state(d, sym)] ?? "free",
      spot_stale: !this.fresh(se, s, nowUs),
      futures_stale: !this.fresh(fe, f, nowUs),
      funding_rate: hasFunding ? fv.rate : null,
      funding_interval_h: hasFunding && fv.intervalMin > 0 ? fv.intervalMin / 60 : null,
      next_funding_at: hasFunding && fv.nextFundingAt > 0 ? Math.round(fv.nextFundingAt / 1000) : null,
      net_funding_pct: hasFunding ? net + fundingOverHorizonPct(fv.rate, fv.nextFundingAt, fv.intervalMin, nowUs, this.horizonUs) : null,
    };
  }

  /**
   * The top rows whose inputs moved since they were published (a new price, a stale or tracked transition, a
   * funding write, a settlement leaving the funding horizon) are rebuilt and compared field by field: a row new to the top goes whole, a known one as its
   * changed fields. `shm` undefined: only the header can have changed.
   */
  private diff(shm: Shm | undefined, nowUs: number): boolean {
    const upsert: string[] = [];
    const remove: string[] = [];
    let orderMoved = false;
    if (shm) {
      const fv = this.fv;
      for (let i = 0; i < this.topLen; i++) {
        const p = this.top[i]!;
        const d = (p / MAX_SYMBOLS) | 0;
        const sym = p - d * MAX_SYMBOLS;
        const s = this.spotOf[d]!;
        const f = this.futuresOf[d]!;
        const funded = shm.funding.read(f, sym, fv);
        const bits = (this.fresh(sym * NUM_SOURCES + s, s, nowUs) ? 0 : 1) | (this.fresh(sym * NUM_SOURCES + f, f, nowUs) ? 0 : 2) | (shm.tracked.state(d, sym) << 2) | (funded && this.live!.fresh(f, fv.flags) ? 16 : 0);
        const fseq = funded ? fv.seq : 0;
        const settlements = funded ? Math.min(65535, settlementsWithin(fv.nextFundingAt, fv.intervalMin, nowUs, this.horizonUs)) : 0;
        const prev = this.sent.get(p);
        if (prev && this.builtRound[p] !== 0 && this.builtRound[p]! >= this.touched[p]! && this.builtBits[p] === bits && this.builtFunding[p] === fseq && this.builtSettlements[p] === settlements) continue;
        this.builtRound[p] = this.round;
        this.builtBits[p] = bits;
        this.builtFunding[p] = fseq;
        this.builtSettlements[p] = settlements;
        const row = this.row(shm, p, nowUs);
        this.sent.set(p, row);
        if (!prev) {
          upsert.push(JSON.stringify(row));
          continue;
        }
        const part: Record<string, unknown> = { direction_id: row.direction_id, symbol_id: row.symbol_id };
        let changed = false;
        for (const k in row) {
          const v = row[k as keyof BoardRow];
          if (v !== prev[k as keyof BoardRow] && !ID_FIELDS.has(k)) {
            part[k] = v;
            changed = true;
          }
        }
        if (changed) upsert.push(JSON.stringify(part));
      }
      for (const p of this.sent.keys()) {
        if (!this.inTop[p]) {
          this.sent.delete(p);
          remove.push(JSON.stringify(keyOf(p)));
        }
      }
      orderMoved = !this.sameOrder();
    }
    const head = JSON.stringify({ pairs: this.pairs, priced: this.priced, by: this.s.by, stale_ms: this.s.staleMs, max_spread_pct: this.s.maxSpreadPct, generation: this.generation, problem: this.problem });
    const headMoved = head !== this.head;
    if (!upsert.length && !remove.length && !orderMoved && !headMoved) return false;
    this.head = head;
    if (orderMoved) this.lastOrder = Array.from(this.top.subarray(0, this.topLen));
    const parts = [`"now":${this.now}`];
    if (headMoved) parts.push(`"head":${head}`);
    if (upsert.length) parts.push(`"upsert":[${upsert.join(",")}]`);
    if (remove.length) parts.push(`"remove":[${remove.join(",")}]`);
    if (orderMoved) parts.push(`"order":${this.orderJson()}`);
    this.delta = `{${parts.join(",")}}`;
    this.full = null;
    this.version++;
    return true;
  }

  private lastOrder: number[] = [];

  private sameOrder(): boolean {
    if (this.lastOrder.length !== this.topLen) return false;
    for (let i = 0; i < this.topLen; i++) if (this.lastOrder[i] !== this.top[i]) return false;
    return true;
  }

  private orderJson(): string {
    return JSON.stringify(Array.from(this.top.subarray(0, this.topLen), keyOf));
  }

  /** What a client that has `version` (-1: nothing yet) needs: null (up to date), the delta, or the full table. */
  messageFor(version: number): string | null {
    if (version === this.version) return null;
    if (version === this.version - 1 && this.delta !== null) return this.delta;
    return (this.full ??= `{"full":true,"now":${this.now},"head":${this.head || "null"},"upsert":${JSON.stringify(this.rows())},"order":${this.orderJson()}}`);
  }

  /** The top rows as published, best first (/metrics, tests, the full table). */
  rows(): BoardRow[] {
    const out: BoardRow[] = [];
    for (let i = 0; i < this.topLen; i++) {
      const r = this.sent.get(this.top[i]!);
      if (r) out.push(r);
    }
    return out;
  }
}
