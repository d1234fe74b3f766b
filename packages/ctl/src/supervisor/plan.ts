// The process plan of A.7 for one config: shm-init → pair-discovery → 8 feeds → spread-engine → spread-tracker
// (→ spread-alerts when [alerts] names a channel) → spread-web. With [feed] groups, each group is one feed process
// (`feed --group N`) and the sources in no group keep a process each. The optional programs are part of it as soon as their binary
// exists (reported as missing otherwise).
import { HealthSlot, SOURCE_NAMES } from "@spread/common";
import type { Program, ProgramLocator } from "./programs.ts";

/** Exit codes that mean "starting again cannot help": a usage/config error (2) and a refusal to start (3). */
export const NO_RESTART_EXIT_CODES: readonly number[] = [2, 3];

export interface ServiceSpec {
  /** Log file stem and display name: feed-okx_spot, spread-engine, spread-tracker. */
  readonly name: string;
  readonly argv: readonly string[];
  /** Health/Control slot it reports in (a feed group: its first source's). */
  readonly slot: number;
  /** Every slot it reports in when more than `slot`: each source of a feed group (all with this process's pid). */
  readonly slots?: readonly number[];
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
  /** [feed] groups of the config: each runs as one `feed --group N` process. */
  readonly feedGroups?: readonly (readonly string[])[];
}

export function buildPlan(loc: ProgramLocator, config: string, opts: PlanOptions = {}): Plan {
  const cfg = ["--config", config];
  const feed = need(loc, "feed");
  const groups = opts.feedGroups ?? [];
  const grouped = new Set(groups.flat());
  const services: ServiceSpec[] = groups.map((g, i) => {
    const slots = g.map((s) => SOURCE_NAMES.indexOf(s as (typeof SOURCE_NAMES)[number]));
    if (slots.some((x) => x < 0)) throw new Error(`feed group ${i + 1}: unknown source in [${g.join(", ")}]`);
    return { name: `feed-group${i + 1}`, argv: [...feed, "--group", String(i + 1), ...cfg], slot: slots[0]!, slots, stage: 0 };
  });
  SOURCE_NAMES.forEach((s, i) => {
    if (!grouped.has(s)) services.push({ name: `feed-${s}`, argv: [...feed, "--source", s, ...cfg], slot: i, stage: 0 });
  });
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
