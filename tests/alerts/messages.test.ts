// Exact text of every message kind in each wire format, and the escaping each format needs.
import { describe, expect, test } from "bun:test";
import { escapeHtml, escapeMarkdownV2, telegramText, toMessage, webhookBody, type ClosedEvent, type OpenedEvent, type SystemEvent } from "@spread/alerts";

const T0 = Date.parse("2026-12-03T07:45:12.200Z");
const OPENED: OpenedEvent = {
  kind: "opened", direction: "okx_spot_mexc_futures", spotSource: "okx_spot", futuresSource: "mexc_futures", symbol: "BTC-USDT",
  openedAtMs: T0, grossPct: 1.5, netPct: 1.38, spotAsk: 100.1, futuresBid: 101.6015, fundingPct: null, thresholdPct: 1, thresholdOn: "net",
};
const SUMMARY = "2026-12-03T07:45:12.200Z,2026-12-03T08:47:13.400Z,okx_spot_mexc_futures,okx_spot,mexc_futures,BTC-USDT,CONVERGED,3721.2,1.5,0.08,2.25,0.08,1.1,2.1,0.5,net,600.2,18606,0,0,tracks/2026-12-03/20261203T074512.200Z_okx_spot_mexc_futures_BTC-USDT.csv";
const CLOSED: ClosedEvent = {
  kind: "closed", direction: "okx_spot_mexc_futures", symbol: "BTC-USDT", reason: "CONVERGED", openedAtMs: T0, closedAtMs: T0 + 3_721_200, peakGrossPct: 2.25, summary: SUMMARY,
};
const SYSTEM: SystemEvent = { kind: "system", key: "feed:okx_spot", problem: true, text: "feed okx_spot is down (dead) for 31 s", atMs: T0 };

describe("message text", () => {
  test("opened, HTML", () => {
    expect(telegramText(toMessage(OPENED), "HTML")).toBe(
      "<b>OPENED BTC-USDT net 1.38 % gross 1.5 %</b>\n" +
        "buy okx_spot at 100.1 (ask), sell mexc_futures at 101.6015 (bid)\n" +
        "direction okx_spot_mexc_futures, alert at net &gt;= 1 %\n" +
        "funding: n/a\n" +
        "opened 2026-12-03T07:45:12.200Z",
    );
  });

  test("opened, MarkdownV2: every reserved character escaped", () => {
    expect(telegramText(toMessage({ ...OPENED, fundingPct: -0.01 }), "MarkdownV2")).toBe(
      "*OPENED BTC\\-USDT net 1\\.38 % gross 1\\.5 %*\n" +
        "buy okx\\_spot at 100\\.1 \\(ask\\), sell mexc\\_futures at 101\\.6015 \\(bid\\)\n" +
        "direction okx\\_spot\\_mexc\\_futures, alert at net \\>\\= 1 %\n" +
        "funding: \\-0\\.01 %\n" +
        "opened 2026\\-12\\-03T07:45:12\\.200Z",
    );
  });

  test("closed: reason, duration, peak and the summary line", () => {
    expect(telegramText(toMessage(CLOSED), "HTML")).toBe(
      "<b>CLOSED BTC-USDT CONVERGED after 1h 02m 01s</b>\n" +
        "direction okx_spot_mexc_futures, peak gross 2.25 %\n" +
        "opened 2026-12-03T07:45:12.200Z, closed 2026-12-03T08:47:13.400Z\n" +
        `<code>${SUMMARY}</code>`,
    );
    // Inside MarkdownV2 code only ` and \ are special: the summary stays verbatim.
    expect(telegramText(toMessage(CLOSED), "MarkdownV2").endsWith("\n`" + SUMMARY + "`")).toBe(true);
  });

  test("system problem and recovery", () => {
    expect(telegramText(toMessage(SYSTEM), "HTML")).toBe("<b>PROBLEM feed:okx_spot</b>\nfeed okx_spot is down (dead) for 31 s\nat 2026-12-03T07:45:12.200Z");
    expect(toMessage({ ...SYSTEM, problem: false, text: "feed okx_spot is publishing again (after 40 s)" }).title).toBe("RECOVERED feed:okx_spot");
  });

  test("digest", () => {
    expect(telegramText(toMessage({ kind: "digest", count: 14, windowS: 60, sample: ["A-USDT", "B-USDT"] }), "HTML")).toBe("<b>and 14 more opened in the last minute</b>\nA-USDT, B-USDT, ...");
  });

  test("escaping of hostile data", () => {
    expect(escapeHtml("<b>&x</b>")).toBe("&lt;b&gt;&amp;x&lt;/b&gt;");
    expect(escapeMarkdownV2("_*[]()~`>#+-=|{}.!\\")).toBe("\\_\\*\\[\\]\\(\\)\\~\\`\\>\\#\\+\\-\\=\\|\\{\\}\\.\\!\\\\");
  });

  test("webhook shapes: json, slack, discord", () => {
    const m = toMessage(SYSTEM);
    expect(webhookBody(m, "json", SYSTEM)).toEqual({ source: "spread-scanner", kind: "system", title: "PROBLEM feed:okx_spot", lines: ["feed okx_spot is down (dead) for 31 s", "at 2026-12-03T07:45:12.200Z"], event: SYSTEM });
    expect(webhookBody(m, "slack", SYSTEM)).toEqual({ text: "*PROBLEM feed:okx_spot*\nfeed okx_spot is down (dead) for 31 s\nat 2026-12-03T07:45:12.200Z" });
    expect(webhookBody(toMessage(OPENED), "discord", OPENED)).toEqual({
      content: "**OPENED BTC-USDT net 1.38 % gross 1.5 %**\nbuy okx\\_spot at 100.1 (ask), sell mexc\\_futures at 101.6015 (bid)\ndirection okx\\_spot\\_mexc\\_futures, alert at net \\>= 1 %\nfunding: n/a\nopened 2026-12-03T07:45:12.200Z",
      allowed_mentions: { parse: [] },
    });
  });
});
