// What the venue emulations share: the universe and market, per-source hubs and settings, the fault registry.
import type { Logger } from "@spread/common";
import type { Faults } from "./faults.ts";
import type { Market } from "./market/market.ts";
import type { Universe } from "./market/universe.ts";
import type { VenueSettings } from "./scenario/venue-defaults.ts";
import type { SourceHub } from "./server/hub.ts";

export interface SimContext {
  readonly universe: Universe;
  readonly market: Market;
  /** Indexed by source_id. */
  readonly hubs: readonly SourceHub[];
  readonly settings: readonly VenueSettings[];
  readonly faults: Faults;
  readonly log: Logger;
}

/** JSON response with the content type venues send. */
export function json(body: string, status = 200): Response {
  return new Response(body, { status, headers: { "content-type": "application/json;charset=UTF-8" } });
}

/** Caches rendered REST bodies by key: instrument lists are static for a run, so they render once. */
export class BodyCache {
  private readonly map = new Map<string, string>();
  get(key: string, render: () => string): string {
    let v = this.map.get(key);
    if (v === undefined) {
      v = render();
      if (this.map.size > 256) this.map.clear();
      this.map.set(key, v);
    }
    return v;
  }
}
