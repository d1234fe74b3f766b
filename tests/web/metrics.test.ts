// /metrics: Prometheus text from prom-client with every Health counter per process, trackings, signals,
// suspects, bus drops and scrape time; validated by `promtool check metrics` where promtool is installed.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { WebBed } from "./bed.ts";

const bed = new WebBed();
beforeAll(async () => {
  bed.start(["BTC-USDT", "ETH-USDT"]);
  bed.closedTracking(0, "ETH-USDT", Date.now() - 30_000, [1.1, 0.05]);
  await bed.listen();
});
afterAll(() => bed.cleanup());

test("/metrics carries the Health counters per process and the system figures", async () => {
  const r = await fetch(`${bed.url}/metrics`);
  expect(r.status).toBe(200);
  expect(r.headers.get("content-type")).toContain("text/plain");
  const text = await r.text();
  expect(text).toMatch(/spread_process_messages_total\{slot="0",process="\w+",kind="feed"\} \d+/);
  expect(text).toMatch(/spread_process_up\{slot="8",process="engine",kind="engine"\} 1/);
  expect(text).toContain("spread_signals_total 7");
  expect(text).toContain("spread_suspects 2");
  expect(text).toContain('spread_trackings{state="open"} 0');
  expect(text).toMatch(/spread_event_bus_dropped_total 0/);
  expect(text).toMatch(/spread_web_scrape_duration_seconds [\d.e-]+/);
  expect(text).toContain('spread_process_state{slot="8",process="engine",kind="engine",state="running"} 1');
});

test("promtool check metrics passes", async () => {
  const promtool = Bun.which("promtool");
  if (!promtool) {
    console.warn("promtool not installed (apt-get install prometheus): check skipped");
    return;
  }
  const text = await (await fetch(`${bed.url}/metrics`)).text();
  const p = Bun.spawnSync([promtool, "check", "metrics"], { stdin: new TextEncoder().encode(text), stdout: "pipe", stderr: "pipe", timeout: 20_000 });
  const out = p.stdout.toString() + p.stderr.toString();
  expect(out).toBe("");
  expect(p.exitCode).toBe(0);
});
