// A small HDR-style histogram (log-linear buckets, no dependency): values in µs from 1 µs to ~1 h with a relative
// error below 1/64 (~1.6 %) at every magnitude, fixed memory, O(1) record. bench/feed-procs.ts has a linear
// 10 µs histogram for ms-scale latencies; tick-to-signal needs µs resolution at 10-30 µs.
const SUB_BITS = 6; // 64 sub-buckets per power of two
const SUB = 1 << SUB_BITS;
const MAGNITUDES = 32; // 2^32 µs ≈ 71 min

export class HdrHistogram {
  private readonly counts = new Float64Array(MAGNITUDES * SUB);
  count = 0;
  min = Infinity;
  max = -Infinity;
  private sum = 0;
  /** Samples below 0 (clock steps between processes); not in the buckets. */
  negative = 0;

  record(us: number): void {
    if (!(us >= 0)) {
      this.negative++;
      return;
    }
    const v = Math.floor(us);
    this.counts[HdrHistogram.index(v)]!++;
    this.count++;
    this.sum += us;
    if (us < this.min) this.min = us;
    if (us > this.max) this.max = us;
  }

  /** Bucket of an integer value: exact below 64, then 64 linear sub-buckets per power of two. */
  static index(v: number): number {
    if (v < SUB) return v;
    const mag = 31 - Math.clz32(v) - SUB_BITS + 1; // ≥ 1
    if (mag >= MAGNITUDES) return MAGNITUDES * SUB - 1;
    return mag * SUB + ((v >>> (mag - 1)) - SUB);
  }

  /** The highest value a bucket holds (what percentiles report: an upper bound). */
  static upper(i: number): number {
    if (i < SUB) return i;
    const mag = (i / SUB) | 0;
    const sub = i % SUB;
    return ((sub + SUB + 1) << (mag - 1)) - 1;
  }

  percentile(p: number): number {
    if (this.count === 0) return Number.NaN;
    const want = Math.max(1, Math.ceil((p / 100) * this.count));
    let c = 0;
    for (let i = 0; i < this.counts.length; i++) {
      c += this.counts[i]!;
      if (c >= want) return Math.min(HdrHistogram.upper(i), this.max);
    }
    return this.max;
  }

  mean(): number {
    return this.count ? this.sum / this.count : Number.NaN;
  }

  summary(): string {
    const f = (v: number) => (v >= 100 ? Math.round(v).toString() : v.toFixed(1));
    return `n ${this.count}, p50 ${f(this.percentile(50))} µs, p90 ${f(this.percentile(90))}, p99 ${f(this.percentile(99))}, p99.9 ${f(this.percentile(99.9))}, max ${f(this.max)}${this.negative ? `, ${this.negative} negative` : ""}`;
  }
}
