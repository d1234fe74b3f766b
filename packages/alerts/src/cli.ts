// bins/spread-alerts.ts: the citty command.
import { defineCommand } from "citty";
import { CONFIG_HELP, defaultConfigPath, runBin } from "@spread/common";
import { runAlerts } from "./runtime.ts";

export async function alertsMain(): Promise<void> {
  const cmd = defineCommand({
    meta: {
      name: "spread-alerts",
      description: "Tracker files + Health → Telegram / webhook alerts for opened and closed spreads and system problems ([alerts] of config.toml; secrets from the environment or a file). SIGTERM: exit 0.",
    },
    args: {
      config: { type: "string", description: CONFIG_HELP, default: defaultConfigPath(), valueHint: "FILE" },
      data: { type: "string", description: "tracker data directory (default: [paths] data of config.toml)", valueHint: "DIR" },
      generated: { type: "string", description: "generated/ directory (default: from config.toml)", valueHint: "DIR" },
    },
    run({ args }) {
      runAlerts({
        config: args.config,
        ...(args.data ? { data: args.data } : {}),
        ...(args.generated ? { generated: args.generated } : {}),
      });
    },
  });
  await runBin(cmd);
}
