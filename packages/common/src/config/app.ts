// config/config.toml: system parameters. Defaults here are the documented defaults in config/config.toml.
// Every number has an upper bound (bounds.ts); settings that depend on each other are checked together and the
// error names the key to change.
import { existsSync, statSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { z } from "zod";
import { ConfigError } from "../errors.ts";
import { SOURCE_NAMES, type SourceName } from "../ids.ts";
import { LOG_LEVELS } from "../log.ts";
import { CPU_MAX, count, ms, seconds } from "./bounds.ts";
import { formatZodIssues, loadTomlWith } from "./load.ts";
import { AlertsSchema } from "./alerts.ts";
import { CONFIG_ENV, INSTALLED_CONFIG } from "../paths.ts";

const cpuList = z.array(count(0, CPU_MAX)).max(CPU_MAX + 1).default([]);
const pct = (max: number) => z.number().positive().max(max);

/** Adds a cross-field problem at `path` (the key the operator should change). */
function problem(ctx: z.RefinementCtx, path: (string | number)[], message: string): void {
  ctx.addIssue({ code: "custom", path, message });
}

export const PathsSchema = z.strictObject({
  exchanges: z.string().min(1).default("exchanges.toml"),
  directions: z.string().min(1).default("directions.toml"),
  generated: z.string().min(1).default("../generated"),
  data: z.string().min(1).default("../data"),
});

export const ShmSchema = z.strictObject({
  prefix: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, "must be 1-64 characters of A-Z a-z 0-9 _ . - (no slash)")
    .default("spread-scanner"),
  // Control can stop the whole system: no mode that lets every local user write it, none that locks out its owner.
  mode: z
    .string()
    .regex(/^0?[0-7]{3}$/, "must be an octal file mode like \"0600\"")
    .refine((m) => (Number.parseInt(m, 8) & 0o002) === 0, "must not be world-writable (any local user could write the Control region and stop the system); use 0600, or 0660 with [shm] group")
    .refine((m) => (Number.parseInt(m, 8) & 0o600) === 0o600, "must give the owner read and write (0600 or more)")
    .default("0600"),
  group: z.string().default(""),
  /**
   * Use regions owned by another user (not this process's user, not root). Off: a region someone else
   * pre-created is refused, since its owner could rewrite Control at will.
   */
  allow_foreign_owner: z.boolean().default(false),
});

export const LogSchema = z.strictObject({
  level: z.enum(LOG_LEVELS).default("info"),
});

/**
 * Base-tier taker fee per source in percent (0.1 = 0.1 %). Defaults: each venue's public fee page for a
 * regular account without VIP level, token discount or promotion (sources in config/config.toml).
 */
export const DEFAULT_TAKER_FEE_PCT = {
  binance_spot: 0.1,
  binance_futures: 0.05,
  bybit_spot: 0.1,
  bybit_futures: 0.055,
  mexc_spot: 0.05,
  mexc_futures: 0.02,
  okx_spot: 0.1,
  okx_futures: 0.05,
} as const satisfies Record<SourceName, number>;

const feePct = z.number().min(0).max(5);
export const TakerFeeSchema = z.strictObject(
  Object.fromEntries(SOURCE_NAMES.map((n) => [n, feePct.default(DEFAULT_TAKER_FEE_PCT[n])])) as Record<SourceName, z.ZodDefault<typeof feePct>>,
);

/** What the open threshold is compared with (see @spread/engine spread math). */
export const OPEN_ON = ["gross", "net", "net_round_trip"] as const;
export type OpenOn = (typeof OPEN_ON)[number];

export const EngineSchema = z
  .strictObject({
    open_on: z.enum(OPEN_ON).default("net"),
    open_spread_pct: pct(1000).default(0.5),
    max_spread_pct: pct(1000).default(50),
    stale_after_ms: ms().default(5000),
    stale_after_ms_by_source: z.partialRecord(z.enum(SOURCE_NAMES as [SourceName, ...SourceName[]]), ms()).default({}),
    persist_ms: ms(0).default(250),
    persist_evals: count(1, 1000).default(2),
    health_interval_ms: ms().default(1000),
    taker_fee_pct: TakerFeeSchema.default(TakerFeeSchema.parse({})),
    // Holding horizon of net_funding_pct (spreads, live view, web) and of skip_if_funding_erases: through the
    // next settlement of the futures leg, or a number of hours (every settlement inside it counts).
    funding_horizon: z.union([z.literal("next_settlement"), z.number().positive().max(8760)]).default("next_settlement"),
    // On: a spread whose open measure plus the funding over the horizon is <= 0 is not signalled (counted).
    skip_if_funding_erases: z.boolean().default(false),
  })
  .superRefine((e, ctx) => {
    if (e.open_spread_pct >= e.max_spread_pct) problem(ctx, ["max_spread_pct"], `must be above open_spread_pct (${e.open_spread_pct})`);
  });
export type EngineConfig = z.output<typeof EngineSchema>;

export const TrackerSchema = z.strictObject({
  interval_ms: ms()
    .refine((v) => 60000 % v === 0, "must divide 60000 (ticks align to the wall clock, the same every minute)")
    .default(200),
  max_duration_s: count(1, 30 * 86400).default(10800),
  close_spread_pct: z.number().min(-100).max(100).default(0.1),
  stale_after_ms: ms().default(5000),
  feed_lost_after_s: seconds().default(30),
  flush_interval_ms: count(50, 1000).default(1000),
  fsync_interval_s: count(0, 86400).default(10),
  retention_days: count(0, 36500).default(30),
  summary_retention_days: count(0, 36500).default(0),
  max_buffer_mb: z.number().positive().max(4096).default(16),
  recent_closed: count(1, 100000).default(200),
  signalled_timeout_s: seconds().default(10),
});

export const DiscoverySchema = z
  .strictObject({
    min_sources: count(1, 8).default(6),
    fetch_timeout_ms: ms().default(15000),
    fetch_attempts: count(1, 100).default(3),
    backoff_ms: z.array(ms(0)).min(1).max(100).default([100, 200, 400]),
    validate: z.boolean().default(true),
    batch_timeout_s: seconds().default(90),
    collect_s: seconds().default(30),
    idle_s: seconds().default(10),
    min_validated_sources: count(1, 8).default(6),
    collision_max_deviation: z.number().positive().max(100).default(0.3),
    validation_connections: count(1, 200).default(24),
    connect_interval_ms: ms(0).default(350),
    aliases: z.record(z.string(), z.string()).default({}),
    deny: z.array(z.string()).default([]),
  })
  .superRefine((d, ctx) => {
    if (d.idle_s > d.collect_s) problem(ctx, ["idle_s"], `must be at most collect_s (${d.collect_s})`);
    if (d.collect_s > d.batch_timeout_s) problem(ctx, ["collect_s"], `must be at most batch_timeout_s (${d.batch_timeout_s}): a source would give up before its first socket is done`);
  });

export const FeedSchema = z
  .strictObject({
    health_interval_ms: ms().default(1000),
    reconnect_base_ms: ms().default(100),
    reconnect_max_ms: ms().default(30000),
    reconnect_reset_after_ms: ms().default(60000),
    // A symbol the venue refused (pre-launch, suspended) is subscribed again after this, doubling per refusal up to
    // reject_retry_max_ms: the next discovery is hours away and refusals are more often temporary than final.
    reject_retry_ms: ms().default(60000),
    reject_retry_max_ms: ms().default(3600000),
    shutdown_grace_ms: ms().default(1500),
    connect_interval_ms: ms(0).default(350),
    rest_seed: z.boolean().default(true),
    // Futures feeds poll their venue's all-symbols funding endpoint this often (0 = no funding collection).
    funding_poll_ms: ms(0).default(60000),
    // Opt-in: hold every socket of a feed process for this many ms after a read, then read the whole window in one
    // loop turn (fewer wake-ups, up to this much more latency; docs/PERFORMANCE.md). 0 = read as data arrives.
    read_coalesce_ms: z.number().int().min(0).max(50).default(0),
    // Opt-in: each inner list runs as ONE feed process (`feed --group N`, spread-ctl up, spread-feed-group@N);
    // sources in no group keep a process of their own (A.7's default).
    groups: z.array(z.array(z.enum(SOURCE_NAMES as [SourceName, ...SourceName[]])).min(1, "a group names at least one source")).max(8).default([]),
  })
  .superRefine((f, ctx) => {
    const seen = new Map<string, number>();
    f.groups.forEach((g, i) =>
      g.forEach((s, j) => {
        const first = seen.get(s);
        if (first !== undefined) problem(ctx, ["groups", i, j], `${s} is already in group ${first + 1} (groups = [${f.groups.map((x) => `[${x.join(", ")}]`).join(", ")}]): a source runs in one process only`);
        else seen.set(s, i);
      }),
    );
    if (f.funding_poll_ms > 0 && f.funding_poll_ms < 5000) problem(ctx, ["funding_poll_ms"], "must be 0 (off) or at least 5000: funding changes over minutes, and the venues' REST budgets are per IP");
    if (f.reconnect_base_ms > f.reconnect_max_ms) problem(ctx, ["reconnect_base_ms"], `must be at most reconnect_max_ms (${f.reconnect_max_ms})`);
    if (f.reject_retry_ms > f.reject_retry_max_ms) problem(ctx, ["reject_retry_ms"], `must be at most reject_retry_max_ms (${f.reject_retry_max_ms})`);
  });

export const CpuSchema = z.strictObject({
  pin: z.boolean().default(false),
  feeds: cpuList,
  engine: cpuList,
  tracker: cpuList,
  discovery: cpuList,
});

/** spread-web (packages/web). Binding beyond loopback needs a token (checked at start: the web process refuses). */
export const WebSchema = z.strictObject({
  bind: z.string().min(1).default("127.0.0.1"),
  port: count(0, 65535).default(8787),
  // The access token never sits in config.toml: an environment variable or a 0600 file names it (as [alerts]).
  token_env: z.string().min(1).optional(),
  token_file: z.string().min(1).optional(),
  allowed_origins: z.array(z.string().min(1)).max(100).default([]),
  top_n: count(1, 1000).default(50),
  push_interval_ms: ms(250).default(250),
  // Pause/resume from the Health page and POST /api/control. Off by default: the dashboard is read-only.
  control: z.boolean().default(false),
}).refine((w) => !(w.token_env && w.token_file), { message: "set token_env or token_file, not both", path: ["token_file"] });

export const AppConfigSchema = z.strictObject({
  paths: PathsSchema.default(PathsSchema.parse({})),
  shm: ShmSchema.default(ShmSchema.parse({})),
  log: LogSchema.default(LogSchema.parse({})),
  engine: EngineSchema.default(EngineSchema.parse({})),
  tracker: TrackerSchema.default(TrackerSchema.parse({})),
  discovery: DiscoverySchema.default(DiscoverySchema.parse({})),
  feed: FeedSchema.default(FeedSchema.parse({})),
  cpu: CpuSchema.default(CpuSchema.parse({})),
  alerts: AlertsSchema.default(AlertsSchema.parse({})),
  web: WebSchema.default(WebSchema.parse({})),
}).superRefine((c, ctx) => {
  if (c.tracker.close_spread_pct >= c.engine.open_spread_pct) {
    problem(ctx, ["tracker", "close_spread_pct"], `must be below engine.open_spread_pct (${c.engine.open_spread_pct}): a tracking would converge at once`);
  }
});
export type AppConfig = z.output<typeof AppConfigSchema>;

export interface LoadedAppConfig extends AppConfig {
  /** Absolute path of the file this was read from. */
  readonly file: string;
  /** Paths resolved against the directory of config.toml. */
  readonly resolved: { exchanges: string; directions: string; generated: string; data: string };
}

export const SHM_PREFIX_ENV = "SPREAD_SCANNER_SHM_PREFIX";
export const LOG_LEVEL_ENV = "SPREAD_SCANNER_LOG_LEVEL";
/** Set by `spread-ctl up` (its own pid) for the processes it starts, never by systemd: see watchSupervisor. */
export const SUPERVISOR_PID_ENV = "SPREAD_SCANNER_SUPERVISOR_PID";

/** The SPREAD_SCANNER_* variables the code reads, validated like config keys: a bad value names the variable. */
export interface EnvOverrides {
  readonly shmPrefix?: string;
  readonly logLevel?: AppConfig["log"]["level"];
  readonly supervisorPid?: number;
}

/** Validates SPREAD_SCANNER_SHM_PREFIX, _LOG_LEVEL and _SUPERVISOR_PID (unset or empty = not set); throws ConfigError. */
export function readEnvOverrides(env: Record<string, string | undefined> = process.env): EnvOverrides {
  const out: { shmPrefix?: string; logLevel?: AppConfig["log"]["level"]; supervisorPid?: number } = {};
  const envPrefix = env[SHM_PREFIX_ENV];
  if (envPrefix !== undefined && envPrefix !== "") {
    const checked = ShmSchema.shape.prefix.safeParse(envPrefix);
    if (!checked.success) throw new ConfigError(formatZodIssues(`env ${SHM_PREFIX_ENV}="${envPrefix}"`, checked.error).replace(": (root): ", ": "));
    out.shmPrefix = checked.data;
  }
  const envLevel = env[LOG_LEVEL_ENV];
  if (envLevel !== undefined && envLevel !== "") {
    if (!(LOG_LEVELS as readonly string[]).includes(envLevel)) throw new ConfigError(`env ${LOG_LEVEL_ENV}="${envLevel}": must be one of ${LOG_LEVELS.join(", ")}`);
    out.logLevel = envLevel as AppConfig["log"]["level"];
  }
  const envSup = env[SUPERVISOR_PID_ENV];
  if (envSup !== undefined && envSup !== "") {
    if (!/^[1-9][0-9]{0,9}$/.test(envSup)) throw new ConfigError(`env ${SUPERVISOR_PID_ENV}="${envSup}": must be a process id (a positive integer); spread-ctl up sets it, do not export it by hand`);
    out.supervisorPid = Number(envSup);
  }
  return out;
}

function applyEnv(cfg: AppConfig): void {
  const o = readEnvOverrides();
  if (o.shmPrefix !== undefined) cfg.shm.prefix = o.shmPrefix;
  if (o.logLevel !== undefined) cfg.log.level = o.logLevel;
}

/** Loads config.toml; relative paths inside it are relative to the file's own directory. */
export function loadAppConfig(file: string): LoadedAppConfig {
  const abs = resolve(file);
  if (abs === INSTALLED_CONFIG && !existsSync(abs)) {
    throw new ConfigError(`${abs}: cannot read config file (ENOENT); not installed here: pass --config FILE or set ${CONFIG_ENV}`);
  }
  const cfg = loadTomlWith(abs, AppConfigSchema);
  const base = dirname(abs);
  const r = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
  applyEnv(cfg);
  return {
    ...cfg,
    file: abs,
    resolved: {
      exchanges: r(cfg.paths.exchanges),
      directions: r(cfg.paths.directions),
      generated: r(cfg.paths.generated),
      data: r(cfg.paths.data),
    },
  };
}

/**
 * Throws unless each [paths] key names an existing file: a process that needs exchanges.toml or directions.toml
 * must not run on defaults when the configured file is missing. The error names config.toml and the key.
 */
export function requireConfigFiles(cfg: LoadedAppConfig, keys: readonly ("exchanges" | "directions")[]): void {
  const problems: string[] = [];
  for (const key of keys) {
    const path = cfg.resolved[key];
    let isFile = false;
    try {
      isFile = statSync(path).isFile();
    } catch {
      // missing or unreadable: reported below
    }
    if (!isFile) problems.push(`${cfg.file}: paths.${key}: ${path} does not exist or is not a file`);
  }
  if (problems.length) throw new ConfigError(problems.join("\n"));
}
