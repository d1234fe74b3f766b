// Package boundaries: a package imports another only through its public index and only when its package.json
// declares it; relative imports stay inside their package; bins/ use package APIs only; no dependency cycles.
import { describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { REPO, importsOf, readText, tsFiles } from "./imports.ts";

const PACKAGES = readdirSync(join(REPO, "packages")).sort();
const ROOT = JSON.parse(readText("package.json")) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
/** Third-party packages the product may use (the README's runtime list). */
const RUNTIME = new Set(Object.keys(ROOT.dependencies).filter((d) => !d.startsWith("@spread/")));

function declared(pkg: string): Set<string> {
  const pj = JSON.parse(readText(`packages/${pkg}/package.json`)) as { name: string; dependencies?: Record<string, string> };
  expect(pj.name).toBe(`@spread/${pkg}`);
  return new Set(Object.keys(pj.dependencies ?? {}));
}

/** What a specifier is: a sibling package, a third-party package, a builtin, or a relative path. */
function problem(pkg: string | null, file: string, spec: string, deps: Set<string>): string | null {
  if (spec.startsWith("bun:") || spec.startsWith("node:") || spec === "bun") return null;
  if (spec.startsWith(".")) {
    const target = normalize(join(dirname(file), spec));
    if (pkg !== null) return target.startsWith(`packages/${pkg}/`) ? null : `reaches outside its package: ${spec}`;
    return target.startsWith("packages/") ? `imports a package's internals (use its index): ${spec}` : null;
  }
  const m = /^@spread\/([a-z]+)(\/.*)?$/.exec(spec);
  if (m) {
    if (m[2] !== undefined) return `imports a package's internals (use its index): ${spec}`;
    if (pkg === null) return null;
    if (m[1] === pkg) return `imports its own package by name: ${spec}`;
    return deps.has(spec) ? null : `imports ${spec} without declaring it in packages/${pkg}/package.json`;
  }
  const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!;
  return RUNTIME.has(name) ? null : `imports ${name}, which is not a runtime dependency of the repository`;
}

describe("package boundaries", () => {
  test("every cross-package import is declared, goes through the package index, and relative imports stay inside", () => {
    const bad: string[] = [];
    for (const pkg of PACKAGES) {
      const deps = declared(pkg);
      const used = new Set<string>();
      for (const file of tsFiles(`packages/${pkg}`)) {
        for (const { spec, line } of importsOf(file)) {
          if (spec.startsWith("@spread/")) used.add(spec);
          const p = problem(pkg, file, spec, deps);
          if (p !== null) bad.push(`${file}:${line}: ${p}`);
        }
      }
      for (const d of deps) if (!used.has(d)) bad.push(`packages/${pkg}/package.json declares ${d} but never imports it`);
    }
    expect(bad).toEqual([]);
  });

  test("bins/ import packages through their index only", () => {
    const bad: string[] = [];
    for (const file of tsFiles("bins")) {
      for (const { spec, line } of importsOf(file)) {
        const p = problem(null, file, spec, new Set());
        if (p !== null) bad.push(`${file}:${line}: ${p}`);
      }
    }
    expect(bad).toEqual([]);
  });

  test("the declared dependencies form no cycle", () => {
    const graph = new Map(PACKAGES.map((p) => [p, [...declared(p)].map((d) => d.slice("@spread/".length))]));
    const state = new Map<string, 1 | 2>();
    const cycles: string[] = [];
    const visit = (p: string, path: string[]) => {
      if (state.get(p) === 2) return;
      if (state.get(p) === 1) {
        cycles.push([...path.slice(path.indexOf(p)), p].join(" → "));
        return;
      }
      state.set(p, 1);
      for (const d of graph.get(p) ?? []) visit(d, [...path, p]);
      state.set(p, 2);
    };
    for (const p of PACKAGES) visit(p, []);
    expect(cycles).toEqual([]);
  });

  test("the checker catches what it is meant to catch", () => {
    expect(problem("sim", "packages/sim/src/sim.ts", "../../../config/exchanges.sim.toml", new Set())).toContain("outside its package");
    expect(problem("discovery", "packages/discovery/src/reload.ts", "@spread/shm", new Set())).toContain("without declaring");
    expect(problem(null, "bins/exchange-sim.ts", "../packages/sim/src/ready.ts", new Set())).toContain("internals");
    expect(problem("feed", "packages/feed/src/runtime.ts", "@spread/exchanges/src/engine/pool.ts", new Set(["@spread/exchanges"]))).toContain("internals");
    expect(problem("feed", "packages/feed/src/runtime.ts", "left-pad", new Set())).toContain("not a runtime dependency");
    expect(problem("feed", "packages/feed/src/runtime.ts", "@spread/shm", new Set(["@spread/shm"]))).toBeNull();
  });
});
