// Contracts every venue module implements: normalized instrument shape, frame outcomes, the caller-owned
// quote record and the adapter hooks. Venue wire types stay private to each venue's wire.ts.
import type { Exchange, SourceName } from "@spread/common";
import type { SymbolTable } from "./symbol-table.ts";
import type { FundingAdapter } from "./funding.ts";
// The records alone, not the library's index.ts: that pulls in walk.ts → outcome.ts → types.ts, an import cycle.
import { MemberScan, WalkScan } from "./shared/scan/records.ts";

export type InstrumentKind = "spot" | "perpetual" | "other";

/** One instrument from a REST instrument list, in the venue's own terms (001 §2.1 RawInstrument). */
export interface RawInstrument {
  readonly source: number;
  /** As the exchange spells it: "BTCUSDT", "BTC-USDT-SWAP", "BTC_USDT". */
  readonly exchangeSymbol: string;
  /** As the exchange reports it, upper-cased: may carry a multiplier ("1000PEPE", "SHIB1000"). */
  readonly base: string;
  readonly quote: string;
  /** Settlement currency for derivatives (USDT, USDC, BTC for inverse), null for spot. */
  readonly settle: string | null;
  /** By the exchange's own status rule (Binance TRADING, Bybit Trading, OKX live, MEXC "1" / state 0). */
  readonly tradable: boolean;
  /** The raw status value as text, for reports. */
  readonly status: string;
  readonly kind: InstrumentKind;
  /** Why kind is "other": "dated", "index", "tradfi", "prelaunch", "inverse", "usdc", "option", ... */
  readonly otherReason: string | null;
  readonly minQty: number | null;
  readonly maxQty: number | null;
  readonly tickSize: number | null;
  readonly minNotional: number | null;
  /** Base units per contract (futures); null on spot or when the venue gives none. */
  readonly contractSize: number | null;
  /** Power-of-ten multiplier read from the name ("1000PEPE" → 1000, "SHIB1000" → 1000, "1MBABYDOGE" → 1e6); 1 if none. */
  readonly multiplierHint: number;
  /** base without the multiplier when multiplierHint > 1 ("PEPE"), else equal to base. */
  readonly baseHint: string;
}

/** Outcome of parsing one inbound WebSocket frame. Plain numbers so they inline and compare cheaply. */
export const FrameKind = {
  /** out holds a valid best bid/ask update. */
  Update: 1,
  /** subscribe / unsubscribe acknowledged. out.reqId, out.message may be set. */
  Ack: 2,
  /** a subscription was refused; out.rejected names the exchange symbols where the venue says which. */
  SubError: 3,
  /** an application-level pong (Bybit op:pong, OKX bare "pong", MEXC PONG / channel pong). */
  Pong: 4,
  /** server notice before a forced close (Binance serverShutdown, OKX 64008). out.noticeCode set. */
  Notice: 5,
  /** well-formed but not something we handle (other channels, unknown events). */
  Unknown: 6,
  /** not parseable: truncated, garbage, wrong type, missing required field. out.message says why. */
  Malformed: 7,
  /** a price update whose prices are unusable (non-finite, <= 0, out of range, crossed, empty side). out.invalidReason. */
  Invalid: 8,
} as const;
export type FrameKindValue = (typeof FrameKind)[keyof typeof FrameKind];

export const InvalidReason = {
  None: 0,
  NonFinite: 1,
  NonPositive: 2,
  Crossed: 3,
  EmptySide: 4,
  /** finite and positive but outside [PRICE_MIN, PRICE_MAX] (num.ts): subnormal or implausibly large. */
  OutOfRange: 5,
} as const;
export type InvalidReasonValue = (typeof InvalidReason)[keyof typeof InvalidReason];

/**
 * Caller-owned, reused output record: the hot path writes numbers into it and allocates nothing.
 * Only the control fields (reqId, message, rejected, noticeCode) may be filled with fresh strings,
 * and only for non-update frames.
 */
export class QuoteRecord {
  /** Index from the SymbolTable passed to parse(); -1 when unknown or no table was given. */
  symbolIndex = -1;
  /** The exchange symbol's position in the frame (char offsets for text, byte offsets for binary). */
  symStart = 0;
  symEnd = 0;
  bid = Number.NaN;
  ask = Number.NaN;
  /** NaN where the venue gives no quantity (MEXC push.ticker). Units as the venue sends them (contracts on OKX SWAP). */
  bidQty = Number.NaN;
  askQty = Number.NaN;
  /** The exchange's own timestamp in ms since the epoch; 0 when the frame carries none (Binance spot). */
  exchangeTsMs = 0;
  invalidReason: InvalidReasonValue = InvalidReason.None;
  reqId: string | null = null;
  message: string | null = null;
  rejected: string[] | null = null;
  noticeCode: string | null = null;
  /** Scratch of the JSON member scanner (OKX, MEXC futures): owned by the record, so parsers share no state. */
  readonly scan = new MemberScan();
  /** Scratch of the Binance / Bybit scanners (byte fast paths and structural walk), likewise owned by the record. */
  readonly walk = new WalkScan();

  reset(): void {
    this.symbolIndex = -1;
    this.symStart = 0;
    this.symEnd = 0;
    this.setQuote(Number.NaN, Number.NaN, Number.NaN, Number.NaN);
    this.exchangeTsMs = 0;
    this.invalidReason = InvalidReason.None;
    this.reqId = null;
    this.message = null;
    this.rejected = null;
    this.noticeCode = null;
  }

  /** The best bid/ask a parser read (the caller then decides the outcome: priceOutcome / quoteOutcome). */
  setQuote(bid: number, ask: number, bidQty: number, askQty: number): void {
    this.bid = bid;
    this.ask = ask;
    this.bidQty = bidQty;
    this.askQty = askQty;
  }
}

/**
 * Pure frame parser: raw frame in, outcome out, values written into `out`. No clock, socket or log.
 * Text frames arrive as string, binary frames as Uint8Array (MEXC spot protobuf).
 * `symbols` resolves the exchange symbol to a local index without allocating; null → symbolIndex stays -1.
 */
export type ParseFn = (frame: string | Uint8Array, out: QuoteRecord, symbols: SymbolTable | null) => FrameKindValue;

/** One subscribe (or unsubscribe) request: the text frame and the exchange symbols it covers. */
export interface SubscribeRequest {
  readonly frame: string;
  readonly symbols: readonly string[];
  /** Request id echoed by the venue's ack where it has one ("" when the venue echoes none). */
  readonly reqId: string;
}

export interface HeartbeatSpec {
  /** Text frame the client sends as an application ping; null when the server pings (Binance ping frames). */
  readonly clientPing: string | null;
  /** OKX: ping only after this much inbound silence (it closes idle sockets at 30 s). false: ping on a fixed period. */
  readonly pingWhenIdleOnly: boolean;
}

/** Venue behaviours the engine must know beyond the hooks (protocol notes, peers-and-pitfalls §2). */
export interface VenueTraits {
  /** One bad topic fails the whole subscribe request (Bybit): resubscribe the rest without it. */
  readonly rejectsWholeBatch: boolean;
  /**
   * The venue re-sends an unchanged top of book after this long (Bybit ~3 s, OKX ~60 s), so a symbol silent
   * for longer than symbol_stale_ms is really stale. 0: sends only on change (Binance, MEXC), so silence on a
   * live connection is just a quiet market and must not count as stale.
   */
  readonly resendsUnchangedMs: number;
  /** Quantities arrive in contracts and must be scaled by contract size (OKX SWAP books, MEXC futures depth). */
  readonly qtyInContracts: boolean;
}

/** What a subscription refusal means for the engine (from the venue's message text, read in the venue folder). */
export const SubErrorKind = {
  /** The venue refused the subscription: the symbol is rejected (and retried later). */
  Refused: 0,
  /** A duplicate request the venue will not serve twice; the first subscription stands (Bybit). */
  AlreadySubscribed: 1,
} as const;
export type SubErrorKindValue = (typeof SubErrorKind)[keyof typeof SubErrorKind];

/** A venue whose refusals all mean "refused". */
export const alwaysRefused = (): SubErrorKindValue => SubErrorKind.Refused;

/** Everything a venue supplies to the shared connection engine and to Pair Discovery. */
export interface VenueAdapter {
  readonly source: number;
  readonly name: SourceName;
  /** Hard per-request subscribe limit of the venue (Bybit spot 10, MEXC futures 1 topic per frame). */
  readonly maxSubscribeBatch: number;
  /** Hard subscriptions-per-connection cap (MEXC spot 30, Binance 1024); config values above it are refused. */
  readonly maxSubsPerConnection: number;
  readonly traits: VenueTraits;
  /** What a SubError frame's message (out.message) means. */
  classifySubError(message: string): SubErrorKindValue;

  /** URL of the instrument list (page `cursor` when the venue pages; Bybit linear). */
  instrumentsUrl(restBase: string, cursor: string | null): string;
  /** Cursor of the next page from a response body, or null when this was the last page. */
  nextCursor(body: unknown): string | null;
  /** Parses one response body. Throws an Error naming the venue, the field and the value on a bad envelope. */
  parseInstruments(body: unknown): RawInstrument[];

  /**
   * URL of the venue's REST "best bid/ask of every symbol" endpoint, fetched once when a feed (re)starts to seed
   * symbols that have no WebSocket update yet (Binance and MEXC push only on change).
   */
  bookTickerUrl?(restBase: string): string;
  /**
   * Parses that endpoint's JSON body and calls `emit` once per usable row; returns the number of rows emitted.
   * Throws an Error naming the venue, the field and the value on a bad envelope (venue error body, wrong shape).
   * Rows whose bid or ask is not a finite number are skipped; prices are not otherwise validated (an empty side
   * arrives as 0 on Binance: check with checkPrices). Quantities are NaN where the venue gives none (MEXC futures)
   * and in the venue's units (contracts on OKX SWAP); exchangeTsMs is 0 where the body carries no time.
   */
  parseBookTickers?(
    body: unknown,
    emit: (exchangeSymbol: string, bid: number, ask: number, bidQty: number, askQty: number, exchangeTsMs: number) => void,
  ): number;

  /** WebSocket URL for a connection (e.g. Binance `/stream`, Binance USD-M `/public/stream`). */
  wsUrl(wsBase: string): string;
  /** The venue's channel/topic string for one symbol ("btcusdt@bookTicker", "orderbook.1.BTCUSDT"). */
  topic(exchangeSymbol: string): string;
  /** Subscribe requests covering `symbols`, batched to min(batch, maxSubscribeBatch); ids from idStart. */
  subscribeRequests(symbols: readonly string[], batch: number, idStart: number): SubscribeRequest[];
  unsubscribeRequests(symbols: readonly string[], batch: number, idStart: number): SubscribeRequest[];
  readonly heartbeat: HeartbeatSpec;
  readonly parse: ParseFn;
}

/**
 * One exchange: its spot and USDT-perpetual adapters. Each venue folder's index.ts exports exactly one; the
 * adapter list, the config limit checks and the engine derive from these (docs/adding-a-venue.md).
 */
export interface VenueDescriptor {
  readonly exchange: Exchange;
  readonly spot: VenueAdapter;
  readonly futures: VenueAdapter;
  /** Funding of the futures market (docs/operations.md "Funding collection"): REST all-symbols poll, WS channel, intervals. */
  readonly funding: FundingAdapter;
}
