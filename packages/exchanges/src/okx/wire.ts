// OKX v5 wire shapes with the venue's own field names, as received (numbers are strings, "" = not applicable).
// https://www.okx.com/docs-v5/en/#public-data-rest-api-get-instruments

/** One row of GET /api/v5/public/instruments (SPOT and SWAP share the shape). */
export interface OkxInstrument {
  readonly instId: string; // "BTC-USDT", "BTC-USDT-SWAP"
  readonly instType: "SPOT" | "SWAP" | "FUTURES" | "OPTION" | "MARGIN";
  readonly baseCcy: string; // "" on SWAP
  readonly quoteCcy: string; // "" on SWAP
  readonly settleCcy: string; // SWAP: "USDT", "USDC", "BTC" (inverse)
  readonly ctType: "linear" | "inverse" | "";
  readonly ctVal: string; // linear: base units per contract; inverse: USD per contract
  readonly ctMult: string;
  readonly ctValCcy: string;
  readonly instFamily: string; // "BTC-USDT", "BTC-USD" (inverse), "BTC-USD_UM" (USD-stablecoin margined)
  readonly uly: string;
  /** live | suspend | preopen | test | rebase (SWAP) | post_only (SWAP). Only live is tradable. */
  readonly state: string;
  readonly tickSz: string;
  readonly lotSz: string;
  /** Minimum order size: base currency on SPOT, contracts on SWAP. */
  readonly minSz: string;
  readonly maxLmtSz: string;
  /** "1" crypto, "3" stocks, "4" commodities, "5" forex, "6" bonds (absent on older snapshots). */
  readonly instCategory?: string;
  /** "normal" | "pre_market". */
  readonly ruleType?: string;
  readonly listTime?: string;
  readonly expTime?: string;
}

/** One subscription argument. */
export interface OkxArg {
  readonly channel: string;
  readonly instId: string;
}

/** Server event frame: subscribe/unsubscribe ack, error, notice, channel-conn-count, ... */
export interface OkxEventFrame {
  readonly event: string;
  readonly id?: string;
  readonly arg?: Partial<OkxArg>;
  readonly code?: string;
  readonly msg?: string;
  readonly connId?: string;
}

