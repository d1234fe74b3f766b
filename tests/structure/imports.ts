// Reads the repository's TypeScript sources as text for the structure tests: files per folder and the module
// specifiers each one imports (static, dynamic, re-exports, text imports).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

export const REPO = join(import.meta.dir, "../..");

/** Every .ts file below `dir` (repository-relative paths), node_modules skipped. */
export function tsFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      if (name === "node_modules") continue;
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith(".ts")) out.push(relative(REPO, p));
    }
  };
  walk(join(REPO, dir));
  return out.sort();
}

/** A module specifier after `from`, `import(` or a bare `import`; no spaces or commas (which rules out prose). */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)["']([^"'\s,]+)["']/gm;

/** Module specifiers of one file, with their line numbers. Comments are not stripped: none of ours quote imports. */
export function importsOf(file: string): { spec: string; line: number }[] {
  const text = readFileSync(join(REPO, file), "utf8");
  const out: { spec: string; line: number }[] = [];
  for (const m of text.matchAll(SPECIFIER)) out.push({ spec: m[1]!, line: text.slice(0, m.index).split("\n").length });
  return out;
}

export function readText(file: string): string {
  return readFileSync(join(REPO, file), "utf8");
}
