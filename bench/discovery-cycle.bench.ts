// Full Pair Discovery cycle (REST → normalize → WS validation → price checks → atomic write) over real sockets,
// ~700 symbols on 8 venues, DEFAULT timeouts (90 s batch, 30 s collect, 10 s idle, 350 ms connect spacing).
// 1. against the exchange simulator's default scenario (A.4-sized universe, 2 silent pairs per source, a quiet
//    tail of rarely updating symbols, 3000 updates/s) in this process;
// 2. against the in-test venue stub (tests/discovery/stub-exchange.ts) serving the real-size lists, with 2 silent
//    pairs and one refused pair per source.
// Target (issue): ≤ 45 s.
//
//   [DISCOVERY_CYCLE_STUB=0] bun bench/discovery-cycle.bench.ts [--json FILE]
// DISCOVERY_CYCLE_STUB=0 runs only the simulator cycle; --json writes each cycle's duration (bench/system.bench.ts).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DiscoverySchema, SOURCE_NAMES, createLogger, loadExchangesConfig, type ExchangesConfig } from "@spread/common";
import { NullProgress, runDiscovery, type DiscoveryResult } from "@spread/discovery";
import { EXCHANGE_LIMITS, ADAPTERS } from "@spread/exchanges";
import { startSim } from "@spread/sim";
import { plainBases } from "../tests/fixtures-discovery/universe.ts";
import { startStubExchanges, type StubQuote } from "../tests/discovery/stub-exchange.ts";
import { report, writeJsonResult } from "./harness.ts";

const cycles: { label: string; ms: number; symbols: number; sources: string[] }[] = [];

async function cycle(label: string, exchanges: ExchangesConfig): Promise<DiscoveryResult> {
  const out = mkdtempSync(join(tmpdir(), "discovery-cycle-"));
  try {
    const t0 = performance.now();
    const r = await runDiscovery({
      discovery: DiscoverySchema.parse({}),
      exchanges,
      outputDir: out,
      offlineDir: null,
      validate: true,
      skipReason: null,
      minSources: 6,
      sources: SOURCE_NAMES.map((_, i) => i),
      adapters: ADAPTERS,
      progress: new NullProgress(),
      shmPrefix: null,
    });
    const ms = performance.now() - t0;
    const per = r.summary.sources.map((s) => {
      const pairs = [...(s.validation?.pairs.values() ?? [])];
      return `${SOURCE_NAMES[s.source]} ${((s.validation?.ms ?? 0) / 1000).toFixed(1)}s ${pairs.filter((p) => p.status === "valid").length}/${pairs.length}`;
    });
    cycles.push({ label, ms, symbols: r.summary.registry.symbols.length, sources: per });
    report({ name: `discovery: full cycle vs ${label}, ${r.summary.registry.symbols.length} symbols, default timeouts`, nsPerOp: ms * 1e6, opsPerSec: 1000 / ms, target: "≤ 45 s", note: `${(ms / 1000).toFixed(1)} s; ${per.join(", ")}` });
    return r;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const sim = await startSim({ exchanges: join(import.meta.dir, "../config/exchanges.sim.toml"), ephemeral: true, controlPort: null, logger: createLogger("exchange-sim", "silent") });
try {
  await cycle("simulator (default scenario)", sim.exchangesConfig());
} finally {
  await sim.stop();
}

if (process.env.DISCOVERY_CYCLE_STUB === "0") {
  writeJsonResult({ cycles });
  process.exit(0);
}

const REAL_SIZE = join(import.meta.dir, "../tests/fixtures-discovery");
const faults = new Map<string, StubQuote["behavior"]>();
SOURCE_NAMES.forEach((n, s) => {
  const b = plainBases(n);
  const sym = (x: string) => (s === 5 ? `${x}_USDT` : s === 6 ? `${x}-USDT` : s === 7 ? `${x}-USDT-SWAP` : `${x}USDT`);
  faults.set(`${s}:${sym(b[100]!)}`, "silent");
  faults.set(`${s}:${sym(b[200]!)}`, "silent");
  faults.set(`${s}:${sym(b[150]!)}`, "unknown");
});
const stub = startStubExchanges({ restDir: REAL_SIZE, pushEveryMs: 1000, override: (s, x, q) => ({ ...q, behavior: faults.get(`${s}:${x}`) ?? q.behavior }) });
try {
  await cycle("venue stub", loadExchangesConfig(stub.exchangesFile, EXCHANGE_LIMITS));
} finally {
  stub.stop();
}
writeJsonResult({ cycles });
