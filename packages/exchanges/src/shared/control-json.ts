// The first step of every venue's control.ts: the frame as a JSON object (control paths may allocate; price
// updates never come here).
import type { QuoteRecord } from "../types.ts";
import { malformed } from "./outcome.ts";
import { isObject, type JsonObject } from "./rest-fields.ts";

/**
 * A control frame as a JSON object (control paths may allocate), or null after marking it Malformed in `out`
 * with "<venue>: not JSON (truncated or garbage)" or "<venue>: not a JSON object".
 */
export function controlObject(frame: string, out: QuoteRecord, venue: string): JsonObject | null {
  let m: unknown;
  try {
    m = JSON.parse(frame);
  } catch {
    malformed(out, `${venue}: not JSON (truncated or garbage)`);
    return null;
  }
  if (isObject(m)) return m;
  malformed(out, `${venue}: not a JSON object`);
  return null;
}
