// The configured channels as delivery targets: one target per Telegram chat (its own ~1 msg/s budget) sharing
// the bot's overall budget, one per webhook. Secrets are read here and stay inside the transports.
import type { AlertKind, AlertsConfig, TelegramChannelConfig, WebhookChannelConfig } from "@spread/common";
import { type AlertEvent, toMessage } from "./message.ts";
import { telegramText, webhookBody } from "./render.ts";
import { readSecret } from "./secrets.ts";
import { httpTransport, type Transport } from "./transport.ts";

/** Minimum spacing between sends; shared instances model a budget over several targets. */
export class Limiter {
  private next = 0;
  constructor(readonly intervalMs: number) {}
  /** ms until a send is allowed (0 = now). */
  wait(now: number): number {
    return Math.max(0, this.next - now);
  }
  take(now: number): void {
    this.next = Math.max(now, this.next) + this.intervalMs;
  }
  /** A 429 said "not before now + ms". */
  hold(now: number, ms: number): void {
    this.next = Math.max(this.next, now + ms);
  }
}

export interface Target {
  /** For logs and `spread-ctl alerts test`: channel name and chat id; never a secret. */
  readonly label: string;
  readonly channel: string;
  readonly events: ReadonlySet<AlertKind | "digest" | "test">;
  readonly transport: Transport;
  readonly body: (e: AlertEvent) => unknown;
  readonly limiters: readonly Limiter[];
}

function kinds(events: readonly AlertKind[]): Set<AlertKind | "digest" | "test"> {
  const s = new Set<AlertKind | "digest" | "test">(events);
  s.add("test");
  if (s.has("opened")) s.add("digest");
  return s;
}

export function telegramTargets(c: TelegramChannelConfig, env?: Record<string, string | undefined>, transport = httpTransport): Target[] {
  const token = readSecret(`[[alerts.telegram]] ${c.name}`, c.token_env, c.token_file, env);
  const url = `${c.base_url.replace(/\/+$/, "")}/bot${token}/sendMessage`;
  const bot = new Limiter(1000 / c.global_per_s);
  const t = transport(url, [token]);
  return c.chat_ids.map((chat) => ({
    label: `${c.name} chat ${chat}`,
    channel: c.name,
    events: kinds(c.events),
    transport: t,
    body: (e: AlertEvent) => ({ chat_id: chat, text: telegramText(toMessage(e), c.parse_mode), parse_mode: c.parse_mode, disable_web_page_preview: true }),
    limiters: [new Limiter(1000 / c.per_chat_per_s), bot],
  }));
}

export function webhookTarget(c: WebhookChannelConfig, env?: Record<string, string | undefined>, transport = httpTransport): Target {
  const url = readSecret(`[[alerts.webhook]] ${c.name}`, c.url_env, c.url_file, env);
  return {
    label: `${c.name} (${c.shape} webhook)`,
    channel: c.name,
    events: kinds(c.events),
    transport: transport(url, [url, ...urlSecrets(url)]),
    body: (e: AlertEvent) => webhookBody(toMessage(e), c.shape, e),
    limiters: [new Limiter(1000 / c.per_s)],
  };
}

/** Slack and Discord put the token in the path, others in the query: both count as secret, whole. */
function urlSecrets(url: string): string[] {
  try {
    const u = new URL(url);
    return [u.pathname, u.search, ...u.searchParams.values(), u.password].filter((s) => s.length >= 4 && s !== "/");
  } catch {
    return [];
  }
}

/** Every target of [alerts]; throws ConfigError naming the channel whose secret is missing. */
export function buildTargets(cfg: AlertsConfig, env?: Record<string, string | undefined>): Target[] {
  return [...cfg.telegram.flatMap((c) => telegramTargets(c, env)), ...cfg.webhook.map((c) => webhookTarget(c, env))];
}

export function hasChannels(cfg: AlertsConfig): boolean {
  return cfg.telegram.length + cfg.webhook.length > 0;
}
