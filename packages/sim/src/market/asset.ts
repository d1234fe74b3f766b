// One underlying asset of the simulated universe (a coin, or a TradFi/index/fiat underlying of extra instruments).

export interface Asset {
  readonly id: number;
  readonly ticker: string;
  readonly fullName: string;
  /** USD price at sim start. */
  readonly price0: number;
  /** Daily log-volatility. */
  readonly vol: number;
  /** Loading on the common market factor. */
  readonly beta: number;
  readonly popularity: number;
  /** Bit s set = counted listing on source s. */
  readonly pattern: number;
  readonly extra: string | null;
  /** Fixed (real-named) asset rather than a generated one. */
  readonly fixed: boolean;
}
