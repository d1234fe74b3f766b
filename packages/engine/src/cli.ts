// bins/spread-engine.ts: the citty command.
import { defineCommand } from "citty";
import { configArg, GENERATED_ARG, runBin } from "@spread/common";
import { runEngine } from "./runtime.ts";

export async function engineMain(): Promise<void> {
  const cmd = defineCommand({
    meta: {
      name: "spread-engine",
      description: "Price Store changes → spreads over the 12 directions → signals on the Event Bus. SIGTERM: stop the loop, mark Health stopped, exit 0.",
    },
    args: {
      config: configArg(),
      generated: GENERATED_ARG,
      prefix: { type: "string", description: "shared-memory prefix (default: [shm].prefix or SPREAD_SCANNER_SHM_PREFIX)", valueHint: "PREFIX" },
    },
    run({ args }) {
      runEngine({ config: args.config, ...(args.generated ? { generated: args.generated } : {}), ...(args.prefix ? { prefix: args.prefix } : {}) });
    },
  });
  await runBin(cmd);
}
