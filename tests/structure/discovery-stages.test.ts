// Pair Discovery's stage numbers agree everywhere: each stage file's header, the pipeline, the package index,
// README and architecture.md, all against DISCOVERY_STAGES (the run order in pipeline.ts).
import { describe, expect, test } from "bun:test";
import { DISCOVERY_STAGES } from "@spread/discovery";
import { readText } from "./imports.ts";

type Stage = (typeof DISCOVERY_STAGES)[number];

/** Which stage each file implements. */
const FILES: Record<string, Stage> = {
  "fetch.ts": "fetch",
  "normalize.ts": "normalize",
  "multiplier.ts": "normalize",
  "validate.ts": "validate",
  "collision.ts": "price-check",
  "registry.ts": "registry",
  "directions.ts": "directions",
  "generate.ts": "write",
  "atomic.ts": "write",
  "reload.ts": "reload",
};

/** How prose names each stage. */
const WORDS: Record<Stage, RegExp> = {
  fetch: /fetch|REST instrument lists/,
  normalize: /normaliz/,
  validate: /WS validation/,
  "price-check": /price checks/,
  registry: /registry|SymbolRegistry/,
  directions: /directions/,
  write: /generated\//,
  reload: /reload/,
};

/** "N word" pairs of a numbered chain ("1 fetch → 2 normalize → ..."), as stage → number. */
function numbered(text: string): Map<Stage, number> {
  const out = new Map<Stage, number>();
  for (const part of text.split("→")) {
    const m = /(\d+)\s+(.*)/.exec(part.trim());
    if (!m) continue;
    const stage = DISCOVERY_STAGES.find((s) => WORDS[s].test(m[2]!));
    if (stage !== undefined && !out.has(stage)) out.set(stage, Number(m[1]));
  }
  return out;
}

describe("discovery stage numbers", () => {
  test("every stage file's header names its stage's number", () => {
    const bad: string[] = [];
    for (const [file, stage] of Object.entries(FILES)) {
      const head = readText(`packages/discovery/src/${file}`).split("\n")[0]!;
      const m = /^\/\/ Stage (\d+)[ab]?\b/.exec(head);
      const want = DISCOVERY_STAGES.indexOf(stage) + 1;
      if (!m || Number(m[1]) !== want) bad.push(`${file}: "${head.slice(0, 40)}…" should say Stage ${want} (${stage})`);
    }
    expect(bad).toEqual([]);
  });

  test("the pipeline, the package index, README and architecture.md number all eight stages the same way", () => {
    const docs: [string, string][] = [
      ["packages/discovery/src/pipeline.ts", readText("packages/discovery/src/pipeline.ts").split("\nimport")[0]!],
      ["packages/discovery/index.ts", readText("packages/discovery/index.ts").split("\nexport")[0]!],
      ["README.md", readText("README.md").split("\n").find((l) => l.startsWith("| `packages/discovery`"))!],
      ["docs/architecture.md", readText("docs/architecture.md").split("\n").find((l) => l.startsWith("| pair-discovery"))!],
    ];
    const want = new Map(DISCOVERY_STAGES.map((s, i) => [s, i + 1]));
    for (const [name, text] of docs) expect({ name, stages: numbered(text.replace(/\n\/\/ ?/g, " ")) }).toEqual({ name, stages: want });
  });

  test("the checker reads a chain", () => {
    expect(numbered("1 fetch → 3 registry → 2 WS validation")).toEqual(new Map<Stage, number>([["fetch", 1], ["registry", 3], ["validate", 2]]));
  });
});
