// bins/spread-tracker.ts: the citty command.
import { defineCommand } from "citty";
import { CONFIG_HELP, defaultConfigPath, runBin } from "@spread/common";
import { runTracker } from "./runtime.ts";

export async function trackerMain(): Promise<void> {
  const cmd = defineCommand({
    meta: {
      name: "spread-tracker",
      description: "Event Bus signals + Price Store → one 200 ms row per open tracking into CSV files under [paths] data. SIGTERM: flush, exit 0; open trackings resume on the next start.",
    },
    args: {
      config: { type: "string", description: CONFIG_HELP, default: defaultConfigPath(), valueHint: "FILE" },
      generated: { type: "string", description: "generated/ directory (default: from config.toml)", valueHint: "DIR" },
      data: { type: "string", description: "data directory (default: [paths] data of config.toml)", valueHint: "DIR" },
    },
    async run({ args }) {
      await runTracker({
        config: args.config,
        ...(args.generated ? { generated: args.generated } : {}),
        ...(args.data ? { data: args.data } : {}),
      });
    },
  });
  await runBin(cmd);
}
