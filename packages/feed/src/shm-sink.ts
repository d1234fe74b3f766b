// Production PriceSink: SeqLock write into this source's Price Store column, Bitmap bit, engine wake-up.
import { monoMicros, monoToWallMicros } from "@spread/common";
import type { Shm, Waker } from "@spread/shm";
import type { PriceSink } from "./sink.ts";

export class ShmPriceSink implements PriceSink {
  private readonly prices: Shm["prices"];
  private readonly bitmap: Shm["bitmap"];

  constructor(
    shm: Shm,
    private readonly source: number,
    private readonly waker: Waker,
  ) {
    this.prices = shm.prices;
    this.bitmap = shm.bitmap;
  }

  publish(symbolId: number, bid: number, ask: number, bidQty: number, askQty: number, exchangeTsUs: number): void {
    const mono = monoMicros();
    this.prices.write(this.source, symbolId, bid, ask, bidQty, askQty, exchangeTsUs, monoToWallMicros(mono), mono);
    // Only a newly set bit needs a wake: an already-set bit was announced and the engine has not taken it yet,
    // and it scans every block before it sleeps. This coalesces bursts to one wake per engine pass.
    if (this.bitmap.set(this.source, symbolId)) this.waker.wake();
  }

  markStale(symbolIds: ArrayLike<number>): void {
    for (let i = 0; i < symbolIds.length; i++) this.prices.setStale(this.source, symbolIds[i]!, true);
  }
}
