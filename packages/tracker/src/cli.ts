// bins/spread-tracker.ts: the citty command.
import { defineCommand } from "citty";
import { configArg, DATA_ARG, GENERATED_ARG, runBin } from "@spread/common";
import { runTracker } from "./runtime.ts";

export async function trackerMain(): Promise<void> {
  const cmd = defineCommand({
    meta: {
      name: "spread-tracker",
      description: "Event Bus signals + Price Store → one 200 ms row per open tracking into CSV files under [paths] data. SIGTERM: flush, exit 0; open trackings resume on the next start.",
    },
    args: {
      config: configArg(),
      generated: GENERATED_ARG,
      data: DATA_ARG,
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
