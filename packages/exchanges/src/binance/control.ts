// Binance control frames (acks, errors) and rare slow paths; may allocate, never runs for a price update.
// https://developers.binance.com/docs/binance-spot-api-docs/web-socket-streams (Live Subscribing, Error Messages)
import { FrameKind, type FrameKindValue, type QuoteRecord } from "../types.ts";
import { isObject } from "../shared/rest-fields.ts";
import { controlObject } from "../shared/control-json.ts";

function idText(id: unknown): string | null {
  return typeof id === "number" || typeof id === "string" ? String(id) : null;
}

/**
 * {"result":null,"id":1} → Ack (also sent for unknown and wrong-route streams: silence follows, so
 * acks prove nothing about data). {"error":{"code","msg"},"id"} or a bare {"code","msg"} → SubError;
 * Binance names no symbol, so out.rejected stays null and the whole request counts as refused.
 */
export function classifyBinanceControl(frame: string, out: QuoteRecord): FrameKindValue {
  const msg = controlObject(frame, out, "binance");
  if (msg === null) return FrameKind.Malformed;
  const err = isObject(msg.error) ? msg.error : typeof msg.code === "number" && typeof msg.msg === "string" ? msg : null;
  if (err !== null) {
    out.reqId = idText(msg.id);
    out.message = `${String(err.msg)} (code ${String(err.code)})`;
    return FrameKind.SubError;
  }
  if ("result" in msg && "id" in msg) {
    out.reqId = idText(msg.id);
    return FrameKind.Ack;
  }
  return FrameKind.Unknown;
}
