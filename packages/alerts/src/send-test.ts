// spread-ctl alerts test: one test message to every configured target, each result reported.
import type { AlertsConfig } from "@spread/common";
import { buildTargets } from "./channels.ts";
import type { SendResult } from "./transport.ts";

export interface TestResult {
  readonly target: string;
  readonly result: SendResult;
}

/** Sends concurrently (different targets), one attempt each, bounded by [alerts] timeout_ms. */
export async function sendTestMessages(cfg: AlertsConfig, env?: Record<string, string | undefined>, nowMs = Date.now()): Promise<TestResult[]> {
  const targets = buildTargets(cfg, env);
  return Promise.all(targets.map(async (t) => ({ target: t.label, result: await t.transport.post(t.body({ kind: "test", channel: t.label, atMs: nowMs }), cfg.timeout_ms) })));
}

export function renderTestResults(results: readonly TestResult[]): string {
  if (results.length === 0) return "no alert channels configured ([[alerts.telegram]] / [[alerts.webhook]] in config.toml)";
  return results.map((r) => `${r.result.ok ? "ok    " : "FAILED"} ${r.target}${r.result.ok ? ` (HTTP ${r.result.status})` : `: ${r.result.error}`}`).join("\n");
}
