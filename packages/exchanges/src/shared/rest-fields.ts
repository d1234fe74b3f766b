// Venue-neutral readers for REST instrument bodies: every failure names the venue, the field path and the value.
import { restNumber } from "../num.ts";

export type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Short, printable rendering of a bad value for an error message. */
export function show(v: unknown): string {
  if (v === undefined) return "missing";
  let t: string;
  try {
    t = JSON.stringify(v) ?? String(v);
  } catch {
    t = String(v);
  }
  return t.length > 80 ? `${t.slice(0, 77)}...` : t;
}

export function fieldError(path: string, problem: string, value: unknown): Error {
  return new Error(`${path}: ${problem} (${show(value)})`);
}

export function reqObject(v: unknown, path: string): JsonObject {
  if (!isObject(v)) throw fieldError(path, "expected an object", v);
  return v;
}

export function reqArray(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) throw fieldError(path, "expected an array", v);
  return v;
}

/** A required, non-empty string field. */
export function reqString(o: JsonObject, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== "string" || v === "") throw fieldError(`${path}.${key}`, "expected a non-empty string", v);
  return v;
}

/** A string field that may be absent (null); present but not a string is an error. */
export function optString(o: JsonObject, key: string, path: string): string | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== "string") throw fieldError(`${path}.${key}`, "expected a string", v);
  return v;
}

/** An optional object field (absent → empty object), e.g. a venue filter block. */
export function optObject(o: JsonObject, key: string, path: string): JsonObject {
  const v = o[key];
  if (v === undefined || v === null) return {};
  return reqObject(v, `${path}.${key}`);
}

/**
 * A numeric field sent as a number, a decimal string or exponent notation.
 * Absent, null and "" mean "not given" (null); anything else unparseable is an error.
 */
export function optNumber(o: JsonObject, key: string, path: string): number | null {
  return numberAt(o[key], `${path}.${key}`);
}

/** A positive size/step where the venue uses 0 for "no rule" (Binance tickSize "0" disables the filter). */
export function positiveOrNull(n: number | null): number | null {
  return n !== null && n > 0 ? n : null;
}

// Readers of a value already taken from its object: the caller names the field path (OKX and MEXC instruments).
// A missing field reads "(undefined)" in their messages.

/** Like show(), but a missing field reads "undefined" (the OKX and MEXC messages). */
export function describeValue(v: unknown): string {
  return v === undefined ? "undefined" : show(v);
}

export function objectAt(v: unknown, at: string): JsonObject {
  if (!isObject(v)) throw new Error(`${at}: not an object (${describeValue(v)})`);
  return v;
}

/** A required, non-empty string. */
export function stringAt(v: unknown, at: string): string {
  if (typeof v !== "string" || v === "") throw new Error(`${at}: missing or not a string (${describeValue(v)})`);
  return v;
}

/** A required status sent as a string or a number; returned as text. */
export function textAt(v: unknown, at: string): string {
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  if (typeof v === "string" && v !== "") return v;
  throw new Error(`${at}: missing (${describeValue(v)})`);
}

/** An optional string: absent or null → "". */
export function optStringAt(v: unknown, at: string): string {
  if (v === undefined || v === null) return "";
  if (typeof v !== "string") throw new Error(`${at}: not a string (${describeValue(v)})`);
  return v;
}

/** "" / absent / null → null; anything else must be a number or a numeric string. */
export function numberAt(v: unknown, at: string): number | null {
  if (v === undefined || v === null || v === "") return null;
  const n = restNumber(v);
  if (n === null) throw new Error(`${at}: not a number (${describeValue(v)})`);
  return n;
}
