// How the supervisor runs a program: a compiled spread-ctl runs its sibling binaries (dist/ or
// /opt/spread-scanner/bin); spread-ctl from source runs bins/<name>.ts with the same bun.
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { isCompiled } from "@spread/common";

/** Every program the system is made of; spread-engine, spread-tracker, spread-alerts and spread-web join when their binary exists. */
export type Program = "exchange-sim" | "shm-init" | "pair-discovery" | "feed" | "spread-engine" | "spread-tracker" | "spread-alerts" | "spread-web";

export interface ProgramLocator {
  /** argv prefix that runs `program`, or null when it is not built / not present. */
  argv(program: Program): string[] | null;
  /** Where programs are looked up (for messages). */
  readonly where: string;
}

const SOURCE_ROOT = resolve(import.meta.dir, "../../../..");

export function programLocator(opts: { binDir?: string } = {}): ProgramLocator {
  if (opts.binDir || isCompiled()) {
    const dir = opts.binDir ?? dirname(process.execPath);
    return {
      where: dir,
      argv: (p) => (existsSync(join(dir, p)) ? [join(dir, p)] : null),
    };
  }
  const bins = join(SOURCE_ROOT, "bins");
  return {
    where: bins,
    argv: (p) => (existsSync(join(bins, `${p}.ts`)) ? [process.execPath, join(bins, `${p}.ts`)] : null),
  };
}
