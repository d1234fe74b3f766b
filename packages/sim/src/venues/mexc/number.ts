// Numbers as MEXC futures prints them.
import { trimmed } from "../../format.ts";

/**
 * A JSON number the way MEXC's futures API prints one: plain decimals, but exponent form with a two-digit
 * exponent for small values ("3.4103e-06"), which JSON.parse accepts and naive parsers do not.
 */
export function mexcNumber(units: number, dec: number): string {
  const v = units / 10 ** dec;
  if (v !== 0 && v < 1e-4) {
    const e = Math.floor(Math.log10(v));
    const m = trimmedMantissa(v / 10 ** e);
    const ae = -e;
    return `${m}e-${ae < 10 ? "0" : ""}${ae}`;
  }
  return trimmed(units, dec);
}

/** A funding rate in units of 1e-8 (may be negative) as MEXC prints it (6.2e-05, -0.0003). */
export function mexcRate(units: number): string {
  return units < 0 ? `-${mexcNumber(-units, 8)}` : mexcNumber(units, 8);
}

function trimmedMantissa(m: number): string {
  let s = m.toFixed(5);
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--;
  if (s.charCodeAt(end - 1) === 46) end--;
  return s.slice(0, end);
}
