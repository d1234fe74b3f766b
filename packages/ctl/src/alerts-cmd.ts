// spread-ctl alerts test: one test message to every configured alert target, a line per result. (One level of
// subcommands is what runBin checks, so the action is a positional word.)
import { defineCommand } from "citty";
import { UsageError, loadAppConfig } from "@spread/common";
import { renderTestResults, sendTestMessages } from "@spread/alerts";
import { ctlConfigArgs, ctlTarget } from "./supervisor/commands.ts";

export const alertsCommand = defineCommand({
  meta: {
    name: "alerts",
    description: "Alert channels of spread-alerts ([alerts] in config.toml). `alerts test`: send a test message to every channel (each Telegram chat, each webhook) and report each result; exit 0 all delivered, 1 any failed, 2 config / secret error",
  },
  args: {
    action: { type: "positional", description: "test", required: true, valueHint: "ACTION" },
    config: ctlConfigArgs.config,
  },
  async run({ args }) {
    if (args.action !== "test") throw new UsageError(`unknown alerts action "${args.action}" (one of: test)`);
    const app = loadAppConfig(ctlTarget(args).config);
    const results = await sendTestMessages(app.alerts);
    process.stdout.write(renderTestResults(results) + "\n");
    if (results.length === 0 || results.some((r) => !r.result.ok)) process.exit(1);
  },
});
