// MEXC control frames (spot JSON replies beside the protobuf pushes, futures rs.* replies and pong); may allocate,
// never runs for a price update.
// https://www.mexc.com/api-docs/spot-v3/websocket-market-streams · https://www.mexc.com/api-docs/futures/websocket-api
import { FrameKind, type FrameKindValue, type QuoteRecord } from "../types.ts";
import { malformed } from "../shared/outcome.ts";
import { controlObject } from "../shared/control-json.ts";
import type { MexcFuturesFrame, MexcSpotControl } from "./wire.ts";

const BRACKETS = /\[([^\]]*)\]/;

/** Exchange symbols named by channel strings in a rejection ("spot@public.x.v3.api.pb@100ms@BTCUSDT" → BTCUSDT). */
export function symbolsOfChannels(list: string): string[] {
  const found: string[] = [];
  for (const ch of list.split(",")) {
    const segs = ch.trim().split("@").slice(2);
    const sym = segs.find((x) => x !== "" && !/^\d+(ms)?$/i.test(x) && !/^UTC/i.test(x));
    if (sym && !found.includes(sym)) found.push(sym);
  }
  return found;
}

/**
 * Spot control replies. Success and rejection BOTH have code 0: {"id":0,"code":0,"msg":"<channel>"} is an ack,
 * {"msg":"Not Subscribed successfully! [ch,...].  Reason： Blocked! "} a rejection, {"msg":"PONG"} the ping reply.
 */
export function classifyMexcSpotControl(frame: string, out: QuoteRecord): FrameKindValue {
  const m = controlObject(frame, out, "mexc");
  if (m === null) return FrameKind.Malformed;
  const c = m as Partial<Record<keyof MexcSpotControl, unknown>>;
  if (typeof c.msg !== "string") return FrameKind.Unknown; // requests echoed back, retired JSON pushes
  if (typeof c.id === "number" || typeof c.id === "string") out.reqId = String(c.id);
  const msg = c.msg;
  out.message = msg;
  if (msg === "PONG") return FrameKind.Pong;
  const failed = msg.startsWith("Not Subscribed") || (c.code !== undefined && c.code !== 0 && c.code !== "0");
  if (failed) {
    const br = BRACKETS.exec(msg);
    const syms = br ? symbolsOfChannels(br[1]!) : [];
    out.rejected = syms.length > 0 ? syms : null;
    return FrameKind.SubError;
  }
  if (msg.startsWith("spot@")) return FrameKind.Ack;
  return FrameKind.Unknown;
}

const CONTRACT_IN_BRACKETS = /\[([^\]]+)\]/g;

/** Everything that is not a readable push: rs.* replies, pong, other channels, broken text (JSON.parse is fine). */
export function classifyMexcFuturesControl(frame: string, out: QuoteRecord): FrameKindValue {
  const m = controlObject(frame, out, "mexc_futures");
  if (m === null) return FrameKind.Malformed;
  const f = m as Partial<MexcFuturesFrame>;
  const channel = f.channel;
  if (typeof channel !== "string") return FrameKind.Unknown; // client requests, foreign frames
  if (channel === "pong") return FrameKind.Pong;
  if (channel === "push.ticker" || channel === "push.depth.full") return malformed(out, "mexc_futures: push with an unreadable layout");
  if (!channel.startsWith("rs.")) return FrameKind.Unknown; // push.tickers, push.depth, push.deal, ...
  // {"channel":"rs.sub.ticker","data":"success"} names no symbol; {"channel":"rs.error","data":"Contract [X] not exists"}.
  const data = typeof f.data === "string" ? f.data : JSON.stringify(f.data ?? null);
  if (channel !== "rs.error" && data === "success") {
    out.message = channel;
    return FrameKind.Ack;
  }
  out.message = channel === "rs.error" ? data : `${channel}: ${data}`;
  const rejected: string[] = [];
  for (const x of data.matchAll(CONTRACT_IN_BRACKETS)) {
    for (const sym of x[1]!.split(",")) {
      const t = sym.trim();
      if (t !== "" && !rejected.includes(t)) rejected.push(t);
    }
  }
  out.rejected = rejected.length > 0 ? rejected : null;
  return FrameKind.SubError;
}
