// Shared CLI runner for every binary: citty for parsing and --help, plus the project's conventions:
// unknown flags are usage errors, usage/config errors exit 2 with one clear line, other failures exit 1.
import { runCommand, runMain, type ArgsDef, type CommandDef } from "citty";
import { ConfigError, errorMessage } from "./errors.ts";

export class UsageError extends ConfigError {}

async function resolve<T>(v: T | (() => T | Promise<T>) | Promise<T> | undefined): Promise<T | undefined> {
  return typeof v === "function" ? await (v as () => T | Promise<T>)() : await v;
}

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

async function knownFlags(cmd: CommandDef<ArgsDef>, rawArgs: readonly string[]): Promise<{ flags: Set<string>; name: string }> {
  let current = cmd;
  let name = (await resolve(cmd.meta))?.name ?? "command";
  const subs = await resolve(cmd.subCommands);
  if (subs) {
    const first = rawArgs.find((a) => !a.startsWith("-"));
    if (first && subs[first]) {
      current = (await resolve(subs[first])) as CommandDef<ArgsDef>;
      name = `${name} ${first}`;
    }
  }
  const defs = (await resolve(current.args)) ?? {};
  const flags = new Set<string>(["help", "h"]);
  for (const [key, def] of Object.entries(defs)) {
    if (def.type === "positional") continue;
    flags.add(key).add(kebab(key));
    if (def.type === "boolean") flags.add(`no-${key}`).add(`no-${kebab(key)}`);
    const alias = "alias" in def ? def.alias : undefined;
    for (const a of Array.isArray(alias) ? alias : alias ? [alias] : []) flags.add(a);
  }
  return { flags, name };
}

/** Runs a citty command with the project's exit-code conventions. Never returns on error. */
export async function runBin(cmd: CommandDef<any>, rawArgs: string[] = process.argv.slice(2)): Promise<void> {
  if (rawArgs.includes("--help") || rawArgs.includes("-h")) {
    await runMain(cmd, { rawArgs });
    return;
  }
  const { flags, name } = await knownFlags(cmd, rawArgs);
  try {
    for (const a of rawArgs) {
      if (a === "--") break;
      if (!a.startsWith("-") || /^-\d/.test(a)) continue;
      const flag = a.replace(/^--?/, "").split("=")[0]!;
      if (!flags.has(flag)) throw new UsageError(`unknown option ${a} (see ${name} --help)`);
    }
    await runCommand(cmd, { rawArgs });
  } catch (err) {
    const isUsage = err instanceof ConfigError || (err as { name?: string })?.name === "CLIError";
    process.stderr.write(`${name}: ${errorMessage(err)}\n`);
    process.exit(isUsage ? 2 : 1);
  }
}
