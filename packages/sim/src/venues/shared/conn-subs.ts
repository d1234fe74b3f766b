// A connection's subscriptions under the venue's own key (a Bybit topic, OKX "channel:instId", a MEXC channel
// string) and the hub entry each one holds: unsubscribing, replacing and counting them then cannot drift from
// what the hubs send. Subscriptions acknowledged without emulated data hold no hub entry (index -1).
import type { SourceHub } from "../../server/hub.ts";
import type { Conn } from "../../server/conn.ts";

export interface HubEntry {
  readonly source: number;
  /** Instrument index in the source's book; -1 = acknowledged, no data. */
  readonly index: number;
  readonly ch: number;
}

export class ConnSubs {
  private readonly byKey = new Map<string, HubEntry>();

  constructor(
    private readonly conn: Conn,
    private readonly hubs: readonly SourceHub[],
  ) {}

  get size(): number {
    return this.byKey.size;
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  get(key: string): HubEntry | undefined {
    return this.byKey.get(key);
  }

  add(key: string, e: HubEntry, now: number): void {
    this.byKey.set(key, e);
    if (e.index >= 0) this.hubs[e.source]!.subscribe(this.conn, e.index, e.ch, now);
    this.conn.subs = this.byKey.size;
  }

  /** False when `key` was not subscribed. */
  remove(key: string): boolean {
    const e = this.byKey.get(key);
    if (e === undefined) return false;
    this.byKey.delete(key);
    if (e.index >= 0) this.hubs[e.source]!.unsubscribe(this.conn, e.index, e.ch);
    this.conn.subs = this.byKey.size;
    return true;
  }
}
