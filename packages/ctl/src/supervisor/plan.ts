// The process plan of A.7 for one config: shm-init → pair-discovery → 8 feeds → spread-engine → spread-tracker
// (→ spread-alerts when [alerts] names a channel) → spread-web. The optional programs are part of it as soon as their binary
// exists (reported as missing otherwise).
import { HealthSlot, SOURCE_NAMES } from "@spread/common";
import type { Program, ProgramLocator } from "./programs.ts";

/** Exit codes that mean "starting again cannot help": a usage/config error (2) and a refusal to start (3). */
export const NO_RESTART_EXIT_CODES: readonly number[] = [2, 3];

export interface ServiceSpec {
  /** Log file stem and display name: feed-okx_spot, spread-engine, spread-tracker. */
  readonly name: string;
  readonly argv: readonly string[];
  /** Health/Control slot it reports in. */
  readonly slot: number;
  /** Services of one stage start together; the next stage starts once they reported in Health. */
  readonly stage: number;
}

export interface Plan {
  readonly shmInit: readonly string[];
  readonly discovery: readonly string[];
  readonly services: readonly ServiceSpec[];
  /** Programs of A.7 that are not present (not built yet). */
  readonly missing: readonly Program[];
  readonly sim: readonly string[] | null;
}

function need(loc: ProgramLocator, p: Program): string[] {
  const argv = loc.argv(p);
  if (!argv) throw new Error(`${p} not found in ${loc.where} (run \`bun run build\` for dist/)`);
  return argv;
}

export interface PlanOptions {
  readonly sim?: { exchanges: string };
  /** [alerts] names at least one channel: spread-alerts runs last (it refuses to start without one). */
  readonly alerts?: boolean;
}

export function buildPlan(loc: ProgramLocator, config: string, opts: PlanOptions = {}): Plan {
  const cfg = ["--config", config];
  const feed = need(loc, "feed");
  const services: ServiceSpec[] = SOURCE_NAMES.map((s, i) => ({ name: `feed-${s}`, argv: [...feed, "--source", s, ...cfg], slot: i, stage: 0 }));
  const missing: Program[] = [];
  const optional: [Program, number][] = [["spread-engine", HealthSlot.engine], ["spread-tracker", HealthSlot.tracker]];
  if (opts.alerts) optional.push(["spread-alerts", HealthSlot.alerts]);
  optional.push(["spread-web", HealthSlot.web]);
  optional.forEach(([p, slot], i) => {
    const argv = loc.argv(p);
    if (argv) services.push({ name: p, argv: [...argv, ...cfg], slot, stage: i + 1 });
    else missing.push(p);
  });
  return {
    shmInit: [...need(loc, "shm-init"), ...cfg],
    discovery: [...need(loc, "pair-discovery"), ...cfg],
    services,
    missing,
    sim: opts.sim ? [...need(loc, "exchange-sim"), "--exchanges", opts.sim.exchanges] : null,
  };
}
