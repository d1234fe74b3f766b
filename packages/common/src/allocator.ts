// The allocator setting of feed GROUP processes (several sources in one process), applied by whoever starts one:
// spread-ctl up (ServiceSpec.env) and spread-feed-group@.service (Environment=, the same value;
// tests/ops/allocator-env.test.ts keeps them equal).
//
// Bun's native allocator is mimalloc, which returns freed pages to the kernel ("purge": madvise) shortly after they
// fall free. A feed frees and reallocates its WebSocket receive memory all the time, so every purge is followed by
// page faults that bring the same pages back: perf on the all-8-sources feed at 10k updates/s put ~26 % of its CPU in
// madvise and page faults, and its mi-scavenger thread at ~1 % of a core. Never purging keeps the pages it has (its
// high-water mark) and costs no syscall. Measured steady state at 10k updates/s (docs/PERFORMANCE.md, "Where the
// feed's CPU goes"): all 8 sources in one feed process 6.1–6.6 → 4.5–5.7 % of a core for +42 MB PSS (40 → 82 MB), a
// good trade; one process per source 15.3 → 9.6 % for the 8 feeds but +130 MB PSS (~16 MB each), which breaks the
// 350 MB budget of that layout, so single-source feeds keep the default. mimalloc reads its options from the
// environment once, at process start, so it cannot be set from inside the feed.
/** The environment a feed group process is started with. */
export const FEED_ALLOCATOR_ENV: Readonly<Record<string, string>> = { MIMALLOC_PURGE_DELAY: "-1" };

/** FEED_ALLOCATOR_ENV without the variables the operator already set (their value wins). */
export function feedAllocatorEnv(env: Readonly<Record<string, string | undefined>> = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(FEED_ALLOCATOR_ENV)) if (env[k] === undefined) out[k] = v;
  return out;
}
