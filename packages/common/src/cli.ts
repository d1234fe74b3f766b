// Shared CLI runner for every binary: citty for parsing and --help, plus the project's conventions:
// unknown flags and stray positional arguments are usage errors, usage/config errors exit 2 with one clear line,
// other failures exit 1; colour only on a terminal (never into a pipe or a log, never with NO_COLOR).
import { renderUsage, runCommand, runMain, type ArgsDef, type CommandDef } from "citty";
import { readEnvOverrides, SUPERVISOR_PID_ENV } from "./config/app.ts";
import { ConfigError, RefusedError, errorMessage } from "./errors.ts";
import type { Logger } from "./log.ts";

const ANSI = /\x1b\[[0-9;]*m/g;

/** Whether `stream` may carry ANSI colour: a TTY, NO_COLOR unset or empty (no-color.org), TERM not "dumb". */
export function colourAllowed(stream: { isTTY?: boolean }, env: Record<string, string | undefined> = process.env): boolean {
  return stream.isTTY === true && (env.NO_COLOR ?? "") === "" && env.TERM !== "dumb";
}

/** `text` as it may be written to `stream`: ANSI colour codes removed unless colourAllowed. */
export function forStream(text: string, stream: { isTTY?: boolean }): string {
  return colourAllowed(stream) ? text : text.replace(ANSI, "");
}

/** A positional argument whose valueHint ends in "..." takes every remaining word (files). */
const isVariadic = (def: { valueHint?: string }) => def.valueHint?.endsWith("...") === true;

export class UsageError extends ConfigError {}

async function resolve<T>(v: T | (() => T | Promise<T>) | Promise<T> | undefined): Promise<T | undefined> {
  return typeof v === "function" ? await (v as () => T | Promise<T>)() : await v;
}

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

interface Usage {
  readonly name: string;
  /** Every accepted flag spelling (without dashes). */
  readonly flags: Set<string>;
  /** Flags that take a value (the next word, unless written --flag=value). */
  readonly valueFlags: Set<string>;
  /** Positional words the command takes (the subcommand's name not counted); Infinity for a variadic one. */
  readonly positionals: number;
  readonly hasSub: boolean;
  /** The command's subcommand names (empty without subcommands). */
  readonly subs: string[];
}

async function usageOf(cmd: CommandDef<ArgsDef>, rawArgs: readonly string[]): Promise<Usage> {
  let current = cmd;
  let name = (await resolve(cmd.meta))?.name ?? "command";
  const subs = await resolve(cmd.subCommands);
  let hasSub = false;
  if (subs) {
    const first = rawArgs.find((a) => !a.startsWith("-"));
    if (first && subs[first]) {
      current = (await resolve(subs[first])) as CommandDef<ArgsDef>;
      name = `${name} ${first}`;
      hasSub = true;
    }
  }
  const defs = (await resolve(current.args)) ?? {};
  const flags = new Set<string>(["help", "h"]);
  const valueFlags = new Set<string>();
  let positionals = 0;
  for (const [key, def] of Object.entries(defs)) {
    if (def.type === "positional") {
      positionals += isVariadic(def) ? Number.POSITIVE_INFINITY : 1;
      continue;
    }
    const alias = "alias" in def ? def.alias : undefined;
    const names = [key, kebab(key), ...(Array.isArray(alias) ? alias : alias ? [alias] : [])];
    for (const n of names) flags.add(n);
    if (def.type === "boolean") for (const n of [key, kebab(key)]) flags.add(`no-${n}`);
    else for (const n of names) valueFlags.add(n);
  }
  return { name, flags, valueFlags, positionals, hasSub, subs: subs ? Object.keys(subs) : [] };
}

/** Throws UsageError for an unknown flag or a positional word the command does not take. */
function checkArgs(u: Usage, rawArgs: readonly string[]): void {
  const words: string[] = [];
  for (let i = 0; i < rawArgs.length; i++) {
    const a = rawArgs[i]!;
    if (a === "--") {
      words.push(...rawArgs.slice(i + 1));
      break;
    }
    if (!a.startsWith("-") || /^-\d/.test(a)) {
      words.push(a);
      continue;
    }
    const [flag, inline] = a.replace(/^--?/, "").split(/=(.*)/s) as [string, string | undefined];
    if (!u.flags.has(flag)) throw new UsageError(`unknown option ${a} (see ${u.name} --help)`);
    if (u.valueFlags.has(flag) && inline === undefined) {
      const v = rawArgs[++i];
      if (v === undefined || (v.startsWith("-") && !/^-\d/.test(v))) throw new UsageError(`${a} needs a value (see ${u.name} --help)`);
    }
  }
  if (u.subs.length && !u.hasSub) {
    if (words.length) throw new UsageError(`unknown command "${words[0]}" (one of ${u.subs.join(", ")}; see ${u.name} --help)`);
    throw new UsageError(`a command is required (one of ${u.subs.join(", ")}; see ${u.name} --help)`);
  }
  const extra = words.slice((u.hasSub ? 1 : 0) + Math.min(u.positionals, words.length));
  if (extra.length) throw new UsageError(`unexpected argument${extra.length > 1 ? "s" : ""} ${extra.map((w) => `"${w}"`).join(" ")} (see ${u.name} --help)`);
}

/** Runs a citty command with the project's exit-code conventions. Never returns on error. */
export async function runBin(cmd: CommandDef<any>, rawArgs: string[] = process.argv.slice(2)): Promise<void> {
  if (rawArgs.includes("--help") || rawArgs.includes("-h")) {
    const showUsage = async (c: CommandDef<any>, parent?: CommandDef<any>) => {
      process.stdout.write(forStream(await renderUsage(c, parent), process.stdout) + "\n\n");
    };
    await runMain(cmd, { rawArgs, showUsage });
    return;
  }
  let name = "command";
  try {
    const u = await usageOf(cmd, rawArgs);
    name = u.name;
    checkArgs(u, rawArgs);
    readEnvOverrides(); // every binary, also those that read no config.toml (exchange-sim): a bad variable is exit 2
    await runCommand(cmd, { rawArgs });
  } catch (err) {
    const isUsage = err instanceof ConfigError || (err as { name?: string })?.name === "CLIError";
    process.stderr.write(forStream(`${name}: ${errorMessage(err)}\n`, process.stderr));
    process.exit(err instanceof RefusedError ? err.exitCode : isUsage ? 2 : 1);
  }
}

/**
 * Wires SIGTERM and SIGINT of a long-running process to its clean stop: `shutdown(signal)`, then exit 0 once it
 * is done (1 if it failed), or exit 0 after `hardMs` if it hangs (a stuck flush must not keep a supervisor
 * waiting). Returns the function that removes the handlers (tests).
 */
export function exitOnStopSignals(shutdown: (signal: string) => Promise<void> | void, hardMs: number, exit: (code: number) => void = (c) => process.exit(c)): () => void {
  const stop = (signal: string) => {
    const hard = setTimeout(() => exit(0), hardMs);
    const done = (code: number) => {
      clearTimeout(hard);
      exit(code);
    };
    void Promise.resolve()
      .then(() => shutdown(signal))
      .then(
        () => done(0),
        () => done(1),
      );
  };
  const onTerm = () => stop("SIGTERM");
  const onInt = () => stop("SIGINT");
  process.on("SIGTERM", onTerm);
  process.on("SIGINT", onInt);
  return () => {
    process.off("SIGTERM", onTerm);
    process.off("SIGINT", onInt);
  };
}

export interface SupervisorWatchOptions {
  readonly env?: Record<string, string | undefined>;
  /** The parent's pid now; default process.ppid (live in Bun 1.4.4: every read is a getppid). */
  readonly ppid?: () => number;
  /** Starts the stop; default SIGTERM to this process, so it stops exactly as `spread-ctl down` would stop it. */
  readonly stop?: () => void;
}

/**
 * The check a process started by `spread-ctl up` runs on its Health tick. kill -9 of the supervisor sends its
 * children nothing: they are reparented (to init or a subreaper) and would run on unsupervised, holding their
 * slots so that a new `spread-ctl up` cannot start. Once the parent is no longer the pid up put in
 * SPREAD_SCANNER_SUPERVISOR_PID, the check logs one line and starts the process's own SIGTERM path (flush, stale,
 * Health stopped, exit 0). Without the variable (systemd, a manual start) it is a no-op that costs nothing.
 * Returns false once the supervisor is gone (the stop has begun), true otherwise.
 */
export function watchSupervisor(log: Pick<Logger, "warn">, o: SupervisorWatchOptions = {}): () => boolean {
  const pid = readEnvOverrides(o.env ?? process.env).supervisorPid;
  if (pid === undefined) return () => true;
  const ppid = o.ppid ?? (() => process.ppid);
  const stop = o.stop ?? (() => process.kill(process.pid, "SIGTERM"));
  let gone = false;
  return () => {
    if (gone) return false;
    const parent = ppid();
    if (parent === pid) return true;
    gone = true;
    log.warn({ supervisor_pid: pid, ppid: parent }, `supervisor spread-ctl up (pid ${pid}) is gone (${SUPERVISOR_PID_ENV}; parent now pid ${parent}): stopping as on SIGTERM`);
    stop();
    return false;
  };
}
