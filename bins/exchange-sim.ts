#!/usr/bin/env bun
// exchange-sim: the 8-source exchange simulator (REST + WebSocket per source, control endpoint) for the demo,
// end-to-end tests and benchmarks. Prints one JSON line with msg "ready" once every endpoint listens.
import { writeFileSync } from "node:fs";
import { defineCommand } from "citty";
import { createLogger, errorMessage, exchangesConfigFrom, parseTomlText, readEnvOverrides, runBin, UsageError, watchSupervisor } from "@spread/common";
import { EXCHANGE_LIMITS } from "@spread/exchanges";
import { readyLine, startSim, type SimHandle } from "@spread/sim";
// Embedded so a compiled exchange-sim runs without the repository beside it.
import simExchangesText from "../config/exchanges.sim.toml" with { type: "text" };

const SIM_EXCHANGES_NAME = "config/exchanges.sim.toml";

function intArg(name: string, v: string | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer >= ${min}, got "${v}"`);
  return n;
}

const main = defineCommand({
  meta: { name: "exchange-sim", description: "Simulated Binance/Bybit/MEXC/OKX spot+futures REST and WebSocket endpoints on 127.0.0.1" },
  args: {
    exchanges: { type: "string", description: "Exchanges TOML whose rest_url/ws_url ports to listen on (default config/exchanges.sim.toml)", valueHint: "FILE" },
    "control-port": { type: "string", description: "Control endpoint port (default 19000; 0 = ephemeral)", valueHint: "PORT" },
    scenario: { type: "string", description: "Scenario TOML (default: the built-in packages/sim/scenarios/default.toml)", valueHint: "FILE" },
    seed: { type: "string", description: "Seed (same seed → same universe, instrument lists and price paths); overrides the scenario's", valueHint: "N" },
    rate: { type: "string", description: "Total updates per second over all sources; overrides the scenario's", valueHint: "N" },
    ephemeral: { type: "boolean", description: "Listen on ephemeral ports (tests); the ready line lists them", default: false },
    "exchanges-out": { type: "string", description: "Write an exchanges TOML pointing at the listening addresses to FILE", valueHint: "FILE" },
  },
  async run({ args }) {
    const log = createLogger("exchange-sim");
    const seed = intArg("seed", args.seed, -2147483648);
    const rate = intArg("rate", args.rate, 0);
    const controlPort = intArg("control-port", args["control-port"], 0);
    let sim: SimHandle;
    try {
      sim = await startSim({
        ...(args.scenario ? { scenario: args.scenario } : {}),
        exchanges: args.exchanges ?? exchangesConfigFrom(SIM_EXCHANGES_NAME, parseTomlText(SIM_EXCHANGES_NAME, simExchangesText as string), EXCHANGE_LIMITS),
        ...(seed !== undefined ? { seed } : {}),
        ...(rate !== undefined ? { rate } : {}),
        ...(controlPort !== undefined ? { controlPort } : {}),
        ephemeral: args.ephemeral,
        logger: log,
      });
    } catch (err) {
      if ((err as { name?: string }).name === "ConfigError") throw err;
      throw new Error(`cannot start: ${errorMessage(err)}`);
    }
    if (args["exchanges-out"]) writeFileSync(args["exchanges-out"], sim.exchangesToml());
    let stopping = false;
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, "stopping");
      const force = setTimeout(() => process.exit(0), 3000);
      await sim.stop().catch(() => {});
      clearTimeout(force);
      process.exit(0);
    };
    process.on("SIGTERM", () => void shutdown("SIGTERM"));
    process.on("SIGINT", () => void shutdown("SIGINT"));
    // The demo's simulator (started by spread-ctl up) has no Health tick to hang the supervisor check on.
    if (readEnvOverrides().supervisorPid !== undefined) setInterval(watchSupervisor(log), 1000).unref();
    process.stdout.write(readyLine(sim) + "\n");
  },
});

await runBin(main);
