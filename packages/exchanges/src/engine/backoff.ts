// Reconnect delay: exponential from base to cap with full jitter in [delay/2, delay], reset after a healthy period.

export class Backoff {
  private attempt = 0;
  constructor(
    private readonly baseMs: number,
    private readonly capMs: number,
    private readonly random: () => number = Math.random,
  ) {}

  /** Delay before the next attempt; grows with every call until reset(). */
  next(): number {
    const exp = Math.min(this.capMs, this.baseMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return Math.round(exp / 2 + (exp / 2) * this.random());
  }

  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
