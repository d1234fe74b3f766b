// [web] control: POST /api/control pauses and resumes processes through the Control region, only when enabled,
// only with the token, only with a JSON body and (for a browser) this server's Origin. Off by default; on without
// a token refuses to start.
/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { HealthSlot } from "@spread/common";
import { Command, GlobalFlag } from "@spread/shm";
import { ROOT } from "../tracker/helpers.ts";
import { TOKEN, WebBed } from "./bed.ts";

const CHROMIUM = Bun.which("chromium") ?? Bun.which("chromium-browser");
const bearer = { authorization: `Bearer ${TOKEN}` };
const jsonHeaders = { ...bearer, "content-type": "application/json" };
const post = (url: string, body: unknown, headers: Record<string, string> = jsonHeaders) =>
  fetch(`${url}/api/control`, { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) });

describe("[web] control off (the default)", () => {
  const bed = new WebBed();
  beforeAll(async () => {
    bed.start(["BTC-USDT"], { token_env: "SPREAD_WEB_TOKEN" });
    await bed.listen();
  });
  afterAll(() => bed.cleanup());

  test("POST /api/control is refused with the token too, and nothing is written", async () => {
    const r = await post(bed.url, { action: "pause", target: "binance_spot" });
    expect(r.status).toBe(403);
    expect(((await r.json()) as { error: string }).error).toContain("control is disabled");
    expect(bed.shm.control.pendingCommands(0)).toBe(0);
    expect(bed.shm.control.globalFlags() & GlobalFlag.pause).toBe(0);
    // The Health page offers no buttons.
    expect(await (await fetch(`${bed.url}/health`, { headers: bearer })).text()).not.toContain("data-control");
  });
});

describe("[web] control = true", () => {
  test("without a token: refuses to start (exit 2, naming web.control), also on loopback", async () => {
    const bed = new WebBed();
    try {
      bed.start(["BTC-USDT"], { control: true });
      const p = Bun.spawnSync([process.execPath, join(ROOT, "bins/spread-web.ts"), "--config", bed.configFile], {
        env: { ...process.env, SPREAD_SCANNER_SHM_PREFIX: bed.prefix }, stdout: "pipe", stderr: "pipe", timeout: 20_000,
      });
      expect(p.exitCode).toBe(2);
      expect(p.stderr.toString() + p.stdout.toString()).toContain("web.control = true needs web.token_env or web.token_file");
    } finally {
      await bed.cleanup();
    }
  });

  describe("with a token", () => {
    const bed = new WebBed();
    beforeAll(async () => {
      bed.start(["BTC-USDT"], { token_env: "SPREAD_WEB_TOKEN", control: true });
      await bed.listen();
    });
    afterAll(() => bed.cleanup());

    test("no token: 401; wrong method, body type, action, target or Origin: refused with the reason; nothing written", async () => {
      const noToken = await fetch(`${bed.url}/api/control`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ action: "pause", target: "all" }) });
      expect(noToken.status).toBe(401);
      expect((await fetch(`${bed.url}/api/control`, { headers: bearer })).status).toBe(405);
      expect((await post(bed.url, { action: "pause", target: "all" }, { ...bearer, "content-type": "text/plain" })).status).toBe(415);
      const cases: [unknown, number, string][] = [
        ["{not json", 400, "body: not JSON"],
        [{ action: "kill", target: "engine" }, 400, "action"],
        [{ action: "pause" }, 400, "target"],
        [{ action: "pause", target: "nope" }, 400, 'target: unknown target "nope"'],
        [{ action: "pause", target: "engine", extra: 1 }, 400, "body"],
        [{ action: "pause", target: "web" }, 400, 'target: "web" cannot be paused from the web'],
      ];
      for (const [body, status, error] of cases) {
        const r = await post(bed.url, body);
        expect(r.status).toBe(status);
        expect(((await r.json()) as { error: string }).error).toContain(error);
      }
      const huge = await post(bed.url, JSON.stringify({ action: "pause", target: "all", pad: "x".repeat(100_000) }));
      expect(huge.status).toBe(413);
      expect(((await huge.json()) as { error: string }).error).toBe("body: larger than 4096 bytes");
      const foreign = await post(bed.url, { action: "pause", target: "all" }, { ...jsonHeaders, origin: "http://evil.example" });
      expect(foreign.status).toBe(403);
      for (let s = 0; s < 16; s++) expect(bed.shm.control.pendingCommands(s)).toBe(0);
      expect(bed.shm.control.globalFlags() & GlobalFlag.pause).toBe(0);
    });

    test("bearer: pause and resume one feed and the engine; the commands land in their Control slots", async () => {
      const r = await post(bed.url, { action: "pause", target: "okx_futures" });
      expect(r.status).toBe(200);
      expect(((await r.json()) as { done: string }).done).toBe("pause: okx_futures (slot 7)");
      expect(bed.shm.control.pendingCommands(7)).toBe(Command.pause);
      // RESUME cancels the pending PAUSE, as with spread-ctl.
      expect((await post(bed.url, { action: "resume", target: "okx_futures" })).status).toBe(200);
      expect(bed.shm.control.pendingCommands(7)).toBe(Command.resume);
      expect((await post(bed.url, { action: "pause", target: "engine" })).status).toBe(200);
      expect(bed.shm.control.pendingCommands(HealthSlot.engine)).toBe(Command.pause);
      bed.shm.control.takeCommands(7);
      bed.shm.control.takeCommands(HealthSlot.engine);
    });

    test("the login cookie with this server's Origin (the Health page's buttons): pause all, resume all; counted in /metrics", async () => {
      const login = await fetch(`${bed.url}/login`, { method: "POST", body: new URLSearchParams({ token: TOKEN }), redirect: "manual" });
      const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
      const page = { cookie, origin: bed.url, "content-type": "application/json" };
      expect(await (await fetch(`${bed.url}/health`, { headers: { cookie } })).text()).toContain('data-control="1"');
      expect((await post(bed.url, { action: "pause", target: "all" }, page)).status).toBe(200);
      expect(bed.shm.control.globalFlags() & GlobalFlag.pause).toBe(GlobalFlag.pause);
      expect((await post(bed.url, { action: "resume", target: "all" }, page)).status).toBe(200);
      expect(bed.shm.control.globalFlags() & GlobalFlag.pause).toBe(0);
      const metrics = await (await fetch(`${bed.url}/metrics`, { headers: bearer })).text();
      expect(metrics).toMatch(/^spread_web_control_commands_total 5$/m);
    });

    test.skipIf(!CHROMIUM)("in chromium: log in, the Health page's pause button of a feed and 'pause all' write Control", async () => {
      const { chromium } = await import("playwright-core");
      const browser = await chromium.launch({ executablePath: CHROMIUM!, args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
      try {
        const page = await browser.newPage({ viewport: { width: 1360, height: 600 } });
        await page.goto(`${bed.url}/health`);
        await page.waitForURL(/\/login$/);
        await page.fill("input[name=token]", TOKEN);
        await page.click("button[type=submit]");
        await page.goto(`${bed.url}/health`);
        await page.waitForSelector('button.ctl[data-target="binance_spot"]', { timeout: 15_000 });
        await page.click('button.ctl[data-target="binance_spot"]');
        await page.waitForFunction(() => document.body.textContent!.includes("sent: pause: binance_spot (slot 0)"), undefined, { timeout: 10_000 });
        expect(bed.shm.control.pendingCommands(0)).toBe(Command.pause);
        await page.click('button.ctl[data-target="all"][data-action="pause"]');
        await page.waitForFunction(() => document.body.textContent!.includes("sent: pause: all processes"), undefined, { timeout: 10_000 });
        expect(bed.shm.control.globalFlags() & GlobalFlag.pause).toBe(GlobalFlag.pause);
        await page.click('button.ctl[data-target="all"][data-action="resume"]');
        await page.waitForFunction(() => document.body.textContent!.includes("sent: resume: all processes"), undefined, { timeout: 10_000 });
        expect(bed.shm.control.globalFlags() & GlobalFlag.pause).toBe(0);
      } finally {
        await browser.close().catch(() => {});
      }
    }, 60_000);
  });
});
