// The one loader of the recorded exchange payloads vendored in tests/fixtures/ (tests/fixtures/README.md).
// Paths are relative to that folder, given whole ("okx_swap/ws_messages.json") or in parts ("okx_swap",
// "ws_messages.json"). Nothing here reads the caller's environment or anything outside the repository.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/** Absolute path of tests/fixtures. */
export const FIXTURES = join(import.meta.dir, "fixtures");

/** Absolute path of a fixture file; throws naming the path when it is missing (a typo, not an empty test). */
export function fixturePath(...parts: string[]): string {
  const p = join(FIXTURES, ...parts);
  if (!existsSync(p)) throw new Error(`fixture ${parts.join("/")} does not exist (looked in ${FIXTURES})`);
  return p;
}

export function fixtureText(...parts: string[]): string {
  return readFileSync(fixturePath(...parts), "utf8");
}

export function fixtureJson(...parts: string[]): any {
  return JSON.parse(fixtureText(...parts));
}

export function fixtureBytes(...parts: string[]): Uint8Array {
  return new Uint8Array(readFileSync(fixturePath(...parts)));
}

/** Non-empty lines of a .jsonl file, verbatim (each is one frame as received). */
export function fixtureLines(...parts: string[]): string[] {
  return fixtureText(...parts)
    .split("\n")
    .filter((l) => l.trim() !== "");
}

/** Non-empty lines of a .jsonl file, each parsed. */
export function fixtureJsonLines(...parts: string[]): any[] {
  return fixtureLines(...parts).map((l) => JSON.parse(l));
}

/** Lines of {"_note","msg"}: the frame is the msg re-serialized compactly, as the venue sends it. */
export function noteFrames(...parts: string[]): { note: string; frame: string }[] {
  return fixtureJsonLines(...parts).map((o: { _note: string; msg: unknown }) => ({ note: o._note, frame: JSON.stringify(o.msg) }));
}

/**
 * Files of a fixture folder as sorted relative paths, so tests can prove each one is used. `recursive` walks
 * sub-folders ("frames/x.bin"); `withSources` keeps the SOURCE.txt provenance files.
 */
export function listFixtures(dir: string, opts: { recursive?: boolean; withSources?: boolean } = {}): string[] {
  const root = fixturePath(dir);
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(root, rel))) {
      const p = rel ? `${rel}/${name}` : name;
      if (statSync(join(root, p)).isDirectory()) {
        if (opts.recursive) walk(p);
      } else if (opts.withSources || name !== "SOURCE.txt") out.push(p);
    }
  };
  walk("");
  return out.sort();
}
