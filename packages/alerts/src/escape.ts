// Escaping for the text formats the channels speak. Telegram rejects a whole message (400 "can't parse
// entities") for one unescaped character, so every piece of data goes through these, never the markup itself.

/** Telegram HTML parse mode: only & < > are special (and " inside attributes, which we never build). */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Telegram MarkdownV2: every one of _ * [ ] ( ) ~ ` > # + - = | { } . ! and \ must be preceded by \. */
export function escapeMarkdownV2(s: string): string {
  return s.replace(/[_*[\]()~`>#+\-=|{}.!\\]/g, "\\$&");
}

/** Slack mrkdwn: & < > are the control characters (https://api.slack.com/reference/surfaces/formatting#escaping). */
export const escapeSlack = escapeHtml;

/** Discord markdown: backslash-escape the characters that start formatting. */
export function escapeDiscord(s: string): string {
  return s.replace(/[\\*_~`|>]/g, "\\$&");
}
