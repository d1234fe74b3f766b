// Full Pair Discovery cycle (REST → normalize → WS validation → price checks → atomic write) over real sockets,
// ~700 symbols on 8 venues, DEFAULT timeouts (90 s batch, 30 s collect, 10 s idle, 350 ms connect spacing).
// Venues: the in-test stub (tests/discovery/stub-exchange.ts) serving the real-size lists; 2 silent pairs and one
// refused pair per source so batches must wait for the idle timeout. Target (issue): ≤ 45 s.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DiscoverySchema, SOURCE_NAMES, loadExchangesConfig } from "@spread/common";
import { NullProgress, runDiscovery } from "@spread/discovery";
import { ADAPTERS } from "@spread/exchanges";
import { plainBases } from "../tests/fixtures-discovery/universe.ts";
import { startStubExchanges, type StubQuote } from "../tests/discovery/stub-exchange.ts";
import { report } from "./harness.ts";

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
const out = mkdtempSync(join(tmpdir(), "discovery-cycle-"));
try {
  const t0 = performance.now();
  const r = await runDiscovery({
    discovery: DiscoverySchema.parse({}),
    exchanges: loadExchangesConfig(stub.exchangesFile),
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
  const slowest = r.summary.sources.map((s) => `${SOURCE_NAMES[s.source]} ${((s.validation?.ms ?? 0) / 1000).toFixed(1)}s/${s.validation?.connections}c`).join(", ");
  report({ name: `discovery: full cycle vs stub, ${r.summary.registry.symbols.length} symbols, default timeouts`, nsPerOp: ms * 1e6, opsPerSec: 1000 / ms, target: "≤ 45 s", note: `${(ms / 1000).toFixed(1)} s; ${slowest}` });
} finally {
  stub.stop();
  rmSync(out, { recursive: true, force: true });
}
