// spread-web's settings: [web] of config.toml with the command line on top, and the one rule that makes the
// process refuse to start: an address other than loopback needs an access token.
import { readSecret } from "@spread/alerts";
import { ConfigError, type LoadedAppConfig } from "@spread/common";

export interface WebSettings {
  readonly bind: string;
  readonly port: number;
  /** "" = no token (then only a loopback bind is allowed). */
  readonly token: string;
  readonly allowedOrigins: readonly string[];
  readonly topN: number;
  readonly pushIntervalMs: number;
  /** POST /api/control may pause/resume processes (needs a token). */
  readonly control: boolean;
  readonly prefix: string;
  readonly generated: string;
  readonly data: string;
}

/** 127.0.0.0/8, ::1 and "localhost": only this machine can connect. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (h === "localhost" || h === "::1" || h === "0:0:0:0:0:0:0:1") return true;
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  return m !== null && m.slice(1).every((o) => Number(o) <= 255);
}

export interface WebArgs {
  readonly bind?: string;
  readonly port?: string;
  readonly generated?: string;
  readonly data?: string;
}

/** [web] plus overrides; throws ConfigError (exit 2) for a bad port, an unreadable token or a non-loopback bind without one. */
export function webSettings(app: LoadedAppConfig, args: WebArgs = {}, env: Record<string, string | undefined> = process.env): WebSettings {
  const w = app.web;
  const bind = args.bind ?? w.bind;
  const port = args.port === undefined ? w.port : Number(args.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`--port "${args.port}": expected 0..65535`);
  const token = w.token_env !== undefined || w.token_file !== undefined ? readSecret("[web] token", w.token_env, w.token_file, env) : "";
  if (token !== "" && token.length < 16) throw new ConfigError(`[web] token (${w.token_env ? `env ${w.token_env}` : w.token_file}): must be at least 16 characters`);
  if (!isLoopback(bind) && token === "") {
    throw new ConfigError(
      `${app.file}: web.bind "${bind}" is not a loopback address: anyone who can reach it would see the system; set web.token_env or web.token_file (a token of at least 16 characters) or bind 127.0.0.1`,
    );
  }
  // A loopback bind is no protection here: any local user, or a page the trader opens, could pause the system.
  if (w.control && token === "") {
    throw new ConfigError(`${app.file}: web.control = true needs web.token_env or web.token_file: pausing or resuming the system from the web must take the access token, on loopback too`);
  }
  return {
    bind, port, token, allowedOrigins: w.allowed_origins, topN: w.top_n, pushIntervalMs: w.push_interval_ms, control: w.control,
    prefix: app.shm.prefix, generated: args.generated ?? app.resolved.generated, data: args.data ?? app.resolved.data,
  };
}
