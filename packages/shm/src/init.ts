// The work behind bins/shm-init: resolve prefix/mode/group from config + flags, then create, show
// status or unlink. Returns printable lines and an exit code; ConfigError means a usage/config error.
import { ConfigError, ShmSchema, loadAppConfig, wallMicros } from "@spread/common";
import { groupId } from "./libc.ts";
import { REGIONS } from "./layout.ts";
import { ShmMismatchError, checkPrefix, createAll, unlinkAll } from "./shm.ts";
import { renderStatus } from "./status.ts";
import { statusVerdict, verdictLine } from "./status-code.ts";

export interface ShmInitArgs {
  /** config.toml path. */
  readonly config: string;
  /** Overrides [shm].prefix and SPREAD_SCANNER_SHM_PREFIX. */
  readonly prefix?: string;
  /** Octal mode string ("0660"); overrides [shm].mode. */
  readonly mode?: string;
  /** Group name; overrides [shm].group. */
  readonly group?: string;
  readonly force?: boolean;
  readonly status?: boolean;
  readonly unlink?: boolean;
}

export interface ShmInitSettings {
  readonly prefix: string;
  readonly mode: number;
  readonly group: string;
  readonly gid: number | undefined;
  readonly allowForeignOwner: boolean;
}

export interface ShmInitResult {
  /** 0 done; 1 refused (mismatching regions without --force); --status: StatusExit (0 healthy, 1 unhealthy, 3 shm). */
  readonly code: number;
  /** For stdout. */
  readonly lines: string[];
  /** For stderr (refusals). */
  readonly errors: string[];
}

/** Flag > env (applied by loadAppConfig) > config file. Throws ConfigError with one clear line. */
export function resolveInitSettings(args: ShmInitArgs): ShmInitSettings {
  const cfg = loadAppConfig(args.config);
  const prefix = checkPrefix(args.prefix ?? cfg.shm.prefix);
  const modeText = args.mode ?? cfg.shm.mode;
  const modeCheck = ShmSchema.shape.mode.safeParse(modeText);
  if (!modeCheck.success) throw new ConfigError(`--mode "${modeText}": ${modeCheck.error.issues[0]?.message ?? "must be an octal file mode like 0600 or 0660"}`);
  const group = args.group ?? cfg.shm.group;
  let gid: number | undefined;
  if (group !== "") {
    gid = groupId(group);
    if (gid === undefined) throw new ConfigError(`group "${group}" does not exist (from ${args.group !== undefined ? "--group" : `${cfg.file} [shm].group`})`);
  }
  return { prefix, mode: Number.parseInt(modeText, 8), group, gid, allowForeignOwner: cfg.shm.allow_foreign_owner };
}

function pad(s: string, n: number): string {
  return s.padEnd(n);
}

export function shmInit(args: ShmInitArgs): ShmInitResult {
  if ((args.status ? 1 : 0) + (args.unlink ? 1 : 0) + (args.force ? 1 : 0) > 1) {
    throw new ConfigError("--status, --unlink and --force cannot be combined");
  }
  const s = resolveInitSettings(args);
  const width = Math.max(...REGIONS.map((r) => `/dev/shm/${s.prefix}-${r.key}`.length));

  if (args.status) {
    const now = wallMicros();
    const verdict = statusVerdict(s.prefix, now);
    return { code: verdict.code, lines: [...renderStatus(s.prefix, now).split("\n"), verdictLine(verdict)], errors: [] };
  }
  if (args.unlink) {
    const lines = unlinkAll(s.prefix).map((r) => `${pad(r.path, width)}  ${r.removed ? "unlinked" : "absent"}`);
    return { code: 0, lines, errors: [] };
  }
  try {
    const { reports } = createAll(s.prefix, { mode: s.mode, gid: s.gid, force: args.force ?? false, allowForeignOwner: s.allowForeignOwner });
    const lines = reports.map((r) => {
      const extra = r.changes.length ? ` (${r.changes.join(", ")})` : "";
      return `${pad(r.path, width)}  ${String(r.size).padStart(7)} B  ${r.outcome}${extra}`;
    });
    return { code: 0, lines, errors: [] };
  } catch (err) {
    if (err instanceof ShmMismatchError) {
      return {
        code: 1,
        lines: [],
        errors: [
          ...err.problems.map((p) => `refused: ${p}`),
          "nothing was changed; rerun with --force to recreate the mismatching regions (then restart every process that uses them)",
        ],
      };
    }
    throw err;
  }
}
