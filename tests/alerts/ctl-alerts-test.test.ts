// spread-ctl alerts test: one test message per target, a result line each, exit 1 when any failed.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Receiver } from "./receiver.ts";

const ROOT = resolve(import.meta.dir, "../..");
let dir: string;
let rx: Receiver;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "alerts-ctl-"));
  rx = new Receiver();
  writeFileSync(join(dir, "config.toml"), [
    `[alerts]`, `timeout_ms = 3000`,
    `[[alerts.telegram]]`, `name = "traders"`, `base_url = "${rx.base}"`, `token_env = "TEST_CTL_TG"`, `chat_ids = ["-1001", "-1002"]`, `parse_mode = "MarkdownV2"`,
    `[[alerts.webhook]]`, `name = "ops"`, `shape = "discord"`, `url_env = "TEST_CTL_HOOK"`,
  ].join("\n"));
});
afterAll(() => {
  rx.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Async: the receiver lives in this process, so its event loop must keep running while spread-ctl waits. */
async function run(): Promise<{ code: number; out: string; err: string }> {
  const r = Bun.spawn([process.execPath, join(ROOT, "bins/spread-ctl.ts"), "alerts", "test", "--config", join(dir, "config.toml")], {
    env: { ...process.env, TEST_CTL_TG: rx.token, TEST_CTL_HOOK: `${rx.base}/api/webhooks/1/discordsecretXYZ123`, SPREAD_SCANNER_CONFIG: "", SPREAD_SCANNER_SHM_PREFIX: "" },
    stdout: "pipe", stderr: "pipe",
  });
  const [code, out, err] = await Promise.all([r.exited, new Response(r.stdout).text(), new Response(r.stderr).text()]);
  return { code, out, err };
}

test("every target gets the test message; a failing one makes exit 1 and is named", async () => {
  rx.script.webhook.push({ status: 503 });
  const bad = await run();
  expect(bad.code).toBe(1);
  expect(bad.out.trim().split("\n").sort()).toEqual([
    "FAILED ops (discord webhook): 503 failure at ***",
    "ok     traders chat -1001 (HTTP 200)",
    "ok     traders chat -1002 (HTTP 200)",
  ]);
  const tg = rx.delivered("telegram").map((r) => r.body).sort((a, b) => a.chat_id.localeCompare(b.chat_id));
  expect(tg.map((b) => b.chat_id)).toEqual(["-1001", "-1002"]);
  expect(tg[0].parse_mode).toBe("MarkdownV2");
  expect(tg[0].text).toMatch(/^\*spread\\-alerts test message\*\nchannel traders chat \\-1001, sent \d{4}\\-\d\d\\-\d\dT\d\d:\d\d:\d\d\\\.\d{3}Z$/);

  const good = await run();
  expect(good.code).toBe(0);
  expect(good.out).toContain("ok     ops (discord webhook) (HTTP 200)");
  expect(rx.delivered("webhook")[0]!.body.content).toMatch(/^\*\*spread-alerts test message\*\*\nchannel ops \(discord webhook\), sent /);
  expect(good.out + good.err + bad.out + bad.err).not.toContain("discordsecretXYZ123");
  expect(good.out + good.err + bad.out + bad.err).not.toContain(rx.token);
}, 60_000);

test("a missing secret is a config error (exit 2) naming the variable, not a value", () => {
  const r = Bun.spawnSync([process.execPath, join(ROOT, "bins/spread-ctl.ts"), "alerts", "test", "--config", join(dir, "config.toml")], {
    env: { ...process.env, TEST_CTL_TG: "", TEST_CTL_HOOK: "", SPREAD_SCANNER_CONFIG: "", SPREAD_SCANNER_SHM_PREFIX: "" },
  });
  expect(r.exitCode).toBe(2);
  expect(r.stderr.toString()).toContain("[[alerts.telegram]] traders: environment variable TEST_CTL_TG is not set or empty");
}, 30_000);
