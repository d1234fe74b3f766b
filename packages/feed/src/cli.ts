// The citty command shared by bins/feed.ts (--source) and the eight bins/feed-<source>.ts (fixed source).
import { defineCommand } from "citty";
import { CONFIG_HELP, defaultConfigPath, parseSourceName, runBin, SOURCE_NAMES, UsageError } from "@spread/common";
import { runFeed } from "./runtime.ts";

const common = {
  config: { type: "string", description: CONFIG_HELP, default: defaultConfigPath(), valueHint: "FILE" },
  exchanges: { type: "string", description: "exchanges.toml (default: from config.toml)", valueHint: "FILE" },
  generated: { type: "string", description: "generated/ directory (default: from config.toml)", valueHint: "DIR" },
} as const;

/** Runs a feed binary. `fixed` = the source of a feed-<source> binary; undefined = take --source. */
export async function feedMain(fixed?: string): Promise<void> {
  const name = fixed ? `feed-${fixed.replace("_", "-")}` : "feed";
  const cmd = defineCommand({
    meta: {
      name,
      description: `WebSocket best bid/ask → Price Store${fixed ? ` for ${fixed}` : ""}. SIGTERM: close sockets, mark Health stopped, exit 0.`,
    },
    args: fixed ? common : { source: { type: "string", description: `Source: ${SOURCE_NAMES.join(", ")}`, valueHint: "SOURCE", required: false }, ...common },
    run({ args }) {
      const src = fixed ?? (args as { source?: string }).source;
      if (!src) throw new UsageError(`--source is required (one of ${SOURCE_NAMES.join(", ")})`);
      let source: number;
      try {
        source = parseSourceName(src);
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
      runFeed({
        source,
        config: args.config,
        ...(args.exchanges ? { exchanges: args.exchanges } : {}),
        ...(args.generated ? { generated: args.generated } : {}),
      });
    },
  });
  await runBin(cmd);
}
