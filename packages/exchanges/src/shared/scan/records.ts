// The scanner library's result records, owned by the caller (each QuoteRecord / FundingRecord carries them) instead
// of module state: WalkScan for the Binance / Bybit byte fast paths (bytes.ts) and the structural walk (walk.ts),
// MemberScan for the member reader (members.ts, values.ts: OKX, MEXC futures, funding).
/** Field slots a venue's member function may keep (each venue numbers its own from 0). */
export const WALK_FIELDS = 12;

/**
 * Caller-owned scratch of the Binance and Bybit scanners (QuoteRecord.walk), fast and slow paths: every
 * result a scan hands back lands here, so no parser keeps module-level result state.
 */
export class WalkScan {
  /** walkFrame: the frame holds a backslash (escapes validated). */
  escaped = false;
  /** walkFrame: a "data" object was entered. */
  sawData = false;
  /** scalarValue: string content start (-2 for an object, array or literal: present but unusable as a number). */
  valueStart = 0;
  /** scalarValue: the closing quote, or the end of the number. */
  valueEnd = 0;
  /** A byte or level-element scan's end index (quotedDecimalAt's closing quote, -1 when it did not match). */
  end = 0;
  /** Value range and string-ness per venue field slot; start -1 = absent, -2 = present but not a string/number. */
  readonly start = new Int32Array(WALK_FIELDS);
  readonly stop = new Int32Array(WALK_FIELDS);
  readonly isString = new Uint8Array(WALK_FIELDS);
  /** Best level per side of a book scan: [bidPx, bidQty, bidCount, askPx, askQty, askCount]. */
  readonly levels = new Float64Array(6);
  /** A book side scan's state (venue-defined codes), per side: [bid, ask]. */
  readonly sideState = new Int32Array(2);

  /** Marks every field slot absent (stop and isString are only read where start says present). */
  clearFields(): void {
    // a loop, not fill(): TypedArray#fill is a native call that cost the slow walk measurably
    const st = this.start;
    for (let k = 0; k < WALK_FIELDS; k++) st[k] = -1;
  }

  /** Keeps the range scalarValue just read in `slot`; `str` when the value was a JSON string. */
  keep(slot: number, str: boolean): void {
    this.start[slot] = this.valueStart;
    this.stop[slot] = this.valueEnd;
    this.isString[slot] = str ? 1 : 0;
  }
}

/** objectBounds: a JSON object frame's '{' and final '}' (whitespace trimmed). */
export class Bounds {
  open = -1;
  close = -1;
}

/** Range of a scalar read by readScalar(): string content without quotes, or the number token. */
export class ScalarRange {
  start = 0;
  end = 0;
  /** 1 string, 2 number, 3 null, 0 anything else (object, array, bool, broken). */
  kind = 0;
  /** Index just after the value (after the closing quote for strings); -1 when broken. */
  next = -1;
}

/**
 * Caller-owned results of the member scanner (each QuoteRecord carries one): the functions above write what they
 * read here instead of returning objects, so the hot path allocates nothing and no scanner state is shared.
 */
export class MemberScan {
  /** readScalar / scalarNum: the last scalar read. */
  readonly sv = new ScalarRange();
  /** readFirstLevel: the first level of a book side. */
  readonly lvl = new FirstLevel();
  /** objectBounds: the frame's outer braces. */
  readonly bounds = new Bounds();
  /** scalarNum met a value that is present but not a decimal; parsers clear it at the start of each parse. */
  numBad = false;
  /** OKX's as-sent bbo-tbt path: px start, px end, sz start, sz end of a level, index after its "]],". */
  readonly asSent = new Int32Array(5);
}

/** Result of readFirstLevel(): count 0 = empty side, 1 = has levels, -1 = not a levels array. */
export class FirstLevel {
  count = -1;
  /** Index just past the side's closing ']' when cheaply known (layout hint only), else -1. */
  after = -1;
  /** Price: ScalarRange kind (1 string, 2 number) and text range. */
  pxKind = 0;
  pxStart = 0;
  pxEnd = 0;
  /** Size, likewise; kind 0 when the level has no size. */
  szKind = 0;
  szStart = 0;
  szEnd = 0;
}
