// config/config.toml: system parameters. Defaults here are the documented defaults in config/config.toml.
import { dirname, isAbsolute, resolve } from "node:path";
import { z } from "zod";
import { LOG_LEVELS } from "../log.ts";
import { loadTomlWith } from "./load.ts";

const posInt = z.number().int().positive();
const nonNegInt = z.number().int().nonnegative();
const cpuList = z.array(z.number().int().nonnegative()).default([]);

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
  mode: z.string().regex(/^0?[0-7]{3}$/, "must be an octal file mode like \"0600\"").default("0600"),
  group: z.string().default(""),
});

export const LogSchema = z.strictObject({
  level: z.enum(LOG_LEVELS).default("info"),
});

export const EngineSchema = z.strictObject({
  open_spread_pct: z.number().positive().default(0.5),
  max_spread_pct: z.number().positive().default(50),
  stale_after_ms: posInt.default(5000),
});

export const TrackerSchema = z.strictObject({
  interval_ms: posInt.default(200),
  max_duration_s: posInt.default(10800),
  close_spread_pct: z.number().default(0.1),
});

export const DiscoverySchema = z.strictObject({
  min_sources: z.number().int().min(1).max(8).default(6),
  fetch_timeout_ms: posInt.default(15000),
  fetch_attempts: posInt.default(3),
  backoff_ms: z.array(nonNegInt).min(1).default([100, 200, 400]),
  validate: z.boolean().default(true),
  batch_timeout_s: z.number().positive().default(90),
  collect_s: z.number().positive().default(30),
  idle_s: z.number().positive().default(10),
  min_validated_sources: z.number().int().min(1).max(8).default(6),
  collision_max_deviation: z.number().positive().default(0.3),
  validation_connections: z.number().int().min(1).max(200).default(24),
  connect_interval_ms: nonNegInt.default(350),
  aliases: z.record(z.string(), z.string()).default({}),
  deny: z.array(z.string()).default([]),
});

export const FeedSchema = z.strictObject({
  health_interval_ms: posInt.default(1000),
  reconnect_base_ms: posInt.default(100),
  reconnect_max_ms: posInt.default(30000),
  reconnect_reset_after_ms: posInt.default(60000),
  shutdown_grace_ms: posInt.default(1500),
  connect_interval_ms: nonNegInt.default(350),
  rest_seed: z.boolean().default(true),
});

export const CpuSchema = z.strictObject({
  pin: z.boolean().default(false),
  feeds: cpuList,
  engine: cpuList,
  tracker: cpuList,
  discovery: cpuList,
});

export const AppConfigSchema = z.strictObject({
  paths: PathsSchema.default(PathsSchema.parse({})),
  shm: ShmSchema.default(ShmSchema.parse({})),
  log: LogSchema.default(LogSchema.parse({})),
  engine: EngineSchema.default(EngineSchema.parse({})),
  tracker: TrackerSchema.default(TrackerSchema.parse({})),
  discovery: DiscoverySchema.default(DiscoverySchema.parse({})),
  feed: FeedSchema.default(FeedSchema.parse({})),
  cpu: CpuSchema.default(CpuSchema.parse({})),
});
export type AppConfig = z.output<typeof AppConfigSchema>;

export interface LoadedAppConfig extends AppConfig {
  /** Absolute path of the file this was read from. */
  readonly file: string;
  /** Paths resolved against the directory of config.toml. */
  readonly resolved: { exchanges: string; directions: string; generated: string; data: string };
}

export const SHM_PREFIX_ENV = "SPREAD_SCANNER_SHM_PREFIX";

/** Loads config.toml; relative paths inside it are relative to the file's own directory. */
export function loadAppConfig(file: string): LoadedAppConfig {
  const abs = resolve(file);
  const cfg = loadTomlWith(abs, AppConfigSchema);
  const base = dirname(abs);
  const r = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
  const envPrefix = process.env[SHM_PREFIX_ENV];
  if (envPrefix !== undefined && envPrefix !== "") {
    cfg.shm.prefix = ShmSchema.shape.prefix.parse(envPrefix);
  }
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
