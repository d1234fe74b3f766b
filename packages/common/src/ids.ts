// Numeric identifiers of the architecture (A.2, A.4, A.7). Strings exist only at config load and file output.

export const NUM_SOURCES = 8;
export const MAX_SYMBOLS = 1024;
export const NUM_DIRECTIONS = 12;

/** source_id: u8, fixed by the Price Store region each feed owns (A.7). */
export const SourceId = {
  binance_spot: 0,
  binance_futures: 1,
  bybit_spot: 2,
  bybit_futures: 3,
  mexc_spot: 4,
  mexc_futures: 5,
  okx_spot: 6,
  okx_futures: 7,
} as const;
export type SourceName = keyof typeof SourceId;
export type SourceIdValue = (typeof SourceId)[SourceName];

/** Index = source_id. */
export const SOURCE_NAMES: readonly SourceName[] = [
  "binance_spot",
  "binance_futures",
  "bybit_spot",
  "bybit_futures",
  "mexc_spot",
  "mexc_futures",
  "okx_spot",
  "okx_futures",
];

export type Exchange = "binance" | "bybit" | "mexc" | "okx";
export type Market = "spot" | "futures";

export function sourceExchange(source: number): Exchange {
  return SOURCE_NAMES[source]!.split("_")[0] as Exchange;
}
export function sourceMarket(source: number): Market {
  return source % 2 === 0 ? "spot" : "futures";
}
export function isSpotSource(source: number): boolean {
  return source % 2 === 0;
}

/** Parses a source name; throws a clear error naming the accepted values. */
export function parseSourceName(name: string): number {
  const id = (SourceId as Record<string, number>)[name];
  if (id === undefined) {
    throw new Error(`unknown source "${name}"; expected one of ${SOURCE_NAMES.join(", ")}`);
  }
  return id;
}

export interface DirectionDef {
  readonly id: number;
  readonly spot: number;
  readonly futures: number;
  /** e.g. "okx_spot_mexc_futures" (plan §2.4 directions.txt). */
  readonly name: string;
}

function dir(id: number, spot: SourceName, futures: SourceName): DirectionDef {
  return { id, spot: SourceId[spot], futures: SourceId[futures], name: `${spot}_${futures}` };
}

/** direction_id: u8, exactly as table A.4. Buy spot at ask, sell futures at bid. */
export const DIRECTIONS: readonly DirectionDef[] = [
  dir(0, "okx_spot", "mexc_futures"),
  dir(1, "okx_spot", "bybit_futures"),
  dir(2, "okx_spot", "binance_futures"),
  dir(3, "mexc_spot", "okx_futures"),
  dir(4, "mexc_spot", "bybit_futures"),
  dir(5, "mexc_spot", "binance_futures"),
  dir(6, "bybit_spot", "okx_futures"),
  dir(7, "bybit_spot", "mexc_futures"),
  dir(8, "bybit_spot", "binance_futures"),
  dir(9, "binance_spot", "okx_futures"),
  dir(10, "binance_spot", "mexc_futures"),
  dir(11, "binance_spot", "bybit_futures"),
];

/** Health slot owners (16 slots × 64 B). Slots 0..7 are the feeds, indexed by source_id. */
export const HealthSlot = {
  engine: 8,
  tracker: 9,
  discovery: 10,
  ctl: 11,
  shm_init: 12,
  sim: 13,
  alerts: 14,
  web: 15,
} as const;
export const NUM_HEALTH_SLOTS = 16;

/** Process kinds written into a Health slot (u8). */
export const ProcessKind = {
  none: 0,
  feed: 1,
  engine: 2,
  tracker: 3,
  discovery: 4,
  ctl: 5,
  shm_init: 6,
  sim: 7,
  alerts: 8,
  web: 9,
} as const;
