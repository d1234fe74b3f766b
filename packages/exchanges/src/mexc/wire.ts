// MEXC wire shapes with the venue's own field names: Spot v3 (REST + JSON control frames) and Futures contract v1.
// https://www.mexc.com/api-docs/spot-v3/ · https://www.mexc.com/api-docs/futures/ (protobuf schema: proto.ts)

/** One row of GET /api/v3/exchangeInfo (values as recorded: precisions are numbers, amounts strings). */
export interface MexcSpotSymbol {
  readonly symbol: string; // "BTCUSDT"
  /** "1" online, "2" pause, "3" offline; "ENABLED" before Aug 2024. Not isSpotTradingAllowed (false on majors). */
  readonly status: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  /** Decimals of the price: tick = 10^-quotePrecision. */
  readonly quotePrecision: number;
  readonly quoteAssetPrecision?: number;
  readonly baseAssetPrecision?: number;
  /** Minimum order quantity in base units ("0" = none). */
  readonly baseSizePrecision: string;
  /** Minimum order value in quote units. */
  readonly quoteAmountPrecision: string;
  /** Maximum order value in quote units (there is no base-quantity maximum). */
  readonly maxQuoteAmount?: string;
  readonly isSpotTradingAllowed?: boolean;
  readonly permissions?: readonly string[];
  readonly st?: boolean;
}

/** Spot JSON control reply. code is 0 on success AND on rejection: only msg tells ("Not Subscribed successfully! [...]"). */
export interface MexcSpotControl {
  readonly id: number;
  readonly code: number;
  readonly msg: string;
}

/** One row of GET /api/v1/contract/detail (numbers are JSON numbers, some in exponent form). */
export interface MexcContractDetail {
  readonly symbol: string; // "BTC_USDT"
  readonly baseCoin: string;
  readonly quoteCoin: string;
  readonly settleCoin: string;
  /** 0 enabled, 1 delivery, 2 completed, 3 offline, 4 pause. */
  readonly state: number;
  /** 1 perpetual (all seen). */
  readonly futureType: number;
  /** 1 crypto, 2 TradFi (SILVER_USDT); meaning not officially documented. */
  readonly type: number;
  /** Base units per contract (USD for coin-margined). */
  readonly contractSize: number;
  readonly priceUnit: number;
  readonly priceScale?: number;
  /** Contracts. */
  readonly minVol: number;
  readonly maxVol: number;
  readonly volUnit?: number;
  readonly conceptPlate?: readonly string[];
  readonly preMarket?: boolean;
  readonly isHidden?: boolean;
  readonly apiAllowed?: boolean;
  readonly openingTime?: number;
}

/** Every futures server frame: push.*, rs.* (acks, rs.error), pong. */
export interface MexcFuturesFrame<T = unknown> {
  readonly channel: string;
  readonly data: T;
  readonly symbol?: string;
  readonly ts?: number | string;
}

