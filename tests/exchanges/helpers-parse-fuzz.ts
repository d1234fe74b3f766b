// Fuzz scaffolding shared by the Binance and Bybit parser tests: the fast-path-vs-walk differential
// (fastpath tests), the seeded mutation / garbage checks (robustness tests), and the one allocation check every
// parser test uses: JSC GC counting over 2 M frames (gcCountDuring; a source-text scan for allocating calls used
// to run beside it, but it missed allocations it could not spell and flagged harmless ones, so it is gone).
import { expect } from "bun:test";
import { join } from "node:path";
import { checkPrices } from "../../packages/exchanges/src/num.ts";
import type { SymbolTable } from "../../packages/exchanges/src/symbol-table.ts";
import { FrameKind, QuoteRecord } from "../../packages/exchanges/src/types.ts";
import { prng, type RefQuote } from "./helpers-binance-bybit.ts";

export type Rnd = () => number;
export const pick = <T>(rnd: Rnd, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
export const int = (rnd: Rnd, n: number) => Math.floor(rnd() * n);

export function digits(rnd: Rnd, n: number): string {
  let s = "";
  for (let k = 0; k < n; k++) s += String.fromCharCode(48 + int(rnd, 10));
  return s;
}

export function shuffle<T>(rnd: Rnd, xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = int(rnd, i + 1);
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

/** A JSON object from raw key/value pairs, `ws()` spliced between tokens. */
export const obj = (pairs: [string, string][], ws: () => string) => `{${ws()}${pairs.map(([k, v]) => `${JSON.stringify(k)}${ws()}:${ws()}${v}`).join(`${ws()},${ws()}`)}${ws()}}`;

/** Values the fast path takes too (strings without escapes, plain integers): key order and extra keys alone. */
export const PLAIN_VALUES = ['""', '"b"', '"s"', '"b:1"', '"@bookTicker"', '"orderbook.1.XY"', '"a,b}"', '"{[]}"', '"\t"', "1", "123456789", '"12.5"'];

/** The record's output fields: the scanners' scratch (scan, walk) is internal and differs between paths. */
const FIELDS = (Object.keys(new QuoteRecord()) as (keyof QuoteRecord)[]).filter((k) => k !== "scan" && k !== "walk");

function visible(r: QuoteRecord): Record<string, unknown> {
  return Object.fromEntries(FIELDS.map((k) => [k, r[k]]));
}

/** Every field, numbers by Object.is (so -0, NaN and +0 are told apart). */
function sameRecord(a: QuoteRecord, b: QuoteRecord): boolean {
  for (const k of FIELDS) {
    const x = a[k];
    const y = b[k];
    if (Array.isArray(x) || Array.isArray(y)) {
      if (JSON.stringify(x) !== JSON.stringify(y)) return false;
    } else if (!Object.is(x, y)) return false;
  }
  return true;
}

function dirty(out: QuoteRecord): void {
  // garbage from an earlier control frame: the fast path must overwrite every field
  out.symbolIndex = 77;
  out.symStart = 5;
  out.symEnd = 9;
  out.bid = out.ask = out.bidQty = out.askQty = 42;
  out.exchangeTsMs = 1;
  out.invalidReason = 3;
  out.reqId = "r";
  out.message = "m";
  out.rejected = ["X"];
  out.noticeCode = "n";
}

type ParseFn = (frame: string | Uint8Array, out: QuoteRecord, symbols: SymbolTable | null) => number;

/** A venue's fast path, structural walk and public entry point, compared frame by frame. */
export class FastPathDiff {
  readonly outFast = new QuoteRecord();
  readonly outSlow = new QuoteRecord();
  readonly outDispatch = new QuoteRecord();

  constructor(
    private readonly fastFn: (frame: string, out: QuoteRecord, symbols: SymbolTable | null) => number,
    private readonly slowFn: ParseFn,
    private readonly dispatchFn: ParseFn,
    private readonly fallback: number,
    private readonly table: SymbolTable,
  ) {}

  /** Runs both paths on one frame; returns whether the fast path accepted it. Fails the test on any disagreement. */
  compare(frame: string, symbols: SymbolTable | null = this.table): boolean {
    const { outFast, outSlow, outDispatch } = this;
    dirty(outFast);
    const fast = this.fastFn(frame, outFast, symbols);
    const slow = this.slowFn(frame, outSlow, symbols);
    dirty(outDispatch);
    const viaDispatch = this.dispatchFn(frame, outDispatch, symbols);
    // the public entry point always equals the structural walk
    if (viaDispatch !== slow || !sameRecord(outDispatch, outSlow)) expect({ frame, viaDispatch, rec: visible(outDispatch) }).toEqual({ frame, viaDispatch: slow, rec: visible(outSlow) });
    if (fast === this.fallback) return false;
    if (fast !== slow || !sameRecord(outFast, outSlow)) expect({ frame, fast, rec: visible(outFast) }).toEqual({ frame, fast: slow, rec: visible(outSlow) });
    // the fast path only ever answers price frames
    expect(fast === FrameKind.Update || fast === FrameKind.Invalid).toBe(true);
    return true;
  }

  /** `count` frames, each 1-3 mutations of a seed, compared; returns how many the fast path accepted. */
  mutations(rnd: Rnd, seeds: readonly string[], count: number): number {
    let fast = 0;
    for (let t = 0; t < count; t++) {
      let f = pick(rnd, seeds);
      const n = 1 + int(rnd, 3);
      for (let m = 0; m < n; m++) f = mutate(f, rnd, FASTPATH_ALPHABET, 12, true);
      if (this.compare(f)) fast++;
    }
    return fast;
  }

  /** Every prefix and every single-char deletion of each frame, compared. */
  prefixesAndDeletions(frames: readonly string[]): void {
    for (const f of frames) {
      for (let i = 0; i < f.length; i++) {
        this.compare(f.slice(0, i));
        this.compare(f.slice(0, i) + f.slice(i + 1));
      }
    }
  }
}

const FASTPATH_ALPHABET = '{}[]":,.-+eE0123456789bBaAsTEu \\\n\t\u00e9\u4e2d\u0000';

/**
 * One random edit of s with characters of `alphabet`: replace, delete, insert, duplicate a run (shorter than
 * `maxDup`), swap two chars (only when `swaps`), or truncate. The draws are the same for both kinds of run.
 */
function mutate(s: string, rnd: Rnd, alphabet: string, maxDup: number, swaps: boolean): string {
  const pos = int(rnd, s.length + 1);
  const ch = alphabet[int(rnd, alphabet.length)]!;
  switch (int(rnd, swaps ? 6 : 5)) {
    case 0:
      return s.slice(0, pos) + ch + s.slice(pos + 1);
    case 1:
      return s.slice(0, pos) + s.slice(pos + 1);
    case 2:
      return s.slice(0, pos) + ch + s.slice(pos);
    case 3: {
      const len = int(rnd, maxDup);
      return s.slice(0, pos) + s.slice(pos, pos + len) + s.slice(pos);
    }
    case 4: {
      if (!swaps) return s.slice(0, pos);
      // swap two chars (moves quotes, colons, braces)
      const q = int(rnd, s.length);
      const a = Math.min(pos, q);
      const b = Math.max(pos, q);
      if (b >= s.length || a === b) return s;
      return s.slice(0, a) + s[b] + s.slice(a + 1, b) + s[a] + s.slice(b + 1);
    }
    default:
      return s.slice(0, pos);
  }
}

/** A venue's public parser under hostile input, checked against a JSON.parse reference. */
export interface RobustnessSpec {
  readonly parse: ParseFn;
  readonly table: SymbolTable;
  readonly ref: (frame: string) => RefQuote;
  /** Characters the mutations and garbage draw from. */
  readonly alphabet: string;
  /** Longest run a "duplicate" mutation copies (exclusive). */
  readonly maxDup: number;
}

const robustOut = new QuoteRecord();

function checkOutcome(spec: RobustnessSpec, frame: string, kind: number): void {
  const out = robustOut;
  expect(kind).toBeGreaterThanOrEqual(FrameKind.Update);
  expect(kind).toBeLessThanOrEqual(FrameKind.Invalid);
  if (kind === FrameKind.Malformed) expect(out.message).toBeString();
  if (kind !== FrameKind.Update) return;
  expect(checkPrices(out.bid, out.ask)).toBe(0);
  expect(Number.isFinite(out.bidQty) && Number.isFinite(out.askQty)).toBe(true);
  // Differential: whatever the scanner accepts, a full JSON.parse reads the same values. The one
  // documented leniency: raw control characters inside strings the scanner skips.
  let ref: RefQuote;
  try {
    ref = spec.ref(frame);
  } catch {
    expect(/[\u0000-\u001f]/.test(frame)).toBe(true);
    return;
  }
  expect([out.bid, out.bidQty, out.ask, out.askQty, out.exchangeTsMs]).toEqual([ref.bid, ref.bidQty, ref.ask, ref.askQty, ref.ts]);
  expect(frame.slice(out.symStart, out.symEnd)).toBe(ref.symbol);
}

/** `count` seeds (round robin), each mutated 1-3 times and parsed: never a throw; returns the Update count. */
export function mutationRun(spec: RobustnessSpec, seed: number, seeds: readonly string[], count: number): number {
  const rnd = prng(seed);
  let updates = 0;
  for (let n = 0; n < count; n++) {
    let f = seeds[n % seeds.length]!;
    const steps = 1 + Math.floor(rnd() * 3);
    for (let k = 0; k < steps; k++) f = mutate(f, rnd, spec.alphabet, spec.maxDup, false);
    const kind = spec.parse(f, robustOut, spec.table);
    if (kind === FrameKind.Update) updates++;
    checkOutcome(spec, f, kind);
  }
  return updates;
}

/** `count` random texts (half starting with `prefix`) and byte frames (always Malformed). */
export function garbageRun(spec: RobustnessSpec, seed: number, prefix: string, count: number): void {
  const rnd = prng(seed);
  for (let n = 0; n < count; n++) {
    const len = Math.floor(rnd() * 200);
    let s = rnd() < 0.5 ? prefix : "";
    for (let i = 0; i < len; i++) s += spec.alphabet[Math.floor(rnd() * spec.alphabet.length)];
    checkOutcome(spec, s, spec.parse(s, robustOut, spec.table));
    const bytes = new Uint8Array(len);
    for (let i = 0; i < len; i++) bytes[i] = Math.floor(rnd() * 256);
    expect(spec.parse(bytes, robustOut, spec.table)).toBe(FrameKind.Malformed);
  }
}

/**
 * Counts JSC garbage collections while `loopBody` runs `iterations` times in a fresh Bun process (BUN_JSC_logGC).
 * An eden GC fires every ~8 MB allocated, so 0 GCs over 2 M iterations means < ~4 bytes per call.
 */
export function gcCountDuring(setup: string, loopBody: string, iterations = 2_000_000): number {
  const code = `${setup}
let sink = 0;
for (let i = 0; i < 50000; i++) { ${loopBody} }
Bun.gc(true);
console.error("@@LOOP-START");
for (let i = 0; i < ${iterations}; i++) { ${loopBody} }
console.error("@@LOOP-END", sink);`;
  const p = Bun.spawnSync(["bun", "-e", code], { env: { ...process.env, BUN_JSC_logGC: "1" }, stderr: "pipe", stdout: "pipe" });
  const err = p.stderr.toString();
  if (p.exitCode !== 0 || !err.includes("@@LOOP-END")) throw new Error(`gc probe failed (${p.exitCode}): ${err.slice(-2000)}`);
  const inside = err.slice(err.indexOf("@@LOOP-START"), err.indexOf("@@LOOP-END"));
  return (inside.match(/GC END/g) ?? []).length;
}

/** gcCountDuring setup: `fn` from packages/exchanges/src/<file>, a QuoteRecord `out`, a SymbolTable `t` of `symbols`, frames `F`. */
export function parseSetup(file: string, fn: string, frames: readonly string[], symbols: readonly string[]): string {
  const src = (f: string) => JSON.stringify(join(import.meta.dir, "../../packages/exchanges/src", f));
  return `import { ${fn} } from ${src(file)};
import { QuoteRecord } from ${src("types.ts")};
import { SymbolTable } from ${src("symbol-table.ts")};
const out = new QuoteRecord();
const t = new SymbolTable(${JSON.stringify(symbols)});
const F = ${JSON.stringify(frames)};`;
}
