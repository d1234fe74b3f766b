// The market model: correlated log random walks per asset (one common factor), per-instrument quotes with
// basis, noise, spread and injected anomalies, and Poisson update events per source drawn by weight.
// Price paths and event sequences depend only on (seed, step index, rate), never on clients or wall time.
import { NUM_SOURCES } from "@spread/common";
import { Rng } from "../rng.ts";
import type { Scenario } from "../scenario/schema.ts";
import { Episodes } from "./episodes.ts";
import { FundingScripts } from "./funding-script.ts";
import { Anomaly, type Instrument } from "./instrument.ts";
import type { Universe } from "./universe.ts";

const DAY_S = 86_400;

/** Fixed tables for the per-update draws (noise, size multipliers): a table lookup per update instead of
 * Box-Muller + exp keeps requote cheap at hundreds of thousands of updates per second. */
const TABLE_BITS = 12;
const NORMALS = new Float64Array(1 << TABLE_BITS);
const SIZE_MULT = new Float64Array(1 << TABLE_BITS);
{
  const r = new Rng(0x5eed, "tables");
  for (let i = 0; i < NORMALS.length; i++) NORMALS[i] = r.normal();
  for (let i = 0; i < SIZE_MULT.length; i++) SIZE_MULT[i] = Math.exp(1.3 * r.normal());
}

/** Mutable quote state of every instrument of one source, in typed arrays indexed by Instrument.index. */
export class SourceBook {
  readonly n: number;
  /** Best bid / ask in ticks of the instrument's tick size. */
  readonly bid: Float64Array;
  readonly ask: Float64Array;
  /** Best bid / ask size in lots of the instrument's qty step (contracts on OKX SWAP / MEXC futures). */
  readonly bidQty: Float64Array;
  readonly askQty: Float64Array;
  /** Venue update id (Binance u, Bybit u, OKX seqId, MEXC version) and cross sequence. */
  readonly u: Float64Array;
  readonly seq: Float64Array;
  /** Exchange timestamp (ms) of the last update. */
  readonly ts: Float64Array;
  /** 1 once the instrument has a quote. */
  readonly has: Uint8Array;
  /** Episode offset of this instrument's mid (fraction). */
  readonly factor: Float64Array;
  /** Updates per second of this source (before episode boosts). */
  rate = 0;
  /** Trading, non-silent instruments: the uniform floor draw picks among these. */
  eligible = new Int32Array(0);
  aliasProb: Float64Array;
  aliasIdx: Int32Array;
  totalWeight = 0;

  constructor(readonly instruments: readonly Instrument[]) {
    const n = (this.n = instruments.length);
    this.bid = new Float64Array(n);
    this.ask = new Float64Array(n);
    this.bidQty = new Float64Array(n);
    this.askQty = new Float64Array(n);
    this.u = new Float64Array(n);
    this.seq = new Float64Array(n);
    this.ts = new Float64Array(n);
    this.has = new Uint8Array(n);
    this.factor = new Float64Array(n);
    this.aliasProb = new Float64Array(n);
    this.aliasIdx = new Int32Array(n);
    this.rebuildAlias();
  }

  /** Vose alias table over the instrument weights (silent instruments weigh 0). */
  rebuildAlias(): void {
    const n = this.n;
    this.eligible = Int32Array.from(this.instruments.filter((i) => i.status === "trading" && !i.silent).map((i) => i.index));
    const w = new Float64Array(n);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const inst = this.instruments[i]!;
      w[i] = inst.silent ? 0 : inst.weight;
      total += w[i]!;
    }
    this.totalWeight = total;
    if (total === 0 || n === 0) return;
    const small: number[] = [];
    const large: number[] = [];
    const p = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      p[i] = (w[i]! * n) / total;
      (p[i]! < 1 ? small : large).push(i);
    }
    while (small.length && large.length) {
      const s = small.pop()!;
      const l = large.pop()!;
      this.aliasProb[s] = p[s]!;
      this.aliasIdx[s] = l;
      p[l] = p[l]! + p[s]! - 1;
      (p[l]! < 1 ? small : large).push(l);
    }
    for (const i of large) {
      this.aliasProb[i] = 1;
      this.aliasIdx[i] = i;
    }
    for (const i of small) {
      this.aliasProb[i] = 1;
      this.aliasIdx[i] = i;
    }
  }

  /** Draws an instrument index by weight from one uniform number. */
  sample(u: number): number {
    const x = u * this.n;
    const i = x | 0;
    return x - i < this.aliasProb[i]! ? i : this.aliasIdx[i]!;
  }
}

/** Called for every quote update, synchronously inside step(). */
export type QuoteListener = (source: number, index: number) => void;

export class Market {
  readonly books: SourceBook[] = [];
  readonly episodes: Episodes;
  /** Scripted funding settlements (POST /funding). */
  readonly funding: FundingScripts;
  /** USD mid of each asset at the current step. */
  readonly mid: Float64Array;
  private readonly logMid: Float64Array;
  private readonly stepSigma: Float64Array;
  private readonly beta: Float64Array;
  private readonly walkRng: Rng;
  private readonly quoteRng: Rng[] = [];
  private readonly eventRng: Rng[] = [];
  private readonly marketSigma: number;
  private readonly noise: number;
  private readonly basisScale: number;
  private readonly spreadScale: number;
  readonly dtS: number;
  stepIndex = 0;
  listener: QuoteListener | null = null;
  totalRate = 0;
  private sourceWeights: number[];
  private readonly episodeMinRate: number;
  /** Floor rate of every eligible symbol (updates/s): quiet symbols stay quiet, but not silent for minutes. */
  minPerSymbol: number;
  updatesTotal = 0;
  /** Instruments with their own fixed rate ([[symbol_rates]]): [source, index, updates per second]. */
  readonly fixedRates: [number, number, number][] = [];

  constructor(readonly universe: Universe, scenario: Scenario, seed: number) {
    this.dtS = scenario.sim.tick_ms / 1000;
    const nA = universe.assets.length;
    this.mid = new Float64Array(nA);
    this.logMid = new Float64Array(nA);
    this.stepSigma = new Float64Array(nA);
    this.beta = new Float64Array(nA);
    const p = scenario.prices;
    const rootDt = Math.sqrt(this.dtS / DAY_S);
    universe.assets.forEach((a, i) => {
      this.logMid[i] = Math.log(a.price0);
      this.mid[i] = a.price0;
      this.stepSigma[i] = a.vol * p.vol_scale * rootDt;
      this.beta[i] = a.beta;
    });
    this.marketSigma = p.market_vol_daily * p.vol_scale * rootDt;
    this.noise = p.noise_bps * 1e-4;
    this.basisScale = p.basis_scale;
    this.spreadScale = p.spread_scale;
    this.walkRng = Rng.stream(seed, "walk");
    for (let s = 0; s < NUM_SOURCES; s++) {
      this.books.push(new SourceBook(universe.instruments[s]!));
      this.quoteRng.push(Rng.stream(seed, `quotes:${s}`));
      this.eventRng.push(Rng.stream(seed, `events:${s}`));
    }
    this.episodes = new Episodes(universe);
    this.funding = new FundingScripts(universe);
    this.sourceWeights = Object.values(scenario.rate.source_weights);
    this.episodeMinRate = scenario.rate.episode_min_rate;
    this.minPerSymbol = scenario.rate.min_per_symbol;
    this.setRate(scenario.rate.total);
    for (let s = 0; s < NUM_SOURCES; s++) {
      const book = this.books[s]!;
      const rng = this.quoteRng[s]!;
      const staticRng = Rng.stream(seed, `static-quotes:${s}`);
      for (let i = 0; i < book.n; i++) {
        // Update ids start large like the venues' (u = 1 would mean "service restarted" on Bybit).
        book.u[i] = 1e8 + Math.floor(rng.next() * 9e8);
        book.seq[i] = 1e9 + Math.floor(rng.next() * 9e10);
        const inst = book.instruments[i]!;
        if (inst.status !== "trading") continue;
        if (inst.silent) this.staticQuote(s, i, staticRng);
        else this.requote(s, i, 0);
      }
    }
  }

  /**
   * A silent symbol never updates and never reaches a WebSocket, but the venue still has a book for it (the REST
   * tickers list it): one quote at start, from its own random stream so every other price path stays the same.
   */
  private staticQuote(source: number, index: number, rng: Rng): void {
    const book = this.books[source]!;
    const inst = book.instruments[index]!;
    const mid = this.fairPrice(source, index);
    const tick = inst.tick;
    const half = Math.max((mid * inst.spreadBps * this.spreadScale * 1e-4) / 2, tick * 0.5);
    const tb = Math.max(1, Math.floor((mid - half) / tick));
    const lots = 2000 / (this.mid[inst.asset]! * inst.priceMult * inst.contractSize * inst.qtyStep);
    book.bid[index] = tb;
    book.ask[index] = Math.max(tb + 1, Math.ceil((mid + half) / tick));
    book.bidQty[index] = Math.max(1, Math.round(lots * Math.exp(1.3 * rng.normal())));
    book.askQty[index] = Math.max(1, Math.round(lots * Math.exp(1.3 * rng.normal())));
    book.has[index] = 1;
  }

  get simTimeS(): number {
    return this.stepIndex * this.dtS;
  }

  /** Sets the total update rate (updates/s over all sources), split by source weight × instrument weights. */
  setRate(total: number, weights?: readonly number[]): void {
    if (weights) this.sourceWeights = [...weights];
    this.totalRate = total;
    let denom = 0;
    for (let s = 0; s < NUM_SOURCES; s++) denom += this.sourceWeights[s]! * this.books[s]!.totalWeight;
    for (let s = 0; s < NUM_SOURCES; s++) {
      const b = this.books[s]!;
      b.rate = denom > 0 ? (total * this.sourceWeights[s]! * b.totalWeight) / denom : 0;
    }
  }

  /** Re-reads instrument weights/silent flags (after the scenario marks symbols silent). */
  refreshWeights(): void {
    for (const b of this.books) b.rebuildAlias();
    this.setRate(this.totalRate);
  }

  /** One market step: walk the mids, apply episodes, then emit this step's quote updates. `nowMs` stamps them. */
  step(nowMs: number): void {
    this.stepIndex++;
    const rng = this.walkRng;
    const dm = this.marketSigma * rng.normal();
    const n = this.logMid.length;
    for (let i = 0; i < n; i++) {
      const lm = this.logMid[i]! + this.beta[i]! * dm + this.stepSigma[i]! * rng.normal();
      this.logMid[i] = lm;
      this.mid[i] = Math.exp(lm);
    }
    const eps = this.episodes;
    if (eps.list.length) {
      eps.update(this.simTimeS);
      const factors = this.books.map((b) => b.factor);
      eps.applyFactors(factors);
    }
    const dt = this.dtS;
    for (let s = 0; s < NUM_SOURCES; s++) {
      const book = this.books[s]!;
      if (book.rate <= 0 || book.totalWeight <= 0) continue;
      const ev = this.eventRng[s]!;
      const count = ev.poisson(book.rate * dt);
      for (let k = 0; k < count; k++) this.requote(s, book.sample(ev.next()), nowMs);
    }
    if (this.minPerSymbol > 0) {
      for (let s = 0; s < NUM_SOURCES; s++) {
        const el = this.books[s]!.eligible;
        if (el.length === 0) continue;
        const ev = this.eventRng[s]!;
        const n = ev.poisson(this.minPerSymbol * el.length * dt);
        for (let k = 0; k < n; k++) this.requote(s, el[Math.floor(ev.next() * el.length)]!, nowMs);
      }
    }
    for (const [s, i, rate] of this.fixedRates) {
      const n = this.eventRng[s]!.poisson(rate * dt);
      for (let k = 0; k < n; k++) this.requote(s, i, nowMs);
    }
    // Both legs of a running episode keep ticking even when they are quiet symbols.
    if (eps.list.length && this.episodeMinRate > 0) {
      for (const ep of eps.list) {
        if (ep.phase === "pending" || ep.phase === "done") continue;
        const ev = this.eventRng[ep.futuresSource]!;
        if (ev.chance(this.episodeMinRate * dt)) this.requote(ep.futuresSource, ep.futuresIndex, nowMs);
        if (ev.chance(this.episodeMinRate * dt)) this.requote(ep.spotSource, ep.spotIndex, nowMs);
      }
    }
  }

  /** Current fair price of an instrument in its own quote units (before spread/noise). */
  fairPrice(source: number, index: number): number {
    const inst = this.books[source]!.instruments[index]!;
    const q = inst.quoteAsset >= 0 ? this.mid[inst.quoteAsset]! : 1;
    return ((this.mid[inst.asset]! * inst.priceMult) / q) * (1 + inst.basis * this.basisScale) * (1 + this.books[source]!.factor[index]!);
  }

  /**
   * Draws a fresh quote for one instrument and notifies the listener. Like a real top of book, an update moves
   * one side (price to the current model level, new size) and touches the other only to keep bid < ask.
   */
  requote(source: number, index: number, nowMs: number): void {
    const book = this.books[source]!;
    const inst = book.instruments[index]!;
    if (inst.silent) return;
    const rng = this.quoteRng[source]!;
    const r = rng.u32();
    const r2 = rng.u32();
    const mid = this.fairPrice(source, index) * (1 + this.noise * NORMALS[r >>> (32 - TABLE_BITS)]!);
    const tick = inst.tick;
    const half = Math.max((mid * inst.spreadBps * this.spreadScale * 1e-4) / 2, tick * 0.5);
    let tb = Math.floor((mid - half) / tick);
    let ta = Math.ceil((mid + half) / tick);
    if (tb < 1) tb = 1;
    if (ta <= tb) ta = tb + 1;
    // Size: lognormal notional around 2,000 USD, in lots of the instrument's step.
    const unitUsd = this.mid[inst.asset]! * inst.priceMult * inst.contractSize;
    const lots = 2000 / (unitUsd * inst.qtyStep);
    const q1 = Math.max(1, Math.round(lots * SIZE_MULT[r2 >>> (32 - TABLE_BITS)]!));
    let bid = book.bid[index]!;
    let ask = book.ask[index]!;
    let bq = book.bidQty[index]!;
    let aq = book.askQty[index]!;
    if (!book.has[index] || bid <= 0 || ask <= 0 || bid >= ask) {
      bid = tb;
      ask = ta;
      bq = q1;
      aq = Math.max(1, Math.round(lots * SIZE_MULT[r2 & ((1 << TABLE_BITS) - 1)]!));
    } else if (r & 1) {
      bid = tb;
      bq = q1;
      if (ask <= bid) ask = bid + 1;
    } else {
      ask = ta;
      aq = q1;
      if (bid >= ask) bid = Math.max(1, ask - 1);
    }
    if (inst.anomaly !== Anomaly.none && rng.next() < inst.anomalyProb) {
      switch (inst.anomaly) {
        case Anomaly.crossed: {
          const t = bid;
          bid = ask + 1 + (r2 & 3);
          ask = t;
          break;
        }
        case Anomaly.zero_bid:
          bid = 0;
          break;
        case Anomaly.zero_ask:
          ask = 0;
          break;
        case Anomaly.empty_bid:
          bid = 0;
          bq = 0;
          break;
      }
    }
    book.bid[index] = bid;
    book.ask[index] = ask;
    book.bidQty[index] = bq;
    book.askQty[index] = aq;
    book.u[index] = book.u[index]! + 1 + ((r >>> 1) & 31);
    book.seq[index] = book.seq[index]! + 3 + ((r2 >>> 1) & 63);
    book.ts[index] = nowMs;
    book.has[index] = 1;
    this.updatesTotal++;
    if (this.listener !== null && nowMs !== 0) this.listener(source, index);
  }
}
