// [alerts] of config/config.toml: spread-alerts (packages/alerts). Secrets (the Telegram bot token, webhook URLs
// that carry a token) never appear here in clear: each channel names an environment variable or a file that
// holds them, and the schema refuses a key that looks like an inline secret.
import { z } from "zod";
import { count, ms, seconds, urlSchema } from "./bounds.ts";

export const ALERT_KINDS = ["opened", "closed", "system"] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

const events = z.array(z.enum(ALERT_KINDS)).min(1).default([...ALERT_KINDS]);
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, "must be an environment variable name");
const name = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "must be 1-64 characters of A-Z a-z 0-9 _ . -");

/** Exactly one of `<key>_env` / `<key>_file` (the secret's source). */
function oneSecret(key: string) {
  return (c: Record<string, unknown>, ctx: z.RefinementCtx) => {
    const n = (c[`${key}_env`] !== undefined ? 1 : 0) + (c[`${key}_file`] !== undefined ? 1 : 0);
    if (n !== 1) ctx.addIssue({ code: "custom", path: [`${key}_env`], message: `set exactly one of ${key}_env or ${key}_file (the secret is never written in config.toml)` });
  };
}

export const TelegramChannelSchema = z
  .strictObject({
    name: name.default("telegram"),
    base_url: urlSchema(["https", "http"]).default("https://api.telegram.org"),
    token_env: envName.optional(),
    token_file: z.string().min(1).optional(),
    chat_ids: z.array(z.union([z.string().regex(/^(-?\d{1,20}|@[A-Za-z0-9_]{5,64})$/, "must be a numeric chat id or @channelname"), z.number().int()])).min(1).max(100),
    parse_mode: z.enum(["HTML", "MarkdownV2"]).default("HTML"),
    /** Telegram: about one message per second into one chat, 30 per second over the whole bot. */
    per_chat_per_s: z.number().positive().max(30).default(1),
    global_per_s: z.number().positive().max(30).default(30),
    events,
  })
  .superRefine(oneSecret("token"));

export const WEBHOOK_SHAPES = ["json", "slack", "discord"] as const;
export const WebhookChannelSchema = z
  .strictObject({
    name: name.default("webhook"),
    shape: z.enum(WEBHOOK_SHAPES).default("json"),
    /** The full URL (Slack and Discord URLs carry their token in the path), read from the env or a file. */
    url_env: envName.optional(),
    url_file: z.string().min(1).optional(),
    per_s: z.number().positive().max(100).default(1),
    events,
  })
  .superRefine(oneSecret("url"));

export const AlertsSchema = z
  .strictObject({
    /** How often the tracker's status file and Health are read. */
    poll_ms: ms(100).max(60_000).default(1000),
    /** What open_pct is compared with; separate from [engine] open_on / open_spread_pct. */
    open_on: z.enum(["gross", "net"]).default("net"),
    open_pct: z.number().positive().max(1000).default(1),
    /** A tracking is alerted only while it is younger than this (older ones were missed, e.g. at a restart). */
    open_window_s: seconds().default(60),
    /** closed alerts: only for trackings whose opening was alerted ("alerted") or every closed one ("all"). */
    closed: z.enum(["alerted", "all", "none"]).default("alerted"),
    /** No second "opened" for the same (direction, symbol) within this. */
    cooldown_s: count(0, 86400).default(300),
    /** A feed down or degraded for longer than this is reported (and its recovery). */
    system_after_s: seconds().default(30),
    /** Opened messages per channel target per digest_window_s; the rest become one digest line. */
    burst_max: count(1, 10000).default(10),
    digest_window_s: seconds().default(60),
    queue_max: count(1, 100000).default(500),
    timeout_ms: ms(100).max(120_000).default(10_000),
    retries: count(0, 20).default(3),
    backoff_ms: ms(1).max(600_000).default(1000),
    health_interval_ms: ms().default(1000),
    telegram: z.array(TelegramChannelSchema).max(16).default([]),
    webhook: z.array(WebhookChannelSchema).max(16).default([]),
  })
  .superRefine((a, ctx) => {
    const seen = new Set<string>();
    for (const [k, list] of [["telegram", a.telegram], ["webhook", a.webhook]] as const) {
      list.forEach((c, i) => {
        if (seen.has(c.name)) ctx.addIssue({ code: "custom", path: [k, i, "name"], message: `channel name "${c.name}" is used twice` });
        seen.add(c.name);
      });
    }
  });
export type AlertsConfig = z.output<typeof AlertsSchema>;
export type TelegramChannelConfig = z.output<typeof TelegramChannelSchema>;
export type WebhookChannelConfig = z.output<typeof WebhookChannelSchema>;
