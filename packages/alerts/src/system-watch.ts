// System events from Health (feeds down or degraded, a failed discovery run, tracker write errors) and from
// generated/metadata.json (a discovery generation with fewer usable sources than [discovery] min_sources).
// A problem is reported once it has lasted `afterMs`, and its recovery once it is gone (only if reported).
import { HealthSlot, SOURCE_NAMES, loadGeneratedMetadata } from "@spread/common";
import { HealthError, HealthRecord, HealthState, slotLiveness, type Health } from "@spread/shm";
import type { SystemEvent } from "./message.ts";

interface Condition {
  since: number;
  reported: boolean;
  text: string;
}

export interface SystemWatchOptions {
  /** A feed down or degraded for longer than this is reported. */
  readonly afterMs: number;
  readonly heartbeatMaxAgeMs: number;
  readonly minSources: number;
  /** generated/ directory, for the discovery source count; null: not checked. */
  readonly generatedDir: string | null;
}

/** Re-read metadata.json at most this often (it changes once per discovery run). */
const METADATA_EVERY_MS = 10_000;

export class SystemWatch {
  private readonly open = new Map<string, Condition>();
  private readonly rec = new HealthRecord();
  private lastDiscoveryStart = 0;
  private discoveryFailed = false;
  private metadataAt = -Infinity;
  private sourcesProblem: string | null = null;

  constructor(
    private readonly health: Health,
    private readonly opts: SystemWatchOptions,
  ) {}

  poll(nowMs: number): SystemEvent[] {
    const out: SystemEvent[] = [];
    const nowUs = nowMs * 1000;
    const rec = this.rec;
    for (let s = 0; s < SOURCE_NAMES.length; s++) {
      let bad: string | null = null;
      if (this.health.read(s, rec)) {
        const l = slotLiveness(rec, nowUs, this.opts.heartbeatMaxAgeMs);
        if (l === "dead" || l === "hung" || l === "stopped") bad = `feed ${SOURCE_NAMES[s]} is down (${l})`;
        else if (l === "alive" && rec.state === HealthState.degraded) bad = `feed ${SOURCE_NAMES[s]} is degraded (${rec.connectionsUp} connections up, ${rec.symbolsStale} symbols stale)`;
      }
      this.update(out, `feed:${SOURCE_NAMES[s]}`, bad, nowMs, this.opts.afterMs, `feed ${SOURCE_NAMES[s]} is publishing again`);
    }
    let trackerBad: string | null = null;
    if (this.health.read(HealthSlot.tracker, rec) && slotLiveness(rec, nowUs, this.opts.heartbeatMaxAgeMs) === "alive" && rec.state === HealthState.degraded && rec.lastError === HealthError.disk) {
      trackerBad = `spread-tracker cannot write its files (${rec.reconnects} write errors); rows stay buffered`;
    }
    this.update(out, "tracker-disk", trackerBad, nowMs, 0, "spread-tracker writes its files again");
    this.discovery();
    this.update(out, "discovery", this.discoveryFailed ? "the last pair-discovery run failed (generated/ unchanged)" : null, nowMs, 0, "pair-discovery ran successfully");
    this.sources(nowMs);
    this.update(out, "discovery-sources", this.sourcesProblem, nowMs, 0, `generated/ has at least ${this.opts.minSources}/8 sources again`);
    return out;
  }

  /** A finished run (state stopped) with an error marks a failure; the next clean run clears it. */
  private discovery(): void {
    const rec = this.rec;
    if (!this.health.read(HealthSlot.discovery, rec) || rec.state !== HealthState.stopped || rec.startedAt === 0) return;
    if (rec.startedAt === this.lastDiscoveryStart) return;
    this.lastDiscoveryStart = rec.startedAt;
    this.discoveryFailed = rec.lastError !== HealthError.none;
  }

  private sources(nowMs: number): void {
    if (this.opts.generatedDir === null || nowMs - this.metadataAt < METADATA_EVERY_MS) return;
    this.metadataAt = nowMs;
    try {
      const m = loadGeneratedMetadata(this.opts.generatedDir);
      const usable = Object.entries(m.sources).filter(([, s]) => s.fetched && s.error === null && s.symbols > 0);
      const missing = SOURCE_NAMES.filter((n) => !usable.some(([u]) => u === n));
      this.sourcesProblem = usable.length < this.opts.minSources
        ? `generation ${m.generation} has ${usable.length}/8 usable sources (min ${this.opts.minSources}); missing: ${missing.join(", ")}`
        : null;
    } catch {
      // No generation yet, or one being replaced: nothing to say about its sources.
    }
  }

  private update(out: SystemEvent[], key: string, bad: string | null, nowMs: number, afterMs: number, recovered: string): void {
    const c = this.open.get(key);
    if (bad !== null) {
      if (c === undefined) this.open.set(key, { since: nowMs, reported: false, text: bad });
      const cur = this.open.get(key)!;
      cur.text = bad;
      if (!cur.reported && nowMs - cur.since >= afterMs) {
        cur.reported = true;
        const forS = Math.round((nowMs - cur.since) / 1000);
        out.push({ kind: "system", key, problem: true, text: afterMs > 0 ? `${bad} for ${forS} s` : bad, atMs: nowMs });
      }
    } else if (c !== undefined) {
      this.open.delete(key);
      if (c.reported) out.push({ kind: "system", key, problem: false, text: `${recovered} (after ${Math.round((nowMs - c.since) / 1000)} s)`, atMs: nowMs });
    }
  }

  /** Conditions currently reported as problems. */
  problems(): number {
    let n = 0;
    for (const c of this.open.values()) if (c.reported) n++;
    return n;
  }
}
