// Small concurrency helpers: a minimum interval between connection opens (per exchange) and a bounded task pool.

/** Hands out start times at least `intervalMs` apart (e.g. OKX allows 3 new connections per second per IP). */
export class IntervalGate {
  private next = 0;
  constructor(private readonly intervalMs: number) {}
  async acquire(): Promise<void> {
    const now = performance.now();
    const at = Math.max(now, this.next);
    this.next = at + this.intervalMs;
    if (at > now) await Bun.sleep(at - now);
  }
}

/** Runs `fn` over `items` with at most `limit` in flight; results keep the input order. */
export async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}
