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
