// Channel secrets come from the environment or a file (systemd LoadCredential=, a 0600 file), never from
// config.toml. Errors name where the secret was looked for, never its value.
import { readFileSync, statSync } from "node:fs";
import { ConfigError } from "@spread/common";

export function readSecret(what: string, env: string | undefined, file: string | undefined, environ: Record<string, string | undefined> = process.env): string {
  if (env !== undefined) {
    const v = environ[env]?.trim();
    if (!v) throw new ConfigError(`${what}: environment variable ${env} is not set or empty`);
    return v;
  }
  if (file !== undefined) {
    let text: string;
    try {
      if ((statSync(file).mode & 0o004) !== 0) throw new ConfigError(`${what}: ${file} is world-readable; chmod 600 it (it holds a secret)`);
      text = readFileSync(file, "utf8");
    } catch (err) {
      if (err instanceof ConfigError) throw err;
      throw new ConfigError(`${what}: cannot read secret file ${file} (${(err as NodeJS.ErrnoException).code ?? "error"})`);
    }
    const v = text.trim();
    if (!v) throw new ConfigError(`${what}: secret file ${file} is empty`);
    return v;
  }
  throw new ConfigError(`${what}: no secret source configured`);
}

/** Replaces every occurrence of each secret in `text` (error messages of fetch may quote the URL). */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join("***");
  return out;
}
