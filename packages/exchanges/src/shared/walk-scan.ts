// The Binance and Bybit scanners' results, in a record the caller owns (QuoteRecord.walk) instead of module
// state: the byte fast paths (fast-scan.ts, levels) and the structural walk (object-walk.ts) write here.
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
    this.start.fill(-1);
  }

  /** Keeps the range scalarValue just read in `slot`; `str` when the value was a JSON string. */
  keep(slot: number, str: boolean): void {
    this.start[slot] = this.valueStart;
    this.stop[slot] = this.valueEnd;
    this.isString[slot] = str ? 1 : 0;
  }
}
