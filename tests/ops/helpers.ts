// Test bed for the operations tests: a small simulator universe on ephemeral ports, a temp dir with config.toml
// and exchanges.toml, an isolated shm prefix and run dir, spread-ctl children; cleanup() kills every child, stops
// the sim, unlinks the shm and removes the temp dir, even when a test failed.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createLogger, NUM_HEALTH_SLOTS, type ExchangesConfig } from "@spread/common";
import { launch, type Launched } from "@spread/ctl";
import { HealthRecord, openAll, type Shm } from "@spread/shm";
import { startSim, type SimHandle } from "@spread/sim";
import { releaseBed, toToml } from "../feed/harness.ts";
import { SIM_EXCHANGES } from "../sim/helpers.ts";

export const ROOT = resolve(import.meta.dir, "../..");
export const BUN = process.execPath;

/** Fast discovery against the small universe (a few seconds instead of a minute). */
export const FAST_DISCOVERY = { min_sources: 8, min_validated_sources: 6, batch_timeout_s: 15, collect_s: 3, idle_s: 1, fetch_timeout_ms: 3000, connect_interval_ms: 0 };

export class OpsBed {
  readonly dir = mkdtempSync(join(tmpdir(), "opsbed-"));
  readonly prefix = `t-ops-${process.pid}-${Math.floor(Math.random() * 1e9).toString(36)}`;
  readonly configFile = join(this.dir, "etc", "config.toml");
  readonly exchangesFile = join(this.dir, "etc", "exchanges.toml");
  readonly dataDir = join(this.dir, "data");
  readonly generatedDir = join(this.dir, "data", "generated");
  readonly runDir = join(this.dir, "run");
  readonly children: Launched[] = [];
  sim: SimHandle | null = null;
  private shmHandle: Shm | null = null;

  /** Environment for spread-ctl children: isolated run dir, no inherited SPREAD_SCANNER_* settings. */
  env(extra: Record<string, string> = {}): Record<string, string | undefined> {
    return { SPREAD_SCANNER_RUN_DIR: this.runDir, SPREAD_SCANNER_CONFIG: undefined, SPREAD_SCANNER_SHM_PREFIX: undefined, ...extra };
  }

  /**
   * Starts the in-process simulator (small universe) and writes the configs pointing at it. `control` opens its
   * control API (POST /episode, /fault) on an ephemeral port; `rate` and `sections` (e.g. [engine], [tracker])
   * go into the scenario and config.toml.
   */
  async startSim(opts: { control?: boolean; rate?: Record<string, unknown>; sections?: Record<string, Record<string, unknown>> } = {}): Promise<void> {
    this.sim = await startSim({
      exchanges: SIM_EXCHANGES,
      ephemeral: true,
      controlPort: opts.control ? 0 : null,
      logger: createLogger("sim", "silent"),
      scenario: { sim: { seed: 11 }, universe: { scale: 0.05, quiet_fraction: 0, anomalies_per_source: 0 }, rate: { total: 3000, ...opts.rate }, episodes: [] },
    });
    this.writeConfigs(this.sim.exchangesConfig() as ExchangesConfig, {}, opts.sections);
  }

  /** `sections` are tables of config.toml; a [feed] among them is merged over the bed's feed timings. */
  writeConfigs(exchanges: ExchangesConfig | null, discovery: Record<string, unknown> = {}, sections: Record<string, Record<string, unknown>> = {}): void {
    const { feed, ...others } = sections;
    mkdirSync(join(this.dir, "etc"), { recursive: true });
    copyFileSync(join(ROOT, "config", "directions.toml"), join(this.dir, "etc", "directions.toml"));
    if (exchanges) writeFileSync(this.exchangesFile, toToml(exchanges as unknown as Record<string, Record<string, unknown>>));
    writeFileSync(
      this.configFile,
      toToml({
        paths: { exchanges: "exchanges.toml", generated: this.generatedDir, data: this.dataDir },
        shm: { prefix: this.prefix },
        discovery: { ...FAST_DISCOVERY, ...discovery },
        feed: { health_interval_ms: 200, reconnect_base_ms: 50, reconnect_max_ms: 1000, shutdown_grace_ms: 1000, ...feed },
        // spread-web on any free port: a dashboard already on 8787 (a demo) must not fail the bed.
        web: { port: 0 },
        ...others,
      }),
    );
  }

  /** `spread-ctl <args>` from source, as a tracked child. */
  ctl(args: string[], opts: { env?: Record<string, string>; cwd?: string; argv0?: string[] } = {}): Launched {
    const l = launch(`spread-ctl ${args[0]}`, [...(opts.argv0 ?? [BUN, join(ROOT, "bins/spread-ctl.ts")]), ...args], { env: this.env(opts.env), cwd: opts.cwd ?? this.dir });
    this.children.push(l);
    return l;
  }

  /** Runs spread-ctl to completion (bounded); returns exit code and output. */
  async ctlRun(args: string[], timeoutMs = 30_000, opts: { env?: Record<string, string>; cwd?: string; argv0?: string[] } = {}): Promise<{ code: number | null; out: string }> {
    const l = this.ctl(args, opts);
    const t = setTimeout(() => l.proc.kill("SIGKILL"), timeoutMs);
    const code = await l.proc.exited;
    clearTimeout(t);
    await Bun.sleep(20); // a settle window: launch() exposes no end-of-pipe promise to await for the last lines
    return { code, out: l.lines.join("\n") };
  }

  get shm(): Shm {
    this.shmHandle ??= openAll(this.prefix);
    return this.shmHandle;
  }

  health(slot: number): HealthRecord {
    const r = new HealthRecord();
    this.shm.health.read(slot, r);
    return r;
  }

  /** pids of every Health slot (0 = none). */
  pids(): number[] {
    return Array.from({ length: NUM_HEALTH_SLOTS }, (_, s) => this.health(s).pid);
  }

  async cleanup(): Promise<void> {
    for (const c of this.children) c.proc.kill("SIGTERM");
    await Promise.race([Promise.all(this.children.map((c) => c.proc.exited)), Bun.sleep(8000)]);
    // Anything a killed supervisor left behind (its children are in the Health slots).
    try {
      for (const pid of this.pids()) if (pid > 0 && ownedBy(pid, this.dir)) process.kill(pid, "SIGKILL");
    } catch {
      // no shm
    }
    await releaseBed(this.sim, this.prefix, this.dir);
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** True when `pid` runs with an argument under `dir` (one of this bed's processes, not a reused pid). */
function ownedBy(pid: number, dir: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(dir);
  } catch {
    return false;
  }
}
