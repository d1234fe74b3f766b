// pino logger factory: JSON lines on stdout (journald captures them). No transports (they break compiled binaries).
import pino from "pino";

export type Logger = pino.Logger;
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Level precedence: SPREAD_SCANNER_LOG_LEVEL env, then the config value, then "info".
 * Synchronous destination so that the last line before exit is never lost.
 */
export function createLogger(name: string, level?: string): Logger {
  const env = process.env.SPREAD_SCANNER_LOG_LEVEL; // validated by loadAppConfig (exit 2 naming it)
  const chosen = (env && (LOG_LEVELS as readonly string[]).includes(env) ? env : level) ?? "info";
  return pino(
    { name, level: chosen, base: { pid: process.pid, proc: name }, timestamp: pino.stdTimeFunctions.isoTime },
    pino.destination({ dest: 1, sync: true }),
  );
}
