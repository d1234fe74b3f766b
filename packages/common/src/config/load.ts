// Reads a TOML file and validates it with a zod schema; every failure names the file and the key path.
import { readFileSync } from "node:fs";
import toml from "toml";
import { z } from "zod";
import { ConfigError } from "../errors.ts";

export function formatZodIssues(file: string, error: z.ZodError): string {
  const lines = error.issues.map((issue) => {
    const path = issue.path.length ? issue.path.join(".") : "(root)";
    if (issue.code === "unrecognized_keys") {
      const keys = issue.keys.map((k) => (issue.path.length ? `${path}.${k}` : k));
      return `${file}: unknown key ${keys.join(", ")}`;
    }
    return `${file}: ${path}: ${issue.message}`;
  });
  return lines.join("\n");
}

/** Parses TOML text; errors carry the file name, line and column. */
export function parseTomlText(file: string, text: string): unknown {
  try {
    return toml.parse(text);
  } catch (err) {
    // The parser puts the position in `location`; `line`/`column` on a thrown Error are Bun's own stack position.
    const e = err as { location?: { start?: { line?: number; column?: number } }; message?: string };
    const at = e.location?.start;
    const where = at?.line !== undefined ? `:${at.line}:${at.column ?? 0}` : "";
    throw new ConfigError(`${file}${where}: invalid TOML: ${e.message ?? String(err)}`);
  }
}

export function readTomlFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(`${file}: cannot read config file (${code ?? String(err)})`);
  }
  return parseTomlText(file, text);
}

/** Validates already-parsed data; throws one ConfigError listing every problem. */
export function validateWith<S extends z.ZodType>(file: string, schema: S, data: unknown): z.output<S> {
  const result = schema.safeParse(data);
  if (!result.success) throw new ConfigError(formatZodIssues(file, result.error));
  return result.data;
}

export function loadTomlWith<S extends z.ZodType>(file: string, schema: S): z.output<S> {
  return validateWith(file, schema, readTomlFile(file));
}
