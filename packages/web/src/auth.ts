// Access control: with a token configured every route but /login needs "Authorization: Bearer <token>" or the
// session cookie /login sets (an HMAC of the token, so the cookie never holds the token itself). Without a
// token (loopback only) the Host header must name a loopback address, so a DNS-rebinding page cannot read us.
// The WebSocket additionally checks Origin: a page of another site must not subscribe in the user's name.
import { createHmac, timingSafeEqual } from "node:crypto";
import { isLoopback, type WebSettings } from "./settings.ts";

export const COOKIE = "spread_web";

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The cookie value for `token`: stable across restarts, useless for computing the token. */
export function sessionValue(token: string): string {
  return createHmac("sha256", token).update("spread-web session v1").digest("hex");
}

export function cookieOf(req: Request, name: string): string | undefined {
  for (const part of (req.headers.get("cookie") ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

export class Access {
  private readonly session: string;

  constructor(private readonly s: WebSettings) {
    this.session = s.token ? sessionValue(s.token) : "";
  }

  get tokenRequired(): boolean {
    return this.s.token !== "";
  }

  /** The token given at /login is the configured one. */
  tokenMatches(given: string): boolean {
    return this.tokenRequired && same(given, this.s.token);
  }

  /** Why `req` may not be served (a short reason), or null. */
  denied(req: Request): string | null {
    if (!this.tokenRequired) {
      const host = (req.headers.get("host") ?? "").replace(/:\d+$/, "");
      return isLoopback(host) ? null : "host";
    }
    const auth = req.headers.get("authorization") ?? "";
    if (auth.startsWith("Bearer ") && same(auth.slice(7).trim(), this.s.token)) return null;
    const c = cookieOf(req, COOKIE);
    if (c !== undefined && same(c, this.session)) return null;
    return "token";
  }

  /** The WebSocket's Origin is this server (the Host it was reached at) or configured in web.allowed_origins. */
  originAllowed(req: Request): boolean {
    const origin = req.headers.get("origin");
    if (origin === null) return false;
    if (this.s.allowedOrigins.includes(origin)) return true;
    let u: URL;
    try {
      u = new URL(origin);
    } catch {
      return false;
    }
    return (u.protocol === "http:" || u.protocol === "https:") && u.host === req.headers.get("host");
  }

  setCookie(): string {
    return `${COOKIE}=${this.session}; HttpOnly; SameSite=Strict; Path=/; Max-Age=2592000`;
  }
}
