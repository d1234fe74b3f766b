// OKX subscribe/unsubscribe batching: args < 64 KB per request, batch caps, ids, no symbol lost or duplicated.
import { describe, expect, test } from "bun:test";
import { OKX_MAX_ARGS_BYTES } from "../../packages/exchanges/src/okx/subscribe.ts";
import { fixtureJson } from "../fixtures.ts";
import { okx } from "@spread/exchanges";

const okxFutures = okx.futures;
const okxSpot = okx.spot;

const argsBytes = (frame: string): number => Buffer.byteLength(JSON.stringify((JSON.parse(frame) as { args: unknown[] }).args));

describe("okx subscribe frames", () => {
  test("shape matches the documented request (okx_swap/ws_messages.json entry 0) with channel bbo-tbt", () => {
    const doc = (fixtureJson("okx_swap", "ws_messages.json") as { entries: { message: { op: string; args: unknown[] } }[] }).entries[0]!.message;
    const [r] = okxSpot.subscribeRequests(["BTC-USDT"], 100, 1512);
    expect(r!.frame).toBe('{"id":"1512","op":"subscribe","args":[{"channel":"bbo-tbt","instId":"BTC-USDT"}]}');
    expect(r!.reqId).toBe("1512");
    expect(r!.symbols).toEqual(["BTC-USDT"]);
    const parsed = JSON.parse(r!.frame) as { op: string; args: { channel: string }[] };
    expect(Object.keys(parsed)).toEqual(["id", ...Object.keys(doc).filter((k) => k !== "id")]);
    expect(parsed.op).toBe(doc.op);
    expect(okxFutures.topic("BTC-USDT-SWAP")).toBe('{"channel":"bbo-tbt","instId":"BTC-USDT-SWAP"}');
    const [u] = okxFutures.unsubscribeRequests(["BTC-USDT-SWAP"], 100, 7);
    expect(u!.frame).toBe('{"id":"7","op":"unsubscribe","args":[{"channel":"bbo-tbt","instId":"BTC-USDT-SWAP"}]}');
  });

  test("batches of `batch` (capped at maxSubscribeBatch), ids counting up, every symbol exactly once", () => {
    const syms = Array.from({ length: 1234 }, (_, i) => `C${i}-USDT-SWAP`);
    for (const batch of [1, 7, 100, 500, 10_000, 0, -3]) {
      const reqs = okxFutures.subscribeRequests(syms, batch, 10);
      const cap = Math.max(1, Math.min(batch || 1, okxFutures.maxSubscribeBatch));
      expect(reqs.length).toBe(Math.ceil(syms.length / cap));
      reqs.forEach((r, k) => {
        expect(r.reqId).toBe(String(10 + k));
        expect(r.symbols.length).toBeLessThanOrEqual(cap);
        const p = JSON.parse(r.frame) as { id: string; op: string; args: { channel: string; instId: string }[] };
        expect(p.id).toBe(r.reqId);
        expect(p.args.map((a) => a.instId)).toEqual([...r.symbols]);
        expect(p.args.every((a) => a.channel === "bbo-tbt")).toBe(true);
        expect(argsBytes(r.frame)).toBeLessThan(OKX_MAX_ARGS_BYTES);
      });
      expect(reqs.flatMap((r) => r.symbols)).toEqual(syms);
    }
  });

  test("the 64 KB args limit splits long batches; duplicates are sent once; empty input gives no request", () => {
    const long = Array.from({ length: 500 }, (_, i) => `${"L".repeat(150)}${i}-USDT-SWAP`);
    const reqs = okxFutures.subscribeRequests([...long, ...long.slice(0, 10)], 500, 1);
    expect(reqs.length).toBeGreaterThan(1);
    for (const r of reqs) expect(argsBytes(r.frame)).toBeLessThan(OKX_MAX_ARGS_BYTES);
    expect(reqs.flatMap((r) => r.symbols)).toEqual(long);
    // multi-byte instIds count in UTF-8 bytes
    const wide = Array.from({ length: 500 }, (_, i) => `${"测".repeat(60)}${i}-USDT`);
    const w = okxSpot.subscribeRequests(wide, 500, 1);
    for (const r of w) expect(argsBytes(r.frame)).toBeLessThan(OKX_MAX_ARGS_BYTES);
    expect(w.flatMap((r) => r.symbols)).toEqual(wide);
    expect(okxSpot.subscribeRequests([], 100, 1)).toEqual([]);
  });
});
