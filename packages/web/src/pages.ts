// The server-rendered shell of every page and the two embedded assets (bundled into the compiled binary by
// the text imports). The script builds each page's content from /api/* and the WebSocket.
import appJs from "./assets/app.js" with { type: "text" };
import appCss from "./assets/app.css" with { type: "text" };
// uPlot (MIT): the chart of the tracking pages; served only to those.
import uplotJs from "uplot/dist/uPlot.iife.min.js" with { type: "text" };
import uplotCss from "uplot/dist/uPlot.min.css" with { type: "text" };

export const PAGES = ["spreads", "trackings", "track", "pairs", "health"] as const;
export type PageName = (typeof PAGES)[number];

export const ASSETS: Record<string, { body: string; type: string }> = {
  "/app.js": { body: appJs, type: "text/javascript; charset=utf-8" },
  "/app.css": { body: `${uplotCss}\n${appCss}`, type: "text/css; charset=utf-8" },
  "/uplot.js": { body: uplotJs, type: "text/javascript; charset=utf-8" },
};

const TITLES: Record<PageName, string> = { spreads: "Spreads", trackings: "Trackings", track: "Tracking", pairs: "Pairs", health: "Health" };
const NAV: PageName[] = ["spreads", "trackings", "pairs", "health"];

/** `controlEnabled`: the Health page offers pause/resume ([web] control). */
export function shell(page: PageName, loginEnabled: boolean, controlEnabled = false): string {
  const nav = NAV.map((p) => `<a href="/${p}"${p === page || (page === "track" && p === "trackings") ? ' class="on"' : ""}>${TITLES[p]}</a>`).join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${TITLES[page]} · spread-scanner</title><link rel="stylesheet" href="/app.css"></head>
<body data-page="${page}"${controlEnabled ? ' data-control="1"' : ""}><header><b>spread-scanner</b><nav>${nav}</nav><span id="conn" class="conn"></span>${loginEnabled ? '<a class="conn" href="/login">token</a>' : ""}</header>
<main id="main"><p class="muted">loading…</p></main>
${page === "trackings" || page === "track" ? '<script src="/uplot.js"></script>' : ""}<script src="/app.js"></script></body></html>`;
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

export function loginPage(error: string | null): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Log in · spread-scanner</title><link rel="stylesheet" href="/app.css"></head>
<body><header><b>spread-scanner</b></header><main><form method="post" action="/login" class="login">
<p>This dashboard needs the access token (web.token of config.toml).</p>
${error ? `<p class="err">${esc(error)}</p>` : ""}<input type="password" name="token" autocomplete="current-password" autofocus placeholder="token">
<button type="submit">Log in</button></form></main></body></html>`;
}
