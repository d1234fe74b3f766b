// The whole system under `spread-ctl up` on the simulator, as the e2e and fault-matrix tests drive it: start and
// wait until every service runs, script spreads through the simulator's control API, read trackings back the way
// an operator does (`spread-ctl tracks --json`, the rows files of docs/formats.md).
import { expect } from "bun:test";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DIRECTIONS, SOURCE_NAMES, type Generation } from "@spread/common";
import { buildPlan, programLocator, type Launched } from "@spread/ctl";
import { HealthState, REGIONS, statRegion } from "@spread/shm";
import { readStatus } from "@spread/tracker";
import { waitFor } from "../wait.ts";
import { alive, type OpsBed } from "../ops/helpers.ts";
import { lines } from "../tracker/helpers.ts";
import type { Receiver } from "../alerts/receiver.ts";

/** Health slots of the services `spread-ctl up` runs without [alerts] (8 feeds, engine, tracker, web). */
export const SLOTS = buildPlan(programLocator(), "x").services.map((s) => s.slot);

export interface Track {
  direction_id: number;
  direction: string;
  symbol: string;
  state: string;
  opened_at: string;
  closed_at: string | null;
  rows: number;
  file: string;
}

/** A spread scripted on one (direction, symbol), moving the `leg` side. */
export interface Pick {
  d: number;
  sym: string;
  leg: "spot" | "futures";
}

/**
 * The bed's simulator (control API on) and config for scripted spreads: both legs of an episode update at least
 * 20×/s (so a silent feed is the only way a leg goes stale), a 1 s staleness bound, 200 ms tracker flushes and no
 * fsync. `tracker` keys (e.g. max_duration_s) and extra `sections` (e.g. [alerts]) go over these.
 */
export function startSpreadSim(bed: OpsBed, o: { tracker?: Record<string, unknown>; rate?: Record<string, unknown>; sections?: Record<string, Record<string, unknown>> } = {}): Promise<void> {
  return bed.startSim({
    control: true,
    rate: { episode_min_rate: 20, ...o.rate },
    sections: {
      engine: { stale_after_ms: 1000 },
      tracker: { stale_after_ms: 1000, flush_interval_ms: 200, fsync_interval_s: 0, ...o.tracker },
      ...o.sections,
    },
  });
}

/**
 * startSpreadSim with spread-alerts on (tracker max_duration_s 300, for spreads held through the test): openings and
 * closes, never "system" messages (a killed process must not become one), go to webhook `name` of `rx`.
 */
export async function startAlertedSpreadSim(bed: OpsBed, rx: Receiver, name: string, sections: Record<string, Record<string, unknown>> = {}): Promise<void> {
  writeFileSync(join(bed.dir, "hook.url"), `${rx.base}/hook/${name}\n`, { mode: 0o600 });
  await startSpreadSim(bed, {
    tracker: { max_duration_s: 300 },
    sections: { alerts: { poll_ms: 200, open_on: "gross", open_pct: 1.0, open_window_s: 120, system_after_s: 120, health_interval_ms: 200 }, ...sections },
  });
  appendFileSync(bed.configFile, `\n[[alerts.webhook]]\nname = "${name}"\nshape = "json"\nurl_file = "${join(bed.dir, "hook.url")}"\nper_s = 50\nevents = ["opened", "closed"]\n`);
}

/** "opened" webhook messages of one pair (moving one leg opens the symbol's other directions on that leg too). */
export const openedAlerts = (rx: Receiver, p: Pick) => rx.received.filter((r) => r.body?.kind === "opened" && r.body.event?.symbol === p.sym && r.body.event?.direction === DIRECTIONS[p.d]!.name);

/** The slot's owner runs (pid alive, state running or degraded). */
export function running(bed: OpsBed, slot: number): boolean {
  const h = bed.health(slot);
  return h.pid > 0 && alive(h.pid) && (h.state === HealthState.running || h.state === HealthState.degraded);
}

/** `spread-ctl up` on the bed's config; resolves once every region is ok, every `slots` runs and the tracker wrote its status. */
export function upAndWait(bed: OpsBed, slots: readonly number[] = SLOTS, timeoutMs = 90_000): Promise<Launched> {
  return waitUp(bed, bed.ctl(["up", "--config", bed.configFile]), slots, timeoutMs);
}

/** upAndWait for a `spread-ctl up` started otherwise (e.g. under a wrapper); `up` is the launched process. */
export async function waitUp(bed: OpsBed, up: Launched, slots: readonly number[] = SLOTS, timeoutMs = 90_000): Promise<Launched> {
  await waitFor("every service running", () => {
    if (up.proc.exitCode !== null) throw new Error(`spread-ctl up exited with ${up.proc.exitCode}`);
    return REGIONS.every((r) => statRegion(bed.prefix, r).state === "ok") && slots.every((s) => running(bed, s)) && readStatus(bed.dataDir) !== null;
  }, timeoutMs, 200).catch((err) => {
    throw new Error(`${(err as Error).message}\nspread-ctl up output:\n${up.lines.slice(-30).join("\n")}`);
  });
  return up;
}

export async function control(bed: OpsBed, path: string, body: unknown): Promise<unknown> {
  const r = await fetch(`${bed.sim!.controlUrl}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (r.status !== 200) throw new Error(`POST ${path}: ${r.status} ${await r.text()}`);
  return r.json();
}

/** A spread of `pct` % on one pick: ramps in 0.3 s, holds `hold_s`, converges in 0.5 s (or never). */
export async function episode(bed: OpsBed, p: Pick, opts: { hold_s?: number; converge?: boolean; pct?: number } = {}): Promise<void> {
  const d = DIRECTIONS[p.d]!;
  await control(bed, "/episode", {
    asset: p.sym.replace(/-USDT$/, ""),
    spot: SOURCE_NAMES[d.spot],
    futures: SOURCE_NAMES[d.futures],
    leg: p.leg,
    spread_pct: opts.pct ?? 3,
    ramp_s: 0.3,
    hold_s: opts.hold_s ?? 2.5,
    converge_s: 0.5,
    converge: opts.converge ?? true,
  });
}

/** `spread-ctl tracks --json` of the running system (found through its state file, like an operator would). */
export async function tracks(bed: OpsBed): Promise<Track[]> {
  const r = await bed.ctlRun(["tracks", "--json", "--config", bed.configFile, "--since", "1h"], 20_000);
  expect(r.code).toBe(0);
  const out = r.out.split("\n");
  const from = out.findIndex((l) => l.startsWith("["));
  const to = out.findLastIndex((l) => l.endsWith("]"));
  expect(from).toBeGreaterThanOrEqual(0);
  return JSON.parse(out.slice(from, to + 1).join("\n")) as Track[];
}

/** Trackings of one pair; a closed one only once its close row is on disk (the status file may be ahead of the flush). */
export const ofPair = (ts: Track[], p: Pick) => ts.filter((t) => t.direction_id === p.d && t.symbol === p.sym && (t.state === "open" || rows(t.file).at(-1)?.state === t.state));

/** Consecutive rows of an open tracking 200 ms × max(1, missed) apart: every tick once, none twice (a gap is one `missed` row). */
export function expectTicksOnce(rs: Record<string, string>[]): void {
  const ms = rs.map((r) => Date.parse(r.ts!));
  for (let i = 0; i + 1 < rs.length; i++) expect(ms[i + 1]! - ms[i]!).toBe(200 * Math.max(1, Number(rs[i]!.missed)));
}

/** Filter for trackings (tracks --json, tracker-status.json) of one pair. */
export const isPair = (p: Pick) => (t: { direction_id: number; symbol: string }) => t.direction_id === p.d && t.symbol === p.sym;

/** The pair was tracked (open, or closed among the recent ones) since the tracker's last start, per its status file. */
export function trackedSinceStart(bed: OpsBed, p: Pick): boolean {
  const s = readStatus(bed.dataDir);
  return !!s && [...s.open, ...s.recent_closed].some(isPair(p));
}

/** The data rows of a rows file as named fields (names never contain commas: docs/formats.md). */
export function rows(file: string): Record<string, string>[] {
  const [head, ...data] = lines(readFileSync(file, "utf8"));
  const cols = head!.split(",");
  return data.map((l) => Object.fromEntries(l.split(",").map((v, i) => [cols[i]!, v])));
}

/** A plain symbol (no multiplier, letters only) of direction `d` that none of `used` names; marks it used. */
export function plainSymbol(gen: Generation, d: number, used: Set<string>, leg: "spot" | "futures" = "futures"): Pick {
  const syms = gen.symbols.symbols;
  const id = gen.directions.directions[d]!.symbols.find((i) => /^[A-Z]+-USDT$/.test(syms[i]!.name) && !used.has(syms[i]!.name) && syms[i]!.listings.every((l) => !l || l.multiplier === 1));
  if (id === undefined) throw new Error(`direction ${DIRECTIONS[d]!.name}: no plain symbol left in this universe`);
  used.add(syms[id]!.name);
  return { d, sym: syms[id]!.name, leg };
}
