// One error type for operator-facing failures: the message names what was wrong and where.

/** A configuration, usage or input error that should stop a process with one clear line (exit code 2). */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Formats an unknown thrown value for a log line. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/**
 * Exit codes of a long-running process that refuses to start (docs/operations.md, "Exit codes"). Distinct from
 * 1 (failure) and 2 (usage/config) so a service manager can tell them apart: systemd units list
 * `shutdownFlag` in RestartPreventExitStatus, so a stopped system is not restarted every second.
 */
export const RefusalExit = {
  /** The Control region's global shutdown flag is set: the system was shut down (spread-ctl clear, then start). */
  shutdownFlag: 3,
  /** Another live process owns this Health slot (same source on the same prefix). */
  slotBusy: 4,
} as const;

/** A refusal that ends the process with its own exit code and one clear line. */
export class RefusedError extends Error {
  override readonly name = "RefusedError";
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}
