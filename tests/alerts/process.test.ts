// spread-alerts as a process: a shm prefix of its own, a tracker data directory written by the test, a local
// Telegram + webhook receiver. Opened / closed messages from the tracker's files, a system problem and its
// recovery from Health, SIGTERM → exit 0 with Health slot 14 stopped, and the secrets never in the output.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { HealthSlot, ProcessKind, recalibrateWall, wallMicros } from "@spread/common";
import { HealthRecord, HealthState, createAll, unlinkAll, type Shm } from "@spread/shm";
import { waitFor } from "../wait.ts";
import { Receiver } from "./receiver.ts";
import { writeGenerated } from "../tracker/helpers.ts";

const ROOT = resolve(import.meta.dir, "../..");
const prefix = `t-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
const HOOK_SECRET = "B0AAAA/hooksecret9f8e7d6c5b4a";
let dir: string;
let data: string;
let shm: Shm;
let rx: Receiver;
let proc: ReturnType<typeof Bun.spawn> | null = null;
let out = "";
let heart: ReturnType<typeof setInterval> | undefined;
let err = "";

const OPENED_AT = new Date(Date.now() - 2000);
const openedIso = OPENED_AT.toISOString();
const stamp = openedIso.replace(/[-:]/g, "");
const day = openedIso.slice(0, 10);
const rel = `tracks/${day}/${stamp}_okx_spot_mexc_futures_BTC-USDT.csv`;

function status(open: unknown[], closed: unknown[]): void {
  const s = { format: "spread-scanner/tracker-status", written_at: new Date().toISOString(), pid: process.pid, paused: false, disk_failing: false, last_error: null, counters: {}, open, recent_closed: closed };
  writeFileSync(join(data, "tracker-status.json.tmp"), JSON.stringify(s));
  // Atomic like the tracker's own replace.
  renameSync(join(data, "tracker-status.json.tmp"), join(data, "tracker-status.json"));
}

function track(state: string, peak: number | null, closedAt: string | null = null) {
  return {
    direction_id: 0, direction: "okx_spot_mexc_futures", spot_source: "okx_spot", futures_source: "mexc_futures", symbol: "BTC-USDT", state,
    opened_at: openedIso, closed_at: closedAt, duration_s: 2, rows: 10, missed_ticks: 0, peak_gross_pct: peak, last_gross_pct: peak, last_row: state === "open" ? "live" : null,
    file: join(data, rel),
  };
}

/** Feed slot 0 (binance_spot) in `state`; slot 5 (mexc_futures, the opened spread's futures leg) running. */
function feedSlot(state: number): void {
  recalibrateWall(); // the wall clock may have been stepped since this test process calibrated it
  const h = new HealthRecord();
  h.kind = ProcessKind.feed;
  h.pid = process.pid;
  h.startedAt = wallMicros();
  h.heartbeatAt = wallMicros();
  h.state = state;
  shm.health.write(0, h);
  h.state = HealthState.running;
  shm.health.write(5, h);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "alerts-proc-"));
  data = join(dir, "data");
  mkdirSync(join(data, "tracks", day), { recursive: true });
  mkdirSync(join(data, "summary"), { recursive: true });
  shm = createAll(prefix, { force: true }).shm;
  // BTC-USDT is symbol 0; mexc_futures (source 5) publishes its funding: 0.0001 per interval = 0.01 %.
  writeGenerated(join(dir, "generated"), ["BTC-USDT"]);
  const t = wallMicros();
  shm.funding.write(5, 0, 0.0001, Number.NaN, t + 3_600_000_000, 480, t, t, 0);
  rx = new Receiver();
  writeFileSync(join(dir, "hook.url"), `${rx.base}/hook/${HOOK_SECRET}\n`, { mode: 0o600 });
  writeFileSync(join(dir, "config.toml"), [
    `[paths]`, `data = "${data}"`, `generated = "${join(dir, "generated")}"`,
    `[shm]`, `prefix = "${prefix}"`,
    `[log]`, `level = "debug"`,
    `[alerts]`, `poll_ms = 100`, `open_pct = 1.0`, `system_after_s = 0.5`, `backoff_ms = 50`, `health_interval_ms = 200`,
    `[[alerts.telegram]]`, `base_url = "${rx.base}"`, `token_env = "TEST_ALERTS_TG_TOKEN"`, `chat_ids = ["-1001"]`, `per_chat_per_s = 20`,
    `[[alerts.webhook]]`, `name = "ops"`, `shape = "slack"`, `url_file = "${join(dir, "hook.url")}"`, `per_s = 20`, `events = ["system"]`,
  ].join("\n"));
});

afterAll(() => {
  clearInterval(heart);
  if (proc && proc.exitCode === null) proc.kill("SIGKILL");
  rx?.stop();
  unlinkAll(prefix);
  rmSync(dir, { recursive: true, force: true });
});

async function drain(stream: ReadableStream<Uint8Array>, into: (s: string) => void): Promise<void> {
  const dec = new TextDecoder();
  for await (const chunk of stream) into(dec.decode(chunk));
}

describe("spread-alerts process", () => {
  test("--help", () => {
    const r = Bun.spawnSync([process.execPath, join(ROOT, "bins/spread-alerts.ts"), "--help"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.toString()).toContain("spread-alerts");
  });

  test("opened, closed and system alerts; SIGTERM exits 0; secrets never logged", async () => {
    status([], []);
    // A live feed keeps its heartbeat fresh; the test only changes its state.
    let feedState: number = HealthState.running;
    feedSlot(feedState);
    heart = setInterval(() => feedSlot(feedState), 100);
    // The first answer is a 500 whose body quotes the request path (with the token): its log line must be redacted.
    rx.script.telegram.push({ status: 500 });
    const p = Bun.spawn([process.execPath, join(ROOT, "bins/spread-alerts.ts"), "--config", join(dir, "config.toml")], {
      env: { ...process.env, TEST_ALERTS_TG_TOKEN: rx.token, SPREAD_SCANNER_SHM_PREFIX: "", SPREAD_SCANNER_LOG_LEVEL: "" },
      stdout: "pipe", stderr: "pipe",
    });
    proc = p;
    const pumps = [drain(p.stdout as ReadableStream<Uint8Array>, (s) => (out += s)), drain(p.stderr as ReadableStream<Uint8Array>, (s) => (err += s))];
    const rec = new HealthRecord();
    // Logged after its first poll, which only notes what is already open: new trackings come after it.
    await waitFor("spread-alerts running", () => out.includes('"msg":"spread-alerts running"'), 30_000);
    expect(shm.health.read(HealthSlot.alerts, rec) && rec.state === HealthState.running && rec.pid === p.pid).toBe(true);
    expect(rec.kind).toBe(ProcessKind.alerts);

    // A tracking opens: the rows file has a live row above the alert threshold (net 1.38 >= 1).
    writeFileSync(join(data, rel), "ts,direction,symbol,state,spot_bid,spot_ask,futures_bid,futures_ask,gross_pct,net_pct,net_rt_pct,spot_age_ms,futures_age_ms,missed\n"
      + `${openedIso},okx_spot_mexc_futures,BTC-USDT,live,100,100.1,101.6015,101.7,1.5,1.38,1.08,12,20,0\n`);
    status([track("open", 1.5)], []);
    await waitFor("opened delivered", () => rx.delivered("telegram").length >= 1, 30_000);
    expect(rx.delivered("telegram")[0]!.body).toEqual({
      chat_id: "-1001", parse_mode: "HTML", disable_web_page_preview: true,
      text: `<b>OPENED BTC-USDT net 1.38 % gross 1.5 %</b>\nbuy okx_spot at 100.1 (ask), sell mexc_futures at 101.6015 (bid)\ndirection okx_spot_mexc_futures, alert at net &gt;= 1 %\nfunding: 0.01 %\nopened ${openedIso}`,
    });
    expect(rx.received[0]!.answered).toBe(500); // the first attempt failed, the retry went through

    // It closes: the summary line comes from the summary file of the close day.
    const closedAt = new Date(OPENED_AT.getTime() + 61_000).toISOString();
    const summary = `${openedIso},${closedAt},okx_spot_mexc_futures,okx_spot,mexc_futures,BTC-USDT,CONVERGED,61,1.5,0.05,1.5,0.05,0.9,1.38,0.5,net,30,300,0,0,${rel}`;
    writeFileSync(join(data, "summary", `${closedAt.slice(0, 10)}.csv`), "opened_at,closed_at,direction,spot_source,futures_source,symbol,reason,duration_s,first_gross_pct,last_gross_pct,peak_gross_pct,min_gross_pct,mean_gross_pct,peak_net_pct,threshold_pct,threshold_on,time_above_s,rows,missed_ticks,paused_ticks,file\n" + summary + "\n");
    status([], [track("CONVERGED", 1.5, closedAt)]);
    await waitFor("closed delivered", () => rx.delivered("telegram").length >= 2, 30_000);
    expect(rx.delivered("telegram")[1]!.body.text).toBe(
      `<b>CLOSED BTC-USDT CONVERGED after 1m 01s</b>\ndirection okx_spot_mexc_futures, peak gross 1.5 %\nopened ${openedIso}, closed ${closedAt}\n<code>${summary}</code>`,
    );
    // The webhook takes only system events.
    expect(rx.delivered("webhook").length).toBe(0);

    // A feed degrades for longer than system_after_s, then recovers: both channels hear both.
    feedState = HealthState.degraded;
    await waitFor("problem on the webhook", () => rx.delivered("webhook").length >= 1, 30_000);
    const hook = rx.delivered("webhook")[0]!;
    expect(hook.path).toBe(`/hook/${HOOK_SECRET}`);
    expect(hook.body.text).toMatch(/^\*PROBLEM feed:binance_spot\*\nfeed binance_spot is degraded \(0 connections up, 0 symbols stale\) for \d+ s\nat \S+Z$/);
    feedState = HealthState.running;
    await waitFor("recovery on the webhook", () => rx.delivered("webhook").length >= 2, 30_000);
    clearInterval(heart);
    expect(rx.delivered("webhook")[1]!.body.text).toMatch(/^\*RECOVERED feed:binance_spot\*\nfeed binance_spot is publishing again \(after \d+ s\)/);
    await waitFor("telegram has the system pair too", () => rx.delivered("telegram").length >= 4, 30_000);
    await waitFor("Health counts 6 deliveries", () => shm.health.read(HealthSlot.alerts, rec) && rec.updates >= 6, 30_000);

    p.kill("SIGTERM");
    expect(await p.exited).toBe(0);
    await Promise.all(pumps);
    expect(shm.health.read(HealthSlot.alerts, rec)).toBe(true);
    expect(rec.state).toBe(HealthState.stopped);
    expect(rec.updates).toBe(6);
    expect(rec.messages).toBe(4); // opened, closed, problem, recovery

    // The 500's body quoted /bot<token>/sendMessage: logged, redacted.
    expect(out).toContain("alert delivery will be retried");
    expect(out).toContain("/bot***/sendMessage");
    for (const secret of [rx.token, HOOK_SECRET, "hooksecret9f8e7d6c5b4a"]) {
      expect(out.includes(secret)).toBe(false);
      expect(err.includes(secret)).toBe(false);
    }
  }, 120_000);
});
