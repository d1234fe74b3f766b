// Bybit control frames (acks, refusals, pongs); may allocate, never runs for a price update.
// https://bybit-exchange.github.io/docs/v5/ws/connect (How to Send the Heartbeat Packet, subscribe responses)
import { FrameKind, type FrameKindValue, type QuoteRecord } from "../types.ts";
import { controlObject } from "../shared/control-json.ts";

/** Symbol of a topic: the part after the last dot ("orderbook.1.XYZUSDT" → "XYZUSDT"). */
function symbolOfTopic(topic: string): string {
  return topic.slice(topic.lastIndexOf(".") + 1);
}

/**
 * Symbols named by a refusal's ret_msg: "error:handler not found,topic:orderbook.1.XYZUSDT",
 * "error:already subscribed,topic:..." and the older "Invalid symbol :[orderbook.1.A,orderbook.1.B]".
 * null when none is named ("args size >10").
 */
export function bybitRejectedSymbols(retMsg: string): string[] | null {
  const found = new Set<string>();
  for (const m of retMsg.matchAll(/topic:([^,\s[\]]+)/g)) found.add(symbolOfTopic(m[1]!));
  for (const m of retMsg.matchAll(/\[([^\]]*)\]/g)) {
    for (const part of m[1]!.split(",")) {
      const t = part.trim();
      if (t !== "") found.add(symbolOfTopic(t));
    }
  }
  found.delete("");
  return found.size > 0 ? [...found] : null;
}

/**
 * success:true + op subscribe/unsubscribe → Ack (reqId = req_id; "" or absent → null).
 * success:false → SubError: Bybit refuses the WHOLE request when one topic is bad or already
 * subscribed; out.rejected names only the symbols in ret_msg, so the caller must resubscribe the
 * other symbols of that request (matched by reqId) without the named ones.
 * Pong: spot {"op":"pong",...} and {"success":true,"ret_msg":"pong","op":"ping",...}.
 */
export function classifyBybitControl(frame: string, out: QuoteRecord): FrameKindValue {
  const msg = controlObject(frame, out, "bybit");
  if (msg === null) return FrameKind.Malformed;
  const op = typeof msg.op === "string" ? msg.op : "";
  const retMsg = typeof msg.ret_msg === "string" ? msg.ret_msg : "";
  const reqId = msg.req_id;
  out.reqId = (typeof reqId === "string" && reqId !== "") || typeof reqId === "number" ? String(reqId) : null;
  if (op === "pong" || (op === "ping" && retMsg === "pong")) return FrameKind.Pong;
  if (msg.success === false) {
    out.message = retMsg !== "" ? retMsg : "bybit: request refused";
    out.rejected = bybitRejectedSymbols(retMsg);
    return FrameKind.SubError;
  }
  if (msg.success === true && (op === "subscribe" || op === "unsubscribe")) {
    if (retMsg !== "") out.message = retMsg;
    return FrameKind.Ack;
  }
  return FrameKind.Unknown;
}
