// One venue, one folder: outside packages/exchanges/src/<venue>/ and packages/sim/src/venues/<venue>/ no code names
// a venue or carries its protocol text, except the places listed below with their reason (docs/adding-a-venue.md).
import { describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { REPO, readText, tsFiles } from "./imports.ts";

const VENUE_DIRS = readdirSync(join(REPO, "packages/exchanges/src"), { withFileTypes: true })
  .filter((d) => d.isDirectory() && d.name !== "engine" && d.name !== "shared")
  .map((d) => d.name);

/** Where venue names may appear in code, and why. */
const ALLOWED: [RegExp, string][] = [
  [/^packages\/exchanges\/src\/(binance|bybit|mexc|okx)\//, "the venue folders"],
  [/^packages\/sim\/src\/venues\/(binance|bybit|mexc|okx)\//, "the simulator's venue folders"],
  [/^packages\/common\/src\/ids\.ts$/, "the source id list"],
  [/^packages\/common\/src\/config\//, "config schema defaults (taker fees per source)"],
  [/^packages\/exchanges\/src\/venues\.ts$|^packages\/exchanges\/index\.ts$/, "the venue registry: one import per folder"],
  [/^packages\/sim\/src\/venues\/index\.ts$/, "the simulator's venue registry: one import per folder"],
  [/^bins\/feed-[a-z]+-(spot|futures)\.ts$/, "one thin entry point per source id"],
  [/^bins\/(exchange-sim|spread-ctl)\.ts$/, "--help text"],
  [/^packages\/sim\/src\/market\/(names|extras)\.ts$|^packages\/sim\/src\/scenario\/schema\.ts$/, "the simulated market's listings (which coins and odd instruments each source lists, their counts)"],
];

/** Protocol text that belongs to one venue: topic names, error texts, notice codes, envelope keys, URL paths. */
const PROTOCOL_TEXT = /orderbook\.1|bbo-tbt|push\.ticker|already subscribed|serverShutdown|64008|\/v5\/public|ret_msg|req_id|\/api\/v3\//;

/** Code without comments (line, block and doc comments); string contents stay. */
function code(text: string): string[] {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ""))
    .split("\n")
    .map((l) => l.replace(/(^|[^:"'`\\])\/\/.*$/, "$1"));
}

function offenders(files: string[], pattern: RegExp, allowed: [RegExp, string][]): string[] {
  const out: string[] = [];
  for (const f of files) {
    if (allowed.some(([re]) => re.test(f))) continue;
    code(readText(f)).forEach((line, i) => {
      if (pattern.test(line)) out.push(`${f}:${i + 1}: ${line.trim().slice(0, 120)}`);
    });
  }
  return out;
}

const SOURCES = [...tsFiles("packages"), ...tsFiles("bins")];

describe("venue facts live in venue folders", () => {
  test("the venue folders are the four exchanges, each with the same file set", () => {
    expect(VENUE_DIRS.sort()).toEqual(["binance", "bybit", "mexc", "okx"]);
    const required = ["book-ticker.ts", "control.ts", "funding.ts", "index.ts", "instruments.ts", "parse.ts", "subscribe.ts", "wire.ts"];
    for (const v of VENUE_DIRS) {
      const files = readdirSync(join(REPO, "packages/exchanges/src", v));
      expect({ v, missing: required.filter((f) => !files.includes(f)) }).toEqual({ v, missing: [] });
    }
  });

  test("no code outside them names a venue (the listed exceptions aside)", () => {
    expect(offenders(SOURCES, /\b(binance|bybit|mexc|okx)/i, ALLOWED)).toEqual([]);
  });

  test("no code outside them carries a venue's protocol text", () => {
    const allowed = ALLOWED.slice(0, 2);
    expect(offenders(SOURCES, PROTOCOL_TEXT, allowed)).toEqual([]);
  });

  test("the check sees code and ignores comments", () => {
    expect(code("const a = 1; // Bybit quirk\n/* OKX\n */ const b = okxThing;")).toEqual(["const a = 1; ", "", " const b = okxThing;"]);
    expect(code('const u = "http://x"; // bybit')).toEqual(['const u = "http://x"; ']);
  });
});
