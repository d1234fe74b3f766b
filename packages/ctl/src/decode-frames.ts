// `spread-ctl parse`: decodes captured WebSocket frames (one per line) into best bid/ask JSON lines.
import { FrameKind, InvalidReason, QuoteRecord, type VenueAdapter } from "@spread/exchanges";

export interface FrameLineResult {
  /** JSON line for stdout, or null when the frame is not a price update. */
  readonly out: string | null;
  /** Message for stderr (invalid / malformed frames), or null. */
  readonly err: string | null;
}

const INVALID_TEXT: Record<number, string> = {
  [InvalidReason.NonFinite]: "non-finite price",
  [InvalidReason.NonPositive]: "zero or negative price",
  [InvalidReason.Crossed]: "crossed book (bid > ask)",
  [InvalidReason.EmptySide]: "empty bid or ask side",
  [InvalidReason.OutOfRange]: "price outside the plausible range",
};

const HEX_RE = /^(?:[0-9a-fA-F]{2})*$/;

/** Parses a hex line ("0a34…", spaces allowed) into bytes; null when it is not hex. */
export function hexToBytes(line: string): Uint8Array | null {
  const clean = line.replace(/\s+/g, "");
  if (!HEX_RE.test(clean)) return null;
  return Uint8Array.from(Buffer.from(clean, "hex"));
}

function symbolOf(frame: string | Uint8Array, rec: QuoteRecord): string {
  if (typeof frame === "string") return frame.slice(rec.symStart, rec.symEnd);
  return new TextDecoder().decode(frame.subarray(rec.symStart, rec.symEnd));
}

const num = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** Decodes one input line. `lineNo` is 1-based, for messages. */
export function decodeFrameLine(adapter: VenueAdapter, line: string, hex: boolean, lineNo: number, rec: QuoteRecord): FrameLineResult {
  let frame: string | Uint8Array = line;
  if (hex) {
    const bytes = hexToBytes(line);
    if (!bytes) return { out: null, err: `line ${lineNo}: not a hex string` };
    frame = bytes;
  }
  rec.reset();
  const kind = adapter.parse(frame, rec, null);
  switch (kind) {
    case FrameKind.Update:
      return {
        out: JSON.stringify({
          source: adapter.name,
          symbol: symbolOf(frame, rec),
          bid: rec.bid,
          ask: rec.ask,
          bid_qty: num(rec.bidQty),
          ask_qty: num(rec.askQty),
          exchange_ts: rec.exchangeTsMs > 0 ? rec.exchangeTsMs : null,
        }),
        err: null,
      };
    case FrameKind.Invalid:
      return { out: null, err: `line ${lineNo}: invalid ${adapter.name} update for ${symbolOf(frame, rec)}: ${INVALID_TEXT[rec.invalidReason] ?? "invalid prices"} (bid ${rec.bid}, ask ${rec.ask})` };
    case FrameKind.Malformed:
      return { out: null, err: `line ${lineNo}: malformed ${adapter.name} frame: ${rec.message ?? "unparseable"}` };
    case FrameKind.SubError:
      return { out: null, err: `line ${lineNo}: ${adapter.name} subscription error: ${rec.message ?? ""}${rec.rejected?.length ? ` (rejected: ${rec.rejected.join(", ")})` : ""}` };
    default:
      // Acks, pongs, notices and frames of other channels print nothing.
      return { out: null, err: null };
  }
}
