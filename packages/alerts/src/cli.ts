// bins/spread-alerts.ts: the citty command.
import { defineCommand } from "citty";
import { configArg, DATA_ARG, GENERATED_ARG, runBin } from "@spread/common";
import { runAlerts } from "./runtime.ts";

export async function alertsMain(): Promise<void> {
  const cmd = defineCommand({
    meta: {
      name: "spread-alerts",
      description: "Tracker files + Health → Telegram / webhook alerts for opened and closed spreads and system problems ([alerts] of config.toml; secrets from the environment or a file). SIGTERM: exit 0.",
    },
    args: {
      config: configArg(),
      data: DATA_ARG,
      generated: GENERATED_ARG,
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
