import { loadExchangesConfig, DiscoverySchema, SOURCE_NAMES } from "@spread/common";
import { LogProgress, runDiscovery } from "@spread/discovery";
import { ADAPTERS } from "@spread/exchanges";
import { createLogger } from "@spread/common";
import { startStubExchanges } from "./tests/discovery/stub-exchange.ts";
const stub = startStubExchanges({ restDir: "tests/fixtures-discovery", pushEveryMs: 300 });
const t0 = performance.now();
try {
const r = await runDiscovery({
  discovery: { ...DiscoverySchema.parse({}), batch_timeout_s: 10, collect_s: 5, idle_s: 1, connect_interval_ms: 0 },
  exchanges: loadExchangesConfig(stub.exchangesFile),
  outputDir: "/tmp/gen-stub", offlineDir: null, validate: true, skipReason: null, minSources: 6,
  sources: SOURCE_NAMES.map((_, i) => i), adapters: ADAPTERS, progress: new LogProgress(createLogger("t", "warn")), shmPrefix: null,
});
console.log("ms", performance.now() - t0, r.summary.registry.symbols.length, r.summary.directions.map(d=>d.length).join(" "));
} finally { stub.stop(); }
