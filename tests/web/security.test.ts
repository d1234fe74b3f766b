// spread-web's access rules: a non-loopback bind without a token refuses to start; with a token every route but
// /login and the static assets needs it (bearer or the login cookie); the WebSocket checks the token and the
// Origin; without a token a non-loopback Host is refused (DNS rebinding). Also --help, SIGTERM and the slot.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { HealthSlot } from "@spread/common";
import { HealthRecord, HealthState } from "@spread/shm";
import { ROOT } from "../tracker/helpers.ts";
import { TOKEN, WebBed } from "./bed.ts";

function run(args: string[], env: Record<string, string> = {}) {
  const p = Bun.spawnSync([process.execPath, join(ROOT, "bins/spread-web.ts"), ...args], { env: { ...process.env, ...env }, stdout: "pipe", stderr: "pipe", timeout: 20_000 });
  return { code: p.exitCode, out: p.stdout.toString(), err: p.stderr.toString() };
}

/** Opens a WebSocket and resolves with the first message, or rejects with how it failed. */
function wsFirst(url: string, headers: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers } as unknown as string[]);
    const t = setTimeout(() => (ws.close(), reject(new Error("timeout"))), 8000);
    ws.onmessage = (ev) => (clearTimeout(t), ws.close(), resolve(String(ev.data)));
    ws.onerror = () => (clearTimeout(t), reject(new Error("refused")));
    ws.onclose = (ev) => (clearTimeout(t), reject(new Error(`closed ${ev.code}`)));
  });
}

describe("spread-web without a token", () => {
  const bed = new WebBed();
  beforeAll(async () => {
    bed.start(["BTC-USDT"]);
    await bed.listen();
  });
  afterAll(() => bed.cleanup());

  test("--help exits 0", () => {
    const r = run(["--help"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("--bind");
  });

  test("a non-loopback bind without a token refuses to start (exit 2, naming web.token)", () => {
    const r = run(["--config", bed.configFile, "--bind", "0.0.0.0"], { SPREAD_SCANNER_SHM_PREFIX: bed.prefix });
    expect(r.code).toBe(2);
    expect(r.err).toContain("web.token_env");
  });

  test("a second spread-web on the same prefix is refused: no Health slot free", () => {
    const r = run(["--config", bed.configFile], { SPREAD_SCANNER_SHM_PREFIX: bed.prefix });
    expect(r.code).toBe(4);
    expect(r.err).toContain("no Health slot free");
  });

  test("a Host that is not loopback is refused (DNS rebinding); loopback Hosts are served", async () => {
    expect((await fetch(`${bed.url}/api/health`, { headers: { host: "evil.example:8787" } })).status).toBe(403);
    expect((await fetch(`${bed.url}/api/health`, { headers: { host: "localhost:8787" } })).status).toBe(200);
  });

  test("the WebSocket needs an Origin of this server", async () => {
    const ws = `${bed.url.replace("http", "ws")}/ws?topics=health`;
    await expect(wsFirst(ws, { origin: "http://evil.example" })).rejects.toThrow();
    await expect(wsFirst(ws, {})).rejects.toThrow();
    const msg = JSON.parse(await wsFirst(ws, { origin: bed.url })) as { health?: { processes: unknown[] } };
    expect(msg.health?.processes.length).toBeGreaterThanOrEqual(10);
  });

  test("SIGTERM: exit 0 and the Health slot says stopped", async () => {
    const code = await bed.proc!.stop(5000);
    expect(code).toBe(0);
    const rec = new HealthRecord();
    expect(bed.shm.health.read(HealthSlot.web, rec)).toBe(true);
    expect(rec.state).toBe(HealthState.stopped);
    bed.proc = null;
  });
});

describe("spread-web with a token", () => {
  const bed = new WebBed();
  beforeAll(async () => {
    bed.start(["BTC-USDT"], { token_env: "SPREAD_WEB_TOKEN" });
    await bed.listen();
  });
  afterAll(() => bed.cleanup());

  test("401 without or with a wrong token; 200 with the bearer token", async () => {
    for (const p of ["/api/health", "/api/spreads", "/api/trackings", "/metrics"]) {
      expect((await fetch(`${bed.url}${p}`)).status).toBe(401);
      expect((await fetch(`${bed.url}${p}`, { headers: { authorization: "Bearer wrong-token-wrong-token" } })).status).toBe(401);
      expect((await fetch(`${bed.url}${p}`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    }
    // A browser asking for a page is sent to the login form instead.
    const page = await fetch(`${bed.url}/spreads`, { headers: { accept: "text/html" }, redirect: "manual" });
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toBe("/login");
  });

  test("/login sets an HttpOnly cookie that is not the token; the cookie opens pages and the WebSocket", async () => {
    const bad = await fetch(`${bed.url}/login`, { method: "POST", body: new URLSearchParams({ token: "nope" }), redirect: "manual" });
    expect(bad.status).toBe(401);
    expect(bad.headers.get("set-cookie")).toBeNull();
    const ok = await fetch(`${bed.url}/login`, { method: "POST", body: new URLSearchParams({ token: TOKEN }), redirect: "manual" });
    expect(ok.status).toBe(303);
    const setCookie = ok.headers.get("set-cookie")!;
    expect(setCookie).toContain("HttpOnly");
    expect(setCookie).not.toContain(TOKEN);
    const cookie = setCookie.split(";")[0]!;
    expect((await fetch(`${bed.url}/spreads`, { headers: { cookie } })).status).toBe(200);
    const ws = `${bed.url.replace("http", "ws")}/ws?topics=spreads`;
    await expect(wsFirst(ws, { origin: bed.url })).rejects.toThrow();
    await expect(wsFirst(ws, { origin: "http://evil.example", cookie })).rejects.toThrow();
    const msg = JSON.parse(await wsFirst(ws, { origin: bed.url, cookie })) as { spreads?: unknown };
    expect(msg.spreads).toBeDefined();
  });
});
