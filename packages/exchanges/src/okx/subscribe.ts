// OKX v5 public WS subscribe/unsubscribe frames for bbo-tbt, batched by count and by the 64 KB args limit.
// https://www.okx.com/docs-v5/en/#overview-websocket-subscribe
import type { SubscribeRequest } from "../types.ts";

export const OKX_CHANNEL = "bbo-tbt";
/** Hard cap per request we allow (matches @spread/common EXCHANGE_LIMITS; the real bound is the byte limit). */
export const OKX_MAX_BATCH = 500;
/** "The total length of multiple channels cannot exceed 64 KB": UTF-8 bytes of the args array, kept strictly below. */
export const OKX_MAX_ARGS_BYTES = 64 * 1024;

/** The arg object for one instrument, exactly as it appears in args. */
export function okxTopic(instId: string): string {
  return `{"channel":"${OKX_CHANNEL}","instId":${JSON.stringify(instId)}}`;
}

/**
 * One request per batch: {"id":"N","op":"subscribe","args":[...]}. Ids count up from idStart (each request is one
 * of the 480 ops/hour a connection may spend). Duplicate symbols are sent once.
 */
export function okxOpRequests(op: "subscribe" | "unsubscribe", symbols: readonly string[], batch: number, idStart: number): SubscribeRequest[] {
  const size = Math.max(1, Math.min(Math.floor(batch) || 1, OKX_MAX_BATCH));
  const out: SubscribeRequest[] = [];
  let args: string[] = [];
  let syms: string[] = [];
  let bytes = 2; // "[" + "]"
  let id = idStart;
  const flush = (): void => {
    if (syms.length === 0) return;
    const reqId = String(id++);
    out.push({ frame: `{"id":"${reqId}","op":"${op}","args":[${args.join(",")}]}`, symbols: syms, reqId });
    args = [];
    syms = [];
    bytes = 2;
  };
  for (const s of new Set(symbols)) {
    const arg = okxTopic(s);
    const add = Buffer.byteLength(arg) + (args.length > 0 ? 1 : 0);
    if (args.length >= size || (args.length > 0 && bytes + add >= OKX_MAX_ARGS_BYTES)) flush();
    bytes += Buffer.byteLength(arg) + (args.length > 0 ? 1 : 0);
    args.push(arg);
    syms.push(s);
  }
  flush();
  return out;
}
