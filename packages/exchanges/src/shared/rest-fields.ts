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
  const v = o[key];
  if (v === undefined || v === null || v === "") return null;
  const n = restNumber(v);
  if (n === null) throw fieldError(`${path}.${key}`, "not a number", v);
  return n;
}

/** A positive size/step where the venue uses 0 for "no rule" (Binance tickSize "0" disables the filter). */
export function positiveOrNull(n: number | null): number | null {
  return n !== null && n > 0 ? n : null;
}
