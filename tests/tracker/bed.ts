// Multi-process bed for spread-tracker: its own shm prefix, generated/, config and data dir; the test plays
// the feeds (prices + Health slots of the two legs) and the engine (signals on the Event Bus + wake-ups).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { HealthSlot, monoMicros, ProcessKind, wallMicros } from "@spread/common";
import { launch, type Launched } from "@spread/ctl";
import { EventRecord, EventType, HealthRecord, HealthState, WakeChannel, wallSeconds } from "@spread/shm";
import { readStatus, type TrackerStatus } from "@spread/tracker";
import { ROOT } from "./helpers.ts";
import { BinBed } from "../bin-bed.ts";

export class TrackerBed extends BinBed {
  private readonly ev = new EventRecord();
  private readonly quotes = new Map<number, [number, number]>();

  constructor() {
    super("proc", 2000);
  }

  start(names: readonly string[], tracker: Record<string, unknown> = {}, data = this.data): void {
    this.setUp(names, { tracker: { fsync_interval_s: 1, ...tracker } }, data);
    this.shm.events.attachProducer();
    // The feeds of every source look alive and publishing (reader-side staleness checks the Health slots).
    const h = new HealthRecord();
    const beat = () => {
      for (let s = 0; s < 8; s++) {
        h.kind = ProcessKind.feed;
        h.state = HealthState.running;
        h.pid = process.pid;
        h.heartbeatAt = wallMicros();
        this.shm.health.write(s, h);
      }
      for (const [k, [bid, ask]] of this.quotes) this.shm.prices.write(k >> 10, k & 1023, bid, ask, 1, 1, 0, wallMicros(), monoMicros());
    };
    this.beatEvery(500, beat);
  }

  spawn(): Launched {
    this.proc = launch("spread-tracker", [process.execPath, join(ROOT, "bins/spread-tracker.ts"), "--config", this.configFile], {
      env: { SPREAD_SCANNER_SHM_PREFIX: this.prefix },
    });
    return this.proc;
  }

  /** Sets a price; like a live feed, the bed re-publishes it every 500 ms so it never ages into staleness. */
  price(src: number, sym: number, bid: number, ask: number): void {
    this.quotes.set(src * 1024 + sym, [bid, ask]);
    this.shm.prices.write(src, sym, bid, ask, 1, 1, 0, wallMicros(), monoMicros());
  }

  /** As a feed does: the price, its Bitmap bit, and a wake-up of the engine on the bit's 0→1 transition. */
  quote(src: number, sym: number, bid: number, ask: number): void {
    this.price(src, sym, bid, ask);
    if (this.shm.bitmap.set(src, sym)) this.shm.waker(WakeChannel.engine).wake();
  }

  /** The real spread-engine on this bed's prefix and generated/ (config.sim.toml rules and fees). */
  spawnEngine(): Launched {
    return launch("spread-engine", [process.execPath, join(ROOT, "bins/spread-engine.ts"), "--prefix", this.prefix, "--generated", this.generated, "--config", join(ROOT, "config/config.sim.toml")], {
      env: { SPREAD_SCANNER_LOG_LEVEL: "warn" },
    });
  }

  /** As the engine does: claim the pair (FREE → SIGNALLED), then push the Event and wake the tracker. */
  signal(direction: number, sym: number, spot: number, fut: number): void {
    this.shm.tracked.tryClaim(direction, sym, wallSeconds());
    const e = this.ev;
    e.type = EventType.signal;
    e.directionId = direction;
    e.symbolId = sym;
    e.spotSource = spot;
    e.futuresSource = fut;
    e.timestamp = wallMicros();
    this.shm.events.push(e);
    this.shm.waker(WakeChannel.tracker).wake();
  }

  status(data = this.data): TrackerStatus | null {
    return readStatus(data);
  }

  health(): HealthRecord {
    const h = new HealthRecord();
    this.shm.health.read(HealthSlot.tracker, h);
    return h;
  }

  text(abs: string): string {
    try {
      return readFileSync(abs, "utf8");
    } catch {
      return "";
    }
  }
}
