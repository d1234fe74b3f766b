// Feed counters: plain numbers bumped on the hot path, copied into the Health slot once a second.

export const FeedError = {
  None: 0,
  ConnectFailed: 1,
  ClosedByServer: 2,
  PongTimeout: 3,
  DataTimeout: 4,
  SubscriptionRejected: 5,
  MalformedFrame: 6,
  ServerNotice: 7,
  StoreWrite: 8,
} as const;
export type FeedErrorValue = (typeof FeedError)[keyof typeof FeedError];

export class FeedCounters {
  /** Every inbound frame. */
  messages = 0;
  /** Valid updates written to the store. */
  updates = 0;
  /** Updates dropped for non-finite, non-positive or crossed prices (corrupt quotes). */
  invalid = 0;
  /** Pushes with an empty book side (OKX "" / [], Bybit b:[]): no quote, not corrupt; the entry is marked stale. */
  noQuote = 0;
  /** Frames that could not be parsed. */
  malformed = 0;
  /** Updates for a symbol this feed does not serve. */
  unknownSymbol = 0;
  /** Symbols given a first price from the venue's REST best bid/ask snapshot (cold start, hot-reload additions). */
  seeded = 0;
  reconnects = 0;
  rollovers = 0;
  subErrors = 0;
  /** Refused symbols subscribed again (their backoff ran out, or a reload). */
  subRetries = 0;
  notices = 0;
  lastError: FeedErrorValue = FeedError.None;
  lastErrorText = "";
}
