// The one stdout line a launcher waits for: JSON (pino-shaped) with msg "ready" and every listening address.
import type { SimHandle } from "./sim.ts";

export function readyLine(sim: SimHandle): string {
  return JSON.stringify({
    level: 30,
    time: new Date().toISOString(),
    pid: process.pid,
    proc: "exchange-sim",
    scenario: sim.scenario.name,
    seed: sim.seed,
    control: sim.controlUrl,
    sources: sim.urls,
    msg: "ready",
  });
}
