// The demo (README's first command): the whole system against the exchange simulator, on its own shm prefix
// and data directory, with a live view of the feeds' Health and the widest spreads. Ctrl-C stops everything.
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { createLogger, loadAppConfig, loadExchangesConfig, loadDirections, loadSymbolNames, SOURCE_NAMES, wallMicros } from "@spread/common";
import { openAll, unlinkAll } from "@spread/shm";
import { renderHealthTable, newRateMemo } from "./health-table.ts";
import { killAllLaunched, launch, type Launched } from "./launch.ts";
import { renderTop, topSpreads } from "./top.ts";

export interface DemoOptions {
  readonly root: string;
  readonly config: string;
  /** Stop after this many seconds (0 = until Ctrl-C). */
  readonly durationS: number;
  readonly refreshMs: number;
  readonly keepShm: boolean;
}

export async function runDemo(o: DemoOptions): Promise<number> {
  const log = createLogger("demo");
  const app = loadAppConfig(o.config);
  const prefix = app.shm.prefix;
  const logs = join(app.resolved.data, "logs");
  mkdirSync(logs, { recursive: true });
  const bin = (name: string) => resolve(o.root, "bins", `${name}.ts`);
  const bun = process.execPath;
  const env = { SPREAD_SCANNER_SHM_PREFIX: prefix };
  const children: Launched[] = [];
  let stopping = false;

  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write("\nstopping…\n");
    await Promise.all(children.filter((c) => c.name.startsWith("feed")).map((c) => c.stop(3000)));
    await Promise.all(children.map((c) => c.stop(3000)));
    killAllLaunched();
    if (!o.keepShm) unlinkAll(prefix);
    process.stdout.write(`demo stopped; logs in ${logs}\n`);
    process.exit(code);
  };
  process.on("SIGINT", () => void stopAll(0));
  process.on("SIGTERM", () => void stopAll(0));

  const step = (s: string) => process.stdout.write(`\x1b[1m▶ ${s}\x1b[0m\n`);
  try {
    step("exchange simulator (all 8 venues on 127.0.0.1, see config/exchanges.sim.toml)");
    if (await simAlreadyServing(loadExchangesConfig(app.resolved.exchanges).binance_spot.rest_url)) {
      process.stdout.write("  a simulator already answers on these addresses: using it\n");
    } else {
      const sim = launch("exchange-sim", [bun, bin("exchange-sim"), "--exchanges", app.resolved.exchanges], { logFile: join(logs, "exchange-sim.log") });
      children.push(sim);
      await waitForReady(sim, join(logs, "exchange-sim.log"));
    }

    step(`shared memory, prefix "${prefix}"`);
    const init = launch("shm-init", [bun, bin("shm-init"), "--config", o.config, "--force"], { env });
    await init.proc.exited;
    process.stdout.write(init.lines.join("\n") + "\n");
    if (init.proc.exitCode !== 0) throw new Error(`shm-init failed (exit ${init.proc.exitCode})`);

    step("pair discovery: REST → normalize → registry → 12 directions → WS validation → generated/");
    const disc = Bun.spawn([bun, bin("pair-discovery"), "--config", o.config], { stdout: "inherit", stderr: "inherit", env: { ...process.env, ...env } });
    if ((await disc.exited) !== 0) throw new Error(`pair-discovery failed (exit ${disc.exitCode})`);

    step("8 feeds → Price Store → Bitmap → wake-up");
    for (const s of SOURCE_NAMES) {
      children.push(launch(`feed-${s}`, [bun, bin("feed"), "--source", s, "--config", o.config], { env, logFile: join(logs, `feed-${s}.log`) }));
    }
  } catch (err) {
    log.error({ err: (err as Error).message }, "demo failed to start");
    process.stderr.write(`demo: ${(err as Error).message}\n`);
    await stopAll(1);
    return 1;
  }

  const shm = openAll(prefix);
  const dirs = loadDirections(app.resolved.generated);
  const names = loadSymbolNames(app.resolved.generated);
  const memo = newRateMemo();
  const started = Date.now();
  const tty = process.stdout.isTTY;
  for (;;) {
    await Bun.sleep(o.refreshMs);
    if (stopping) return 0;
    const dead = children.filter((c) => c.name.startsWith("feed") && c.proc.exitCode !== null);
    const view = [
      `spread-scanner demo — ${new Date().toISOString()} — up ${Math.round((Date.now() - started) / 1000)} s — Ctrl-C to stop`,
      "",
      renderHealthTable(shm, memo),
      "",
      renderTop(topSpreads(shm, dirs, names, { limit: tty ? 15 : 5, staleMs: 10000, nowWallUs: wallMicros() })),
      dead.length ? `\nEXITED: ${dead.map((d) => `${d.name} (${d.proc.exitCode})`).join(", ")} — see ${logs}` : "",
    ].join("\n");
    process.stdout.write(tty ? `\x1b[2J\x1b[H${view}\n` : `${view}\n\n`);
    if (o.durationS > 0 && Date.now() - started >= o.durationS * 1000) {
      await stopAll(dead.length ? 1 : 0);
      return 0;
    }
  }
}

/** True when something already serves the simulator's Binance REST endpoint (a sim left running). */
async function simAlreadyServing(restUrl: string): Promise<boolean> {
  try {
    const r = await fetch(`${restUrl}/api/v3/exchangeInfo`, { signal: AbortSignal.timeout(1500) });
    return r.ok;
  } catch {
    return false;
  }
}

/** The sim prints "ready" once every endpoint listens; its stdout goes to a log file here. */
async function waitForReady(sim: Launched, logFile: string): Promise<void> {
  const deadline = Date.now() + 30000;
  while (Date.now() < deadline) {
    if (sim.proc.exitCode !== null) throw new Error(`exchange-sim exited with ${sim.proc.exitCode}; see ${logFile}`);
    const text = await Bun.file(logFile).text().catch(() => "");
    if (/ready/.test(text)) return;
    await Bun.sleep(100);
  }
  throw new Error(`exchange-sim did not print "ready" within 30 s; see ${logFile}`);
}
