// The scanner library: allocation-free JSON frame reading for every venue parser, one public API. Its parts, each
// with one job:
//   text.ts         primitives, written once: char reads, whitespace, literal compares, string and digit ends
//   grammar.ts      the strict JSON grammar: where a value ends, escapes valid
//   walk.ts         reader 1, the structural walk: every member of a frame (Binance and Bybit slow paths)
//   members.ts      reader 2, targeted: the value index of a named member (OKX, MEXC futures, funding)
//   values.ts       scalars and first book levels at a known index (reader 2's values; the walk's numbers)
//   bytes.ts        reader 3, the byte fast path: SWAR over an ASCII copy of a compact frame (Binance, Bybit)
//   symbol-memo.ts  the fast path's symbol lookup
//   compact.ts      the fast paths' shared framing: load, "data" and other keys, what follows a value
//   records.ts      where results go: WalkScan and MemberScan, owned by the caller's QuoteRecord / FundingRecord
// No module keeps a result: bytes.ts holds only the input copy, symbol-memo.ts a cache that cannot go stale.
export { MAX_FRAME_CHARS, code, codes, codesAt, digitsEnd, isWs, lastNonWs, plainStringEnd, quoteEscaped, rangeEquals, rangeStartsWith, skipWs, stringEnd } from "./text.ts";
export { FALSE, NULL, TRUE, escapesValid, nestedEnd, scalarEnd, valueEnd } from "./grammar.ts";
export { WALKED, scalarValue, walkFrame, type MemberFn, type WalkMessages } from "./walk.ts";
export { Key, afterClose, expectMember, lastMember, member } from "./members.ts";
export { numberEnd, objectBounds, rangeNum, readFirstLevel, readScalar, scalarNum } from "./values.ts";
export { BYTES, WORDS, digitsEndAt, digitsValue, loadAscii, quotedDecimalAt, stringEndAt } from "./bytes.ts";
export { symbolIndexAt } from "./symbol-memo.ts";
export { Bounds, FirstLevel, MemberScan, ScalarRange, WALK_FIELDS, WalkScan } from "./records.ts";
export { FRAME_END, closeAt, integerAt, isDataKey, loadCompactObject, otherKeyValueAt } from "./compact.ts";
