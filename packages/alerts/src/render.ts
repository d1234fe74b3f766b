// One Message in each channel's wire format. Data is escaped; the markup around it is ours.
import { escapeDiscord, escapeHtml, escapeMarkdownV2, escapeSlack } from "./escape.ts";
import type { AlertEvent, Message } from "./message.ts";

export type ParseMode = "HTML" | "MarkdownV2";

export function telegramText(m: Message, mode: ParseMode): string {
  if (mode === "HTML") {
    const code = m.code !== undefined ? `\n<code>${escapeHtml(m.code)}</code>` : "";
    return `<b>${escapeHtml(m.title)}</b>\n${m.lines.map(escapeHtml).join("\n")}${code}`;
  }
  // Inside `code` only ` and \ are special.
  const code = m.code !== undefined ? `\n\`${m.code.replace(/[`\\]/g, "\\$&")}\`` : "";
  return `*${escapeMarkdownV2(m.title)}*\n${m.lines.map(escapeMarkdownV2).join("\n")}${code}`;
}

export type WebhookShape = "json" | "slack" | "discord";

/** Discord refuses content over 2,000 characters. */
const DISCORD_MAX = 2000;

export function webhookBody(m: Message, shape: WebhookShape, event: AlertEvent): unknown {
  switch (shape) {
    case "slack": {
      const code = m.code !== undefined ? `\n\`${escapeSlack(m.code)}\`` : "";
      return { text: `*${escapeSlack(m.title)}*\n${m.lines.map(escapeSlack).join("\n")}${code}` };
    }
    case "discord": {
      const code = m.code !== undefined ? `\n\`${m.code.replace(/`/g, "'")}\`` : "";
      const text = `**${escapeDiscord(m.title)}**\n${m.lines.map(escapeDiscord).join("\n")}${code}`;
      // No @everyone / role pings from data.
      return { content: text.slice(0, DISCORD_MAX), allowed_mentions: { parse: [] } };
    }
    case "json":
      return { source: "spread-scanner", kind: event.kind, title: m.title, lines: m.lines, ...(m.code !== undefined ? { summary: m.code } : {}), event };
  }
}
