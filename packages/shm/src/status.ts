// Human-readable status of the regions of a prefix (shm-init --status, spread-ctl, the demo).
// Reads only, from private snapshots (snapshot.ts), and renders any byte content without throwing: a region
// another process corrupted or a slot left half-written by a killed writer must be reported, not crash us.
import { HealthSlot, ProcessKind, SOURCE_NAMES, errorMessage, wallMicros } from "@spread/common";
import { Bitmap } from "./bitmap.ts";
import { Control } from "./control.ts";
import { EventBus } from "./event-bus.ts";
import { readHeader } from "./header.ts";
import { Health, HealthRecord } from "./health.ts";
import {
  Command, EVENTS_ENTRIES_OFFSET, GlobalFlag, HEADER_SIZE, HEALTH_SLOTS, MAX_SYMBOLS, HealthError, HealthState, NUM_SOURCES, PRICE_ENTRY_SIZE, PriceDataEntry,
  PriceFlag, REGIONS, WAKE_CHANNELS, WakeChannel, type RegionKey,
} from "./layout.ts";
import { HEARTBEAT_MAX_AGE_MS, SourceLiveness, slotLiveness } from "./liveness.ts";
import { statRegion, type Region } from "./region.ts";
import { snapshotRegion } from "./snapshot.ts";
import { TrackedState } from "./tracked.ts";

/** The key of `v` in a constants table, or ?v. */
export function nameOf(table: Record<string, number>, v: number): string {
  for (const [k, n] of Object.entries(table)) if (n === v) return k;
  return `?${v}`;
}

function bitsOf(table: Record<string, number>, v: number): string {
  const names = Object.entries(table).filter(([, bit]) => (v & bit) !== 0).map(([k]) => k);
  return names.length ? names.join("+") : "-";
}

/** Who owns Health slot `slot`: a source name, engine/tracker/discovery, or spare. */
export function slotOwner(slot: number): string {
  if (slot < NUM_SOURCES) return SOURCE_NAMES[slot]!;
  return nameOf(HealthSlot, slot).replace(/^\?\d+$/, "spare");
}

/** Dates outside what Date can show (garbage in a region) print as the raw number. */
function isoMicros(us: number): string {
  if (!(us > 0)) return "-";
  const d = new Date(Math.floor(us / 1000));
  return Number.isNaN(d.getTime()) ? `?${us}` : d.toISOString();
}

function age(now: number, us: number): string {
  if (!(us > 0)) return "-";
  const s = (now - us) / 1e6;
  return Math.abs(s) < 100 ? `${s.toFixed(1)}s` : `${Math.round(s)}s`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join("  ").trimEnd());
}

/**
 * Per source: entries with a price, and how many of them a reader must treat as stale (flagged by the feed,
 * or every one of them when the feed is not publishing: dead, hung, paused or stopped).
 */
function priceSection(data: Region, numSymbols: number, live: SourceLiveness | undefined): string {
  const flagsWord = PriceDataEntry.off.flags / 4;
  const n = numSymbols > 0 && numSymbols <= MAX_SYMBOLS ? numSymbols : MAX_SYMBOLS;
  const parts: string[] = [];
  for (let src = 0; src < NUM_SOURCES; src++) {
    let valid = 0;
    let stale = 0;
    for (let sym = 0; sym < n; sym++) {
      const f = data.u32[(HEADER_SIZE + (sym * NUM_SOURCES + src) * PRICE_ENTRY_SIZE) / 4 + flagsWord]!;
      if ((f & PriceFlag.valid) === 0) continue;
      valid++;
      if (!(live?.fresh(src, f) ?? (f & PriceFlag.stale) === 0)) stale++;
    }
    const why = stale && live && !live.sourceLive(src) ? " stale: feed not publishing" : " stale";
    parts.push(`${SOURCE_NAMES[src]} ${valid}${stale ? ` (${stale}${why})` : ""}`);
  }
  return `prices: num_symbols ${numSymbols}; entries with a price: ${parts.join(", ")}`;
}

/** The liveness column: what the slot's owner really is, whatever state it last wrote. */
function procText(rec: HealthRecord, now: number): string {
  const l = slotLiveness(rec, now, HEARTBEAT_MAX_AGE_MS);
  if (l === "dead") return rec.state === HealthState.stopped ? "gone" : "DEAD (pid gone)";
  if (l === "hung") return `HUNG (no heartbeat for ${age(now, rec.heartbeatAt)})`;
  if (l === "stopped") return "-";
  return l;
}

function healthSection(health: Health, now: number): string[] {
  const rec = new HealthRecord();
  const rows: string[][] = [["slot", "owner", "kind", "state", "pid", "proc", "heartbeat", "uptime", "messages", "updates", "invalid", "reconn", "conns", "live", "stale", "rejected", "last_error", "cfg"]];
  for (let slot = 0; slot < HEALTH_SLOTS; slot++) {
    if (!health.read(slot, rec)) {
      rows.push([String(slot), slotOwner(slot), "(inconsistent: odd seq, a writer is mid-write or died mid-write)"]);
      continue;
    }
    if (rec.kind === 0 && rec.pid === 0 && rec.heartbeatAt === 0) continue;
    rows.push([
      String(slot), slotOwner(slot), nameOf(ProcessKind, rec.kind), nameOf(HealthState, rec.state), String(rec.pid), procText(rec, now),
      age(now, rec.heartbeatAt), age(now, rec.startedAt), String(rec.messages), String(rec.updates), String(rec.invalid),
      String(rec.reconnects), String(rec.connectionsUp), String(rec.symbolsLive), String(rec.symbolsStale), String(rec.symbolsRejected),
      nameOf(HealthError, rec.lastError), String(rec.configGeneration),
    ]);
  }
  if (rows.length === 1) return ["health: no slot has been written"];
  return ["health:", ...table(rows).map((l) => `  ${l}`)];
}

function controlSection(control: Control): string[] {
  const lines = [
    `control: global ${bitsOf(GlobalFlag, control.globalFlags())}; config generation ${control.configGeneration()} (updated ${isoMicros(control.configUpdatedAt())})`,
  ];
  const pending: string[] = [];
  for (let slot = 0; slot < HEALTH_SLOTS; slot++) {
    const c = control.pendingCommands(slot);
    if (c) pending.push(`${slotOwner(slot)}=${bitsOf(Command, c)}`);
  }
  lines.push(`  pending commands: ${pending.length ? pending.join(", ") : "none"}`);
  for (let ch = 0; ch < WAKE_CHANNELS; ch++) {
    const w = control.wakeChannelStats(ch);
    lines.push(`  wake ${nameOf(WakeChannel, ch)}: seq ${w.seq}, consumer ${w.waiters ? "asleep" : "awake/none"}, futex wakes ${w.wakes}, sleeps ${w.sleeps}, consumer pid ${w.consumerPid || "-"}`);
  }
  return lines;
}

/** One section; a failure renders as a line instead of ending the whole status. */
function section(name: string, render: () => string | string[]): string[] {
  try {
    const out = render();
    return typeof out === "string" ? [out] : out;
  } catch (err) {
    return [`${name}: cannot be shown (${errorMessage(err)})`];
  }
}

/** What the sections below read of the big regions: the seqs header (num_symbols), the Event Bus positions. */
const SNAPSHOT_BYTES: Partial<Record<RegionKey, number>> = { seqs: HEADER_SIZE, events: EVENTS_ENTRIES_OFFSET };

/** Multi-line status of every region of `prefix`; never creates or modifies anything, never throws on content. */
export function renderStatus(prefix: string, now = wallMicros()): string {
  const stats = REGIONS.map((spec) => ({ spec, st: statRegion(prefix, spec) }));
  const lines = [`shm prefix "${prefix}"`];
  const rows: string[][] = [["region", "path", "size", "mode", "uid:gid", "state"]];
  const regions: Partial<Record<RegionKey, Region>> = {};
  for (const { spec, st } of stats) {
    const region = st.state === "ok" ? snapshotRegion(prefix, spec, { seqlocked: spec.key === "health", bytes: SNAPSHOT_BYTES[spec.key] }) : undefined;
    if (region) regions[spec.key] = region;
    const state = st.state === "ok" ? `ok, created ${isoMicros(readHeader(st.header).createdAt)}` : st.state === "missing" ? "missing" : `BAD: ${st.problem}`;
    rows.push([spec.key, st.path, st.exists ? String(st.size) : "-", st.exists ? st.mode.toString(8).padStart(4, "0") : "-", st.exists ? `${st.uid}:${st.gid}` : "-", state]);
  }
  lines.push(...table(rows));
  const health = regions.health ? new Health(regions.health) : undefined;
  let live: SourceLiveness | undefined;
  if (health) {
    live = new SourceLiveness(health);
    live.refresh(now);
  }
  const { seqs, data, bitmap, events, control, tracked } = regions;
  if (seqs && data) lines.push(...section("prices", () => priceSection(data, readHeader(seqs.u8).numSymbols, live)));
  if (bitmap) {
    lines.push(...section("bitmap", () => {
      const bm = new Bitmap(bitmap);
      const busy = SOURCE_NAMES.filter((_, src) => bm.pending(src));
      return `bitmap: sources with pending bits: ${busy.length ? busy.join(", ") : "none"}`;
    }));
  }
  if (events) {
    lines.push(...section("events", () => {
      const ev = new EventBus(events);
      return `events: head ${ev.headPosition()}, tail ${ev.tailPosition()}, backlog ${ev.size()}, dropped ${ev.dropped()}, producer pid ${ev.producerPid() || "-"}, consumer pid ${ev.consumerPid() || "-"}`;
    }));
  }
  if (tracked) {
    lines.push(...section("tracked", () => {
      const t = new TrackedState(tracked);
      const c = t.counts();
      const rec = t.reconciledAt();
      return `tracked: ${c.signalled} signalled, ${c.tracked} tracked; tracker epoch ${t.trackerEpoch()}, tracker pid ${t.trackerPid() || "-"}, engine pid ${t.enginePid() || "-"}, last reconcile ${rec ? isoMicros(rec * 1e6) : "never"}`;
    }));
  }
  if (health) lines.push(...section("health", () => healthSection(health, now)));
  if (control) lines.push(...section("control", () => controlSection(new Control(control))));
  return lines.join("\n");
}
