// The temp directories of the test suites: one made per call, removed by its cleanup or after the file's tests.
import { afterAll } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A fresh directory under the OS temp dir named `<prefix>-<tag>-XXXXXX`, and the function that removes it. */
export function tempDir(prefix: string, tag: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-${tag}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A temp dir per call, all removed after the file's tests (call at module level of a test file). */
export function tempDirs(prefix: string): (tag: string) => string {
  const cleanups: (() => void)[] = [];
  afterAll(() => cleanups.forEach((c) => c()));
  return (tag) => {
    const t = tempDir(prefix, tag);
    cleanups.push(t.cleanup);
    return t.dir;
  };
}
