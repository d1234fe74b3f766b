// The soak's verdicts as pure functions (bench/soak.ts samples, tests/ops/soak-analysis.test.ts checks them).
//
// "Memory keeps growing" must not fire on a garbage-collected heap's sawtooth, on a one-off step (a discovery
// reload loads a new generation) or on warm-up, and must fire on a steady climb. So a process is GROWING only
// when BOTH hold:
//   1. the least-squares slope of its PSS over the second half of the run exceeds `slopeMbPerH`, and
//   2. the median PSS of the last quarter exceeds the maximum PSS of the first half by `marginMb` (or
//      `marginFrac` of that maximum, whichever is larger).
// (1) alone fires on a sawtooth caught rising; (2) alone fires on a step or a late warm-up that then stays flat.
// A climb that continues through the second half satisfies both.

export interface GrowthRule {
  readonly slopeMbPerH: number;
  readonly marginMb: number;
  readonly marginFrac: number;
}

/**
 * Runs shorter than this judge restarts only: a Bun feed's heap saws ~7 MB up and down over ~30 s and the reload's
 * garbage lasts until the next major collection, so a few minutes of samples cannot tell a leak from either.
 */
export const MIN_MEMORY_JUDGED_MINUTES = 20;

/** The soak's rule (docs/PERFORMANCE.md "Soak"): 6 MB/h over the second half AND the last quarter 3 MB / 3 % above the first half. */
export const GROWTH_RULE: GrowthRule = { slopeMbPerH: 6, marginMb: 3, marginFrac: 0.03 };

export interface Growth {
  /** Least-squares slope over the second half, MB per hour. */
  readonly slopeMbPerH: number;
  readonly firstHalfMaxMb: number;
  readonly lastQuarterMedianMb: number;
  readonly growing: boolean;
  /** Too few samples to judge (fewer than 4 in a half / quarter): never "growing". */
  readonly tooShort: boolean;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Slope of the least-squares line through (xs, ys); NaN for fewer than two distinct xs. */
export function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return Number.NaN;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i]!;
    my += ys[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  return sxx === 0 ? Number.NaN : sxy / sxx;
}

/**
 * Applies the growth rule to one memory series: `tS` seconds since the start of the run (ascending), `mb` the
 * memory in MB at each sample. Samples with a non-finite value (process gone at that instant) are ignored.
 */
export function memoryGrowth(tS: readonly number[], mb: readonly number[], rule: GrowthRule = GROWTH_RULE): Growth {
  const t: number[] = [];
  const m: number[] = [];
  for (let i = 0; i < Math.min(tS.length, mb.length); i++) {
    if (Number.isFinite(tS[i]) && Number.isFinite(mb[i])) {
      t.push(tS[i]!);
      m.push(mb[i]!);
    }
  }
  const nan = { slopeMbPerH: Number.NaN, firstHalfMaxMb: Number.NaN, lastQuarterMedianMb: Number.NaN, growing: false, tooShort: true };
  if (t.length < 8) return nan;
  const t0 = t[0]!;
  const span = t.at(-1)! - t0;
  const half = t0 + span / 2;
  const lastQ = t0 + (span * 3) / 4;
  const second = t.map((x, i) => [x, m[i]!] as const).filter(([x]) => x >= half);
  const first = m.filter((_, i) => t[i]! < half);
  const quarter = m.filter((_, i) => t[i]! >= lastQ);
  if (second.length < 4 || first.length < 4 || quarter.length < 4) return nan;
  const slopeMbPerH = slope(second.map(([x]) => x), second.map(([, y]) => y)) * 3600;
  const firstHalfMaxMb = Math.max(...first);
  const lastQuarterMedianMb = median(quarter);
  const margin = Math.max(rule.marginMb, rule.marginFrac * firstHalfMaxMb);
  return {
    slopeMbPerH,
    firstHalfMaxMb,
    lastQuarterMedianMb,
    growing: slopeMbPerH > rule.slopeMbPerH && lastQuarterMedianMb > firstHalfMaxMb + margin,
    tooShort: false,
  };
}

/** Restarts seen in a series of pids sampled from one Health slot (0 = no process at that instant). */
export function pidChanges(pids: readonly number[]): number {
  let changes = 0;
  let last = 0;
  for (const p of pids) {
    if (p <= 0) continue;
    if (last !== 0 && p !== last) changes++;
    last = p;
  }
  return changes;
}

/** Restart events in `spread-ctl up`'s JSON log lines, per process name (the supervisor logs "restart #N"). */
export function supervisorRestarts(logText: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of logText.split("\n")) {
    if (!line.includes("restart #")) continue;
    try {
      const j = JSON.parse(line) as { process?: string; msg?: string };
      if (j.process && /restart #\d+/.test(j.msg ?? "")) out.set(j.process, (out.get(j.process) ?? 0) + 1);
    } catch {
      // not a JSON line (a child's stray output)
    }
  }
  return out;
}
