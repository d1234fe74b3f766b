// Pair Discovery offline stages on the real-size instrument lists (tests/fixtures-discovery, ~700 symbols, 8 venues).
// Target (issue): offline normalization of all 8 real-size lists < 1 s.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SOURCE_NAMES, type SourceName } from "@spread/common";
import { NO_RULES, assignIdentities, buildDirections, buildGeneratedSet, buildRegistry, filterSource, offlineFiles, type Candidate } from "@spread/discovery";
import { ADAPTERS, type RawInstrument } from "@spread/exchanges";
import { report } from "./harness.ts";

const DIR = join(import.meta.dir, "../tests/fixtures-discovery");
const bodies = SOURCE_NAMES.map((_, s) => offlineFiles(DIR, s).map((f) => readFileSync(f, "utf8")));

function timeIt(name: string, fn: () => void, runs: number, target?: string): number {
  for (let i = 0; i < 3; i++) fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = Bun.nanoseconds();
    fn();
    t.push(Bun.nanoseconds() - t0);
  }
  t.sort((a, b) => a - b);
  const ns = t[Math.floor(t.length / 2)]!;
  report({ name, nsPerOp: ns, opsPerSec: 1e9 / ns, ...(target ? { target } : {}), note: `${(ns / 1e6).toFixed(1)} ms median of ${runs}` });
  return ns;
}

let raws: RawInstrument[][] = [];
timeIt("discovery: JSON.parse + parseInstruments, 8 lists", () => {
  raws = bodies.map((pages, s) => pages.flatMap((b) => ADAPTERS[s]!.parseInstruments(JSON.parse(b))));
}, 15);
const total = raws.reduce((k, r) => k + r.length, 0);

let candidates: Candidate[] = [];
timeIt(`discovery: normalize ${total} instruments (filter + names)`, () => {
  candidates = raws.flatMap((r, s) => filterSource(s, r, NO_RULES).candidates);
  assignIdentities(candidates, NO_RULES);
}, 31);

const listings = assignIdentities(candidates, NO_RULES).listings;
timeIt("discovery: registry + 12 directions", () => {
  buildDirections(buildRegistry(listings));
}, 31);

timeIt("discovery: offline normalization, all 8 real-size lists (parse → directions)", () => {
  const rs = bodies.map((pages, s) => pages.flatMap((b) => ADAPTERS[s]!.parseInstruments(JSON.parse(b))));
  const c = rs.flatMap((r, s) => filterSource(s, r, NO_RULES).candidates);
  buildDirections(buildRegistry(assignIdentities(c, NO_RULES).listings));
}, 15, "< 1 s");

const reg = buildRegistry(listings);
const directions = buildDirections(reg);
timeIt("discovery: encode the generated/ set (binaries, text, metadata)", () => {
  buildGeneratedSet({
    sources: SOURCE_NAMES.map((_n: SourceName, s) => ({ source: s, selected: true, fetch: { source: s, ok: true, instruments: raws[s]!, pages: 1, attempts: 1, ms: 0, error: null }, accepted: 0, rejections: [], validation: null, excluded: 0, symbols: 0 })),
    validation: { enabled: false, skippedReason: "bench", minValidated: 6, validated: 0 },
    decisions: [],
    registry: reg,
    directions,
    maxSymbols: 1024,
    startedAt: new Date(0),
    durationMs: 0,
  });
}, 31);
