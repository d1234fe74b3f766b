// What a caller configures on a ConnectionPool, and the per-slot status it reads back.
import type { Logger, SourceEndpoint } from "@spread/common";
import type { VenueAdapter } from "../types.ts";
import type { ConnectPacer } from "./pacer.ts";
import type { PriceSink } from "./sink.ts";
import type { SocketFactory } from "./socket.ts";
import type { RejectRetry } from "./subscriptions.ts";
import type { FeedSymbols } from "./symbols.ts";

export interface PoolTimings {
  reconnect_base_ms: number;
  reconnect_max_ms: number;
  reconnect_reset_after_ms: number;
}

export interface PoolOptions {
  readonly adapter: VenueAdapter;
  readonly endpoint: SourceEndpoint;
  readonly timings: PoolTimings;
  readonly symbols: FeedSymbols;
  readonly sink: PriceSink;
  readonly log: Logger;
  readonly socketFactory?: SocketFactory;
  /** Watchdog period. */
  readonly tickMs?: number;
  /** A rollover successor that has not delivered data after this long takes over anyway. */
  readonly rolloverSettleMs?: number;
  /**
   * Connection-open pacing: this pool's new connections (first opens, reconnects, rollover replacements) open
   * at least this far apart, in FIFO order (OKX allows 3 connection attempts/s per IP, Binance 300 per 5 min).
   * 0 / absent = no pacing.
   */
  readonly connectIntervalMs?: number;
  /** A pacer shared with other pools (one IP budget, e.g. spot and futures of one exchange); wins over connectIntervalMs. */
  readonly connectPacer?: ConnectPacer;
  /** A connection whose socket is not open this long after it was requested is closed and retried. Default 15000. */
  readonly connectTimeoutMs?: number;
  /**
   * A slot stops reconnecting after this many unplanned closes (connect failures, drops, dead-connection kills)
   * and its symbols stay unserved. Absent = never give up (feeds); Pair Discovery bounds its validation sessions.
   */
  readonly maxSlotFailures?: number;
  /** When a refused symbol is subscribed again (default DEFAULT_REJECT_RETRY); null = never (Pair Discovery). */
  readonly rejectRetry?: RejectRetry | null;
}

/** One connection slot of the pool, for supervisors (Pair Discovery) and ops. */
export interface SlotStatus {
  readonly slot: number;
  /** Exchange symbols assigned to the slot (rejected ones leave it). The live list: do not modify. */
  readonly symbols: readonly string[];
  /** Its connection (or the rollover successor) is open. */
  readonly up: boolean;
  /** Some connection of this slot has opened since start(). */
  readonly opened: boolean;
  /** Control frames (subscribe requests, pings) waiting for their send slot on the live connection. */
  readonly queued: number;
  /** performance.now() when the slot last wrote a subscribe/unsubscribe request; 0 = none yet. */
  readonly lastOpSentAt: number;
  /** Unplanned closes since start(). */
  readonly failures: number;
  /** maxSlotFailures reached: no more reconnects. */
  readonly gaveUp: boolean;
}
