// The Dispatcher against a local Telegram / webhook receiver: 429 retry_after, 5xx retries, a hanging
// endpoint, a burst of 200 openings (rate-limited + digest, publish never waits), queue overflow.
import { afterEach, beforeEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { AlertsSchema } from "@spread/common";
import { Dispatcher, buildTargets, type DeliveryOptions, type DeliveryReport, type OpenedEvent, type SystemEvent } from "@spread/alerts";
import { waitFor } from "../wait.ts";
import { Receiver } from "./receiver.ts";

// Bounded waits inside each test are the real limits; this only keeps a loaded box from cutting them short.
setDefaultTimeout(60_000);

const ENV_TOKEN = "TEST_ALERTS_TOKEN";
const ENV_HOOK = "TEST_ALERTS_HOOK";

function opened(i: number): OpenedEvent {
  return {
    kind: "opened", direction: "okx_spot_mexc_futures", spotSource: "okx_spot", futuresSource: "mexc_futures", symbol: `S${i}-USDT`,
    openedAtMs: Date.now(), grossPct: 2, netPct: 1.8, spotAsk: 1, futuresBid: 1.02, fundingPct: null, thresholdPct: 1, thresholdOn: "net",
  };
}
const system = (key: string): SystemEvent => ({ kind: "system", key, problem: true, text: `${key} broke`, atMs: Date.now() });

let rx: Receiver;
beforeEach(() => {
  rx = new Receiver();
});
afterEach(() => rx.stop());

function setup(opts: Partial<DeliveryOptions> = {}, channels: { telegram?: Record<string, unknown>; webhook?: Record<string, unknown> } = { telegram: {} }) {
  const cfg = AlertsSchema.parse({
    telegram: channels.telegram ? [{ base_url: rx.base, token_env: ENV_TOKEN, chat_ids: ["42"], per_chat_per_s: 20, ...channels.telegram }] : [],
    webhook: channels.webhook ? [{ url_env: ENV_HOOK, per_s: 50, ...channels.webhook }] : [],
  });
  const env = { [ENV_TOKEN]: rx.token, [ENV_HOOK]: `${rx.base}/hook/T000/B000/XXXXsecretXXXX` };
  const reports: DeliveryReport[] = [];
  const d = new Dispatcher(buildTargets(cfg, env), { queueMax: 500, burstMax: 1000, digestWindowS: 60, timeoutMs: 2000, retries: 3, backoffMs: 50, ...opts }, (r) => reports.push(r));
  return { d, reports };
}

describe("delivery", () => {
  test("429 with parameters.retry_after: the same message is sent again no earlier than retry_after", async () => {
    const { d, reports } = setup();
    rx.script.telegram.push({ status: 429, retryAfterS: 1 });
    d.publish(system("feed:okx_spot"));
    // The receiver logs a request before its answer reaches the client: wait on the dispatcher's side.
    await waitFor("delivered after the 429", () => d.counters.sent === 1, 10_000);
    const [first, second] = rx.received;
    expect(first!.answered).toBe(429);
    expect(second!.body.text).toBe(first!.body.text);
    expect(second!.atMs - first!.atMs).toBeGreaterThanOrEqual(990);
    expect(d.counters).toMatchObject({ sent: 1, rateLimited: 1, failed: 0 });
    expect(reports.map((r) => r.outcome)).toEqual(["retry", "sent"]);
    d.stop();
  });

  test("5xx is retried with backoff; a 4xx is not; retries run out into 'failed'", async () => {
    const { d } = setup({ retries: 2 });
    rx.script.telegram.push({ status: 502 }, { status: 503 }, "ok");
    d.publish(system("a"));
    await waitFor("delivered after two 5xx", () => d.counters.sent === 1, 10_000);
    expect(d.counters).toMatchObject({ sent: 1, retries: 2, failed: 0 });
    rx.script.telegram.push({ status: 500 }, { status: 500 }, { status: 500 });
    d.publish(system("b"));
    await waitFor("given up after 3 attempts", () => d.counters.failed === 1, 10_000);
    expect(rx.received.filter((r) => r.body?.text?.includes("b broke")).length).toBe(3);
    rx.script.telegram.push({ status: 400 });
    d.publish(system("c"));
    await waitFor("400 not retried", () => d.counters.failed === 2, 10_000);
    expect(rx.received.filter((r) => r.body?.text?.includes("c broke")).length).toBe(1);
    d.stop();
  });

  test("a hanging endpoint times out and is retried; another target is not held up", async () => {
    const { d, reports } = setup({ timeoutMs: 300, retries: 1 }, { telegram: {}, webhook: {} });
    rx.script.webhook.push("hang");
    d.publish(system("feed:bybit_spot"));
    expect(rx.received.length).toBe(0); // publish only queues
    await waitFor("telegram delivered", () => rx.delivered("telegram").length === 1, 5000);
    expect(rx.delivered("webhook").length).toBe(0);
    await waitFor("webhook delivered on the retry", () => rx.delivered("webhook").length === 1, 10_000);
    const timeout = reports.find((r) => r.outcome === "retry");
    expect(timeout?.result.ok === false && timeout.result.error).toBe("timeout after 300 ms");
    d.stop();
  });

  test("a burst of 200 openings: publish never waits, per-chat spacing holds, the overflow becomes one digest", async () => {
    const perChat = 10;
    const { d } = setup({ burstMax: 10, digestWindowS: 2 }, { telegram: { per_chat_per_s: perChat } });
    let ticks = 0;
    const beat = setInterval(() => ticks++, 20);
    for (let i = 0; i < 200; i++) d.publish(opened(i));
    expect(rx.received.length).toBe(0); // nothing was sent inside publish()
    expect(d.pending()).toBe(10);
    expect(d.counters.digested).toBe(190);
    const tick = setInterval(() => d.tick(), 100);
    await waitFor("10 openings and the digest", () => rx.delivered("telegram").length === 11, 20_000);
    clearInterval(tick);
    clearInterval(beat);
    const got = rx.delivered("telegram");
    expect(got.slice(0, 10).map((r) => r.body.text.split("\n")[0])).toEqual(Array.from({ length: 10 }, (_, i) => `<b>OPENED S${i}-USDT net 1.8 % gross 2 %</b>`));
    expect(got[10]!.body.text).toBe("<b>and 190 more opened in the last 2 s</b>\nS10-USDT, S11-USDT, S12-USDT, S13-USDT, S14-USDT, S15-USDT, S16-USDT, S17-USDT, ...");
    // Sends start >= 100 ms apart; arrival times jitter a little, so the span is checked, not each gap.
    expect(got[10]!.atMs - got[0]!.atMs).toBeGreaterThanOrEqual(10 * (1000 / perChat) - 50);
    expect(ticks).toBeGreaterThan(10); // the event loop kept running during the delivery
    d.stop();
  });

  test("full queue: the oldest lowest-priority message is dropped and counted; system messages survive", async () => {
    const { d } = setup({ queueMax: 5 }, { telegram: { per_chat_per_s: 0.5 } });
    for (let i = 0; i < 5; i++) d.publish(opened(i)); // the first goes in flight at once
    await waitFor("first in flight", () => rx.received.length === 1, 5000);
    for (let i = 5; i < 9; i++) d.publish(opened(i));
    d.publish(system("feed:okx_futures"));
    d.publish(system("tracker-disk"));
    // 4 waiting + 4 more openings: 3 oldest openings dropped; each system message then evicts the oldest opening.
    expect(d.counters.dropped).toBe(5);
    expect(d.queued(0).map((e) => (e.kind === "opened" ? e.symbol : e.kind === "system" ? e.key : e.kind))).toEqual(["feed:okx_futures", "tracker-disk", "S6-USDT", "S7-USDT", "S8-USDT"]);
    d.stop();
  });

  test("Telegram's 30/s per bot is shared by its chats", async () => {
    const chats = Array.from({ length: 6 }, (_, i) => String(100 + i));
    const { d } = setup({}, { telegram: { chat_ids: chats, per_chat_per_s: 30, global_per_s: 10 } });
    for (let i = 0; i < 3; i++) d.publish(system(`k${i}`));
    await waitFor("18 messages", () => rx.delivered("telegram").length === 18, 20_000);
    const t = rx.delivered("telegram").map((r) => r.atMs);
    // 18 sends at <= 10/s overall take at least 1.7 s.
    expect(t[17]! - t[0]!).toBeGreaterThanOrEqual(1600);
    d.stop();
  });
});
