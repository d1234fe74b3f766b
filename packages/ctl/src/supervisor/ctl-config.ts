// Which system a spread-ctl command talks to when no --config is given: $SPREAD_SCANNER_CONFIG, else the one
// running `spread-ctl up` of this user (the demo), else the checkout's or the installed config.
import { defaultConfig, loadAppConfig } from "@spread/common";
import { liveRunStates, type RunState } from "./run-state.ts";

export interface CtlTarget {
  readonly config: string;
  /** How it was chosen, for a one-line note on stderr. */
  readonly note: string | null;
  readonly running: RunState | null;
}

export function resolveCtlConfig(explicit: string | undefined, env: Record<string, string | undefined> = process.env): CtlTarget {
  const running = liveRunStates();
  const match = (file: string) => running.find((s) => s.config === file) ?? null;
  if (explicit) return { config: explicit, note: null, running: byPrefix(explicit, running) };
  const def = defaultConfig(env);
  if (def.from === "env") return { config: def.file, note: null, running: byPrefix(def.file, running) };
  if (running.length === 1) {
    const s = running[0]!;
    return { config: s.config, note: `using ${s.config} of the running spread-ctl up (pid ${s.pid}, prefix ${s.prefix})`, running: s };
  }
  if (running.length > 1) {
    const m = match(def.file);
    const note = m ? null : `several spread-ctl up are running (${running.map((s) => `${s.prefix}: ${s.config}`).join("; ")}); using ${def.file}, pass --config to choose`;
    return { config: def.file, note, running: m ?? byPrefix(def.file, running) };
  }
  return { config: def.file, note: null, running: null };
}

function byPrefix(config: string, running: readonly RunState[]): RunState | null {
  if (running.length === 0) return null;
  try {
    const prefix = loadAppConfig(config).shm.prefix;
    return running.find((s) => s.prefix === prefix) ?? null;
  } catch {
    return null;
  }
}
