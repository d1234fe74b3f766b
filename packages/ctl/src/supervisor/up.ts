// `spread-ctl up`: the whole system without systemd (containers, dev boxes, the demo). One per shm prefix.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  ConfigError, createLogger, errorMessage, loadAppConfig, loadDirections, loadExchangesConfig, loadSymbolNames, SHM_PREFIX_ENV, SUPERVISOR_PID_ENV, type ExchangesConfig,
} from "@spread/common";
import { ADAPTERS, EXCHANGE_LIMITS } from "@spread/exchanges";
import { GlobalFlag, openAll, unlinkAll, type Shm } from "@spread/shm";
import { liveSlotsOf } from "./live-slots.ts";
import { buildPlan } from "./plan.ts";
import { programLocator } from "./programs.ts";
import { acquireRunState } from "./run-state.ts";
import { StartError, Supervisor, type Backoff, type SupervisorEvent } from "./supervisor.ts";
import { eventLine, LiveView } from "./live-view.ts";

export interface UpOptions {
  readonly config: string;
  /** Start the exchange simulator first (the demo); the config must point at it. */
  readonly sim: boolean;
  readonly view: boolean;
  /** Stop after this many seconds (0 = until Ctrl-C / SIGTERM / spread-ctl down). */
  readonly durationS: number;
  readonly refreshMs: number;
  /** Remove the prefix's shared memory after stopping (the demo). */
  readonly removeShm: boolean;
  /** Recreate mismatching regions (the demo's own prefix). */
  readonly forceShm: boolean;
  /** Start on the existing generated/ without a discovery run. */
  readonly skipDiscovery: boolean;
  /** Run programs from this directory (default: beside a compiled spread-ctl, or bins/ from source). */
  readonly binDir?: string;
  readonly backoff?: Backoff;
}

/** Runs until stopped; resolves with the process exit code. */
export async function runUp(o: UpOptions): Promise<number> {
  const app = loadAppConfig(o.config);
  const prefix = app.shm.prefix;
  const logs = join(app.resolved.data, "logs");
  mkdirSync(logs, { recursive: true });
  const log = createLogger("spread-ctl", app.log.level);
  const alerts = app.alerts.telegram.length + app.alerts.webhook.length > 0;
  const plan = buildPlan(programLocator(o.binDir ? { binDir: o.binDir } : {}), app.file, { ...(o.sim ? { sim: { exchanges: app.resolved.exchanges } } : {}), alerts, feedGroups: app.feed.groups });
  const lock = acquireRunState({
    pid: process.pid, prefix, config: app.file, logs, data: app.resolved.data, generated: app.resolved.generated, startedAt: new Date().toISOString(),
  });
  try {
    refuseIfRunning(prefix);
  } catch (err) {
    lock.release();
    throw err;
  }

  const tty = process.stdout.isTTY === true;
  const events: SupervisorEvent[] = [];
  // The view shows events in its own list; before and after it they print as lines (JSON lines without a view).
  const onEvent = (e: SupervisorEvent) => {
    events.push(e);
    if (events.length > 50) events.splice(0, 25);
    if (!o.view) log[e.level]({ process: e.name }, e.msg);
    else if (!viewing) process.stdout.write(`${eventLine(e)}\n`);
  };
  let viewing = false;
  const sup = new Supervisor(plan, {
    logsDir: logs,
    // Every child learns who supervises it: killed -9, up leaves no orphans (they stop on their next Health tick).
    env: { [SHM_PREFIX_ENV]: prefix, [SUPERVISOR_PID_ENV]: String(process.pid) },
    onEvent,
    ...(o.backoff ? { backoff: o.backoff } : {}),
    discoveryToTerminal: o.view && tty,
  });

  let stopped: Promise<void> | null = null;
  let exitCode = 0;
  const stop = (code: number) => {
    exitCode = Math.max(exitCode, code);
    stopped ??= (async () => {
      viewing = false;
      if (o.view) process.stdout.write("\nstopping…\n");
      await sup.stop();
      if (o.removeShm) unlinkAll(prefix);
      lock.release();
      if (!o.view) log.info({ logs, data: app.resolved.data, shm_removed: o.removeShm }, "stopped");
    })();
    return stopped;
  };
  const onSignal = (sig: string) => {
    log.info({ signal: sig }, "stopping everything in reverse order");
    void stop(0);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  const where = { prefix, config: app.file, logs, tracker_files: app.resolved.data, generated: app.resolved.generated };
  if (o.view) {
    process.stdout.write(`\x1b[1mspread-ctl up\x1b[0m prefix ${prefix}, config ${app.file}\n  logs ${logs}\n  tracker files ${app.resolved.data}\n  generated ${app.resolved.generated}\n`);
    if (plan.missing.length) process.stdout.write(`  not built yet, running without: ${plan.missing.join(", ")}\n`);
  } else {
    log.info({ ...where, programs: plan.services.map((s) => s.name) }, "spread-ctl up");
    if (plan.missing.length) log.warn({ missing: plan.missing }, "not built yet: running without them");
  }

  let shm: Shm;
  try {
    if (plan.sim) {
      if (await simAlreadyServing(loadExchangesConfig(app.resolved.exchanges, EXCHANGE_LIMITS))) {
        onEvent({ at: Date.now(), name: "exchange-sim", level: "info", msg: "a simulator already answers on these addresses: using it" });
      } else {
        await sup.startSim();
      }
    }
    if (stopped) return finish();
    await sup.shmInit();
    shm = openAll(prefix, { allowForeignOwner: app.shm.allow_foreign_owner });
    // An explicit `up` means "run": flags left by `spread-ctl shutdown all` / `pause all` would stop the feeds at once.
    shm.control.setGlobalFlag(GlobalFlag.shutdown, false);
    shm.control.setGlobalFlag(GlobalFlag.pause, false);
    const haveGenerated = existsSync(join(app.resolved.generated, "directions.bin"));
    if (!(o.skipDiscovery && haveGenerated)) {
      const code = await sup.discover();
      if (stopped) return finish();
      if (code !== 0) {
        if (!haveGenerated) throw new StartError(`pair-discovery failed (exit ${code}) and there is no previous generated/ to run on; see ${join(logs, "pair-discovery.log")}${lastLine(join(logs, "pair-discovery.log"))}`, code === 2 ? 2 : 1);
        onEvent({ at: Date.now(), name: "pair-discovery", level: "warn", msg: "failed: running on the previous generated/" });
      }
    }
    await sup.startServices(shm);
  } catch (err) {
    if (!stopped) {
      log.error({ err: errorMessage(err) }, "start failed");
      process.stderr.write(`spread-ctl up: ${errorMessage(err)}\n`);
      await stop(err instanceof StartError ? err.code : err instanceof ConfigError ? 2 : 1);
    }
    return finish();
  }

  const view = o.view ? new LiveView({ shm, dirs: loadDirections(app.resolved.generated), names: loadSymbolNames(app.resolved.generated), logs, data: app.resolved.data, prefix, engine: app.engine }, tty) : null;
  viewing = view !== null;
  const started = Date.now();
  while (!stopped) {
    await Promise.race([Bun.sleep(o.refreshMs), stopped ?? new Promise(() => {})]);
    if (stopped) break;
    if (view) {
      if (plan.services.some((x) => x.name === "spread-tracker")) await view.refreshTracks();
      const text = view.render(sup.status(), events);
      process.stdout.write(tty ? `\x1b[2J\x1b[H${text}\n` : `${text}\n\n`);
    }
    if (o.durationS > 0 && Date.now() - started >= o.durationS * 1000) {
      const failed = sup.status().filter((s) => s.state === "failed");
      await stop(failed.length ? 1 : 0);
    }
  }
  return finish();

  async function finish(): Promise<number> {
    await stopped;
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    if (o.view) process.stdout.write(`stopped; logs in ${logs}, tracker files in ${app.resolved.data}${o.removeShm ? `, shared memory "${prefix}" removed` : ""}\n`);
    return exitCode;
  }
}

/** A prefix whose Health shows live processes belongs to a running system (systemd or another up). */
function refuseIfRunning(prefix: string): void {
  const live = liveSlotsOf(prefix);
  if (live.length) {
    throw new ConfigError(`prefix "${prefix}" is in use: live processes ${live.map((l) => `slot ${l.slot} pid ${l.pid}`).join(", ")} (systemd? \`systemctl stop spread-scanner.target\`)`);
  }
}

/** True when something already serves the simulator's Binance REST endpoint (a sim left running). */
/** Something already answers the first source's instrument list at the configured address (a running simulator). */
async function simAlreadyServing(exchanges: ExchangesConfig): Promise<boolean> {
  const a = ADAPTERS[0]!;
  try {
    const r = await fetch(a.instrumentsUrl(exchanges[a.name].rest_url, null), { signal: AbortSignal.timeout(1500) });
    return r.ok;
  } catch {
    return false;
  }
}

/** ": <last line of a log>" for an error message ("" when there is none). */
function lastLine(file: string): string {
  try {
    const line = readFileSync(file, "utf8").trimEnd().split("\n").pop();
    return line ? `: ${line.slice(0, 500)}` : "";
  } catch {
    return "";
  }
}
