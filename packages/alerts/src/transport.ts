// One HTTP delivery attempt per call, bounded by AbortSignal.timeout. The result says whether to retry and
// when; its error text is redacted (the URL of a Telegram or Discord call contains the token).
import { redact } from "./secrets.ts";

export type SendResult =
  | { readonly ok: true; readonly status: number }
  | { readonly ok: false; readonly status: number; readonly retryable: boolean; readonly retryAfterMs: number | null; readonly error: string };

export interface Transport {
  /** Posts `body` as JSON. `status` 0: no HTTP answer (network error or timeout). */
  post(body: unknown, timeoutMs: number): Promise<SendResult>;
}

/** Telegram's answer on errors: {"ok":false,"error_code":429,"description":"...","parameters":{"retry_after":3}}. */
interface TelegramReply {
  ok?: boolean;
  description?: string;
  parameters?: { retry_after?: number };
  retry_after?: number;
}

function retryAfterMs(res: Response, reply: TelegramReply | null): number | null {
  const fromBody = reply?.parameters?.retry_after ?? reply?.retry_after; // Telegram / Discord
  if (typeof fromBody === "number" && Number.isFinite(fromBody) && fromBody >= 0) return Math.ceil(fromBody * 1000);
  const h = res.headers.get("retry-after");
  if (h !== null && /^\d+(\.\d+)?$/.test(h.trim())) return Math.ceil(Number(h) * 1000);
  return null;
}

export function httpTransport(url: string, secrets: readonly string[]): Transport {
  return {
    async post(body, timeoutMs) {
      let res: Response;
      try {
        res = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs),
          redirect: "error",
        });
      } catch (err) {
        const e = err as Error;
        const timedOut = e.name === "TimeoutError" || e.name === "AbortError";
        return { ok: false, status: 0, retryable: true, retryAfterMs: null, error: timedOut ? `timeout after ${timeoutMs} ms` : redact(`${e.name}: ${e.message}`, secrets) };
      }
      let text = "";
      try {
        text = await res.text();
      } catch {
        // the status is what matters
      }
      let reply: TelegramReply | null = null;
      try {
        reply = text ? (JSON.parse(text) as TelegramReply) : null;
      } catch {
        // webhooks answer "ok" or nothing
      }
      // Telegram answers 200 with ok:false never in practice, but a 200 without ok:false is success either way.
      if (res.ok && reply?.ok !== false) return { ok: true, status: res.status };
      const status = res.status;
      const description = redact((reply?.description ?? text).slice(0, 200), secrets);
      if (status === 429) return { ok: false, status, retryable: true, retryAfterMs: retryAfterMs(res, reply), error: `429 ${description}` };
      return { ok: false, status, retryable: status >= 500 || status === 408, retryAfterMs: null, error: `${status} ${description}` };
    },
  };
}
