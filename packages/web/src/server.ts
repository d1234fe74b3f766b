// Bun.serve routes: pages (one shell, one script), /api/* JSON, /metrics, /login, /ws. Nothing here writes to
// shared memory except POST /api/control, which exists only with [web] control = true (control.ts); the process
// otherwise maps only its own Health slot (cli.ts).
import type { Server, ServerWebSocket } from "bun";
import { errorMessage, wallMicros, type Logger } from "@spread/common";
import { parseSince, parseSpreadsArgs } from "@spread/ctl";
import { Access } from "./auth.ts";
import { WebControl } from "./control.ts";
import { Metrics } from "./metrics.ts";
import { ASSETS, PAGES, loginPage, shell, type PageName } from "./pages.ts";
import { newClient, Pusher, type Client } from "./push.ts";
import type { WebSettings } from "./settings.ts";
import type { WebState } from "./state.ts";

export interface WebCounters {
  requests: number;
  denied: number;
  /** Control commands written through POST /api/control. */
  controls: number;
}

const json = (v: unknown, status = 200) =>
  new Response(JSON.stringify(v), { status, headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" } });

const SECURITY_HEADERS = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "content-security-policy": "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'",
};

function withHeaders(res: Response): Response {
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.headers.set(k, v);
  return res;
}

const CONTROL_BODY_MAX = 4096;

/** The request body as text, or null once it passes `max` bytes (the rest is never buffered). */
async function readLimited(req: Request, max: number): Promise<string | null> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > max) return null;
  if (!req.body) return "";
  const chunks: Uint8Array[] = [];
  let n = 0;
  for await (const chunk of req.body) {
    n += chunk.byteLength;
    if (n > max) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export interface WebServer {
  readonly server: Server<Client>;
  readonly pusher: Pusher;
  readonly counters: WebCounters;
  stop(): void;
}

export function startServer(s: WebSettings, st: WebState, log?: Logger): WebServer {
  const access = new Access(s);
  const pusher = new Pusher();
  const counters: WebCounters = { requests: 0, denied: 0, controls: 0 };
  const control = s.control ? new WebControl(s.prefix, st.app.shm.allow_foreign_owner) : null;

  async function controlRoute(req: Request): Promise<Response> {
    if (req.method !== "POST") return new Response("405 POST only\n", { status: 405, headers: { allow: "POST" } });
    if (control === null) return json({ ok: false, error: "control is disabled ([web] control = false): the dashboard is read-only" }, 403);
    if ((req.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase() !== "application/json") {
      return json({ ok: false, error: "content-type: expected application/json" }, 415);
    }
    if (req.headers.get("origin") !== null && !access.originAllowed(req)) {
      counters.denied++;
      return json({ ok: false, error: "Origin not allowed" }, 403);
    }
    // A command is ~50 bytes: anything much larger is not one, and is not read into memory.
    const text = await readLimited(req, CONTROL_BODY_MAX);
    if (text === null) return json({ ok: false, error: `body: larger than ${CONTROL_BODY_MAX} bytes` }, 413);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return json({ ok: false, error: "body: not JSON" }, 400);
    }
    const r = control.apply(body);
    if (r.body.ok) {
      counters.controls++;
      log?.info({ done: r.body.done, via: req.headers.get("authorization") ? "bearer" : "cookie" }, "control command");
    } else {
      log?.warn({ status: r.status, error: r.body.error }, "control command refused");
    }
    return json(r.body, r.status);
  }
  const metrics = new Metrics(st, pusher);

  async function route(req: Request, server: Server<Client>): Promise<Response | undefined> {
    const url = new URL(req.url);
    const path = url.pathname;
    if (path === "/login") {
      if (!access.tokenRequired) return Response.redirect("/", 303);
      if (req.method === "POST") {
        const form = await req.formData().catch(() => null);
        const given = form?.get("token");
        if (typeof given === "string" && access.tokenMatches(given)) {
          return new Response(null, { status: 303, headers: { location: "/", "set-cookie": access.setCookie() } });
        }
        counters.denied++;
        return new Response(loginPage("wrong token"), { status: 401, headers: { "content-type": "text/html; charset=utf-8" } });
      }
      return new Response(loginPage(null), { headers: { "content-type": "text/html; charset=utf-8" } });
    }
    // Static assets hold no data; the login page needs its stylesheet before any session exists.
    const asset = ASSETS[path];
    if (asset && req.method === "GET") return new Response(asset.body, { headers: { "content-type": asset.type, "cache-control": "max-age=300" } });
    const why = access.denied(req);
    if (why !== null) {
      counters.denied++;
      if (why === "host") return new Response("Host not allowed: use 127.0.0.1 or localhost\n", { status: 403 });
      const wantsPage = req.method === "GET" && (req.headers.get("accept") ?? "").includes("text/html");
      if (wantsPage) return new Response(null, { status: 303, headers: { location: "/login" } });
      return new Response("401 unauthorized: Authorization: Bearer <token> or log in at /login\n", { status: 401, headers: { "www-authenticate": 'Bearer realm="spread-web"' } });
    }
    if (path === "/ws") {
      if (!access.originAllowed(req)) {
        counters.denied++;
        return new Response("403 WebSocket Origin not allowed\n", { status: 403 });
      }
      const topics = (url.searchParams.get("topics") ?? "").split(",");
      if (server.upgrade(req, { data: newClient(topics) })) return undefined;
      return new Response("400 expected a WebSocket upgrade\n", { status: 400 });
    }
    if (path === "/api/control") return controlRoute(req);
    if (req.method !== "GET" && req.method !== "HEAD") return new Response("405 read-only\n", { status: 405, headers: { allow: "GET, HEAD" } });
    if (path === "/") return Response.redirect("/spreads", 302);
    if ((PAGES as readonly string[]).includes(path.slice(1))) {
      return new Response(shell(path.slice(1) as PageName, access.tokenRequired, control !== null), { headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } });
    }
    if (path.startsWith("/api/") || path === "/metrics") st.ensureFresh(wallMicros());
    if (path === "/api/spreads") {
      const q = url.searchParams;
      let f;
      try {
        f = parseSpreadsArgs(
          { direction: q.get("direction") ?? undefined, symbol: q.get("symbol") ?? undefined, min: q.get("min") ?? undefined, by: q.get("by") ?? undefined, limit: q.get("limit") ?? String(s.topN), staleMs: q.get("stale_ms") ?? undefined },
          { by: st.app.engine.open_on, staleMs: st.app.engine.stale_after_ms },
        );
      } catch (err) {
        return json({ error: errorMessage(err).replace(/^--stale-ms/, "stale_ms").replace(/^--/, "") }, 400);
      }
      return json(st.spreadsWith({ ...f, includeStale: q.get("stale") === "1" }));
    }
    if (path === "/api/health") return json(st.health());
    if (path === "/api/trackings") return json(await st.trackingsNow());
    if (path === "/api/track") {
      const series = st.series.read(url.searchParams.get("file") ?? "", Date.now());
      return series ? json(series) : json({ error: "no such rows file under the data directory's tracks/" }, 404);
    }
    if (path === "/api/stats") {
      let since: number;
      try {
        since = parseSince(url.searchParams.get("since") ?? "7d", Date.now());
      } catch (err) {
        return json({ error: errorMessage(err).replace(/^--since/, "since") }, 400);
      }
      return json({ since: new Date(since).toISOString(), ...st.stats(since) });
    }
    if (path === "/metrics") {
      const body = await metrics.render(counters);
      return new Response(body, { headers: { "content-type": metrics.contentType } });
    }
    return new Response("404 not found\n", { status: 404 });
  }

  let timer: ReturnType<typeof setInterval> | null = null;
  const server = Bun.serve<Client>({
    hostname: s.bind,
    port: s.port,
    async fetch(req, srv) {
      counters.requests++;
      try {
        const res = await route(req, srv);
        return res === undefined ? undefined : withHeaders(res);
      } catch (err) {
        return new Response(`500 ${errorMessage(err)}\n`, { status: 500 });
      }
    },
    websocket: {
      perMessageDeflate: false,
      open(ws: ServerWebSocket<Client>) {
        pusher.clients.add(ws);
        if (timer === null) timer = setInterval(push, s.pushIntervalMs);
      },
      message() {
        // Clients only listen; the topics are chosen at connect time.
      },
      close(ws: ServerWebSocket<Client>) {
        pusher.clients.delete(ws);
        if (pusher.clients.size === 0 && timer !== null) {
          clearInterval(timer);
          timer = null;
        }
      },
    },
  });
  // The push timer runs only while a client is connected; without one nothing is read until a request asks
  // (ensureFresh) and the process does not even wake up for it: an idle dashboard costs nothing.
  function push(): void {
    st.refresh(wallMicros(), pusher.needs());
    pusher.tick(st);
  }
  st.refresh(wallMicros());
  return {
    server,
    pusher,
    counters,
    stop() {
      if (timer !== null) clearInterval(timer);
      timer = null;
      for (const ws of pusher.clients) ws.close(1001, "server stopping");
      server.stop(true);
    },
  };
}
