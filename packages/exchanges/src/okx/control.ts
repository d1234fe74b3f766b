// OKX control frames (subscribe acks, errors, notices); may allocate, never runs for a price update.
// https://www.okx.com/docs-v5/en/#overview-websocket-subscribe
import { FrameKind, type FrameKindValue, type QuoteRecord } from "../types.ts";
import { malformed } from "../shared/outcome.ts";
import { controlObject } from "../shared/control-json.ts";
import type { OkxEventFrame } from "./wire.ts";

const REJECTED_INST = /instId:([^\s,]+) doesn't exist/g;
const HANDLED_CHANNELS = new Set(["bbo-tbt", "books5", "tickers"]);

/**
 * Everything that is not a readable push (events, other channels, broken text): JSON.parse is fine here.
 * subscribe/unsubscribe → Ack, error → SubError (out.rejected from the text), notice → Notice.
 */
export function classifyOkxControl(frame: string, out: QuoteRecord): FrameKindValue {
  const m = controlObject(frame, out, "okx");
  if (m === null) return FrameKind.Malformed;
  const f = m as Partial<OkxEventFrame> & { data?: unknown };
  if (typeof f.event === "string") return parseEvent(f as OkxEventFrame, out);
  const arg = f.arg as { channel?: unknown } | undefined;
  if (typeof arg === "object" && arg !== null && typeof arg.channel === "string" && HANDLED_CHANNELS.has(arg.channel) && f.data !== undefined) {
    return malformed(out, "okx: push with an unreadable layout");
  }
  return FrameKind.Unknown;
}

function parseEvent(m: OkxEventFrame, out: QuoteRecord): FrameKindValue {
  const id = m.id as unknown;
  if (typeof id === "string" || typeof id === "number") out.reqId = String(id);
  const rawCode = m.code as unknown;
  const code = typeof rawCode === "string" || typeof rawCode === "number" ? String(rawCode) : null;
  const msg = typeof m.msg === "string" ? m.msg : "";
  switch (m.event) {
    case "subscribe":
    case "unsubscribe": {
      // message = the acknowledged instId (one ack per arg), else its channel.
      const arg = typeof m.arg === "object" && m.arg !== null ? m.arg : null;
      out.message = arg === null ? null : typeof arg.instId === "string" ? arg.instId : typeof arg.channel === "string" ? arg.channel : null;
      return FrameKind.Ack;
    }
    case "error": {
      // 60018: "...channel:bbo-tbt,instId:XYZ-USDT doesn't exist..." names the refused instrument only in the text.
      out.message = code === null ? msg : `${code}: ${msg}`;
      const rejected: string[] = [];
      for (const x of msg.matchAll(REJECTED_INST)) if (!rejected.includes(x[1]!)) rejected.push(x[1]!);
      out.rejected = rejected.length > 0 ? rejected : null;
      return FrameKind.SubError;
    }
    case "notice":
      // 64008: the socket closes for a service upgrade in ~60 s; open a replacement.
      out.noticeCode = code;
      out.message = msg;
      return FrameKind.Notice;
    default:
      out.message = m.event;
      return FrameKind.Unknown; // channel-conn-count, login, ...
  }
}
