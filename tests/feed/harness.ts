// Multi-process feed test bed: an in-process simulator on ephemeral ports, a unique shm prefix, a temp config,
// a real pair-discovery run, real feed processes. cleanup() kills children, stops the sim, unlinks the shm and
// removes the temp dir, even when a test failed.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createLogger, loadGeneration, SOURCE_NAMES, type ExchangesConfig, type Generation, type SourceEndpoint, type SourceName } from "@spread/common";
import { killAllLaunched, launch, type Launched } from "@spread/ctl";
import { createAll, HealthRecord, PriceRecord, unlinkAll, type Shm } from "@spread/shm";
import { startSim, type ScenarioInput, type SimHandle } from "@spread/sim";
import { SIM_EXCHANGES } from "../sim/helpers.ts";

/** The CPU the test feeds are pinned to. */
export const PIN_CPU = Math.max(0, navigator.hardwareConcurrency - 1);
export const ROOT = resolve(import.meta.dir, "../..");
const BUN = process.execPath;

type Toml = Record<string, unknown>;
function tomlValue(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(tomlValue).join(", ")}]`;
  return String(v);
}
/** Minimal TOML writer for flat tables of scalars/arrays (all our configs are that shape). */
export function toToml(doc: Record<string, Toml>): string {
  return Object.entries(doc)
    .map(([table, kv]) => `[${table}]\n${Object.entries(kv).map(([k, v]) => `${JSON.stringify(k)} = ${tomlValue(v)}`).join("\n")}\n`)
    .join("\n");
}

export interface FeedBedOptions {
  readonly scenario: ScenarioInput;
  /** Per-source endpoint overrides (test timings). */
  readonly endpoints?: Partial<Record<SourceName, Partial<SourceEndpoint>>>;
  readonly discovery?: Toml;
  /** [feed] keys merged over the bed's defaults (e.g. rest_seed = false). */
  readonly feed?: Toml;
  /** Serve the simulator's control API (POST /episode, …) on an ephemeral port: sim.controlUrl. */
  readonly control?: boolean;
  /** An [engine] table for config.toml. */
  readonly engine?: Toml;
}

export class FeedBed {
  readonly dir = mkdtempSync(join(tmpdir(), "feedbed-"));
  readonly prefix = `t-feed-${process.pid}-${Math.floor(Math.random() * 1e9).toString(36)}`;
  readonly configFile = join(this.dir, "config.toml");
  readonly exchangesFile = join(this.dir, "exchanges.toml");
  readonly generatedDir = join(this.dir, "generated");
  readonly feeds = new Map<number, Launched>();
  readonly others: Launched[] = [];
  sim!: SimHandle;
  shm!: Shm;
  private discoveryExtra: Toml = {};
  private feedExtra: Toml = {};
  private engineExtra: Toml | undefined;

  async start(o: FeedBedOptions): Promise<void> {
    this.sim = await startSim({ scenario: o.scenario, exchanges: SIM_EXCHANGES, ephemeral: true, controlPort: o.control ? 0 : null, logger: createLogger("sim", "silent"), housekeepingMs: 50 });
    const ex = this.sim.exchangesConfig() as ExchangesConfig;
    for (const name of SOURCE_NAMES) Object.assign(ex[name], o.endpoints?.[name] ?? {});
    writeFileSync(this.exchangesFile, toToml(ex as unknown as Record<string, Toml>));
    this.discoveryExtra = o.discovery ?? {};
    this.feedExtra = o.feed ?? {};
    this.engineExtra = o.engine;
    this.writeConfig({});
    this.shm = createAll(this.prefix).shm;
  }

  /** (Re)writes config.toml; `discovery` keys are merged over the bed's defaults. */
  writeConfig(discovery: Toml): void {
    writeFileSync(
      this.configFile,
      toToml({
        paths: { exchanges: this.exchangesFile, directions: join(ROOT, "config/directions.toml"), generated: this.generatedDir, data: join(this.dir, "data") },
        shm: { prefix: this.prefix },
        log: { level: "info" },
        discovery: { min_sources: 8, min_validated_sources: 8, batch_timeout_s: 8, collect_s: 3, idle_s: 1, fetch_timeout_ms: 3000, ...this.discoveryExtra, ...discovery },
        feed: { health_interval_ms: 200, reconnect_base_ms: 50, reconnect_max_ms: 1000, shutdown_grace_ms: 1000, ...this.feedExtra },
        ...(this.engineExtra ? { engine: this.engineExtra } : {}),
        // Exercise the production pinning path (sched_setaffinity on every thread) on the last CPU.
        cpu: { pin: true, feeds: [PIN_CPU] },
      }),
    );
  }

  /** Runs pair-discovery to completion; throws with its output on failure. */
  async discover(extraArgs: string[] = []): Promise<Generation> {
    const p = Bun.spawn([BUN, join(ROOT, "bins/pair-discovery.ts"), "--config", this.configFile, ...extraArgs], {
      stdout: "pipe", stderr: "pipe", env: { ...process.env, SPREAD_SCANNER_SHM_PREFIX: this.prefix },
    });
    const [code, out, err] = await Promise.all([p.exited, new Response(p.stdout).text(), new Response(p.stderr).text()]);
    if (code !== 0) throw new Error(`pair-discovery exited ${code}\n${out.slice(-3000)}\n${err.slice(-3000)}`);
    return loadGeneration(this.generatedDir);
  }

  startFeed(source: number): Launched {
    const l = launch(`feed-${SOURCE_NAMES[source]}`, [BUN, join(ROOT, "bins/feed.ts"), "--source", SOURCE_NAMES[source]!, "--config", this.configFile], {
      env: { SPREAD_SCANNER_SHM_PREFIX: this.prefix },
      logFile: join(this.dir, `feed-${SOURCE_NAMES[source]}.log`),
    });
    this.feeds.set(source, l);
    return l;
  }

  /** One feed process for several sources (`feed --source a,b,c`); its log is feed-group.log in the bed's directory. */
  startGroup(sources: readonly number[], extraArgs: string[] = []): Launched {
    const l = launch("feed-group", [BUN, join(ROOT, "bins/feed.ts"), "--source", sources.map((s) => SOURCE_NAMES[s]).join(","), "--config", this.configFile, ...extraArgs], {
      env: { SPREAD_SCANNER_SHM_PREFIX: this.prefix },
      logFile: join(this.dir, "feed-group.log"),
    });
    this.others.push(l);
    return l;
  }

  /** bins/spread-engine on this bed's config; its log is engine.log in the bed's directory. */
  startEngine(): Launched {
    const l = launch("spread-engine", [BUN, join(ROOT, "bins/spread-engine.ts"), "--config", this.configFile], {
      env: { SPREAD_SCANNER_SHM_PREFIX: this.prefix },
      logFile: join(this.dir, "engine.log"),
    });
    this.others.push(l);
    return l;
  }

  health(source: number): HealthRecord {
    const r = new HealthRecord();
    this.shm.health.read(source, r);
    return r;
  }

  quote(source: number, symbolId: number): PriceRecord {
    const r = new PriceRecord();
    this.shm.prices.read(source, symbolId, r);
    return r;
  }

  async log(source: number): Promise<string> {
    return Bun.file(join(this.dir, `feed-${SOURCE_NAMES[source]}.log`)).text().catch(() => "");
  }

  async cleanup(): Promise<void> {
    await Promise.all([...this.others, ...this.feeds.values()].map((f) => f.stop(2000).catch(() => null)));
    await releaseBed(this.sim, this.prefix, this.dir);
  }
}

export { waitFor } from "../wait.ts";

/** The end of every multi-process bed: kill what is left, stop the simulator, unlink the shm, remove the temp dir. */
export async function releaseBed(sim: SimHandle | null | undefined, prefix: string, dir: string): Promise<void> {
  killAllLaunched();
  await sim?.stop().catch(() => {});
  try {
    unlinkAll(prefix);
  } catch {
    // nothing to unlink
  }
  rmSync(dir, { recursive: true, force: true });
}
