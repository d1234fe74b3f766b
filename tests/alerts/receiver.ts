// A local HTTP server that speaks the Telegram Bot API's sendMessage (POST /bot<token>/sendMessage) and takes
// webhook POSTs (any other path). Each request takes the next scripted behaviour of its path kind: answer ok,
// 429 with retry_after, a 5xx whose body quotes the request path (so redaction is tested), or hang.
import type { Server } from "bun";

export type Behaviour = "ok" | { status: 429; retryAfterS: number } | { status: number } | "hang";

export interface Received {
  readonly kind: "telegram" | "webhook";
  readonly path: string;
  readonly body: any;
  readonly atMs: number;
  /** The answer given (hang: "hang"). */
  readonly answered: number | "hang";
}

export class Receiver {
  readonly received: Received[] = [];
  readonly script: { telegram: Behaviour[]; webhook: Behaviour[] } = { telegram: [], webhook: [] };
  private readonly hanging: (() => void)[] = [];
  readonly server: Server<undefined>;

  constructor(readonly token = "123456:SECRET-token_abcdefghijklmnop") {
    this.server = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      fetch: async (req) => {
        const url = new URL(req.url);
        const kind = url.pathname.startsWith("/bot") ? "telegram" : "webhook";
        const body = await req.json().catch(() => null);
        const b = this.script[kind].shift() ?? "ok";
        const answered = b === "ok" ? 200 : b === "hang" ? "hang" : b.status;
        this.received.push({ kind, path: url.pathname, body, atMs: Date.now(), answered });
        if (kind === "telegram" && url.pathname !== `/bot${this.token}/sendMessage`) {
          return Response.json({ ok: false, error_code: 401, description: "Unauthorized" }, { status: 401 });
        }
        if (b === "hang") return new Promise<Response>((resolve) => this.hanging.push(() => resolve(new Response("late"))));
        if (b === "ok") return kind === "telegram" ? Response.json({ ok: true, result: { message_id: this.received.length } }) : new Response("ok");
        if (b.status === 429) {
          const retry = (b as { retryAfterS: number }).retryAfterS;
          return Response.json({ ok: false, error_code: 429, description: `Too Many Requests: retry after ${retry}`, parameters: { retry_after: retry } }, { status: 429 });
        }
        return Response.json({ ok: false, error_code: b.status, description: `failure at ${url.pathname}` }, { status: b.status });
      },
    });
  }

  get base(): string {
    return `http://127.0.0.1:${this.server.port}`;
  }

  /** Successful deliveries of a kind, in arrival order. */
  delivered(kind: "telegram" | "webhook"): Received[] {
    return this.received.filter((r) => r.kind === kind && r.answered === 200);
  }

  stop(): void {
    for (const h of this.hanging) h();
    this.server.stop(true);
  }
}
