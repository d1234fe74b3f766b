// --offline DIR: saved REST responses instead of the network: <source>.json, or <source>.1.json, <source>.2.json, …
// for pages. A source without a file counts as failed; a file the adapter cannot parse fails the source too.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SOURCE_NAMES, errorMessage } from "@spread/common";
import type { RawInstrument, VenueAdapter } from "@spread/exchanges";
import { fail, ok } from "./fetch.ts";
import type { SourceFetch } from "./types.ts";

/** The saved pages of one source in order; [] when none exist. */
export function offlineFiles(dir: string, source: number): string[] {
  const name = SOURCE_NAMES[source]!;
  const single = join(dir, `${name}.json`);
  if (existsSync(single)) return [single];
  const pages: string[] = [];
  for (let i = 1; existsSync(join(dir, `${name}.${i}.json`)); i++) pages.push(join(dir, `${name}.${i}.json`));
  return pages;
}

export function readOffline(adapter: VenueAdapter, dir: string): SourceFetch {
  const t0 = performance.now();
  const name = SOURCE_NAMES[adapter.source]!;
  const files = offlineFiles(dir, adapter.source);
  if (files.length === 0) return fail(adapter.source, 0, t0, 0, `${name}: no ${name}.json or ${name}.1.json in ${dir}`);
  const instruments: RawInstrument[] = [];
  for (const f of files) {
    let body: unknown;
    try {
      body = JSON.parse(readFileSync(f, "utf8"));
    } catch (err) {
      return fail(adapter.source, 0, t0, 0, `${f}: ${errorMessage(err)}`);
    }
    try {
      instruments.push(...adapter.parseInstruments(body));
    } catch (err) {
      return fail(adapter.source, 0, t0, 0, `${f}: ${errorMessage(err)}`);
    }
  }
  return ok(adapter.source, instruments, files.length, 0, t0);
}
