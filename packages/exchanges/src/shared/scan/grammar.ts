// The strict JSON grammar (RFC 8259, https://www.rfc-editor.org/rfc/rfc8259): where a value ends, fully validated.
// The structural walk (walk.ts) and the venues' skip-a-value paths use it; the targeted member reader
// (members.ts, values.ts) is lenient on purpose and does not.
import { code, codes, codesAt, digitsEnd, skipWs, stringEnd } from "./text.ts";

/** Deepest nesting accepted inside a value we skip (quote frames have none; this bounds recursion). */
const MAX_DEPTH = 32;

export const TRUE = codes("true");
export const FALSE = codes("false");
export const NULL = codes("null");

/** End (exclusive) of the JSON number or literal starting at i; -1 if it is not one (strict grammar). */
export function scalarEnd(s: string, i: number): number {
  let c = code(s, i);
  if (c === 116 /* t */) return literalEnd(s, i, TRUE);
  if (c === 102 /* f */) return literalEnd(s, i, FALSE);
  if (c === 110 /* n */) return literalEnd(s, i, NULL);
  let j = i;
  if (c === 45 /* - */) c = code(s, ++j);
  if (c === 48 /* 0, no leading zeros */) j++;
  else if (c >= 49 && c <= 57) j = digitsEnd(s, j + 1);
  else return -1;
  c = code(s, j);
  if (c === 46 /* . */) {
    const k = digitsEnd(s, j + 1);
    if (k === j + 1) return -1;
    j = k;
    c = code(s, j);
  }
  if (c === 101 || c === 69 /* e E */) {
    c = code(s, ++j);
    if (c === 43 || c === 45) j++;
    const k = digitsEnd(s, j);
    if (k === j) return -1;
    j = k;
  }
  return j;
}

function literalEnd(s: string, i: number, lit: Uint16Array): number {
  return codesAt(s, i, lit) ? i + lit.length : -1;
}

/** End (exclusive) of the object or array opened at i, fully validated; -1 if malformed, truncated or too deep. */
export function nestedEnd(s: string, i: number, depth = 0): number {
  if (depth >= MAX_DEPTH) return -1;
  const obj = code(s, i) === 123;
  const close = obj ? 125 : 93;
  i = skipWs(s, i + 1);
  if (code(s, i) === close) return i + 1;
  for (;;) {
    if (obj) {
      if (code(s, i) !== 34) return -1;
      const ke = stringEnd(s, i);
      if (ke < 0) return -1;
      i = skipWs(s, ke + 1);
      if (code(s, i) !== 58) return -1;
      i = skipWs(s, i + 1);
    }
    const c = code(s, i);
    let ve: number;
    if (c === 123 || c === 91) ve = nestedEnd(s, i, depth + 1);
    else if (c === 34) {
      ve = stringEnd(s, i);
      if (ve >= 0) ve++;
    } else ve = scalarEnd(s, i);
    if (ve < 0) return -1;
    i = skipWs(s, ve);
    const d = code(s, i);
    if (d === close) return i + 1;
    if (d !== 44) return -1;
    i = skipWs(s, i + 1);
  }
}

/** End (exclusive) of any JSON value starting at i; -1 if malformed or truncated. */
export function valueEnd(s: string, i: number): number {
  const c = code(s, i);
  if (c === 34) {
    const j = stringEnd(s, i);
    return j < 0 ? -1 : j + 1;
  }
  if (c === 123 || c === 91) return nestedEnd(s, i);
  return scalarEnd(s, i);
}

/**
 * True when every backslash in the frame starts a valid JSON escape inside a string. Callers run it
 * only when the frame holds a backslash at all (quote frames never do), so strings they skip need no
 * per-char scan. Raw control characters inside skipped strings are not checked (documented leniency).
 */
export function escapesValid(s: string): boolean {
  const n = s.length;
  let inString = false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 34) inString = !inString;
    else if (c === 92) {
      if (!inString) return false;
      const d = code(s, ++i);
      if (d === 117 /* u */) {
        for (let k = 1; k <= 4; k++) {
          const h = code(s, i + k);
          if (!((h >= 48 && h <= 57) || (h >= 65 && h <= 70) || (h >= 97 && h <= 102))) return false;
        }
        i += 4;
      } else if (d !== 34 && d !== 92 && d !== 47 && d !== 98 && d !== 102 && d !== 110 && d !== 114 && d !== 116) return false;
    }
  }
  return true;
}
