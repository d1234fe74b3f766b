// Human-readable status of the regions of a prefix (shm-init --status, spread-ctl, the demo).
// Reads only: regions are mapped read-only once per inode and reused across calls.
import { HealthSlot, ProcessKind, SOURCE_NAMES, wallMicros } from "@spread/common";
import { Bitmap } from "./bitmap.ts";
import { Control } from "./control.ts";
import { EventBus } from "./event-bus.ts";
import { readHeader } from "./header.ts";
import { Health, HealthRecord } from "./health.ts";
import {
  Command, GlobalFlag, HEADER_SIZE, HEALTH_SLOTS, MAX_SYMBOLS, HealthError, HealthState, NUM_SOURCES, PRICE_ENTRY_SIZE, PriceDataEntry,
  PriceFlag, REGIONS, WAKE_CHANNELS, WakeChannel, type RegionKey, type RegionSpec,
} from "./layout.ts";
import { openRegion, statRegion, type Region, type RegionStat } from "./region.ts";

const cache = new Map<string, { ino: number; region: Region }>();

function mapped(prefix: string, st: RegionStat, spec: RegionSpec): Region | undefined {
  if (st.state !== "ok") return undefined;
  const hit = cache.get(st.path);
  if (hit && hit.ino === st.ino) return hit.region;
  try {
    const region = openRegion(prefix, spec, { readOnly: true });
    cache.set(st.path, { ino: st.ino, region });
    return region;
  } catch {
    return undefined;
  }
}

function nameOf(table: Record<string, number>, v: number): string {
  for (const [k, n] of Object.entries(table)) if (n === v) return k;
  return `?${v}`;
}

function bitsOf(table: Record<string, number>, v: number): string {
  const names = Object.entries(table).filter(([, bit]) => (v & bit) !== 0).map(([k]) => k);
  return names.length ? names.join("+") : "-";
}

function slotOwner(slot: number): string {
  if (slot < NUM_SOURCES) return SOURCE_NAMES[slot]!;
  return nameOf(HealthSlot, slot).replace(/^\?\d+$/, "spare");
}

function isoMicros(us: number): string {
  return us > 0 ? new Date(Math.floor(us / 1000)).toISOString() : "-";
}

function age(now: number, us: number): string {
  if (us <= 0) return "-";
  const s = (now - us) / 1e6;
  return s < 100 ? `${s.toFixed(1)}s` : `${Math.round(s)}s`;
}

function alive(pid: number): string {
  if (pid <= 0) return "-";
  try {
    process.kill(pid, 0);
    return "alive";
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM" ? "alive" : "gone";
  }
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join("  ").trimEnd());
}

function priceSection(data: Region, numSymbols: number): string {
  const flagsWord = PriceDataEntry.off.flags / 4;
  const parts: string[] = [];
  for (let src = 0; src < NUM_SOURCES; src++) {
    let valid = 0;
    let stale = 0;
    for (let sym = 0; sym < (numSymbols || MAX_SYMBOLS); sym++) {
      const f = data.u32[(HEADER_SIZE + (sym * NUM_SOURCES + src) * PRICE_ENTRY_SIZE) / 4 + flagsWord]!;
      if (f & PriceFlag.valid) valid++;
      if (f & PriceFlag.stale) stale++;
    }
    parts.push(`${SOURCE_NAMES[src]} ${valid}${stale ? ` (${stale} stale)` : ""}`);
  }
  return `prices: num_symbols ${numSymbols}; entries with a price: ${parts.join(", ")}`;
}

function healthSection(health: Health, now: number): string[] {
  const rec = new HealthRecord();
  const rows: string[][] = [["slot", "owner", "kind", "state", "pid", "proc", "heartbeat", "uptime", "messages", "updates", "invalid", "reconn", "conns", "live", "stale", "rejected", "last_error", "cfg"]];
  for (let slot = 0; slot < HEALTH_SLOTS; slot++) {
    if (!health.read(slot, rec)) {
      rows.push([String(slot), slotOwner(slot), "(busy: no consistent read)"]);
      continue;
    }
    if (rec.kind === 0 && rec.pid === 0 && rec.heartbeatAt === 0) continue;
    rows.push([
      String(slot), slotOwner(slot), nameOf(ProcessKind, rec.kind), nameOf(HealthState, rec.state), String(rec.pid), alive(rec.pid),
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

/** Multi-line status of every region of `prefix`; never creates or modifies anything. */
export function renderStatus(prefix: string, now = wallMicros()): string {
  const stats = REGIONS.map((spec) => ({ spec, st: statRegion(prefix, spec) }));
  const lines = [`shm prefix "${prefix}"`];
  const rows: string[][] = [["region", "path", "size", "mode", "uid:gid", "state"]];
  const regions: Partial<Record<RegionKey, Region>> = {};
  for (const { spec, st } of stats) {
    const region = mapped(prefix, st, spec);
    if (region) regions[spec.key] = region;
    const state = st.state === "ok" ? `ok, created ${isoMicros(readHeader(st.header).createdAt)}` : st.state === "missing" ? "missing" : `BAD: ${st.problem}`;
    rows.push([spec.key, st.path, st.exists ? String(st.size) : "-", st.exists ? st.mode.toString(8).padStart(4, "0") : "-", st.exists ? `${st.uid}:${st.gid}` : "-", state]);
  }
  lines.push(...table(rows));
  if (regions.seqs && regions.data) lines.push(priceSection(regions.data, readHeader(regions.seqs.u8).numSymbols));
  if (regions.bitmap) {
    const bm = new Bitmap(regions.bitmap);
    const busy = SOURCE_NAMES.filter((_, src) => bm.pending(src));
    lines.push(`bitmap: sources with pending bits: ${busy.length ? busy.join(", ") : "none"}`);
  }
  if (regions.events) {
    const ev = new EventBus(regions.events);
    lines.push(`events: head ${ev.headPosition()}, tail ${ev.tailPosition()}, backlog ${ev.size()}, dropped ${ev.dropped()}, producer pid ${ev.producerPid() || "-"}, consumer pid ${ev.consumerPid() || "-"}`);
  }
  if (regions.health) lines.push(...healthSection(new Health(regions.health), now));
  if (regions.control) lines.push(...controlSection(new Control(regions.control)));
  return lines.join("\n");
}
