// `pair-discovery` command line: options → DiscoveryOptions, TTY progress or pino logs, exit codes
// (0 written, 1 run failed and generated/ untouched, 2 usage/config error with one line).
import { defineCommand } from "citty";
import {
  configArg, createLogger, defaultConfigPath, errorMessage, loadAppConfig, loadDirectionsConfig, type LoadedAppConfig, loadExchangesConfig, parseSourceName, requireConfigFiles, SOURCE_NAMES, UsageError, watchSupervisor,
} from "@spread/common";
import { EXCHANGE_LIMITS } from "@spread/exchanges";
import type { VenueAdapter } from "@spread/exchanges";
import { settleInterruptedWrite, type WriteHooks } from "./atomic.ts";
import { LogProgress, TtyProgress, type ProgressSink } from "./progress.ts";
import { runDiscovery, type DiscoveryOptions } from "./pipeline.ts";
import { guardDiscovery } from "./single-instance.ts";
import { parseRules } from "./rules.ts";

/** Test hook: SPREAD_DISCOVERY_TEST_PAUSE=write|install pauses the writer mid-write (prints "PAUSED <phase>"). */
export const PAUSE_ENV = "SPREAD_DISCOVERY_TEST_PAUSE";
export const PAUSE_MS_ENV = "SPREAD_DISCOVERY_TEST_PAUSE_MS";

export const pairDiscoveryArgs = {
  config: configArg(),
  exchanges: { type: "string", description: "exchanges.toml (default: [paths] exchanges of config.toml)", valueHint: "FILE" },
  output: { type: "string", description: "output directory (default: [paths] generated of config.toml)", valueHint: "DIR" },
  offline: { type: "string", description: "read saved REST responses <source>.json or <source>.1.json, .2.json… from DIR; a source without a file fails; skips WS validation unless --validate", valueHint: "DIR" },
  validate: { type: "boolean", description: "with --offline: still run the WS validation" },
  "skip-validation": { type: "boolean", description: "no WS validation: every normalized pair is listed" },
  "min-sources": { type: "string", description: "REST sources that must succeed (default [discovery] min_sources, 6; capped at the number of --sources)", valueHint: "N" },
  sources: { type: "string", description: `only these sources, comma-separated (${SOURCE_NAMES.join(",")})`, valueHint: "a,b,…" },
} as const;

export interface ParsedCli {
  readonly cfg: LoadedAppConfig;
  readonly options: Omit<DiscoveryOptions, "adapters" | "progress">;
}

/** Turns parsed arguments into run options; usage and config problems throw ConfigError/UsageError (exit 2). */
export function resolveCli(args: Record<string, unknown>, env: Record<string, string | undefined> = process.env): ParsedCli {
  const str = (k: string) => (typeof args[k] === "string" ? (args[k] as string) : undefined);
  const cfg = loadAppConfig(str("config") ?? defaultConfigPath());
  requireConfigFiles(cfg, str("exchanges") === undefined ? ["exchanges", "directions"] : ["directions"]);
  loadDirectionsConfig(cfg.resolved.directions); // the direction lists written to generated/ follow it
  const exchanges = loadExchangesConfig(str("exchanges") ?? cfg.resolved.exchanges, EXCHANGE_LIMITS);
  parseRules(cfg.discovery.aliases, cfg.discovery.deny, cfg.file);
  let minSources = cfg.discovery.min_sources;
  const ms = str("min-sources");
  if (ms !== undefined) {
    if (!/^\d+$/.test(ms) || Number(ms) < 1 || Number(ms) > 8) throw new UsageError(`--min-sources: "${ms}" must be a whole number 1..8`);
    minSources = Number(ms);
  }
  let sources = SOURCE_NAMES.map((_, i) => i);
  const sl = str("sources");
  if (sl !== undefined) {
    const names = sl.split(",").map((x) => x.trim()).filter(Boolean);
    if (names.length === 0) throw new UsageError(`--sources: empty list; expected names from ${SOURCE_NAMES.join(", ")}`);
    try {
      sources = [...new Set(names.map(parseSourceName))].sort((a, b) => a - b);
    } catch (err) {
      throw new UsageError(`--sources: ${errorMessage(err)}`);
    }
  }
  const offlineDir = str("offline") ?? null;
  if (args.validate === true && args["skip-validation"] === true) throw new UsageError("--validate and --skip-validation exclude each other");
  let validate = cfg.discovery.validate;
  let skipReason: string | null = validate ? null : `${cfg.file}: discovery.validate = false`;
  if (args["skip-validation"] === true) [validate, skipReason] = [false, "--skip-validation"];
  else if (offlineDir !== null && args.validate !== true) [validate, skipReason] = [false, "--offline without --validate"];
  else if (args.validate === true) [validate, skipReason] = [true, null];
  const pause = env[PAUSE_ENV];
  const writeHooks: WriteHooks = pause === "write" || pause === "install"
    ? {
        pause: async (phase) => {
          if (phase !== pause) return;
          process.stderr.write(`PAUSED ${phase} pid ${process.pid}\n`);
          await Bun.sleep(Number(env[PAUSE_MS_ENV] ?? 60_000));
        },
      }
    : {};
  return {
    cfg,
    options: {
      discovery: cfg.discovery,
      exchanges,
      outputDir: str("output") ?? cfg.resolved.generated,
      offlineDir,
      validate,
      skipReason,
      minSources,
      sources,
      shmPrefix: cfg.shm.prefix,
      writeHooks,
    },
  };
}

/** The citty command; `adapters` is injected so tests and the bin share everything else. */
export function pairDiscoveryCommand(adapters: readonly VenueAdapter[], tty: boolean = process.stdout.isTTY === true) {
  return defineCommand({
    meta: {
      name: "pair-discovery",
      description: "Fetch the 8 instrument lists, normalize, WS-validate and write generated/ atomically (A.3). Exit 0 written, 1 failed (generated/ untouched), 2 usage/config error.",
    },
    args: pairDiscoveryArgs,
    async run({ args }) {
      const { cfg, options } = resolveCli(args as Record<string, unknown>);
      // Before any request: a second run on the same prefix refuses (exit 4) naming the pid of the first.
      const log = createLogger("pair-discovery", cfg.log.level);
      // A run spread-ctl up started ends like on SIGTERM once up is gone (kill -9), not half-supervised.
      const guard = guardDiscovery(cfg.shm.prefix, cfg.shm.allow_foreign_owner, watchSupervisor(log));
      let ok = false;
      const progress: ProgressSink = tty ? new TtyProgress(process.stdout, options.sources) : new LogProgress(log);
      // A signal ends the run cleanly: the discovery slot is marked stopped, not left "running" for a dead pid.
      const stop = stopOnSignal(progress, log, () => guard.finish(true));
      try {
        const r = await runDiscovery({ ...options, adapters, progress });
        ok = true;
        progress.finish(true, r.table, {
          generation: r.generation,
          symbols: r.summary.registry.symbols.length,
          directions: r.summary.directions.map((d) => d.length),
          duration_ms: Math.round(r.summary.durationMs),
          output: options.outputDir,
          reload: r.reload,
        });
      } catch (err) {
        progress.finish(false, null, { error: errorMessage(err) });
        throw err;
      } finally {
        stop.dispose();
        progress.close();
        guard.finish(ok);
      }
    },
  });
}

/**
 * SIGTERM (systemd stop) and SIGINT end a run early: generated/ is settled (the old set, or the new one if it
 * was already committed; never half of each), then the process exits 0 on SIGTERM as every binary does, 130 on
 * SIGINT. Nothing else needs undoing: fetches and validation sockets hold no state outside this process.
 */
function stopOnSignal(progress: ProgressSink, log: ReturnType<typeof createLogger>, onStop: () => void): { dispose: () => void } {
  let stopping = false;
  const handler = (sig: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    void settleInterruptedWrite()
      .then((settled) => {
        log.warn({ signal: sig, generated: settled ?? "no write in progress" }, "stopped by signal; generated/ left consistent");
      })
      .catch((err) => log.error({ signal: sig, err: errorMessage(err) }, "stopped by signal; settling generated/ failed (the next run rolls it forward)"))
      .finally(() => {
        progress.close();
        onStop();
        process.exit(sig === "SIGTERM" ? 0 : 130);
      });
  };
  process.on("SIGTERM", handler);
  process.on("SIGINT", handler);
  return {
    dispose: () => {
      process.off("SIGTERM", handler);
      process.off("SIGINT", handler);
    },
  };
}
