// Where a process finds its config when no --config is given: SPREAD_SCANNER_CONFIG, else the checkout it runs
// from (source, a compiled binary in the checkout's dist/, or a working directory inside a checkout), else the
// installed /etc/spread-scanner/config.toml. The installed config names /var/lib/spread-scanner for data.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

export const CONFIG_ENV = "SPREAD_SCANNER_CONFIG";
export const INSTALLED_CONFIG = "/etc/spread-scanner/config.toml";
export const INSTALLED_DATA = "/var/lib/spread-scanner";
export const INSTALLED_BIN = "/opt/spread-scanner/bin";
const PACKAGE_NAME = "spread-scanner";

/** True inside a `bun build --compile` binary (its modules live under /$bunfs/). */
export function isCompiled(): boolean {
  return import.meta.dir.startsWith("/$bunfs") || import.meta.dir.startsWith("B:\\~BUN");
}

function isCheckout(dir: string): boolean {
  const pkg = join(dir, "package.json");
  if (!existsSync(pkg) || !existsSync(join(dir, "config", "config.toml"))) return false;
  try {
    return (JSON.parse(readFileSync(pkg, "utf8")) as { name?: unknown }).name === PACKAGE_NAME;
  } catch {
    return false;
  }
}

function walkUp(start: string): string | null {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (isCheckout(dir)) return dir;
    if (dirname(dir) === dir) return null;
  }
}

/** The spread-scanner checkout this process runs from, or null (an installed or copied binary). */
export function checkoutRoot(cwd: string = process.cwd()): string | null {
  if (!isCompiled()) {
    const fromSource = resolve(import.meta.dir, "../../..");
    if (isCheckout(fromSource)) return fromSource;
  } else {
    const fromBinary = resolve(dirname(process.execPath), "..");
    if (isCheckout(fromBinary)) return fromBinary;
  }
  return walkUp(cwd);
}

export interface ConfigChoice {
  readonly file: string;
  /** Why this file: shown by spread-ctl so an operator knows which system it talks to. */
  readonly from: "env" | "checkout" | "installed";
}

/** The default config.toml (see the header comment for the order). */
export function defaultConfig(env: Record<string, string | undefined> = process.env, cwd: string = process.cwd()): ConfigChoice {
  const fromEnv = env[CONFIG_ENV];
  if (fromEnv) return { file: resolve(cwd, fromEnv), from: "env" };
  const root = checkoutRoot(cwd);
  if (root) return { file: join(root, "config", "config.toml"), from: "checkout" };
  return { file: INSTALLED_CONFIG, from: "installed" };
}

/** The default for a `--config` flag. */
export function defaultConfigPath(): string {
  return defaultConfig().file;
}

/** Help text of every `--config` flag. */
export const CONFIG_HELP = `config.toml (default: $${CONFIG_ENV}, else config/config.toml of the checkout, else ${INSTALLED_CONFIG})`;

/** The `--config` argument of every process's citty command (the default read when the command is built). */
export function configArg() {
  return { type: "string", description: CONFIG_HELP, default: defaultConfigPath(), valueHint: "FILE" } as const;
}

/** The `--generated` argument of every process's citty command. */
export const GENERATED_ARG = { type: "string", description: "generated/ directory (default: from config.toml)", valueHint: "DIR" } as const;

/** The `--data` argument (the tracker's data directory) of every command that reads or writes tracker files. */
export const DATA_ARG = { type: "string", description: "the tracker's data directory (default: [paths] data of config.toml)", valueHint: "DIR" } as const;
