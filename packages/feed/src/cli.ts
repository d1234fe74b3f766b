// The citty command shared by bins/feed.ts (--source / --group) and the eight bins/feed-<source>.ts (fixed source).
import { defineCommand } from "citty";
import { configArg, GENERATED_ARG, loadAppConfig, parseSourceName, runBin, SOURCE_NAMES, UsageError } from "@spread/common";
import { runFeedProcess } from "./process.ts";

const common = {
  config: configArg(),
  exchanges: { type: "string", description: "exchanges.toml (default: from config.toml)", valueHint: "FILE" },
  generated: GENERATED_ARG,
} as const;

const choose = {
  source: {
    type: "string",
    description: `Source, or several separated by commas to run them in one process (a feed group): ${SOURCE_NAMES.join(", ")}`,
    valueHint: "SOURCE[,SOURCE…]",
    required: false,
  },
  group: { type: "string", description: "Run group N (1, 2, …) of config.toml's [feed] groups in this process", valueHint: "N", required: false },
} as const;

/** "a,b,c" → source ids; UsageError naming the bad or repeated one. */
export function parseSourceList(list: string): number[] {
  const out: number[] = [];
  for (const name of list.split(",").map((x) => x.trim())) {
    let id: number;
    try {
      id = parseSourceName(name);
    } catch (err) {
      throw new UsageError(`--source: ${(err as Error).message}`);
    }
    if (out.includes(id)) throw new UsageError(`--source: ${name} is named twice`);
    out.push(id);
  }
  return out;
}

/** The sources of `[feed] groups` entry `n` (1-based) of a config; UsageError when there is none. */
export function groupSources(config: string, n: string): number[] {
  const i = Number(n);
  const groups = loadAppConfig(config).feed.groups;
  if (!Number.isInteger(i) || i < 1 || i > groups.length) {
    throw new UsageError(`--group ${n}: ${config} [feed] groups has ${groups.length === 0 ? "no groups" : `groups 1..${groups.length}`}`);
  }
  return groups[i - 1]!.map((s) => parseSourceName(s));
}

/** Runs a feed binary. `fixed` = the source of a feed-<source> binary; undefined = take --source or --group. */
export async function feedMain(fixed?: string): Promise<void> {
  const name = fixed ? `feed-${fixed.replace("_", "-")}` : "feed";
  const cmd = defineCommand({
    meta: {
      name,
      description: `WebSocket best bid/ask → Price Store${fixed ? ` for ${fixed}` : ""}. SIGTERM: close sockets, mark Health stopped, exit 0.`,
    },
    args: fixed ? common : { ...choose, ...common },
    run({ args }) {
      const a = args as { source?: string; group?: string; config: string };
      if (a.source && a.group) throw new UsageError("--source and --group exclude each other");
      let sources: number[];
      if (fixed) sources = parseSourceList(fixed);
      else if (a.source) sources = parseSourceList(a.source);
      else if (a.group) sources = groupSources(a.config, a.group);
      else throw new UsageError(`--source or --group is required (sources: ${SOURCE_NAMES.join(", ")})`);
      runFeedProcess({
        sources,
        config: args.config,
        ...(args.exchanges ? { exchanges: args.exchanges } : {}),
        ...(args.generated ? { generated: args.generated } : {}),
      });
    },
  });
  await runBin(cmd);
}
