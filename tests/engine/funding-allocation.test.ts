// skip_if_funding_erases runs inside the engine's evaluation: zero GCs over 1 M evaluations that read the futures
// leg's funding and hold the spread back (and as many that let it through to the tracked-state check).
import { expect, test } from "bun:test";
import { join } from "node:path";
import { Decision } from "@spread/engine";
import { gcCountDuring } from "../exchanges/helpers-parse-fuzz.ts";

const engine = JSON.stringify(join(import.meta.dir, "../../packages/engine/index.ts"));
const common = JSON.stringify(join(import.meta.dir, "../../packages/common/index.ts"));

function probe(rate: number, decision: number): number {
  const setup = `import { SourceSymbolIndex, SpreadEngine, engineSettings } from ${engine};
import { DIRECTIONS, EngineSchema, wallMicros } from ${common};
const now = wallMicros();
let seq = 0;
const prices = { readQuote(src, sym, out) { const fut = src === DIRECTIONS[0].futures; out.bid = fut ? 101 : 99.9; out.ask = fut ? 101.1 : 100; out.flags = 1; out.updatedAt = now; out.seq = ++seq; return true; } };
const funding = { read(src, sym, out) { out.rate = ${rate}; out.nextFundingAt = now + 1800e6; out.intervalMin = 60; out.flags = 1; return true; } };
const tracked = { state() { return 1; }, tryClaim() { return false; }, unclaim() {} };
const dirs = { generation: "g", numSymbols: 4, directions: DIRECTIONS.map((d) => ({ ...d, symbols: Uint16Array.of(3) })) };
const cfg = EngineSchema.parse({ open_on: "gross", open_spread_pct: 0.5, persist_evals: 1, persist_ms: 0, skip_if_funding_erases: true, funding_horizon: 4 });
const e = new SpreadEngine({ prices, bitmap: {}, events: {}, tracked, tracker: { wake() {} }, funding }, engineSettings(cfg), new SourceSymbolIndex(dirs));
e.beginPass(now, 1);
const D = DIRECTIONS[0];
if (e.evaluatePair(D.id, 3, D.spot, D.futures, 0) !== ${decision}) throw new Error("unexpected decision");`;
  return gcCountDuring(setup, "sink += e.evaluatePair(D.id, 3, D.spot, D.futures, 0);", 1_000_000);
}

test("evaluations through the funding filter allocate nothing (held back, and let through)", () => {
  expect(probe(-0.003, Decision.withheld)).toBe(0); // 4 × −0.3 % erases 1 %
  expect(probe(0.0001, Decision.suppressed)).toBe(0); // passes the filter; the (fake) pair is already tracked
}, 120_000);
