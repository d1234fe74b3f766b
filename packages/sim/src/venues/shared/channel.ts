// A venue's channel table is rows of facts: the name, when it pushes (one of the three cadences the hub
// implements) and how one instrument's frame reads. The hub owns the fan-out, so a venue never restates it.
import type { Cadence, Channel, FrameBuilder, OnSubscribe } from "../types.ts";

/** Every quote update as it happens (Binance bookTicker); a new subscriber waits for the next update. */
export const ON_UPDATE: Cadence = { intervalMs: 0, resendMs: 0, onSubscribe: "none" };

/**
 * The latest state of the instruments that changed, every `intervalMs`; `resendMs` > 0 re-sends an unchanged
 * instrument after that much silence (Bybit 3 s, OKX ~60 s snapshots).
 */
export function coalesced(intervalMs: number, onSubscribe: OnSubscribe, resendMs = 0): Cadence {
  return { intervalMs, resendMs, onSubscribe };
}

/**
 * One frame per subscribed instrument every `periodMs`, changed or not (mark price, funding): values that move
 * on a clock rather than with the book. A coalesced channel that re-sends after its own period does exactly that.
 */
export function clocked(periodMs: number, onSubscribe: OnSubscribe): Cadence {
  return { intervalMs: periodMs, resendMs: periodMs, onSubscribe };
}

/** A funding channel on a slow clock, also pushed at once when a settlement is scripted (the venue pushes on change). */
export function fundingClock(periodMs: number): Cadence {
  return { ...clocked(periodMs, "now"), funding: true };
}

/** One row of a channel table; `snapshot` is a first frame that differs from updates (Bybit linear tickers). */
export function channel(name: string, cadence: Cadence, build: FrameBuilder, snapshot?: Channel["snapshot"]): Channel {
  return snapshot ? { name, ...cadence, build, snapshot } : { name, ...cadence, build };
}
