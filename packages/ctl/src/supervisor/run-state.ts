// The state file of a running `spread-ctl up`, one per shm prefix: it is the single-instance lock, and it tells
// a later spread-ctl (status, top, down, reload) which config the running system uses without --config.
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync, fsyncSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "@spread/common";
import { pidAlive } from "@spread/shm";

export const RUN_DIR_ENV = "SPREAD_SCANNER_RUN_DIR";

export interface RunState {
  readonly pid: number;
  readonly prefix: string;
  readonly config: string;
  readonly logs: string;
  readonly data: string;
  readonly generated: string;
  readonly startedAt: string;
}

/** $SPREAD_SCANNER_RUN_DIR, else $XDG_RUNTIME_DIR/spread-scanner, else <tmp>/spread-scanner-<uid>. */
export function runDir(env: Record<string, string | undefined> = process.env): string {
  if (env[RUN_DIR_ENV]) return env[RUN_DIR_ENV]!;
  if (env.XDG_RUNTIME_DIR) return join(env.XDG_RUNTIME_DIR, "spread-scanner");
  return join(tmpdir(), `spread-scanner-${process.getuid?.() ?? 0}`);
}

const fileOf = (dir: string, prefix: string) => join(dir, `${prefix}.up.json`);

function readState(file: string): RunState | null {
  try {
    const s = JSON.parse(readFileSync(file, "utf8")) as RunState;
    return typeof s.pid === "number" && typeof s.prefix === "string" && typeof s.config === "string" ? s : null;
  } catch {
    return null;
  }
}

/**
 * Takes the prefix's lock by creating its state file exclusively. A file left by a dead supervisor is
 * replaced; a live one refuses with a ConfigError naming its pid.
 */
export function acquireRunState(state: RunState, dir = runDir()): { file: string; release(): void } {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = fileOf(dir, state.prefix);
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, "wx", 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const other = readState(file);
      if (other && pidAlive(other.pid) === true) {
        throw new ConfigError(`prefix "${state.prefix}" is already run by spread-ctl up (pid ${other.pid}, config ${other.config}); stop it with \`spread-ctl down\``);
      }
      unlinkSync(file);
      continue;
    }
    writeSync(fd, JSON.stringify(state, null, 2) + "\n");
    fsyncSync(fd);
    closeSync(fd);
    return {
      file,
      release() {
        if (readState(file)?.pid === state.pid) unlinkSync(file);
      },
    };
  }
  throw new ConfigError(`${file}: could not take the lock (another spread-ctl up is starting)`);
}

/** Every live `spread-ctl up` of this user (stale files are ignored). */
export function liveRunStates(dir = runDir()): RunState[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".up.json"))
    .map((f) => readState(join(dir, f)))
    .filter((s): s is RunState => s !== null && pidAlive(s.pid) === true);
}
