// Production PriceSink: SeqLock write into this source's Price Store column, Bitmap bit, engine wake-up.
import { monoMicros, monoToWallMicros } from "@spread/common";
import type { Shm, Waker } from "@spread/shm";
import type { PriceSink } from "@spread/exchanges";

/**
 * The engine wake of one feed process, deferred to the end of the event-loop turn: every frame read from the
 * sockets in one turn, of every source the process serves (a feed group), shares ONE futex wake (~2.7 µs of CPU
 * each) instead of one per frame or one per source.
 */
export class TurnWake {
  private armed = false;
  /** Wakes actually issued (one per loop turn that published a new Bitmap bit at most), for benchmarks. */
  wakes = 0;
  private readonly flush = (): void => {
    this.armed = false;
    this.waker.wake();
  };

  constructor(private readonly waker: Waker) {}

  arm(): void {
    if (this.armed) return;
    this.armed = true;
    this.wakes++;
    setImmediate(this.flush);
  }
}

export class ShmPriceSink implements PriceSink {
  private readonly prices: Shm["prices"];
  private readonly bitmap: Shm["bitmap"];

  constructor(
    shm: Shm,
    private readonly source: number,
    private readonly wake: TurnWake,
  ) {
    this.prices = shm.prices;
    this.bitmap = shm.bitmap;
  }

  publish(symbolId: number, bid: number, ask: number, bidQty: number, askQty: number, exchangeTsUs: number): void {
    const mono = monoMicros();
    this.prices.write(this.source, symbolId, bid, ask, bidQty, askQty, exchangeTsUs, monoToWallMicros(mono), mono);
    // Only a newly set bit needs a wake: an already-set bit was announced and the engine has not taken it yet
    // (it scans every block before it sleeps). The bit is set before the wake is issued, so none is ever lost.
    if (this.bitmap.set(this.source, symbolId)) this.wake.arm();
  }

  /** The venue's book has an empty side: the last two-sided price is no longer current (the next update clears it). */
  noQuote(symbolId: number): void {
    this.prices.setStale(this.source, symbolId, true);
  }

  markStale(symbolIds: ArrayLike<number>): void {
    for (let i = 0; i < symbolIds.length; i++) this.prices.setStale(this.source, symbolIds[i]!, true);
  }
}
